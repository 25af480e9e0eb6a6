package feeds

import (
	"strings"
	"unicode/utf8"
)

// xmlHeader is the declaration every XML document starts with.
const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// xmlWriter writes an XML document by hand, byte for byte as encoding/xml's
// Encoder with Indent("", "  ") writes the equivalent tagged structs (the
// tests compare the two), at a fraction of the cost: no reflection, no
// per-field allocations, one growing buffer.
//
// An element opened with start is at the current depth; one that will have
// children is entered with in and left with out, whose closing tag goes on
// its own line, as encoding/xml does for elements with child elements.
type xmlWriter struct {
	b     []byte
	depth int
}

func newXMLWriter(sizeHint int) *xmlWriter {
	w := &xmlWriter{b: make([]byte, 0, sizeHint)}
	w.b = append(w.b, xmlHeader...)
	return w
}

// line starts a new line indented to the current depth; the root element
// has none before it.
func (w *xmlWriter) line() {
	if w.depth == 0 {
		return
	}
	w.b = append(w.b, '\n')
	for range w.depth {
		w.b = append(w.b, "  "...)
	}
}

// start writes "<name" on a line of its own; attributes may follow, then
// close or in.
func (w *xmlWriter) start(name string) {
	w.line()
	w.b = append(w.b, '<')
	w.b = append(w.b, name...)
}

// attr writes an attribute of the element being started.
func (w *xmlWriter) attr(name, value string) {
	w.b = append(w.b, ' ')
	w.b = append(w.b, name...)
	w.b = append(w.b, `="`...)
	w.b = appendEscaped(w.b, value)
	w.b = append(w.b, '"')
}

// attrOmitEmpty writes an attribute unless its value is empty.
func (w *xmlWriter) attrOmitEmpty(name, value string) {
	if value != "" {
		w.attr(name, value)
	}
}

// closeEmpty ends the element being started without content.
func (w *xmlWriter) closeEmpty(name string) {
	w.b = append(w.b, "></"...)
	w.b = append(w.b, name...)
	w.b = append(w.b, '>')
}

// closeText ends the element being started with escaped text content.
func (w *xmlWriter) closeText(name, text string) {
	w.b = append(w.b, '>')
	w.b = appendEscaped(w.b, text)
	w.b = append(w.b, "</"...)
	w.b = append(w.b, name...)
	w.b = append(w.b, '>')
}

// closeCDATA ends the element being started with text in a CDATA section.
func (w *xmlWriter) closeCDATA(name, text string) {
	w.b = append(w.b, '>')
	w.b = appendCDATA(w.b, text)
	w.b = append(w.b, "</"...)
	w.b = append(w.b, name...)
	w.b = append(w.b, '>')
}

// in ends the element being started, whose children follow.
func (w *xmlWriter) in() {
	w.b = append(w.b, '>')
	w.depth++
}

// out closes the element entered last, on a line of its own.
func (w *xmlWriter) out(name string) {
	w.depth--
	if w.depth == 0 {
		w.b = append(w.b, '\n')
	} else {
		w.line()
	}
	w.b = append(w.b, "</"...)
	w.b = append(w.b, name...)
	w.b = append(w.b, '>')
}

// text writes <name>text</name> on a line of its own.
func (w *xmlWriter) text(name, text string) {
	w.start(name)
	w.closeText(name, text)
}

// textOmitEmpty is text unless text is empty.
func (w *xmlWriter) textOmitEmpty(name, text string) {
	if text != "" {
		w.text(name, text)
	}
}

// bytes ends the document with a newline and returns it.
func (w *xmlWriter) bytes() []byte {
	return append(w.b, '\n')
}

// appendEscaped appends s escaped as encoding/xml escapes text and
// attribute values: the five markup characters, tab, newline and carriage
// return as character references, and U+FFFD for invalid UTF-8 and for
// characters XML does not allow.
func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if !xmlSpecial[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			var esc string
			switch c {
			case '"':
				esc = "&#34;"
			case '\'':
				esc = "&#39;"
			case '&':
				esc = "&amp;"
			case '<':
				esc = "&lt;"
			case '>':
				esc = "&gt;"
			case '\t':
				esc = "&#x9;"
			case '\n':
				esc = "&#xA;"
			case '\r':
				esc = "&#xD;"
			default: // a control character XML does not allow
				esc = "\uFFFD"
			}
			b = append(b, s[last:i]...)
			b = append(b, esc...)
			i++
			last = i
			continue
		}
		r, width := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && width == 1 || !xmlChar(r) {
			b = append(b, s[last:i]...)
			b = append(b, "\uFFFD"...)
			i += width
			last = i
			continue
		}
		i += width
	}
	return append(b, s[last:]...)
}

// xmlSpecial marks the bytes appendEscaped must look at: markup
// characters, control characters and the bytes of non-ASCII characters.
var xmlSpecial = func() (t [256]bool) {
	for c := range t {
		t[c] = c < 0x20 || c >= utf8.RuneSelf || strings.IndexByte(`"'&<>`, byte(c)) >= 0
	}
	return t
}()

// xmlChar reports whether XML 1.0 allows the (non-ASCII) rune r.
func xmlChar(r rune) bool {
	return r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= utf8.MaxRune
}

// appendCDATA appends s in a CDATA section, "]]>" split across two
// sections; nothing for an empty s, as encoding/xml does.
func appendCDATA(b []byte, s string) []byte {
	if s == "" {
		return b
	}
	b = append(b, "<![CDATA["...)
	for {
		i := strings.Index(s, "]]>")
		if i < 0 {
			break
		}
		b = append(b, s[:i]...)
		b = append(b, "]]]]><![CDATA[>"...)
		s = s[i+3:]
	}
	b = append(b, s...)
	return append(b, "]]>"...)
}
