package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxInput is the largest page FromReader reads; larger input is an error.
const MaxInput = 32 << 20

// ErrTooLarge is returned by FromReader for input over MaxInput bytes.
var ErrTooLarge = errors.New("input too large")

// squeezeBlankLines turns the whitespace between two tags that spans blank
// lines (what `>\s*\n\s*\n\s*<` matches) into a single newline.
func squeezeBlankLines(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is written to b
	for i := 0; i < len(s); i++ {
		if s[i] != '>' {
			continue
		}
		j, newlines := i+1, 0
		for ; j < len(s); j++ {
			c := s[j]
			if c == '\n' {
				newlines++
			} else if c != ' ' && c != '\t' && c != '\r' && c != '\f' {
				break
			}
		}
		if newlines < 2 || j == len(s) || s[j] != '<' {
			i = j - 1
			continue
		}
		if b.Cap() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[done : i+1])
		b.WriteString("\n<")
		done = j + 1
		i = j
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// wib is Western Indonesian Time, the zone of a bare clock time on an
// Indonesian site.
var wib = time.FixedZone("WIB", 7*3600)

// FromReader reads a whole page, decodes its charset to UTF-8 (see Decode;
// opts.ContentType is the HTTP header, if any), parses it and extracts the
// article. pageURL is the URL the page was read from; it may be empty.
//
// When no body is found the error is ErrNoContent and the returned Article
// still carries the page's metadata.
func FromReader(r io.Reader, pageURL string, opts Options) (*Article, error) {
	b, err := readAll(r)
	if err != nil {
		return nil, fmt.Errorf("read page: %w", err)
	}
	if len(b) > MaxInput {
		return nil, fmt.Errorf("read page: %w (over %d bytes)", ErrTooLarge, MaxInput)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fmt.Errorf("empty page: %w", ErrNoContent)
	}
	dec, err := Decode(b, opts.ContentType)
	if err != nil {
		return nil, err
	}
	root, err := html.Parse(bytes.NewReader(dec))
	if err != nil {
		// the parser refuses trees deeper than 512 open elements: flatten
		// the excess wrappers and try once more rather than lose the page
		root, err = html.Parse(bytes.NewReader(flattenDeep(dec, 256)))
		if err != nil {
			return nil, fmt.Errorf("parse html: %w", err)
		}
	}
	return extract(root, pageURL, opts)
}

// FromDocument extracts the article of a parsed page. The document is not
// modified. When pageURL is empty, doc.Url is used.
func FromDocument(doc *goquery.Document, pageURL string, opts Options) (*Article, error) {
	if doc == nil || len(doc.Nodes) == 0 {
		return nil, fmt.Errorf("empty document: %w", ErrNoContent)
	}
	if pageURL == "" && doc.Url != nil {
		pageURL = doc.Url.String()
	}
	root := doc.Nodes[0]
	for root.Parent != nil {
		root = root.Parent
	}
	return extract(cloneTree(root), pageURL, opts)
}

// extract runs the pipeline on a tree it owns.
func extract(root *html.Node, pageURL string, opts Options) (*Article, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	pi := collectPageInfo(root)
	base := resolveBase(pi, pageURL)
	ld := parseJSONLD(pi.jsonld)
	body := findFirst(root, func(n *html.Node) bool { return n.DataAtom == atom.Body })
	if body == nil {
		body = root
	}

	a := &Article{PageURL: pageURL}
	a.SiteName = strings.TrimPrefix(collapse(firstNonEmpty(pi.meta("og:site_name"), ld.siteName, pi.meta(metaSiteName...))), "@")
	a.Language = normLang(firstNonEmpty(pi.lang, pi.meta(metaLang...), ld.lang))
	if a.Language == "" {
		a.Language = guessLang(sampleText(body, 6000))
	}
	loc := time.UTC
	if a.Language == "id" || base != nil && strings.HasSuffix(strings.ToLower(base.Hostname()), ".id") {
		loc = wib
	}
	fillMetadata(a, pi, ld, base, opts, loc)
	fillVisibleMeta(a, pi, root, loc, now)
	a.Subtitle = findSubtitle(pi, a.Title)

	a.URL = pickCanonical(pi, pageURL, base)
	a.NextPage, a.SinglePage = findPagination(pi.links, base)

	vc := make(verdicts, 128)
	if a.LeadImage == "" {
		var h1 *html.Node
		if len(pi.h1s) > 0 {
			h1 = pi.h1s[0]
		}
		a.LeadImage = findLeadImage(body, h1, base, vc)
	}

	content, st, err := chooseContent(a, pi, root, body, opts, vc)
	if err != nil {
		return nil, err
	}
	if content == nil {
		return a, ErrNoContent
	}
	normalizeFigures(content)
	c := cleaner{a: a, title: strings.ToLower(collapse(a.Title)), now: now, loc: loc, vc: vc}
	c.clean(content, st)
	a.Authors = dropLabelAuthors(a.Authors)

	prepareHTML(content, base)
	a.Text = renderText(content)
	var buf strings.Builder
	buf.Grow(2*len(a.Text) + 4096) // markup roughly doubles the text
	for ch := content.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.TextNode && strings.TrimSpace(ch.Data) == "" {
			continue // the blank lines left by removed blocks
		}
		if err := html.Render(&buf, ch); err != nil {
			return nil, fmt.Errorf("render body: %w", err)
		}
		if isBlock(ch) {
			buf.WriteByte('\n')
		}
	}
	a.HTML = strings.TrimSpace(sanitize(buf.String()))
	if !strings.Contains(a.HTML, "<pre") {
		a.HTML = squeezeBlankLines(a.HTML)
	}
	if a.Text == "" {
		a.Confidence = 0
		return a, ErrNoContent
	}
	return a, nil
}

