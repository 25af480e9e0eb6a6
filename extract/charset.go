package extract

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// ErrBinary is returned by Decode for bytes that are not text.
var ErrBinary = errors.New("input is binary, not HTML")

// Decode converts the bytes of an HTML page to UTF-8. The encoding is taken,
// in order, from a byte order mark, the charset of the HTTP contentType, the
// bytes themselves when they are valid UTF-8 (so a stale <meta charset> cannot
// garble them), the <meta charset> of the page (iso-8859-1 read as
// windows-1252, as browsers do) and finally content sniffing. The result is
// always valid UTF-8. Binary input (many NUL bytes) is an error.
func Decode(b []byte, contentType string) ([]byte, error) {
	if len(b) == 0 {
		return b, nil
	}
	if enc, n := bomEncoding(b); enc != nil {
		return decodeWith(enc, b[n:])
	}
	if enc := headerEncoding(contentType); enc != nil {
		if enc == encoding.Nop || enc == unicode.UTF8 {
			return validUTF8(b), nil
		}
		return decodeWith(enc, b)
	}
	if enc := utf16Sniff(b); enc != nil {
		return decodeWith(enc, b)
	}
	if isBinary(b) {
		return nil, ErrBinary
	}
	if utf8.Valid(b) {
		return b, nil
	}
	head := b
	if len(head) > 4096 {
		head = head[:4096]
	}
	enc, _, _ := charset.DetermineEncoding(head, "text/html")
	if enc == nil || enc == encoding.Nop {
		return validUTF8(b), nil
	}
	return decodeWith(enc, b)
}

func bomEncoding(b []byte) (encoding.Encoding, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8, 3
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 2
	}
	return nil, 0
}

// headerEncoding returns the encoding named by a Content-Type header, or nil.
func headerEncoding(contentType string) encoding.Encoding {
	if contentType == "" {
		return nil
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil
	}
	name := strings.TrimSpace(strings.Trim(params["charset"], `"'`))
	if name == "" {
		return nil
	}
	enc, err := htmlindex.Get(name) // maps iso-8859-1 and us-ascii to windows-1252
	if err != nil {
		return nil
	}
	return enc
}

// utf16Sniff recognises BOM-less UTF-16 by its pattern of NUL bytes in ASCII
// text.
func utf16Sniff(b []byte) encoding.Encoding {
	n := min(len(b), 512) &^ 1
	if n < 8 {
		return nil
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	switch {
	case odd > half*9/10 && even == 0:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case even > half*9/10 && odd == 0:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	}
	return nil
}

// isBinary reports whether the head of b holds NUL or many control bytes.
func isBinary(b []byte) bool {
	head := b[:min(len(b), 8192)]
	var nul, ctrl int
	for _, c := range head {
		switch {
		case c == 0:
			nul++
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f':
			ctrl++
		}
	}
	return nul > 0 && nul*100 >= len(head) || nul > 16 || ctrl*10 > len(head)
}

func decodeWith(enc encoding.Encoding, b []byte) ([]byte, error) {
	if enc == unicode.UTF8 || enc == encoding.Nop {
		return validUTF8(b), nil
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return nil, fmt.Errorf("decode charset: %w", err)
	}
	return validUTF8(out), nil
}

func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}
