package feeds

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// cleanText returns s as valid UTF-8 (invalid bytes replaced by U+FFFD)
// without the characters XML 1.0 forbids or discourages: C0 controls other
// than TAB, LF and CR, DEL, C1 controls and the noncharacters U+FDD0..U+FDEF
// and U+xFFFE, U+xFFFF of every plane.
func cleanText(s string) string {
	if textIsClean(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if forbiddenRune(r) {
			return -1
		}
		return r
	}, s)
}

func textIsClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if forbiddenRune(rune(c)) {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || forbiddenRune(r) {
			return false
		}
		i += size
	}
	return true
}

func forbiddenRune(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\t' && r != '\n' && r != '\r'
	case r < 0x7f:
		return false
	case r <= 0x9f: // DEL and C1 controls
		return true
	case r >= 0xfdd0 && r <= 0xfdef:
		return true
	case r&0xfffe == 0xfffe: // U+FFFE, U+FFFF and the last two of every plane
		return true
	}
	return false
}

// isInline reports whether a is an element whose tags do not separate
// words when markup is flattened to plain text.
func isInline(a atom.Atom) bool {
	switch a {
	case atom.A, atom.Abbr, atom.B, atom.Bdi, atom.Bdo, atom.Cite, atom.Code, atom.Data,
		atom.Dfn, atom.Em, atom.Font, atom.I, atom.Kbd, atom.Mark, atom.Q, atom.S, atom.Samp,
		atom.Small, atom.Span, atom.Strike, atom.Strong, atom.Sub, atom.Sup, atom.Time,
		atom.Tt, atom.U, atom.Var, atom.Wbr, atom.Ins, atom.Del:
		return true
	}
	return false
}

// plainText turns a string that may hold markup into one line of plain
// text: clean characters, tags removed (with the content of script, style
// and similar elements), entities decoded and whitespace collapsed.
// Scraped titles are often encoded twice ("&amp;#8211;", "&amp;amp;"), so
// decoding repeats until nothing changes (a few rounds at most); each round
// also removes the tags the previous one decoded.
func plainText(s string) string {
	s = cleanText(s)
	for range maxDecodeRounds {
		if !strings.ContainsAny(s, "<&") {
			break
		}
		next := flattenMarkup(s)
		if next == s {
			break
		}
		s = next
	}
	return collapseSpace(s)
}

// maxDecodeRounds bounds plainText's decoding of multiply encoded text.
const maxDecodeRounds = 6

func flattenMarkup(s string) string {
	s = escapeStrayLT(s)
	var b strings.Builder
	b.Grow(len(s))
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0 // depth inside elements whose text is not prose
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			// Decoded character references may have reintroduced
			// characters XML forbids (&#11;).
			return cleanText(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Object, atom.Svg, atom.Math, atom.Title, atom.Textarea:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			}
			if !isInline(a) {
				b.WriteByte(' ')
			}
		}
	}
}

// escapeStrayLT escapes every '<' that cannot open markup, so that plain
// text such as "Rupiah <Rp15.000" is not eaten by the tokenizer as a tag
// running to the end of the string. What looks like a tag, known element
// or not, stays markup and is removed: a reader that takes a title for HTML
// must find no tag in it.
func escapeStrayLT(s string) string {
	var b strings.Builder
	last := 0
	for i := strings.IndexByte(s, '<'); i >= 0; {
		if !opensMarkup(s[i+1:]) {
			if b.Len() == 0 {
				b.Grow(len(s) + 8)
			}
			b.WriteString(s[last:i])
			b.WriteString("&lt;")
			last = i + 1
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// opensMarkup reports whether rest (what follows a '<') starts a tag, end
// tag, comment or declaration that is closed by a '>' before any other '<'.
func opensMarkup(rest string) bool {
	if rest == "" {
		return false
	}
	c := rest[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '!' || c == '?') {
		return false
	}
	gt := strings.IndexByte(rest, '>')
	lt := strings.IndexByte(rest, '<')
	return gt >= 0 && (lt < 0 || gt < lt)
}

// collapseSpace trims s and replaces every run of white space by one space.
func collapseSpace(s string) string {
	if spaceIsCollapsed(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// spaceIsCollapsed reports whether s has no leading, trailing or repeated
// white space and no white space other than ' '.
func spaceIsCollapsed(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' && s[i+1] == ' ' {
			return false
		}
		if c != ' ' && isSpace(c) {
			return false
		}
		if c >= utf8.RuneSelf {
			// Unicode white space (NBSP, U+2028...) goes the slow way.
			r, _ := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return false
			}
		}
	}
	return true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// Excerpt shortens plain text to at most max runes, cutting at a word
// boundary when one is near and marking the cut with an ellipsis; runs of
// white space count as one space. Feed summaries are made with it.
func Excerpt(s string, max int) string {
	return truncateText(collapseSpace(s), max)
}

// truncateText is Excerpt of text whose white space is already collapsed.
func truncateText(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut, n := 0, 0
	for i := range s {
		if n == max {
			cut = i
			break
		}
		n++
	}
	head := s[:cut]
	if sp := strings.LastIndexByte(head, ' '); sp > len(head)*2/3 {
		head = head[:sp]
	}
	return strings.TrimRight(head, " ,;:.-") + "…"
}
