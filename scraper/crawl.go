package scraper

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/kabar-news/kabar/extract"
)

// crawl is one Crawl of one source: a fresh collector, claims, candidates
// and counters that live exactly as long as the crawl.
type crawl struct {
	s      *Scraper
	src    Source
	emit   func(context.Context, *extract.Article) error
	log    *slog.Logger
	c      *colly.Collector
	budget int // new articles to fetch; negative: no limit

	feedURL, sitemapURL *url.URL
	startURLs           []*url.URL

	mu                  sync.Mutex
	hosts               map[string]*hostState
	claims              map[string]string // URL key → key of the fetch that claimed it
	docKeys             map[string]bool   // listing pages, feeds and sitemaps
	sites               map[string]bool   // the source's sites
	cands               map[string]*candidate
	candList            []*candidate
	unknown             int // candidates not known to the store
	emitted             map[string]bool
	docs                []*doc
	stats               Stats
	errs                []error
	seedsTried, seedsOK int
	sitemaps            int // sitemaps read

	emitMu, progressMu sync.Mutex
}

// candidate is an article URL found by discovery.
type candidate struct {
	url       *url.URL
	key       string
	date      time.Time
	order     uint64
	docs      []*doc
	knownOnce sync.Once
	asked     atomic.Bool // the store was asked
	known     bool        // the store has it
}

// doc is a discovery document (listing page, feed, sitemap) fetched with a
// conditional GET. Its new validators are stored at the end of the crawl
// only if every article it listed was dealt with: otherwise the next
// crawl's 304 would hide the articles this crawl missed.
type doc struct {
	key        string
	cond       validators
	incomplete atomic.Bool
}

// seed numbers the candidates of one discovery goroutine, so that the
// order of undated candidates does not depend on scheduling.
type seed struct {
	idx uint64
	n   uint64
}

func (s *Scraper) newCrawl(ctx context.Context, src Source, emit func(context.Context, *extract.Article) error) (*crawl, error) {
	if emit == nil {
		return nil, errors.New("crawl: nil emit")
	}
	cr := &crawl{
		s: s, src: src, emit: emit,
		log:     s.log.With("source", src.Name),
		budget:  src.MaxArticles,
		hosts:   map[string]*hostState{},
		claims:  map[string]string{},
		docKeys: map[string]bool{},
		sites:   map[string]bool{},
		cands:   map[string]*candidate{},
		emitted: map[string]bool{},
	}
	if cr.budget == 0 {
		cr.budget = DefaultMaxArticles
	}
	var bad []error
	parse := func(raw string) *url.URL {
		u := resolve(nil, raw)
		if u == nil {
			bad = append(bad, &PageError{URL: raw, Kind: "config", Err: errors.New("not an absolute http(s) URL")})
			return nil
		}
		cr.sites[siteOf(u)] = true
		return u
	}
	if src.FeedURL != "" {
		cr.feedURL = parse(src.FeedURL)
	}
	if src.SitemapURL != "" {
		cr.sitemapURL = parse(src.SitemapURL)
	}
	for _, raw := range src.StartURLs {
		if u := parse(raw); u != nil {
			cr.startURLs = append(cr.startURLs, u)
		}
	}
	if cr.feedURL == nil && cr.sitemapURL == nil && len(cr.startURLs) == 0 {
		bad = append(bad, fmt.Errorf("%w: %s: no start URL, feed or sitemap", ErrSourceFailed, src.Name))
		return nil, errors.Join(bad...)
	}
	cr.errs = bad
	cr.stats.Errors = len(bad)
	return cr, nil
}

func (cr *crawl) run(ctx context.Context) (Stats, error) {
	start := time.Now()
	cr.c = cr.newCollector(ctx)
	cr.discover(ctx)
	sel := cr.selectCandidates(ctx)
	cr.fetchArticles(ctx, sel)
	cr.saveValidators(ctx)
	cr.progress()

	st := cr.snapshot()
	cr.mu.Lock()
	errs := slices.Clone(cr.errs)
	failed := cr.seedsTried > 0 && cr.seedsOK == 0
	cr.mu.Unlock()
	if failed {
		errs = append([]error{fmt.Errorf("%w: %s: no start URL, feed or sitemap could be read", ErrSourceFailed, cr.src.Name)}, errs...)
	}
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	// The caller logs the one line per crawl users see; this detail is for debugging.
	cr.log.Debug("crawl done", "duration", time.Since(start), "pages", st.Pages, "articles", st.Articles,
		"skipped", st.Skipped, "errors", st.Errors, "not_modified", st.NotModified, "failed", failed)
	return st, errors.Join(errs...)
}