// chooseContent finds the body: the site's rules, a CMS profile, else the
// generic detector. It returns a detached container that the caller owns.
func chooseContent(a *Article, pi *pageInfo, root, body *html.Node, opts Options, vc verdicts) (*html.Node, *stats, error) {
	for _, r := range opts.Rules.Remove {
		s, err := cascadia.Compile(r)
		if err != nil {
			return nil, nil, fmt.Errorf("rules.remove %q: %w", r, err)
		}
		removeMatching(root, s, nil)
	}
	var rule cascadia.Selector
	if opts.Rules.Content != "" {
		s, err := cascadia.Compile(opts.Rules.Content)
		if err != nil {
			return nil, nil, fmt.Errorf("rules.content %q: %w", opts.Rules.Content, err)
		}
		rule = s
	}
	st := computeStatsSized(body, pi.elements)
	if rule != nil {
		if n := selectContent(root, []contentSel{{sel: rule}}, nil, 1, st); n != nil {
			a.Method, a.Profile = MethodRule, "rules"
			return wrapContent(a, []*html.Node{n}, true, st), st, nil
		}
	}
	if p := matchProfile(pi); p != nil {
		// the profile's body must hold most of the page's prose, or the
		// fingerprint matched a page of another kind
		if n := selectContent(root, p.content, pi.names, 150, st); n != nil && st.get(n).prose*10 >= st.get(body).prose*4 {
			removeMatching(n, p.remove, st)
			removeBoilerplate(n, st, st.get(n).plain(), vc)
			a.Method, a.Profile = MethodProfile, p.name
			return wrapContent(a, []*html.Node{n}, true, st), st, nil
		}
	}
	removeBoilerplate(body, st, st.get(body).plain(), vc)
	cands, scores := scoreTree(body, st)
	top := pickTop(cands, scores, body)
	a.Method = MethodGeneric
	if top == nil {
		if st.get(body).plain() < 50 {
			return nil, nil, nil
		}
		a.Confidence = 0.1
		return wrapContent(a, []*html.Node{body}, false, st), st, nil
	}
	nodes := gatherSiblings(top, scores, st)
	a.Confidence = genericConfidence(cands, st, top)
	return wrapContent(a, nodes, false, st), st, nil
}

