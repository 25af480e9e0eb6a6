package extract

import (
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// cleaner removes what is not article prose from inside the chosen body.
type cleaner struct {
	a     *Article
	title string // lower-cased, collapsed headline
	now   time.Time
	loc   *time.Location
	vc    verdicts
	st    *stats // stats of the body's elements, kept up to date by conditional
}

// clean runs the in-body rules: conditional removal of link lists, widgets
// and empty blocks; line rules (related links, ads, promos, bylines, date
// lines, captions, editor initials); the repeated headline. st holds the
// stats of content's elements; content itself is added to it.
func (c *cleaner) clean(content *html.Node, st *stats) {
	st.add(content)
	c.st = st
	c.conditional(content, st, int(st.get(content).text))
	c.lines(content)
	c.trailingInitials(content)
	removeEmpty(content)
	trimTail(content)
}

// trimTail drops what a body cannot end with: a heading or a label line
// ("Weitere Informationen:") with nothing after it, or a block of links;
// their sections went with the furniture.
func trimTail(content *html.Node) {
	for range 6 {
		last := lastTextBlock(content)
		if last == nil || last == content {
			return
		}
		t := textOf(last)
		heading := isElem(last, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6)
		label := runeLen(t) < 60 && strings.HasSuffix(t, ":")
		links := runeLen(t) < 200 && linkDensityOf(last) > 0.8
		if !heading && !label && !links {
			return
		}
		removeNode(last)
		removeEmpty(content)
	}
}

// lastTextBlock returns the innermost block-level element holding the last
// text of n.
func lastTextBlock(n *html.Node) *html.Node {
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		switch c.Type {
		case html.TextNode:
			if strings.TrimSpace(c.Data) != "" {
				return n
			}
		case html.ElementNode:
			if c.DataAtom == atom.Br {
				continue
			}
			if c.DataAtom == atom.Figure || c.DataAtom == atom.Img {
				return nil
			}
			if firstText(c) == "" {
				continue
			}
			if !isBlock(c) {
				return n
			}
			return lastTextBlock(c)
		}
	}
	return n
}

// conditional drops blocks inside the body that look like furniture.
func (c *cleaner) conditional(n *html.Node, st *stats, total int) {
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		if ch.Type == html.ElementNode {
			if c.dropBlock(ch, st, total) {
				st.remove(ch)
			} else {
				c.conditional(ch, st, total)
			}
		}
		ch = next
	}
}

func (c *cleaner) dropBlock(n *html.Node, st *stats, total int) bool {
	s := st.get(n)
	big := holdsArticle(s, total)
	if b, force := boilerplateClass(n, c.vc); b && (force || !big) {
		return true
	}
	if chromeTags[n.DataAtom] && !big && !(n.DataAtom == atom.Header && s.linkDensity() < 0.5) {
		return true
	}
	ld := s.linkDensity()
	switch n.DataAtom {
	case atom.Ul, atom.Ol, atom.Dl:
		return ld > 0.6 && !big
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return ld > 0.5 && s.text > 0
	case atom.P:
		return ld > 0.9 && s.text < 160 && !endsSentence(textOf(n))
	case atom.Div, atom.Section, atom.Table, atom.Aside, atom.Form, atom.Center, atom.Blockquote:
		if big {
			return false
		}
		if classWeight(n) < 0 {
			return true
		}
		if s.inputs > 0 && s.inputs*3 > s.paras {
			return true
		}
		if ld > 0.5 && s.text < 2000 {
			return true
		}
		if s.imgs > 1 && ld > 0.3 && s.paras*2 < s.imgs {
			return true // thumbnails of other stories
		}
	}
	return false
}

// textBlocks are the elements the line rules look at.
func isTextBlock(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Td, atom.Th,
		atom.Blockquote, atom.Dd, atom.Dt, atom.Pre, atom.Address, atom.Figcaption, atom.Caption:
		return true
	case atom.Div, atom.Section, atom.Span, atom.Strong, atom.B, atom.Em, atom.I, atom.Small, atom.Center, atom.Font, atom.Table, atom.Ul, atom.Ol:
		return true
	}
	return false
}

// lines applies the line rules to every block, outermost first: a block
// that matches goes whole, so "Baca juga: <a>..</a>" leaves with its link.
func (c *cleaner) lines(n *html.Node) {
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		if ch.Type == html.ElementNode && isTextBlock(ch) {
			if c.dropLine(ch) {
				// a bare label ("Baca Juga:") takes its list of links along
				if next != nil && next.Type == html.ElementNode && labelOnly(ch) {
					if c.linkDensity(next) > 0.5 {
						nn := next.NextSibling
						n.RemoveChild(next)
						next = nn
					}
				}
				n.RemoveChild(ch)
			} else if !isLeafText(ch) {
				c.lines(ch)
			}
		} else if ch.Type == html.TextNode && n.DataAtom != atom.P {
			// bare text lines between <br>s (Blogger, custom CMSs)
			if t := collapse(ch.Data); t != "" && c.lineIsBoilerplate(t, 0) {
				n.RemoveChild(ch)
			}
		} else if ch.Type == html.ElementNode {
			c.lines(ch)
		}
		ch = next
	}
}

// isLeafText reports whether n is a paragraph-like block or an inline
// element without block children: the line rules judged it whole, so its
// parts need no look.
func isLeafText(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Span, atom.Strong, atom.B,
		atom.Em, atom.I, atom.Small, atom.Font, atom.A, atom.Figcaption, atom.Dt, atom.Dd, atom.Pre:
		return !hasBlockChild(n)
	}
	return false
}

