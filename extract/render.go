package extract

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// renderText turns the body into plain text: one paragraph per block,
// paragraphs separated by one blank line, a single <br> a line break.
// Figure captions are not body text and are left out.
func renderText(n *html.Node) string {
	r := textRenderer{}
	r.walk(n)
	r.flush()
	return strings.Join(r.paras, "\n\n")
}

type textRenderer struct {
	paras []string
	cur   strings.Builder
	space bool
	brs   int
}

func (r *textRenderer) flush() {
	s := strings.TrimSpace(r.cur.String())
	// tidy the line breaks of <br>-separated lines
	if strings.Contains(s, "\n") {
		lines := strings.Split(s, "\n")
		kept := lines[:0]
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				kept = append(kept, l)
			}
		}
		s = strings.Join(kept, "\n")
	}
	if s != "" {
		r.paras = append(r.paras, s)
	}
	r.cur.Reset()
	r.space = false
	r.brs = 0
}

func (r *textRenderer) walk(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			r.text(c.Data, inPre(c))
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Caption:
				continue
			case atom.Figcaption:
				// captions are not body text, except the long prose captions
				// of gallery stories
				if t := textOf(c); runeLen(t) < 200 || reCaptionLine().MatchString(t) || reCreditTail().MatchString(t) {
					continue
				}
			case atom.Br:
				r.brs++
				if r.brs >= 2 {
					r.flush()
				} else if r.cur.Len() > 0 {
					r.cur.WriteByte('\n')
					r.space = false
				}
				continue
			case atom.Td, atom.Th:
				if !hasBlockChild(c) {
					r.walk(c)
					r.space = true
					continue
				}
			}
			if isBlock(c) {
				r.flush()
				r.walk(c)
				r.flush()
			} else {
				r.walk(c)
			}
		}
	}
}

func inPre(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Pre {
			return true
		}
	}
	return false
}

func (r *textRenderer) text(s string, pre bool) {
	if s == "" {
		return
	}
	if pre {
		r.cur.WriteString(s)
		r.brs = 0
		return
	}
	first, _ := utf8.DecodeRuneInString(s)
	lastR, _ := utf8.DecodeLastRuneInString(s)
	if isSpaceRune(first) {
		r.space = true
	}
	i, lead := 0, true
	for i < len(s) {
		rr, size := utf8.DecodeRuneInString(s[i:])
		if isSpaceRune(rr) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r2, sz := utf8.DecodeRuneInString(s[j:])
			if isSpaceRune(r2) {
				break
			}
			j += sz
		}
		if !lead {
			r.space = true
		}
		lead = false
		if r.space && r.cur.Len() > 0 && !strings.HasSuffix(r.cur.String(), "\n") {
			r.cur.WriteByte(' ')
		}
		r.cur.WriteString(s[i:j])
		r.space = false
		r.brs = 0
		i = j
	}
	if isSpaceRune(lastR) {
		r.space = true
	}
}

func isSpaceRune(r rune) bool {
	return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r == '\u00a0' || r == '\u200b' || r == '\u3000'
}

// prepareHTML makes the body ready to serialise: absolute URLs, figures with
// their captions.
func prepareHTML(n *html.Node, base *url.URL) {
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.A:
				if h := getAttr(c, "href"); h != "" {
					if u := absURL(base, h); u != "" {
						setAttr(c, "href", u)
					} else {
						delAttr(c, "href")
					}
				}
			case atom.Img, atom.Source:
				if s := getAttr(c, "src"); s != "" {
					if u := absURL(base, s); u != "" {
						setAttr(c, "src", u)
					} else {
						delAttr(c, "src")
					}
				}
				if ss := getAttr(c, "srcset"); ss != "" {
					setAttr(c, "srcset", absSrcset(base, ss))
				}
			}
			walk(c)
		}
	}
	walk(n)
}

func absSrcset(base *url.URL, v string) string {
	var parts []string
	for _, p := range strings.Split(v, ",") {
		f := strings.Fields(p)
		if len(f) == 0 {
			continue
		}
		u := absURL(base, f[0])
		if u == "" {
			continue
		}
		f[0] = u
		parts = append(parts, strings.Join(f, " "))
	}
	return strings.Join(parts, ", ")
}

// isCaption reports whether n holds a photo caption or credit.
func isCaption(n *html.Node) bool {
	return n.DataAtom == atom.Figcaption || hasTokenIn(n, captionTokens)
}

// normalizeFigures turns captioned images (WordPress wp-caption, Blogger
// tr-caption tables, caption-classed blocks) into <figure> with a
// <figcaption>, so captions stay in the HTML and out of the text.
func normalizeFigures(root *html.Node) {
	caps := findAll(root, func(n *html.Node) bool { return n != root && isCaption(n) && n.DataAtom != atom.Figure })
	for _, c := range caps {
		if c.Parent == nil || !isAncestor(root, c) {
			continue
		}
		if c.DataAtom == atom.Figcaption {
			continue
		}
		capText := textOf(c)
		// the nearest small ancestor with an image is the figure
		var fig *html.Node
		for p, lvl := c.Parent, 0; p != nil && p != root && lvl < 4; p, lvl = p.Parent, lvl+1 {
			if p.DataAtom == atom.Figure {
				fig = p
				break
			}
			if hasImg(p) {
				if runeLen(textOf(p)) <= runeLen(capText)+20 {
					fig = p
				}
				break
			}
		}
		fc := &html.Node{Type: html.ElementNode, Data: "figcaption", DataAtom: atom.Figcaption}
		for ch := c.FirstChild; ch != nil; {
			next := ch.NextSibling
			c.RemoveChild(ch)
			fc.AppendChild(ch)
			ch = next
		}
		if fig == nil {
			// a caption on its own: keep it as a caption, out of the text
			replaceNode(c, fc)
			continue
		}
		if fig.DataAtom == atom.Figure {
			replaceNode(c, fc)
			continue
		}
		nf := &html.Node{Type: html.ElementNode, Data: "figure", DataAtom: atom.Figure}
		for _, img := range findAll(fig, func(e *html.Node) bool { return e.DataAtom == atom.Img }) {
			nf.AppendChild(detach(img))
		}
		removeNode(c)
		nf.AppendChild(fc)
		replaceNode(fig, nf)
	}
}
