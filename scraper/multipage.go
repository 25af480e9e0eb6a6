package scraper

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/kabar-news/kabar/extract"
)

// multiPage completes an article split over several pages: the single-page
// view extract reports is preferred; otherwise the next pages are followed,
// each checked to belong to the same article, and merged. A failing later
// page is reported, and the pages read so far are kept.
func (cr *crawl) multiPage(ctx context.Context, first *extract.Article) (*extract.Article, error) {
	if first.SinglePage != "" {
		if a := cr.singlePage(ctx, first); a != nil {
			return a, nil
		}
	}
	pages := []*extract.Article{first}
	for next := first.NextPage; next != "" && len(pages) < cr.s.policy.MaxArticlePages && ctx.Err() == nil; {
		a := cr.otherPage(ctx, first, next, fmt.Sprintf("page %d", len(pages)+1))
		if a == nil {
			break
		}
		pages = append(pages, a)
		next = a.NextPage
	}
	if len(pages) == 1 {
		return first, nil
	}
	m := extract.Merge(pages)
	if m == nil {
		return first, nil
	}
	return m, nil
}

// singlePage fetches the "all pages" view; nil if it fails or is not the
// same article.
func (cr *crawl) singlePage(ctx context.Context, first *extract.Article) *extract.Article {
	a := cr.otherPage(ctx, first, first.SinglePage, "single page")
	if a == nil {
		return nil
	}
	a.URL = first.URL // the article's identity stays its first page's
	a.NextPage, a.SinglePage = "", ""
	return a
}

// otherPage fetches the page at ref of first's article (what names it in
// errors); nil when it is off-site or already read in this crawl (a loop),
// fails, or belongs to another article.
func (cr *crawl) otherPage(ctx context.Context, first *extract.Article, ref, what string) *extract.Article {
	u := resolve(nil, ref)
	if u == nil || !cr.allowedSite(u) || !cr.claim(urlKey(u.String())) {
		return nil
	}
	a, err := cr.fetchArticle(ctx, u)
	if err == nil && !samePiece(first, a) {
		err = ErrNotSameArticle
	}
	if err != nil {
		if !cr.skipped(err) {
			cr.pageError(u.String(), "", fmt.Errorf("%s of %s: %w", what, first.URL, err))
		}
		return nil
	}
	return a
}

// samePiece reports whether page p belongs to the article whose first page
// is first: the same canonical URL, the same URL once page markers are
// stripped, or the same title once page markers are stripped.
func samePiece(first, p *extract.Article) bool {
	if p.URL != "" && p.URL == first.URL {
		return true
	}
	if s := pageStem(first.PageURL); s != "" && s == pageStem(p.PageURL) {
		return true
	}
	if s := pageStem(first.URL); s != "" && s == pageStem(p.URL) {
		return true
	}
	a, b := titleStem(first.Title), titleStem(p.Title)
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	n := min(len(a), len(b))
	return n >= 24 && a[:n] == b[:n]
}

var (
	pageSuffixRe = regexp.MustCompile(`(?i)(?:[/_-](?:page|halaman|hal|p|all|full|amp)?[-_]?\d{0,3})+/?$`)
	pageTitleRe  = regexp.MustCompile(`(?i)\s*[-|:–—(\[]?\s*(?:halaman|page|hal\.?|bagian|part)\s*\d+(?:\s*(?:dari|of|/)\s*\d+)?\s*[)\]]?\s*$`)
)

// pageStem is a URL's host and path without page markers (/2, -2, /page/2,
// /all), extension and query: what the pages of one article share.
func pageStem(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	p := strings.ToLower(u.Path)
	for _, ext := range []string{".html", ".htm", ".shtml", ".php"} {
		p = strings.TrimSuffix(p, ext)
	}
	p = pageSuffixRe.ReplaceAllString(p, "")
	if len(p) < 2 {
		return ""
	}
	return strings.ToLower(u.Host) + p
}

func titleStem(t string) string {
	return strings.ToLower(strings.TrimSpace(pageTitleRe.ReplaceAllString(t, "")))
}
