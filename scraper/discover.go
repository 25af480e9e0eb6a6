package scraper

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/kabar-news/kabar/extract"
)

// crawlListing reads a start URL and its pagination, within the listing
// page budget; it stops early once a page brings no article that is new to
// this chain and missing from the store (older pages are then stored
// already, or the pages repeat themselves), or the article budget is
// reached. It reports whether the start page itself could be read.
func (cr *crawl) crawlListing(ctx context.Context, sd *seed, start *url.URL) bool {
	u := start
	chain := map[string]bool{}
	for i := 0; i < cr.s.policy.MaxListingPages && u != nil && ctx.Err() == nil; i++ {
		pg, d, err := cr.fetchDoc(ctx, u, kindListing)
		if err != nil { // reported by fetchDoc
			return i > 0
		}
		if pg == nil { // 304, or already read through another start URL
			return true
		}
		body, err := extract.Decode(pg.body, pg.contentType)
		if err != nil {
			cr.pageError(u.String(), "parse", fmt.Errorf("decode: %w", err))
			return i > 0
		}
		l := parseListing(body, pg.url)
		fresh := 0 // links this chain has not shown before that the store lacks
		for _, al := range articleLinks(l, pg.url, cr.allowedSite, cr.src.ArticlePattern) {
			c := cr.addCandidate(sd, al.url, al.key, time.Time{}, d)
			if !chain[c.key] {
				chain[c.key] = true
				if !cr.isKnown(ctx, c) {
					fresh++
				}
			}
		}
		cr.log.Debug("listing read", "url", pg.url.String(), "links", len(l.links), "new", fresh)
		if i == 0 && cr.feedURL == nil {
			if f := pickFeed(l.feeds, start, cr.allowedSite); f != nil {
				cr.crawlFeed(ctx, sd, f, false)
			}
		}
		cr.progress()
		if fresh == 0 || cr.enough() {
			break
		}
		u = l.next
		if u != nil && !cr.allowedSite(u) {
			u = nil
		}
	}
	return true
}

// pickFeed chooses among a page's advertised feeds: on the source's site,
// preferably one whose path lies under the start URL's (a section feed).
func pickFeed(feeds []*url.URL, start *url.URL, allowed func(*url.URL) bool) *url.URL {
	var best *url.URL
	dir := strings.TrimSuffix(start.Path, "/")
	for _, f := range feeds {
		if !allowed(f) {
			continue
		}
		if dir != "" && strings.HasPrefix(f.Path, dir+"/") {
			return f
		}
		if best == nil {
			best = f
		}
	}
	return best
}

// crawlFeed reads an RSS, Atom or JSON feed; its items are candidates. The
// configured feed_url is trusted: article_url_pattern does not filter it,
// and its home page's site is the source's too.
func (cr *crawl) crawlFeed(ctx context.Context, sd *seed, u *url.URL, configured bool) bool {
	pg, d, err := cr.fetchDoc(ctx, u, kindFeed)
	if err != nil { // reported by fetchDoc
		return false
	}
	if pg == nil {
		return true
	}
	f, err := parseFeed(pg.body)
	if err != nil {
		// A web page given as feed_url: follow the feed it advertises.
		if body, derr := extract.Decode(pg.body, pg.contentType); configured && derr == nil && looksHTML(body) {
			if alt := pickFeed(parseListing(body, pg.url).feeds, pg.url, cr.allowedSite); alt != nil {
				return cr.crawlFeed(ctx, sd, alt, configured)
			}
		}
		cr.pageError(u.String(), "parse", fmt.Errorf("feed: %w", err))
		return false
	}
	if configured {
		if home := resolve(pg.url, f.home); home != nil {
			cr.addSite(home)
		}
	}
	for _, it := range f.items {
		iu := resolve(pg.url, it.link)
		if iu == nil {
			continue
		}
		if !cr.allowedSite(iu) || (!configured && !cr.wanted(iu)) {
			cr.count(func(s *Stats) { s.Filtered++ })
			continue
		}
		cr.addCandidate(sd, iu, urlKey(iu.String()), it.date, d)
	}
	cr.progress()
	return true
}

// wanted filters article URLs from sitemaps and discovered feeds.
func (cr *crawl) wanted(u *url.URL) bool {
	if p := cr.src.ArticlePattern; p != nil {
		return p.MatchString(u.String())
	}
	return !excluded(u)
}

// crawlSitemap reads a sitemap or sitemap index (plain or gzipped), newest
// first, within the sitemap budget; it reports whether u could be read.
func (cr *crawl) crawlSitemap(ctx context.Context, sd *seed, u *url.URL, depth int) bool {
	cr.mu.Lock()
	over := depth > 0 && cr.sitemaps >= cr.s.policy.MaxSitemaps // a seed is always read
	if !over {
		cr.sitemaps++
	}
	cr.mu.Unlock()
	if over || depth > maxSitemapDepth {
		return false
	}
	pg, d, err := cr.fetchDoc(ctx, u, kindSitemap)
	if err != nil { // reported by fetchDoc
		return false
	}
	if pg == nil {
		return true
	}
	sm, err := parseSitemap(pg.body)
	if err != nil {
		cr.pageError(u.String(), "parse", fmt.Errorf("sitemap: %w", err))
		return false
	}
	slices.SortStableFunc(sm.entries, func(a, b sitemapEntry) int { return cmp.Compare(b.date.Unix(), a.date.Unix()) })
	for _, e := range sm.entries {
		eu := resolve(pg.url, e.loc)
		if eu == nil {
			continue
		}
		if !cr.allowedSite(eu) {
			cr.count(func(s *Stats) { s.Filtered++ })
			continue
		}
		if sm.index {
			if cr.enough() || ctx.Err() != nil || !cr.crawlSitemap(ctx, sd, eu, depth+1) {
				d.incomplete.Store(true)
			}
			continue
		}
		if !cr.wanted(eu) {
			cr.count(func(s *Stats) { s.Filtered++ })
			continue
		}
		cr.addCandidate(sd, eu, urlKey(eu.String()), e.date, d)
	}
	cr.progress()
	return true
}

// looksHTML reports whether a document is an HTML page.
func looksHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 1024)]))
	return strings.Contains(head, "<html") || strings.Contains(head, "<!doctype html")
}