// discover reads the feed, the sitemaps and the listing pages, each seed in
// its own goroutine, and gathers the candidates.
func (cr *crawl) discover(ctx context.Context) {
	var wg sync.WaitGroup
	run := func(idx uint64, f func(*seed) bool, counts bool) {
		wg.Go(func() {
			ok := f(&seed{idx: idx})
			if counts {
				cr.mu.Lock()
				cr.seedsTried++
				if ok {
					cr.seedsOK++
				}
				cr.mu.Unlock()
			}
		})
	}
	if cr.feedURL != nil {
		run(0, func(sd *seed) bool { return cr.crawlFeed(ctx, sd, cr.feedURL, true) }, true)
	}
	if cr.sitemapURL != nil {
		run(1, func(sd *seed) bool { return cr.crawlSitemap(ctx, sd, cr.sitemapURL, 0) }, true)
	}
	for i, u := range cr.startURLs {
		run(uint64(3+i), func(sd *seed) bool { return cr.crawlListing(ctx, sd, u) }, true)
	}
	if cr.src.RobotsSitemaps && cr.s.policy.RespectRobots {
		run(2, func(sd *seed) bool {
			for _, u := range cr.seedHosts() {
				h, err := cr.hostFor(ctx, u)
				if err != nil {
					return false
				}
				for _, raw := range h.robots.sitemaps {
					if su := resolve(u, raw); su != nil && cr.allowedSite(su) {
						cr.crawlSitemap(ctx, sd, su, 0)
					}
				}
			}
			return true
		}, false)
	}
	wg.Wait()
}

