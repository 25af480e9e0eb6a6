package scraper

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// listing is what a listing page offers: links, its next page, its feeds.
type listing struct {
	links []anchor
	next  *url.URL
	feeds []*url.URL // <link rel="alternate"> feeds, best first
}

// anchor is a link of a listing page with its text and whether it sits in
// navigation (nav, footer, aside, menus, sidebars, share bars, tag lists).
type anchor struct {
	url  *url.URL
	text string
	nav  bool
}

// navTokens are class/id words of navigation containers.
var navTokens = map[string]bool{
	"menu": true, "nav": true, "navbar": true, "navigation": true, "breadcrumb": true, "breadcrumbs": true,
	"footer": true, "sidebar": true, "widget": true, "share": true, "sharing": true, "social": true,
	"pagination": true, "pager": true, "tags": true, "tagcloud": true, "topbar": true, "megamenu": true,
}

// nextTexts are anchor texts of a "next page" link.
var nextTexts = map[string]bool{
	"next": true, "next page": true, "next »": true, "next ›": true, "older": true, "older posts": true, "older entries": true,
	"berikutnya": true, "selanjutnya": true, "halaman berikutnya": true, "berikut": true, "lanjut": true,
	"»": true, "›": true, ">": true, ">>": true, "→": true, "berikutnya »": true, "selanjutnya »": true,
}

// parseListing reads a listing page (already UTF-8) with a tokenizer: no
// DOM, one pass, URLs parsed with net/url only for anchors.
func parseListing(body []byte, pageURL *url.URL) listing {
	var (
		out      listing
		base     = pageURL
		z        = html.NewTokenizer(bytes.NewReader(body))
		stack    []containerFrame
		navDepth int
		inArt    int
		cur      *openAnchor
		relNext  *url.URL
		textNext *url.URL
		numNext  *url.URL
	)
	curPage, pageSlot := pageNumber(pageURL)
	nextNumber := strconv.Itoa(curPage + 1) // the text of a numbered pager's next link
	finish := func() {
		if cur == nil {
			return
		}
		a := cur
		cur = nil
		u := resolve(base, a.href)
		if u == nil {
			return
		}
		text := strings.Join(strings.Fields(a.text.String()), " ")
		if text == "" {
			text = strings.TrimSpace(a.title)
		}
		lt := strings.ToLower(text)
		switch {
		case hasToken(a.rel, "next") && relNext == nil:
			relNext = u
		case (nextTexts[lt] || strings.Contains(a.class, "next")) && textNext == nil && !hasToken(a.rel, "prev"):
			textNext = u
		}
		if numNext == nil && lt == nextNumber {
			if n, slot := pageNumber(u); slot == pageSlot && n == curPage+1 && samePathShape(u, pageURL) {
				numNext = u
			}
		}
		out.links = append(out.links, anchor{url: u, text: text, nav: navDepth > 0})
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			finish()
			switch {
			case relNext != nil:
				out.next = relNext
			case textNext != nil:
				out.next = textNext
			default:
				out.next = numNext
			}
			return out
		case html.TextToken:
			if cur != nil && cur.text.Len() < 300 {
				cur.text.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			var attrs map[string]string
			switch {
			case a == atom.Base || a == atom.Link || a == atom.A || a == atom.Img && cur != nil:
				attrs = readAttrs(z, hasAttr)
			case isContainer(a) && tt == html.StartTagToken:
				attrs = readAttrs(z, hasAttr)
			}
			switch a {
			case atom.Base:
				if u := resolve(pageURL, attrs["href"]); u != nil {
					base = u
				}
			case atom.Link:
				rel := strings.ToLower(attrs["rel"])
				switch {
				case hasToken(rel, "next"):
					if u := resolve(base, attrs["href"]); u != nil && relNext == nil {
						relNext = u
					}
				case hasToken(rel, "alternate") && isFeedType(attrs["type"]):
					if u := resolve(base, attrs["href"]); u != nil && !isCommentsFeed(u, attrs["title"]) {
						out.feeds = append(out.feeds, u)
					}
				}
			case atom.A:
				finish()
				if tt == html.StartTagToken {
					cur = &openAnchor{href: attrs["href"], rel: strings.ToLower(attrs["rel"]), class: strings.ToLower(attrs["class"]), title: attrs["title"]}
				}
			case atom.Img:
				if cur != nil && cur.text.Len() == 0 && cur.title == "" {
					cur.title = attrs["alt"]
				}
			}
			if tt == html.StartTagToken && isContainer(a) {
				nav := isNavContainer(a, attrs, inArt > 0)
				if nav {
					navDepth++
				}
				if a == atom.Article {
					inArt++
				}
				stack = append(stack, containerFrame{a, nav})
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.A {
				finish()
				continue
			}
			if !isContainer(a) {
				continue
			}
			for i := len(stack) - 1; i >= 0 && i >= len(stack)-8; i-- {
				if stack[i].tag != a {
					continue
				}
				for _, f := range stack[i:] {
					if f.nav {
						navDepth--
					}
					if f.tag == atom.Article {
						inArt--
					}
				}
				stack = stack[:i]
				break
			}
		}
	}
}

type openAnchor struct {
	href, rel, class, title string
	text                    strings.Builder
}

type containerFrame struct {
	tag atom.Atom
	nav bool
}

func readAttrs(z *html.Tokenizer, more bool) map[string]string {
	if !more {
		return nil
	}
	m := make(map[string]string, 4)
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "href", "rel", "class", "id", "role", "type", "title", "alt":
			m[string(k)] = string(v)
		}
	}
	return m
}

