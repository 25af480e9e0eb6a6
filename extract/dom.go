package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func getAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func setAttr(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func delAttr(n *html.Node, key string) {
	out := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != key {
			out = append(out, a)
		}
	}
	n.Attr = out
}

// tokens splits class and id values into word tokens: "td-post-sharing
// jeg_share" gives td, post, sharing, jeg, share.
func tokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t' || r == '\n' || r == ':' || r == '.' || unicode.IsDigit(r)
	})
}

func isTokenSep(c byte) bool {
	return c == ' ' || c == '-' || c == '_' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == '.' || (c >= '0' && c <= '9')
}

// eachToken calls fn with every token of s (as tokens splits it) without
// allocating, until fn returns true; it reports whether fn did.
func eachToken(s string, fn func(tok string) bool) bool {
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || isTokenSep(s[i]) {
			if start >= 0 {
				if fn(s[start:i]) {
					return true
				}
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	return false
}

func isElem(n *html.Node, a ...atom.Atom) bool {
	if n == nil || n.Type != html.ElementNode {
		return false
	}
	for _, x := range a {
		if n.DataAtom == x {
			return true
		}
	}
	return false
}

// blockTags are the elements that start a new block of text.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true, atom.Dd: true,
	atom.Details: true, atom.Dialog: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true, atom.Footer: true, atom.Form: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hgroup: true, atom.Hr: true, atom.Li: true, atom.Main: true, atom.Nav: true,
	atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true, atom.Table: true, atom.Tbody: true,
	atom.Thead: true, atom.Tfoot: true, atom.Tr: true, atom.Td: true, atom.Th: true, atom.Ul: true,
	atom.Caption: true, atom.Summary: true, atom.Center: true, atom.Menu: true, atom.Body: true,
	atom.Html: true, atom.Picture: false, atom.Video: true, atom.Audio: true, atom.Iframe: true,
	atom.Noscript: true, atom.Legend: true, atom.Option: true, atom.Select: true,
}

func isBlock(n *html.Node) bool {
	return n.Type == html.ElementNode && blockTags[n.DataAtom]
}

// textOf returns the text under n with whitespace collapsed, in one pass.
func textOf(n *html.Node) string {
	var b strings.Builder
	space := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if b.Len() == 0 && b.Cap() == 0 {
				b.Grow(len(n.Data))
			}
			appendCollapsed(&b, n.Data, &space)
			space = true // text nodes are separated as if by a space
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// collapse turns runs of whitespace (NBSP included) into one space and trims.
func collapse(s string) string {
	if !needsCollapse(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	appendCollapsed(&b, s, &space)
	return b.String()
}

// isCollapsible reports whether r is whitespace for textOf and collapse:
// unicode.IsSpace plus NBSP, zero-width space and BOM.
func isCollapsible(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff'
}

// needsCollapse reports whether collapse(s) differs from s: s has a
// collapsible rune other than a single inner ' ', or an invalid byte.
func needsCollapse(s string) bool {
	prevSpace := true // a leading space must go
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ' ' {
				if prevSpace {
					return true
				}
				prevSpace = true
			} else if isCollapsible(rune(c)) {
				return true
			} else {
				prevSpace = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || isCollapsible(r) {
			return true
		}
		prevSpace = false
		i += size
	}
	return prevSpace && len(s) > 0 // a trailing space must go
}

// appendCollapsed writes s to b with each run of collapsible runes turned
// into one ' ' before the next word (none at the start of b). *space carries
// a pending run across calls. Invalid bytes are written as U+FFFD, as
// ranging over the string would.
func appendCollapsed(b *strings.Builder, s string, space *bool) {
	sp := *space
	start := -1 // start of the current run of kept runes
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && c > ' ' && start >= 0 {
			i++ // inside a run of kept ASCII
			continue
		}
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if c == ' ' || isCollapsible(r) {
			if start >= 0 {
				b.WriteString(s[start:i])
				start = -1
			}
			sp = true
			i += size
			continue
		}
		if start < 0 {
			if sp && b.Len() > 0 {
				b.WriteByte(' ')
			}
			sp = false
		}
		if r == utf8.RuneError && size == 1 {
			if start >= 0 {
				b.WriteString(s[start:i])
				start = -1
			}
			b.WriteString("\uFFFD")
			i++
			continue
		}
		if start < 0 {
			start = i
		}
		i += size
	}
	if start >= 0 {
		b.WriteString(s[start:])
	}
	*space = sp
}

func removeNode(n *html.Node) {
	if n.Parent != nil {
		n.Parent.RemoveChild(n)
	}
}

// replaceNode puts repl where n is.
func replaceNode(n, repl *html.Node) {
	if n.Parent == nil {
		return
	}
	n.Parent.InsertBefore(repl, n)
	n.Parent.RemoveChild(n)
}

// findAll returns the elements under n (n included) for which keep is true.
func findAll(n *html.Node, keep func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && keep(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func findFirst(n *html.Node, keep func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && keep(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findFirst(c, keep); f != nil {
			return f
		}
	}
	return nil
}

func isAncestor(a, n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// cloneTree deep-copies n.
func cloneTree(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace}
	if len(n.Attr) > 0 {
		c.Attr = append([]html.Attribute(nil), n.Attr...)
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.AppendChild(cloneTree(ch))
	}
	return c
}