func (cr *crawl) seedHosts() []*url.URL {
	seen := map[string]bool{}
	var out []*url.URL
	for _, u := range append([]*url.URL{cr.feedURL, cr.sitemapURL}, cr.startURLs...) {
		if u != nil && !seen[u.Host] {
			seen[u.Host] = true
			out = append(out, &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/"})
		}
	}
	return out
}

// fetchDoc fetches a discovery document once per crawl, conditionally when
// the store has validators for it. It returns nil, nil for a 304 or a
// document already claimed. A failure is recorded as a page error (unless
// it is a skip, such as robots.txt) before it is returned.
func (cr *crawl) fetchDoc(ctx context.Context, u *url.URL, kind fetchKind) (*page, *doc, error) {
	d := &doc{key: urlKey(u.String())}
	if !cr.claim(d.key) {
		return nil, nil, nil
	}
	cr.mu.Lock()
	cr.docKeys[d.key] = true
	cr.mu.Unlock()
	var cond *validators
	if st := cr.s.opts.State; st != nil {
		etag, lm, err := st.Validators(ctx, d.key)
		if err != nil {
			cr.pageError(d.key, "state", fmt.Errorf("validators: %w", err))
		}
		d.cond = validators{etag, lm}
		cond = &d.cond
	}
	pg, err := cr.fetch(ctx, u, kind, cond)
	if err != nil {
		if !cr.skipped(err) {
			cr.pageError(u.String(), "", err)
		}
		return nil, nil, err
	}
	if pg == nil {
		cr.count(func(s *Stats) { s.NotModified++ })
		return nil, nil, nil
	}
	cr.mu.Lock()
	cr.docs = append(cr.docs, d)
	cr.mu.Unlock()
	return pg, d, nil
}

// saveValidators stores the validators of every complete document.
func (cr *crawl) saveValidators(ctx context.Context) {
	st := cr.s.opts.State
	if st == nil || ctx.Err() != nil {
		return
	}
	for _, d := range cr.docs {
		if d.incomplete.Load() || (d.cond.etag == "" && d.cond.lastModified == "") {
			continue
		}
		if err := st.SetValidators(ctx, d.key, d.cond.etag, d.cond.lastModified); err != nil {
			cr.pageError(d.key, "state", fmt.Errorf("set validators: %w", err))
		}
	}
}

// addCandidate records an article URL found in d; key is its urlKey. It
// returns the URL's candidate, new to this crawl or not.
func (cr *crawl) addCandidate(sd *seed, u *url.URL, key string, date time.Time, d *doc) *candidate {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if c, ok := cr.cands[key]; ok {
		if d != nil {
			c.docs = append(c.docs, d)
		}
		if date.After(c.date) {
			c.date = date
		}
		return c
	}
	if ku, err := url.Parse(key); err == nil && ku.Host != "" {
		u = ku // fetch the URL without tracking or session parameters
	}
	c := &candidate{url: u, key: key, date: date, order: sd.idx<<40 | sd.n}
	if d != nil {
		c.docs = []*doc{d}
	}
	sd.n++
	cr.cands[key] = c
	cr.candList = append(cr.candList, c)
	cr.stats.Discovered++
	return c
}

// isKnown asks the store, once per candidate, whether it is stored.
func (cr *crawl) isKnown(ctx context.Context, c *candidate) bool {
	c.knownOnce.Do(func() {
		if st := cr.s.opts.State; st != nil {
			known, err := st.Known(ctx, c.key)
			if err != nil {
				cr.pageError(c.key, "state", fmt.Errorf("known: %w", err))
			}
			c.known = known && err == nil
		}
		if !c.known {
			cr.mu.Lock()
			cr.unknown++
			cr.mu.Unlock()
		}
		c.asked.Store(true)
	})
	return c.known
}

// enough reports whether discovery has found as many new articles as the
// budget allows.
func (cr *crawl) enough() bool {
	if cr.budget < 0 {
		return false
	}
	cr.mu.Lock()
	defer cr.mu.Unlock()
	return cr.unknown >= cr.budget
}

// claim marks a URL key as fetched in this crawl; false if it already was.
func (cr *crawl) claim(key string) bool { return cr.claimFor(key, key) }

// claimFor claims key for the fetch of owner: a retry of that fetch
// following the same redirect may claim it again.
func (cr *crawl) claimFor(key, owner string) bool {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if o, ok := cr.claims[key]; ok {
		return o == owner && key != owner
	}
	cr.claims[key] = owner
	return true
}

// allowedSite reports whether u is on one of the source's sites.
func (cr *crawl) allowedSite(u *url.URL) bool {
	s := siteOf(u)
	cr.mu.Lock()
	defer cr.mu.Unlock()
	return cr.sites[s]
}

func (cr *crawl) addSite(u *url.URL) {
	cr.mu.Lock()
	cr.sites[siteOf(u)] = true
	cr.mu.Unlock()
}

// pageError records a failed page; kind "" is derived from err.
func (cr *crawl) pageError(u, kind string, err error) {
	if kind == "" {
		kind = errorKind(err)
	}
	cr.log.Warn("page failed", "url", u, "kind", kind, "error", err)
	cr.mu.Lock()
	defer cr.mu.Unlock()
	cr.errs = append(cr.errs, &PageError{URL: u, Kind: kind, Err: err})
	cr.stats.Errors++
	if cr.stats.ErrorKinds == nil {
		cr.stats.ErrorKinds = map[string]int{}
	}
	cr.stats.ErrorKinds[kind]++
}

func (cr *crawl) count(f func(*Stats)) {
	cr.mu.Lock()
	f(&cr.stats)
	cr.mu.Unlock()
}

func (cr *crawl) snapshot() Stats {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	s := cr.stats.clone()
	s.Skipped = s.Known + s.Filtered + s.OverBudget + s.Robots + s.Duplicates
	return s
}

func (cr *crawl) progress() {
	if cr.s.opts.Progress == nil {
		return
	}
	s := cr.snapshot()
	cr.progressMu.Lock()
	defer cr.progressMu.Unlock()
	cr.s.opts.Progress(cr.src.Name, s)
}