func isContainer(a atom.Atom) bool {
	switch a {
	case atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Menu, atom.Div, atom.Ul, atom.Ol, atom.Section, atom.Article, atom.Form:
		return true
	}
	return false
}

func isNavContainer(a atom.Atom, attrs map[string]string, inArticle bool) bool {
	switch a {
	case atom.Nav, atom.Footer, atom.Aside, atom.Menu, atom.Form:
		return true
	case atom.Header:
		if !inArticle {
			return true
		}
	}
	switch strings.ToLower(attrs["role"]) {
	case "navigation", "banner", "contentinfo", "menu", "menubar":
		return true
	}
	for _, s := range []string{attrs["class"], attrs["id"]} {
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == '-' || r == '_' }) {
			if navTokens[w] {
				return true
			}
		}
	}
	return false
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if f == tok {
			return true
		}
	}
	return false
}

func isFeedType(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	return t == "application/rss+xml" || t == "application/atom+xml" || t == "application/feed+json" || t == "application/json" || t == "application/rdf+xml"
}

func isCommentsFeed(u *url.URL, title string) bool {
	s := strings.ToLower(u.Path + " " + title)
	return strings.Contains(s, "comment") || strings.Contains(s, "komentar")
}

var (
	pagePathRe  = regexp.MustCompile(`/(?:page|halaman|hal)/(\d{1,5})/?$`)
	pageQueryRe = regexp.MustCompile(`^(?:page|p|paged|hal|halaman|pg)$`)
)

// pageNumber finds the page number of a listing URL and where it sits
// ("path" or the query key); page 1 when the URL has none.
func pageNumber(u *url.URL) (int, string) {
	if m := pagePathRe.FindStringSubmatch(u.Path); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, "path"
	}
	for k, vs := range u.Query() {
		if pageQueryRe.MatchString(strings.ToLower(k)) && len(vs) > 0 {
			if n, err := strconv.Atoi(vs[0]); err == nil {
				return n, "q:" + k
			}
		}
	}
	return 1, "any"
}

// samePathShape reports whether u is the listing of cur with another page
// number.
func samePathShape(u, cur *url.URL) bool {
	if u.Host != cur.Host {
		return false
	}
	strip := func(p string) string { return strings.TrimSuffix(pagePathRe.ReplaceAllString(p, ""), "/") }
	return strip(u.Path) == strip(cur.Path)
}
