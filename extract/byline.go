package extract

import (
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Byline labels, by the field they fill.
var (
	authorLabels = map[string]bool{"penulis": true, "reporter": true, "pewarta": true, "writer": true,
		"by": true, "oleh": true, "written by": true, "kontributor": true, "wartawan": true,
		"laporan wartawan": true, "laporan": true, "author": true, "posted by": true, "diposting oleh": true, "reporting by": true}
	editorLabels = map[string]bool{"editor": true, "redaktur": true, "penyunting": true, "editing by": true,
		"edited by": true, "editor in charge": true}
	reLabelled  = lazyRegexp(`(?i)^\s*(penulis|reporter|pewarta|writer|written\s+by|by|oleh|kontributor|laporan\s+wartawan|wartawan|laporan|author|posted\s+by|diposting\s+oleh|reporting\s+by|editor|redaktur|penyunting|editing\s+by|edited\s+by|foto|fotografer|videografer|sumber)\b\s*[:|\-–]?\s*(.*)$`)
	reBylineSep = lazyRegexp(`\s*[|·•]\s*|\s{2,}`)
	reDateish   = lazyRegexp(`(?i)\d{1,2}[:.]\d{2}|\d{4}|\b(wib|wita|wit|lalu|ago)\b`)
)

// byline is what a byline line says.
type byline struct {
	authors []string
	editor  string
}

// parseByline reads "Penulis: X | Editor: Y", "Oleh X", "By X and Y".
// ok is false when the line is not a byline.
func parseByline(text string) (byline, bool) {
	var b byline
	found := false
	for _, seg := range reBylineSep().Split(text, -1) {
		m := reLabelled().FindStringSubmatch(seg)
		if m == nil {
			continue
		}
		label := strings.ToLower(collapse(m[1]))
		val := strings.TrimSpace(m[2])
		// "Laporan wartawan Tribun, X" names the outlet first
		if strings.HasPrefix(label, "laporan") {
			if i := strings.LastIndex(val, ","); i >= 0 {
				val = val[i+1:]
			}
		}
		val = cutDateTail(val)
		if val == "" || runeLen(val) > 80 {
			continue
		}
		switch {
		case editorLabels[label]:
			b.editor = strings.Join(cleanAuthors([]string{val}), ", ")
			found = true
		case authorLabels[label]:
			b.authors = append(b.authors, cleanAuthors([]string{val})...)
			found = true
		case label == "foto" || label == "fotografer" || label == "videografer" || label == "sumber":
			found = true
		}
	}
	return b, found
}

// cutDateTail drops a date after a name: "Rudi - Selasa, 12 Agu 2025".
func cutDateTail(v string) string {
	for _, sep := range []string{" - ", " – ", " — ", ", "} {
		if i := strings.Index(v, sep); i > 0 {
			if reDateish().MatchString(v[i:]) {
				v = v[:i]
			}
		}
	}
	return strings.TrimSpace(v)
}

// bylineTokens mark elements that hold a byline or a date line.
var (
	authorTokens = tokenSet(map[string][]string{"author": {"author", "byline", "penulis", "reporter", "writer",
		"editor", "credit", "kontributor", "pewarta", "vcard"}})
	// authorNameTokens mark an element whose short text alone is the name
	authorNameTokens = tokenSet(map[string][]string{"author": {"author", "penulis", "reporter", "writer", "byline"}})
	dateTokens       = tokenSet(map[string][]string{"date": {"date", "time", "published", "publish", "posted",
		"tanggal", "waktu", "timestamp", "datetime", "pubdate", "meta", "byline", "updated", "entry"}})
)

func hasTokenIn(n *html.Node, set map[string]bool) bool {
	for _, a := range n.Attr {
		if a.Key == "class" || a.Key == "id" {
			if eachToken(strings.ToLower(a.Val), func(t string) bool { return set[t] }) {
				return true
			}
		}
	}
	return false
}

// fillVisibleMeta fills what the head did not give from the visible page:
// bylines, editor and the publication date near the headline.
func fillVisibleMeta(a *Article, pi *pageInfo, root *html.Node, loc *time.Location, now time.Time) {
	var h1 *html.Node
	for _, h := range pi.h1s {
		if t := textOf(h); t != "" && (a.Title == "" || strings.EqualFold(collapse(t), a.Title)) {
			h1 = h
			break
		}
	}
	if h1 == nil && len(pi.h1s) > 0 {
		h1 = pi.h1s[0]
	}
	afterH1 := h1 == nil
	needAuthor := len(a.Authors) == 0
	needDate := a.Published.IsZero()
	var firstDate, firstAnyDate dateResult
	scanned := 0 // elements after the headline looked at for a bare date line
	seen := 0    // elements after the headline
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.DocumentNode {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if walk(c) {
					return true
				}
			}
			return false
		}
		if n.Type != html.ElementNode {
			return false
		}
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Svg, atom.Nav, atom.Footer,
			atom.Select, atom.Form, atom.Iframe:
			return false
		}
		if !needAuthor && (!needDate || !firstDate.t.IsZero()) {
			return true // all found
		}
		if afterH1 {
			if seen++; seen > 400 {
				return true // bylines and date lines sit near the headline
			}
		}
		if n == h1 {
			afterH1 = true
		}
		if needAuthor && isElem(n, atom.A, atom.Span, atom.Div, atom.P, atom.Address, atom.Li, atom.Strong, atom.B, atom.Small, atom.Em) {
			t := ""
			if hasTokenIn(n, authorTokens) || getAttr(n, "itemprop") == "author" || hasToken(strings.ToLower(getAttr(n, "rel")), "author") {
				t = textOf(n)
				if b, ok := parseByline(t); ok {
					setByline(a, b)
				} else if len(a.Authors) == 0 && runeLen(t) > 2 && runeLen(t) < 50 && (getAttr(n, "itemprop") == "author" || n.DataAtom == atom.A || hasTokenIn(n, authorNameTokens)) && !reDateish().MatchString(t) {
					a.Authors = cleanAuthors([]string{t})
				}
			} else if n.DataAtom != atom.A && afterH1 && !isBlockContainer(n) && authorLabelStart(n) {
				if st := ownishText(n); st != "" && runeLen(st) < 150 && reLabelled().MatchString(st) {
					if b, ok := parseByline(st); ok {
						setByline(a, b)
					}
				}
			}
			needAuthor = len(a.Authors) == 0
		}
		if needDate && firstDate.t.IsZero() {
			c := dateCandidate(n)
			if c == "" && afterH1 && scanned < 60 && !isBlockContainer(n) {
				scanned++
				if t := ownishText(n); t != "" && runeLen(t) < 80 && reDateish().MatchString(t) && dateOnlyText(t) {
					c = t
				}
			}
			if c != "" {
				if r, ok := parseDate(c, now, loc); ok && !r.t.IsZero() {
					if afterH1 && r.hasTime && firstDate.t.IsZero() {
						firstDate = r
					}
					if firstAnyDate.t.IsZero() && (afterH1 || r.hasTime) {
						firstAnyDate = r
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(root)
	if needDate {
		switch {
		case !firstDate.t.IsZero():
			a.Published = firstDate.t
		case !firstAnyDate.t.IsZero():
			a.Published = firstAnyDate.t
		}
	}
}

func setByline(a *Article, b byline) {
	if len(a.Authors) == 0 && len(b.authors) > 0 {
		a.Authors = b.authors
	}
	if a.Editor == "" && b.editor != "" {
		a.Editor = b.editor
	}
}

// ownishText is the text of a small element that has no block children.
func ownishText(n *html.Node) string {
	if isBlockContainer(n) {
		return ""
	}
	return textOf(n)
}

// dateCandidate returns the date text an element offers: a <time datetime>,
// an itemprop date, or the text of a small date-classed element.
func dateCandidate(n *html.Node) string {
	switch {
	case n.DataAtom == atom.Time:
		if v := getAttr(n, "datetime"); v != "" {
			return v
		}
		return textOf(n)
	case getAttr(n, "itemprop") == "datePublished":
		if v := firstNonEmpty(getAttr(n, "content"), getAttr(n, "datetime")); v != "" {
			return v
		}
		return textOf(n)
	case n.DataAtom == atom.Abbr && hasTokenIn(n, dateTokens) && getAttr(n, "title") != "":
		return getAttr(n, "title")
	case hasTokenIn(n, dateTokens):
		if t := ownishText(n); t != "" && runeLen(t) < 120 {
			return t
		}
	}
	return ""
}

// isBlockContainer reports whether n has element children that are blocks.
func isBlockContainer(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && isBlock(c) {
			return true
		}
	}
	return false
}

// authorLabelStart reports whether the text of n starts with a byline label
// ("Penulis", "Oleh", "By"...), looking only at its first text.
func authorLabelStart(n *html.Node) bool {
	t := firstText(n)
	if t == "" {
		return false
	}
	w := firstWord(strings.ToLower(t))
	return authorLabels[w] || editorLabels[w] || w == "laporan" || w == "written" || w == "posted" || w == "diposting"
}

// firstText returns the first non-blank text node under n.
func firstText(n *html.Node) string {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if t := strings.TrimSpace(c.Data); t != "" {
				return t
			}
		case html.ElementNode:
			if t := firstText(c); t != "" {
				return t
			}
		}
	}
	return ""
}
