package extract

import (
	"bytes"
	"io"
	"io/fs"

	"golang.org/x/net/html"
)

// readAll reads up to MaxInput+1 bytes, sizing the buffer once when the
// reader knows its length.
func readAll(r io.Reader) ([]byte, error) {
	size := 64 << 10
	switch v := r.(type) {
	case interface{ Len() int }:
		size = v.Len() + 1
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			size = int(min(fi.Size(), MaxInput)) + 1
		}
	}
	lr := io.LimitReader(r, MaxInput+1)
	buf := make([]byte, 0, min(size, MaxInput+1)+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// flattenDeep drops the start and end tags of wrapper elements (div, span,
// section...) nested deeper than maxDepth, keeping their content.
func flattenDeep(b []byte, maxDepth int) []byte {
	z := html.NewTokenizer(bytes.NewReader(b))
	var out bytes.Buffer
	out.Grow(len(b))
	depth := 0
	skip := map[string]int{}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		switch tt {
		case html.StartTagToken:
			name, _ := z.TagName()
			if voidElements[string(name)] {
				break
			}
			depth++
			if depth > maxDepth && wrapperTags[string(name)] {
				skip[string(name)]++
				continue
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if n := skip[string(name)]; n > 0 {
				skip[string(name)] = n - 1
				depth--
				continue
			}
			depth--
		}
		out.Write(raw)
	}
	return out.Bytes()
}

var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true,
	"hr": true, "img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

var wrapperTags = map[string]bool{"div": true, "span": true, "section": true, "font": true, "center": true,
	"b": true, "i": true, "u": true, "em": true, "strong": true, "small": true, "big": true, "article": true,
	"main": true, "aside": true, "blockquote": true, "ul": true, "ol": true, "li": true, "table": true,
	"tbody": true, "tr": true, "td": true, "a": true, "p": true, "nav": true, "header": true, "footer": true}
