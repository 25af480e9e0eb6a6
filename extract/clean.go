package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// dropTags are removed with their content before anything else.
var dropTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Link: true, atom.Meta: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Canvas: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Input: true, atom.Button: true, atom.Select: true, atom.Textarea: true, atom.Option: true,
	atom.Dialog: true, atom.Applet: true, atom.Frame: true, atom.Frameset: true, atom.Head: true,
	atom.Title: true, atom.Audio: true, atom.Video: true, atom.Map: true, atom.Label: true,
}

// chromeTags are page furniture unless they hold most of the page's text.
var chromeTags = map[atom.Atom]bool{
	atom.Nav: true, atom.Aside: true, atom.Footer: true, atom.Header: true, atom.Menu: true,
}

// chromeRoles are ARIA roles of page furniture.
var chromeRoles = map[string]bool{
	"navigation": true, "complementary": true, "banner": true, "contentinfo": true, "search": true,
	"dialog": true, "alertdialog": true, "menu": true, "menubar": true, "toolbar": true, "tablist": true,
}

// lazySrcAttrs hold the real source of lazy-loaded images, best first.
var lazySrcAttrs = []string{"data-src", "data-lazy-src", "data-original", "data-lazy", "data-url",
	"data-hi-res-src", "data-full-src", "data-orig-file", "data-large-file", "data-echo", "data-srcs", "lazy-src"}

var lazySrcsetAttrs = []string{"data-srcset", "data-lazy-srcset", "data-original-set"}

// stripChild removes or fixes one child c of n and reports whether c stays.
// It does not look at c's children.
func stripChild(n, c *html.Node) bool {
	switch c.Type {
	case html.CommentNode, html.DoctypeNode:
		n.RemoveChild(c)
		return false
	case html.ElementNode:
	default:
		return true
	}
	switch {
	case c.DataAtom == atom.Noscript:
		if img := noscriptImage(c); img != nil {
			// the noscript copy replaces a placeholder right before it
			if p := c.PrevSibling; p != nil && p.DataAtom == atom.Img && !hasRealSrc(p) {
				n.RemoveChild(p)
			} else if p != nil && p.DataAtom == atom.Img {
				n.RemoveChild(c)
				return false
			}
			replaceNode(c, img)
			resolveImage(img)
		} else {
			n.RemoveChild(c)
		}
		return false
	case dropTags[c.DataAtom] || c.Data == "amp-ad" || c.Data == "amp-analytics" || c.Data == "amp-sidebar":
		n.RemoveChild(c)
		return false
	case isHidden(c):
		n.RemoveChild(c)
		return false
	}
	if c.Data == "amp-img" {
		c.Data, c.DataAtom = "img", atom.Img
		c.FirstChild, c.LastChild = nil, nil // its noscript/fallback children
	}
	if c.DataAtom == atom.Img {
		resolveImage(c)
	}
	return true
}

func isHidden(n *html.Node) bool {
	if hasAttr(n, "hidden") || getAttr(n, "aria-hidden") == "true" && n.DataAtom != atom.Img && n.FirstChild != nil && !hasImg(n) {
		return true
	}
	if st := getAttr(n, "style"); st != "" {
		st = strings.ToLower(strings.ReplaceAll(st, " ", ""))
		if strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden") {
			return true
		}
	}
	return false
}

func hasImg(n *html.Node) bool {
	return findFirst(n, func(e *html.Node) bool { return e.DataAtom == atom.Img }) != nil
}

// noscriptImage returns the image inside a <noscript> (parsed from its raw
// text when the parser kept it as text), detached.
func noscriptImage(n *html.Node) *html.Node {
	isImg := func(e *html.Node) bool { return e.DataAtom == atom.Img }
	if img := findFirst(n, isImg); img != nil && img != n {
		return detach(img)
	}
	if n.FirstChild == nil || n.FirstChild.Type != html.TextNode || !strings.Contains(n.FirstChild.Data, "<img") {
		return nil
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(n.FirstChild.Data), ctx)
	if err != nil {
		return nil
	}
	for _, f := range nodes {
		if img := findFirst(f, isImg); img != nil && hasRealSrc(img) {
			return detach(img)
		}
	}
	return nil
}

func detach(n *html.Node) *html.Node {
	if n.Parent != nil {
		n.Parent.RemoveChild(n)
	}
	n.Parent, n.PrevSibling, n.NextSibling = nil, nil, nil
	return n
}

// hasRealSrc reports whether an image's src is a real picture, not a
// data: URL or a placeholder.
func hasRealSrc(img *html.Node) bool {
	src := strings.TrimSpace(getAttr(img, "src"))
	if src == "" || strings.HasPrefix(src, "data:") {
		return false
	}
	l := strings.ToLower(src)
	for _, p := range []string{"placeholder", "blank.gif", "spacer.gif", "pixel.gif", "lazy.gif", "1x1", "lazyload", "grey.gif", "loading.gif", "transparent.gif", "empty.gif"} {
		if strings.Contains(l, p) {
			return false
		}
	}
	return true
}

