package extract

import (
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var (
	reNextText   = lazyRegexp(`(?i)^[\s«‹<]*(selanjutnya|berikutnya|halaman\s+(selanjutnya|berikutnya)|lanjut(kan)?|next(\s+page)?|weiter|suivant|siguiente)[\s»›>]*$|^[»›>]+$`)
	reSingleText = lazyRegexp(`(?i)(tampilkan|lihat|baca)\s+(semua|seluruh|selengkapnya\s+dalam\s+satu)|semua\s+halaman|satu\s+halaman|show\s+all|view\s+all|single\s+page|full\s+article|read\s+on\s+one\s+page|all\s+pages`)
	reSingleHref = lazyRegexp(`(?i)[?&](page|halaman|p)=(all|semua|full)\b|[?&](single|showall|show_all|full|singlepage)=(1|true|yes)\b|/all/?$|/full/?$`)
	rePageParam  = lazyRegexp(`(?i)[?&](page|halaman|hal|p|pg)=(\d+)`)
	rePagePath   = lazyRegexp(`(?i)(/page/\d+|/\d{1,3})/?$`)
)

// first words of next-page and single-page links: cheap filters before the
// patterns (a link of arrows only has no first word)
var (
	nextStarts   = set("selanjutnya", "berikutnya", "halaman", "lanjut", "lanjutkan", "next", "weiter", "suivant", "siguiente")
	singleStarts = set("tampilkan", "lihat", "baca", "semua", "satu", "show", "view", "single", "full", "read", "all")
)

// maybeSingleHref is a cheap filter before reSingleHref().
func maybeSingleHref(lr string) bool {
	lr = strings.TrimSuffix(lr, "/")
	return strings.Contains(lr, "=all") || strings.Contains(lr, "=semua") || strings.Contains(lr, "=full") ||
		strings.Contains(lr, "single") || strings.Contains(lr, "showall") || strings.Contains(lr, "show_all") ||
		strings.HasSuffix(lr, "/all") || strings.HasSuffix(lr, "/full")
}

var pagerTokens = tokenSet(map[string][]string{"pager": {"pagination", "pager", "paging", "page", "pages",
	"halaman", "paginate", "pagelinks", "nav", "multipage", "next", "numbers", "pagenavi"}})

// findPagination finds the next page and a single-page version of a
// multi-page article. Links count only when they lead to the same article.
func findPagination(links []*html.Node, base *url.URL) (next, single string) {
	if base == nil {
		return "", ""
	}
	cur := pageNumber(base)
	nextNum := strconv.Itoa(cur + 1)
	var relNext, textNext, numNext string
	for _, n := range links {
		raw := getAttr(n, "href")
		if raw == "" || raw[0] == '#' || strings.HasPrefix(raw, "javascript:") {
			continue
		}
		relIsNext := false
		if rel := getAttr(n, "rel"); rel != "" {
			relIsNext = hasToken(strings.ToLower(rel), "next")
		}
		text := ""
		if n.DataAtom == atom.A {
			text = anchorText(n)
		}
		isNextText, isSingle, isNum := false, false, false
		if text != "" {
			lt := strings.ToLower(text)
			fw := firstWord(lt)
			isNextText = (nextStarts[fw] || fw == "") && reNextText().MatchString(text)
			isSingle = singleStarts[fw] && reSingleText().MatchString(text)
			isNum = text == nextNum
		}
		if !isSingle {
			isSingle = maybeSingleHref(strings.ToLower(raw)) && reSingleHref().MatchString(raw)
		}
		if !relIsNext && !isNextText && !isSingle && !isNum {
			continue
		}
		href := absURL(base, raw)
		if href == "" || sameURL(href, base) {
			continue
		}
		u, err := url.Parse(href)
		if err != nil || !sameArticle(u, base) {
			continue
		}
		switch {
		case single == "" && isSingle:
			single = href
		case relNext == "" && relIsNext:
			relNext = href
		case textNext == "" && isNextText && pageNumber(u) > cur:
			textNext = href
		case numNext == "" && isNum && inPager(n):
			numNext = href
		}
	}
	next = firstNonEmpty(relNext, textNext, numNext)
	return next, single
}

// anchorText is the short text of a link: its only text child when it has
// one, else shortText.
func anchorText(n *html.Node) string {
	if c := n.FirstChild; c != nil && c.NextSibling == nil && c.Type == html.TextNode {
		t := strings.TrimSpace(c.Data)
		if len(t) > 60 {
			return ""
		}
		if strings.ContainsAny(t, "\n\t\u00a0") || strings.Contains(t, "  ") {
			return collapse(t)
		}
		return t
	}
	return shortText(n, 60)
}

func inPager(n *html.Node) bool {
	for p, l := n.Parent, 0; p != nil && l < 4; p, l = p.Parent, l+1 {
		if hasTokenIn(p, pagerTokens) {
			return true
		}
	}
	return false
}

// pageNumber is the page of a paginated URL (?page=2, /2), 1 without one.
func pageNumber(u *url.URL) int {
	if m := rePageParam().FindStringSubmatch("?" + u.RawQuery); m != nil {
		if n, err := strconv.Atoi(m[2]); err == nil {
			return n
		}
	}
	if m := rePagePath().FindString(u.Path); m != "" {
		d := strings.Trim(m, "/")
		d = strings.TrimPrefix(d, "page/")
		if n, err := strconv.Atoi(d); err == nil && n < 100 {
			return n
		}
	}
	return 1
}

// articlePath is the path of a URL without its page part.
func articlePath(u *url.URL) string {
	p := strings.TrimSuffix(u.Path, "/")
	if m := rePagePath().FindStringIndex(p); m != nil && m[0] > 0 {
		seg := p[m[0]:]
		if strings.HasPrefix(seg, "/page/") || len(strings.Trim(seg, "/")) <= 2 {
			p = p[:m[0]]
		}
	}
	return strings.TrimSuffix(p, "/")
}

func sameArticle(u, base *url.URL) bool {
	return strings.EqualFold(u.Host, base.Host) && articlePath(u) == articlePath(base) && articlePath(u) != ""
}

func sameURL(href string, base *url.URL) bool {
	return CanonicalURL(href) == CanonicalURL(base.String())
}

// shortText returns the collapsed text of n, or "" when it is longer than max
// bytes.
func shortText(n *html.Node, max int) string {
	var b strings.Builder
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
				if b.Len() > max*2 {
					return false
				}
			} else if !walk(c) {
				return false
			}
		}
		return true
	}
	if !walk(n) {
		return ""
	}
	t := collapse(b.String())
	if len(t) > max {
		return ""
	}
	return t
}
