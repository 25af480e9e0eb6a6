package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
)

type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Type        string `xml:"type,attr"`
	Text        string `xml:"text,attr"`
	Title       string `xml:"title,attr,omitempty"`
	XMLURL      string `xml:"xmlUrl,attr"`
	HTMLURL     string `xml:"htmlUrl,attr,omitempty"`
	Description string `xml:"description,attr,omitempty"`
	Language    string `xml:"language,attr,omitempty"`
}

// OPML returns an OPML 2.0 subscription list of outlines, in order. Every
// outline needs an absolute http(s) XMLURL; the error names each one that
// has none. No creation date is written, so the bytes depend only on the
// input.
func OPML(title string, outlines []Outline) ([]byte, error) {
	d := opmlDoc{Version: "2.0", Title: plainText(title)}
	var errs []error
	for i, o := range outlines {
		xmlURL := httpURL(nil, o.XMLURL)
		if xmlURL == "" {
			errs = append(errs, fmt.Errorf("outline %d (%q): xml url %q is not an absolute http(s) URL", i, plainText(o.Title), cleanText(o.XMLURL)))
			continue
		}
		t := plainText(o.Title)
		text := t
		if text == "" {
			text = xmlURL
		}
		d.Body = append(d.Body, opmlOutline{
			Type:        "rss",
			Text:        text,
			Title:       t,
			XMLURL:      xmlURL,
			HTMLURL:     httpURL(nil, o.HTMLURL),
			Description: plainText(o.Description),
			Language:    normLanguage(o.Language),
		})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("render opml: %w", err)
	}
	b, err := marshalXML(d, 256+len(d.Body)*256)
	if err != nil {
		return nil, fmt.Errorf("render opml: %w", err)
	}
	return b, nil
}

// marshalXML returns v as an indented XML document with a UTF-8
// declaration; sizeHint is the expected length of the output.
func marshalXML(v any, sizeHint int) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, sizeHint))
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
