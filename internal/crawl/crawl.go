// Package crawl runs one crawl of one source end to end: it takes the
// source's lease in the store, drives the scraper, saves what it extracts,
// applies retention and records the run. `kabar crawl` and the daemon's
// scheduler both go through it.
package crawl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/kabar-news/kabar/extract"
	"github.com/kabar-news/kabar/internal/config"
	"github.com/kabar-news/kabar/internal/metrics"
	"github.com/kabar-news/kabar/internal/store"
	"github.com/kabar-news/kabar/scraper"
)

// ErrLeaseHeld means another crawl of the source (in this or another
// process sharing the database) is running; the run was skipped.
var ErrLeaseHeld = errors.New("another crawl of this source is running")

// Runner crawls sources. Its fields are set once; it is safe for concurrent
// runs of different sources.
type Runner struct {
	Store    *store.Store
	Scraper  *scraper.Scraper
	Logger   *slog.Logger     // nil: discard
	Metrics  *metrics.Metrics // nil: none
	Owner    string           // lease owner: unique per process
	LeaseTTL time.Duration    // 0: 2 minutes
}

// Result is what one run did.
type Result struct {
	store.CrawlRun
	Skipped int
}

// Run crawls src once. It returns ErrLeaseHeld when another crawl of src is
// running, and an error when the source failed as a whole; per-page failures
// are only counted (the scraper logs each one). It logs one line per crawl
// with its counts; the error is the caller's to report.
func (r *Runner) Run(ctx context.Context, src config.Source) (Result, error) {
	log := r.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ttl := r.LeaseTTL
	if ttl <= 0 {
		ttl = 2 * time.Minute
	}
	ok, err := r.Store.AcquireLease(ctx, src.Name, r.Owner, ttl)
	if err != nil {
		return Result{}, fmt.Errorf("crawl %s: take lease: %w", src.Name, err)
	}
	if !ok {
		r.count(src.Name, "skipped")
		return Result{}, fmt.Errorf("crawl %s: %w", src.Name, ErrLeaseHeld)
	}

	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { r.heartbeat(runCtx, cancel, src.Name, ttl, log) })
	defer func() {
		cancel()
		wg.Wait()
		// The lease is released with a fresh context: the run's may be done.
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer rcancel()
		if err := r.Store.ReleaseLease(rctx, src.Name, r.Owner); err != nil {
			log.Warn("release lease", "source", src.Name, "error", err)
		}
	}()

	res := Result{CrawlRun: store.CrawlRun{Source: src.Name, Started: time.Now()}}
	emit := func(ctx context.Context, a *extract.Article) error { // never called concurrently
		sr, err := r.Store.SaveArticle(ctx, src.Name, a)
		if err != nil {
			return fmt.Errorf("save %s: %w", a.URL, err)
		}
		switch sr {
		case store.Inserted:
			res.New++
		case store.Updated:
			res.Updated++
		}
		return nil
	}
	stats, crawlErr := r.Scraper.Crawl(runCtx, ScraperSource(src), emit)
	res.Duration = time.Since(res.Started)
	res.Pages, res.Errors, res.Skipped = stats.Pages, stats.Errors, stats.Articles-res.New-res.Updated+stats.Skipped

	var failed error
	if crawlErr != nil && (errors.Is(crawlErr, scraper.ErrSourceFailed) || ctx.Err() != nil) {
		failed = crawlErr
		res.Err = crawlErr.Error()
	}

	// Bookkeeping must survive a cancelled run: use a short detached context.
	bctx, bcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer bcancel()
	if src.Retention.MaxAge > 0 || src.Retention.MaxItems > 0 {
		if n, err := r.Store.Prune(bctx, src.Name, src.Retention.MaxAge.D(), src.Retention.MaxItems); err != nil {
			log.Warn("retention", "source", src.Name, "error", err)
		} else if n > 0 {
			log.Info("retention", "source", src.Name, "deleted", n)
		}
	}
	if err := r.Store.RecordCrawl(bctx, res.CrawlRun); err != nil {
		log.Warn("record crawl", "source", src.Name, "error", err)
	}
	r.observe(src.Name, res, stats.ErrorKinds, failed)

	attrs := []any{"source", src.Name, "duration", res.Duration.Round(time.Millisecond),
		"pages", res.Pages, "new", res.New, "updated", res.Updated, "errors", res.Errors,
		"skipped", res.Skipped, "not_modified", stats.NotModified}
	if failed != nil {
		log.Warn("crawl", append(attrs, "failed", true)...)
		return res, fmt.Errorf("crawl %s: %w", src.Name, failed)
	}
	log.Info("crawl", attrs...)
	return res, nil
}

// heartbeat renews the lease until ctx ends; a lost lease cancels the run.
func (r *Runner) heartbeat(ctx context.Context, cancel context.CancelFunc, source string, ttl time.Duration, log *slog.Logger) {
	t := time.NewTicker(ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			ok, err := r.Store.RenewLease(ctx, source, r.Owner, ttl)
			if err != nil && ctx.Err() == nil {
				log.Warn("renew lease", "source", source, "error", err)
				continue
			}
			if !ok && ctx.Err() == nil {
				log.Error("lease lost; stopping the run", "source", source)
				cancel()
				return
			}
		}
	}
}

func (r *Runner) count(source, result string) {
	if r.Metrics != nil {
		r.Metrics.Crawls.WithLabelValues(source, result).Inc()
	}
}

// observe updates the metrics of one run. errorKinds is the scraper's count
// of failed pages by kind; pages without an extractable article (kind
// "extract") are also counted as extract failures.
func (r *Runner) observe(source string, res Result, errorKinds map[string]int, failed error) {
	if r.Metrics == nil {
		return
	}
	m := r.Metrics
	result := "ok"
	if failed != nil {
		result = "failed"
	}
	m.Crawls.WithLabelValues(source, result).Inc()
	m.CrawlDuration.WithLabelValues(source).Observe(res.Duration.Seconds())
	m.PagesFetched.WithLabelValues(source).Add(float64(res.Pages))
	m.ArticlesNew.WithLabelValues(source).Add(float64(res.New))
	m.ArticlesUpdated.WithLabelValues(source).Add(float64(res.Updated))
	for kind, n := range errorKinds {
		m.FetchErrors.WithLabelValues(source, kind).Add(float64(n))
	}
	if n := errorKinds["extract"]; n > 0 {
		m.ExtractFailures.WithLabelValues(source).Add(float64(n))
	}
}