func labelOnly(n *html.Node) bool {
	t := textOf(n)
	return runeLen(t) < 40 && reRelatedLine().MatchString(t)
}

func (c *cleaner) dropLine(n *html.Node) bool {
	if c.textOver(n, 400) {
		return false
	}
	// a block of more than 300 characters is prose unless it is mostly links
	if s, ok := c.st.m[n]; ok && s.text > 300 && s.linkDensity() <= 0.3 {
		return false
	}
	t := textOf(n)
	if t == "" {
		return false
	}
	l := runeLen(t)
	if l > 400 {
		return false
	}
	// a container with several paragraphs is judged by its parts
	if !isElem(n, atom.P, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Td, atom.Figcaption, atom.Dt, atom.Dd, atom.Caption) && hasBlockChild(n) {
		if isElem(n, atom.Table, atom.Div, atom.Section, atom.Ul, atom.Ol) && reRelatedLine().MatchString(t) {
			return c.linkDensity(n) > 0.3 || l < 200
		}
		return false
	}
	if c.title != "" && strings.ToLower(t) == c.title && isElem(n, atom.H1, atom.H2, atom.H3, atom.P, atom.Div) {
		return true
	}
	return c.lineIsBoilerplate(t, c.linkDensity(n))
}

// linkDensity is n's link density from the stats when they have n (not
// the figures normalizeFigures made).
func (c *cleaner) linkDensity(n *html.Node) float64 {
	if s, ok := c.st.m[n]; ok {
		return s.linkDensity()
	}
	return linkDensityOf(n)
}

// textOver reports whether n has more than max characters of text.
func (c *cleaner) textOver(n *html.Node, max int) bool {
	if s, ok := c.st.m[n]; ok {
		return int(s.text) > max
	}
	return textOver(n, max)
}

// linkDensityOf is the share of n's text inside links.
func linkDensityOf(n *html.Node) float64 {
	var text, link int
	var walk func(*html.Node, bool)
	walk = func(n *html.Node, in bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				l, _ := measure(c.Data)
				text += l
				if in {
					link += l
				}
			case html.ElementNode:
				walk(c, in || c.DataAtom == atom.A)
			}
		}
	}
	walk(n, n.DataAtom == atom.A)
	if text == 0 {
		return 0
	}
	return float64(link) / float64(text)
}

// dateOnlyText reports whether t is little more than a date line.
func dateOnlyText(t string) bool {
	words := strings.Fields(t)
	if len(words) > 9 {
		return false
	}
	other := 0
	for _, w := range words {
		lw := strings.ToLower(strings.Trim(w, ",.|-:()"))
		if lw == "" || monthNames[lw] > 0 || dayNames[lw] || zoneOffsets[lw] != 0 || lw == "wib" || lw == "utc" || lw == "gmt" || strings.ContainsAny(lw, "0123456789") || dateWords[lw] {
			continue
		}
		other++
	}
	return other <= 1
}

var dayNames = map[string]bool{"senin": true, "selasa": true, "rabu": true, "kamis": true, "jumat": true,
	"jum'at": true, "sabtu": true, "minggu": true, "ahad": true, "monday": true, "tuesday": true,
	"wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true}

var dateWords = map[string]bool{"pukul": true, "jam": true, "diperbarui": true, "diterbitkan": true,
	"dipublikasikan": true, "published": true, "updated": true, "posted": true, "on": true, "at": true,
	"am": true, "pm": true, "pada": true, "tanggal": true, "terbit": true, "update": true, "wita": true, "wit": true}

func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (isBlock(c) || c.DataAtom == atom.Br) {
			return true
		}
	}
	return false
}

// trailingInitials strips "(nds/krs)" from the end of the last paragraph.
func (c *cleaner) trailingInitials(content *html.Node) {
	var last *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.TextNode && strings.TrimSpace(ch.Data) != "" {
				last = ch
			}
			if ch.Type == html.ElementNode && ch.DataAtom != atom.Figcaption {
				walk(ch)
			}
		}
	}
	walk(content)
	if last == nil {
		return
	}
	if loc := reTrailInitials().FindStringIndex(last.Data); loc != nil {
		last.Data = last.Data[:loc[0]]
	}
}

// voidKeep are elements that are not empty without text.
var voidKeep = map[atom.Atom]bool{atom.Img: true, atom.Br: true, atom.Hr: true, atom.Picture: true,
	atom.Source: true, atom.Td: true, atom.Th: true, atom.Tr: true}

// removeEmpty drops elements with neither text nor images, bottom-up.
func removeEmpty(n *html.Node) bool {
	hasContent := false
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.TextNode:
			if strings.TrimSpace(strings.ReplaceAll(c.Data, "\u00a0", " ")) != "" {
				hasContent = true
			}
		case html.ElementNode:
			if removeEmpty(c) {
				hasContent = true
			} else if !voidKeep[c.DataAtom] {
				n.RemoveChild(c)
			} else {
				hasContent = hasContent || c.DataAtom == atom.Img
			}
		}
		c = next
	}
	return hasContent || n.DataAtom == atom.Img
}

// textOver reports whether the text under n is longer than max characters,
// stopping as soon as it is.
func textOver(n *html.Node, max int) bool {
	total := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				l, _ := measure(c.Data)
				if total += l; total > max {
					return true
				}
			case html.ElementNode:
				if walk(c) {
					return true
				}
			}
		}
		return false
	}
	return walk(n)
}
