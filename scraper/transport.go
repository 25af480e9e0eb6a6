package scraper

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// origContentType carries a response's Content-Type, parameters included,
// past Colly: Colly re-encodes bodies whose Content-Type names a charset
// (Response.fixCharset), but decoding belongs to extract.Decode, which also
// weighs the BOM, UTF-8 validity and <meta charset>. The transport moves the
// full value here and leaves Colly the bare media type.
const origContentType = "X-Kabar-Content-Type"

// bodyTransport applies the body policy to every response, below Colly:
// gzip is decoded here (Content-Encoding, .gz files, or gzip magic bytes),
// max is enforced on the decoded bytes and exceeding it is ErrBodyTooLarge
// (Colly's own MaxBodySize truncates silently and counts compressed bytes),
// and a body cut short is ErrTruncated.
type bodyTransport struct {
	base http.RoundTripper
	max  int64
}

func (t *bodyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if ct := resp.Header.Get("Content-Type"); strings.Contains(ct, ";") {
		resp.Header.Set(origContentType, ct)
		mt, _, _ := strings.Cut(ct, ";")
		resp.Header.Set("Content-Type", strings.TrimSpace(mt))
	}
	if resp.Body == nil || resp.Body == http.NoBody {
		return resp, nil
	}
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	switch enc {
	case "", "identity", "gzip", "x-gzip":
	default:
		resp.Body.Close()
		return nil, fmt.Errorf("%w: content-encoding %q", ErrContentType, enc)
	}
	if enc == "" && !resp.Uncompressed && resp.ContentLength > t.max {
		resp.Body.Close()
		return nil, fmt.Errorf("%w: content-length %d > %d", ErrBodyTooLarge, resp.ContentLength, t.max)
	}
	resp.Body = &limitedBody{src: resp.Body, max: t.max}
	resp.Uncompressed = true // tells Colly not to gunzip again
	resp.Header.Del("Content-Encoding")
	resp.Header.Del("Content-Length")
	resp.ContentLength = -1
	return resp, nil
}

// limitedBody decodes gzip when the stream starts with its magic bytes and
// fails with ErrBodyTooLarge past max decoded bytes.
type limitedBody struct {
	src  io.ReadCloser
	r    io.Reader
	gz   *gzip.Reader
	n    int64
	max  int64
	fail error
}

func (b *limitedBody) init() error {
	br := bufio.NewReaderSize(b.src, 4096)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("gzip: %w", err)
		}
		b.gz, b.r = gz, gz
		return nil
	}
	b.r = br
	return nil
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.fail != nil {
		return 0, b.fail
	}
	if b.r == nil {
		if err := b.init(); err != nil {
			b.fail = err
			return 0, err
		}
	}
	if room := b.max - b.n + 1; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.n > b.max {
		b.fail = fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, b.max)
		return n - int(b.n-b.max), b.fail
	}
	if err != nil && err != io.EOF {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%w: %w", ErrTruncated, err)
		}
		b.fail = err
	}
	return n, err
}

func (b *limitedBody) Close() error {
	if b.gz != nil {
		b.gz.Close()
	}
	return b.src.Close()
}
