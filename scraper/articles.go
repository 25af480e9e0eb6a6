package scraper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync"

	"github.com/kabar-news/kabar/extract"
)

// selectCandidates orders the candidates (dated ones newest first, then
// the others in discovery order) and keeps the unknown ones within budget.
func (cr *crawl) selectCandidates(ctx context.Context) []*candidate {
	list := slices.Clone(cr.candList)
	slices.SortStableFunc(list, func(a, b *candidate) int {
		az, bz := a.date.IsZero(), b.date.IsZero()
		switch {
		case !az && !bz && !a.date.Equal(b.date):
			return b.date.Compare(a.date)
		case az != bz:
			if az {
				return 1
			}
			return -1
		}
		switch {
		case a.order < b.order:
			return -1
		case a.order > b.order:
			return 1
		}
		return 0
	})
	var sel []*candidate
	for _, c := range list {
		if ctx.Err() != nil {
			break
		}
		full := cr.budget >= 0 && len(sel) >= cr.budget
		if (!full || c.asked.Load()) && cr.isKnown(ctx, c) {
			cr.count(func(s *Stats) { s.Known++ })
			continue
		}
		if full {
			cr.count(func(s *Stats) { s.OverBudget++ })
			c.markIncomplete()
			continue
		}
		sel = append(sel, c)
	}
	return sel
}

func (c *candidate) markIncomplete() {
	for _, d := range c.docs {
		d.incomplete.Store(true)
	}
}

// fetchArticles fetches the selected candidates with Parallelism workers
// per host; Colly's per-host LimitRules keep each host within its limits.
func (cr *crawl) fetchArticles(ctx context.Context, sel []*candidate) {
	if len(sel) == 0 {
		return
	}
	hosts := map[string]bool{}
	for _, c := range sel {
		hosts[c.url.Host] = true
	}
	workers := min(len(sel), cr.s.policy.Parallelism*len(hosts), 64)
	jobs := make(chan *candidate)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for c := range jobs {
				cr.article(ctx, c)
			}
		})
	}
feed:
	for _, c := range sel {
		select {
		case jobs <- c:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
}

// article fetches, extracts (following a multi-page article's other pages)
// and emits one candidate.
func (cr *crawl) article(ctx context.Context, c *candidate) {
	defer cr.progress()
	if !cr.claim(c.key) {
		cr.count(func(s *Stats) { s.Duplicates++ })
		return
	}
	a, err := cr.fetchArticle(ctx, c.url)
	if err == nil {
		a, err = cr.multiPage(ctx, a)
	}
	if err != nil {
		if cr.skipped(err) {
			return
		}
		if ctx.Err() == nil {
			cr.pageError(c.url.String(), "", err)
		}
		if retryable(err) || errors.Is(err, ErrHostBackedOff) || ctx.Err() != nil {
			// Worth another try next crawl: keep the documents listing
			// it from answering 304. A 404, a PDF or a page without an
			// article would fail again and must not.
			c.markIncomplete()
		}
		return
	}
	cr.mu.Lock()
	dup := cr.emitted[a.URL]
	cr.emitted[a.URL] = true
	cr.mu.Unlock()
	if dup {
		cr.count(func(s *Stats) { s.Duplicates++ })
		return
	}
	cr.emitMu.Lock()
	err = cr.emit(ctx, a)
	cr.emitMu.Unlock()
	if err != nil {
		cr.pageError(a.URL, "emit", fmt.Errorf("emit: %w", err))
		c.markIncomplete()
		return
	}
	if rec, ok := cr.s.opts.State.(URLRecorder); ok && c.key != a.URL {
		if err := rec.RememberURL(ctx, c.key, a.URL); err != nil {
			cr.pageError(c.key, "state", fmt.Errorf("remember url: %w", err))
		}
	}
	cr.count(func(s *Stats) { s.Articles++ })
}

// fetchArticle fetches and extracts one article page.
func (cr *crawl) fetchArticle(ctx context.Context, u *url.URL) (*extract.Article, error) {
	pg, err := cr.fetch(ctx, u, kindArticle, nil)
	if err != nil {
		return nil, err
	}
	a, err := extract.FromReader(bytes.NewReader(pg.body), pg.url.String(), extract.Options{Rules: cr.src.Rules, ContentType: pg.contentType})
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	if a.PageURL == "" {
		a.PageURL = pg.url.String()
	}
	if a.URL == "" || cr.implausibleCanonical(a.URL, pg.url) {
		a.URL = urlKey(pg.url.String())
	}
	return a, nil
}

// implausibleCanonical catches the misconfigured sites whose every article
// names a listing page of this crawl as its canonical URL: honoured, it
// would make all their articles one. (A home-page canonical is already
// ignored by extract.)
func (cr *crawl) implausibleCanonical(canonical string, pageURL *url.URL) bool {
	cu := resolve(nil, canonical)
	if cu == nil {
		return true
	}
	key := urlKey(cu.String())
	cr.mu.Lock()
	defer cr.mu.Unlock()
	return cr.docKeys[key] && key != urlKey(pageURL.String())
}

// skipped counts the errors that are decisions, not failures: robots.txt,
// off-site redirects, duplicates.
func (cr *crawl) skipped(err error) bool {
	switch {
	case errors.Is(err, ErrRobots):
		cr.count(func(s *Stats) { s.Robots++ })
	case errors.Is(err, ErrOffsiteRedirect):
		cr.count(func(s *Stats) { s.Filtered++ })
	case errors.Is(err, errDuplicate):
		cr.count(func(s *Stats) { s.Duplicates++ })
	default:
		return false
	}
	cr.log.Debug("skipped", "error", err)
	return true
}