// resolveImage moves the lazy source of an image into src and srcset.
func resolveImage(img *html.Node) {
	real := hasRealSrc(img)
	if !real {
		for _, k := range lazySrcAttrs {
			if v := strings.TrimSpace(getAttr(img, k)); v != "" && !strings.HasPrefix(v, "data:") {
				setAttr(img, "src", v)
				real = true
				break
			}
		}
	}
	for _, k := range lazySrcsetAttrs {
		if v := strings.TrimSpace(getAttr(img, k)); v != "" {
			setAttr(img, "srcset", v)
			if !real {
				if first := firstSrcsetURL(v); first != "" {
					setAttr(img, "src", first)
					real = true
				}
			}
			break
		}
	}
	if !real && img.Parent != nil && img.Parent.DataAtom == atom.Picture {
		for s := img.Parent.FirstChild; s != nil; s = s.NextSibling {
			if s.DataAtom == atom.Source {
				v := getAttr(s, "srcset")
				if v == "" {
					v = getAttr(s, "data-srcset")
				}
				if first := firstSrcsetURL(v); first != "" {
					setAttr(img, "src", first)
					break
				}
			}
		}
	}
	if src := getAttr(img, "src"); strings.HasPrefix(strings.TrimSpace(src), "data:") {
		delAttr(img, "src")
	}
}

// firstSrcsetURL returns the largest candidate of a srcset, else the first.
func firstSrcsetURL(v string) string {
	best, bestW := "", -1
	for _, part := range strings.Split(v, ",") {
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		w := 0
		if len(f) > 1 {
			d := strings.TrimRight(f[1], "wx")
			for _, c := range d {
				if c < '0' || c > '9' {
					break
				}
				w = w*10 + int(c-'0')
			}
		}
		if w > bestW {
			best, bestW = f[0], w
		}
	}
	return best
}

// verdicts caches isBoilerWord per class word for one extraction: pages
// repeat the same class words on hundreds of elements.
type verdicts map[string]uint8

const (
	verdictKnown uint8 = 1 << iota
	verdictBoiler
	verdictForce
)

func (v verdicts) isBoilerWord(w string) (bool, bool) {
	if v == nil {
		return isBoilerWord(w)
	}
	if x, ok := v[w]; ok {
		return x&verdictBoiler != 0, x&verdictForce != 0
	}
	b, f := isBoilerWord(w)
	x := verdictKnown
	if b {
		x |= verdictBoiler
	}
	if f {
		x |= verdictForce
	}
	v[w] = x
	return b, f
}

// isBoilerWord reports whether one class or id word names boilerplate.
func isBoilerWord(w string) (bool, bool) {
	if boilerWords[w] {
		return true, true
	}
	hasContent, weak, last, any, strong, force := false, false, "", false, false, false
	eachToken(w, func(t string) bool {
		any = true
		last = t
		if len(t) > 6 {
			for _, sub := range boilerSubstrings {
				if strings.Contains(t, sub) {
					strong = true
					return true
				}
			}
		}
		if strongBoilerTokens[t] {
			strong = true
			force = strings.HasPrefix(w, t) && (t == "comment" || t == "comments" || t == "disqus" || t == "respond")
			return true
		}
		if contentTokens[t] {
			hasContent = true
		}
		if weakBoilerTokens[t] {
			weak = true
		}
		return false
	})
	if strong {
		return true, force
	}
	if !any {
		return false, false
	}
	if weak && (!hasContent || weakBoilerTokens[last]) {
		return true, false
	}
	return false, false
}

// boilerplateClass reports whether n's class, id or role marks boilerplate;
// force is set for comment sections, which are removed even when long.
func boilerplateClass(n *html.Node, vc verdicts) (bool, bool) {
	if r := getAttr(n, "role"); r != "" && chromeRoles[strings.ToLower(r)] {
		return true, false
	}
	// the words of classID(n), class words first, without building it
	c, id := getAttr(n, "class"), getAttr(n, "id")
	if c == "" && id == "" || getAttr(n, "itemprop") == "articleBody" {
		return false, false
	}
	c, id = strings.ToLower(c), strings.ToLower(id)
	for _, v := range [2]string{c, id} {
		for w := range strings.FieldsSeq(v) {
			if articleWords[w] {
				return false, false
			}
		}
	}
	for _, v := range [2]string{c, id} {
		for w := range strings.FieldsSeq(v) {
			if b, force := vc.isBoilerWord(w); b {
				return true, force
			}
		}
	}
	return false, false
}

// removeBoilerplate drops page furniture: chrome tags and roles and elements
// whose class or id names boilerplate, unless they hold more than half of
// the page's prose (a wrapper like <div class="has-sidebar">).
func removeBoilerplate(root *html.Node, st *stats, total int, vc verdicts) {
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.ElementNode {
				if dropIt(c, st, total, vc) {
					st.remove(c)
				} else {
					walk(c)
				}
			}
			c = next
		}
	}
	walk(root)
}

func dropIt(c *html.Node, st *stats, total int, vc verdicts) bool {
	switch c.DataAtom {
	case atom.Body, atom.Html, atom.Main, atom.Article:
		return false
	}
	b, force := boilerplateClass(c, vc)
	if !b && !chromeTags[c.DataAtom] {
		return false
	}
	if !b && c.DataAtom == atom.Header && inArticle(c) {
		return false // the article's own header: headline, dek, byline
	}
	if force {
		return true
	}
	return !holdsArticle(st.get(c), total)
}

// holdsArticle reports whether an element flagged as furniture holds too
// much of the article to go: more than half the text, or a run of prose.
func holdsArticle(s nodeStat, total int) bool {
	if s.plain()*2 >= total && total > 0 {
		return true
	}
	return s.paras >= 4 && s.linkDensity() < 0.25 && s.plain() > 600
}

// inArticle reports whether n is inside an <article> or <main>.
func inArticle(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Article || p.DataAtom == atom.Main {
			return true
		}
	}
	return false
}