// wrapContent moves nodes into a new container, in order.
func wrapContent(a *Article, nodes []*html.Node, rule bool, st *stats) *html.Node {
	div := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	var total int
	for _, n := range nodes {
		if n.DataAtom == atom.Body || n.DataAtom == atom.Html {
			for c := n.FirstChild; c != nil; {
				next := c.NextSibling
				n.RemoveChild(c)
				div.AppendChild(c)
				c = next
			}
			continue
		}
		div.AppendChild(detach(n))
	}
	if rule {
		for _, n := range nodes {
			total += int(st.get(n).text)
		}
		switch {
		case total > 500:
			a.Confidence = 0.95
		case total > 150:
			a.Confidence = 0.7
		default:
			a.Confidence = 0.4
		}
	}
	return div
}

// genericConfidence grows with the margin of the best candidate over the
// runner-up that is not its relative, its prose length and its low link
// density.
func genericConfidence(cands []candidate, st *stats, top *html.Node) float64 {
	s := st.get(top)
	conf := 0.5
	if s.plain() > 1500 {
		conf += 0.2
	} else if s.plain() < 300 {
		conf -= 0.2
	}
	if s.linkDensity() < 0.1 {
		conf += 0.1
	}
	if len(cands) > 1 {
		for _, c := range cands[1:min(len(cands), 10)] {
			if !isAncestor(top, c.node) && !isAncestor(c.node, top) {
				if c.score < cands[0].score*0.5 {
					conf += 0.15
				} else {
					conf -= 0.15
				}
				break
			}
		}
	}
	return max(0.05, min(conf, 0.95))
}

// pickCanonical is rel=canonical or og:url when absolute http(s), else the
// page URL without tracking parameters. A canonical that names the site's
// home page on a deeper page is a theme's misconfiguration, not the
// article's address: every article would collapse into one.
func pickCanonical(pi *pageInfo, pageURL string, base *url.URL) string {
	for _, c := range []string{pi.canonical, pi.meta("og:url")} {
		if isAbsHTTP(c) && !homeOfDeeperPage(c, pageURL) {
			return CanonicalURL(c)
		}
	}
	if pageURL != "" {
		return CanonicalURL(pageURL)
	}
	if base != nil {
		return CanonicalURL(base.String())
	}
	return ""
}

// homeOfDeeperPage reports whether canonical is a site's root while pageURL
// (when known) is a page below it.
func homeOfDeeperPage(canonical, pageURL string) bool {
	c, err := url.Parse(canonical)
	if err != nil || strings.Trim(c.Path, "/") != "" || c.RawQuery != "" {
		return false
	}
	p, err := url.Parse(pageURL)
	return err == nil && (strings.Trim(p.Path, "/") != "" || p.RawQuery != "")
}

// sampleText collects up to limit bytes of paragraph text.
func sampleText(n *html.Node, limit int) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if b.Len() >= limit {
			return
		}
		if n.Type == html.TextNode && n.Parent != nil && n.Parent.DataAtom != atom.Script && n.Parent.DataAtom != atom.Style {
			b.WriteString(n.Data)
			b.WriteByte(' ')
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

var subtitleTokens = tokenSet(map[string][]string{"sub": {"subtitle", "subjudul", "dek", "standfirst",
	"deck", "subheadline", "sub-title", "subhead", "strapline", "kicker-sub", "excerpt", "summary", "lead", "lede"}})

// findSubtitle returns the dek under the headline, if the page marks one.
func findSubtitle(pi *pageInfo, title string) string {
	for _, h := range pi.h1s {
		for s, l := h.NextSibling, 0; s != nil && l < 6; s = s.NextSibling {
			if s.Type != html.ElementNode {
				continue
			}
			l++
			if hasTokenIn(s, subtitleTokens) || s.DataAtom == atom.H2 && l == 1 {
				if t := textOf(s); t != "" && runeLen(t) < 400 && !strings.EqualFold(t, title) {
					return t
				}
			}
		}
	}
	return ""
}

// dropLabelAuthors removes author entries that are only labels or dates.
func dropLabelAuthors(list []string) []string {
	out := list[:0]
	for _, a := range list {
		if reDateish().MatchString(a) && dateOnlyText(a) {
			continue
		}
		out = append(out, a)
	}
	return out
}
