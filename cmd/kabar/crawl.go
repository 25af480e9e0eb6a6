package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kabar-news/kabar/internal/config"
	"github.com/kabar-news/kabar/internal/crawl"
	"github.com/kabar-news/kabar/internal/server"
	"github.com/kabar-news/kabar/internal/store"
	"github.com/kabar-news/kabar/scraper"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// maxConcurrentSources bounds how many sources one `kabar crawl` runs at once.
const maxConcurrentSources = 4

// cmdCrawl crawls all (or the named) sources once and exits; with -out it
// also writes the feeds as static files.
func cmdCrawl(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("crawl", e)
	path := configFlag(fs)
	out := fs.String("out", "", "also write the feeds as static files into this directory")
	logFormat := fs.String("log-format", "", "log format: text or json (default: the config's log.format)")
	var names stringList
	fs.Var(&names, "source", "crawl only this source (repeatable)")
	cfg, err := parseAndLoad(fs, args, path, e)
	if err != nil {
		return err
	}
	sources, err := selectSources(cfg, names)
	if err != nil {
		return err
	}

	var prog *progress
	logOut := e.stderr
	if isTerminal(e.stderr) {
		prog = newProgress(e.stderr, sources)
		logOut = prog // log lines are printed above the live table
	}
	log := newLogger(logOut, cfg.Log, *logFormat)

	st, err := openStore(ctx, cfg.Storage.Path)
	if err != nil {
		return failure(err)
	}
	defer st.Close()

	opts := scraper.Options{Policy: crawl.Policy(cfg.Crawler), State: st.CrawlState(), Logger: log}
	if prog != nil {
		opts.Progress = prog.update
	}
	scr := scraper.New(opts)
	defer scr.Close()
	runner := &crawl.Runner{Store: st, Scraper: scr, Logger: log, Owner: leaseOwner()}

	results := make([]crawlOutcome, len(sources))
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxConcurrentSources)
	for i, src := range sources {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i] = crawlOutcome{name: src.Name, err: ctx.Err()}
				return
			}
			defer func() { <-sem }()
			rctx, cancel := context.WithTimeout(ctx, cfg.Crawler.CrawlTimeout.D())
			defer cancel()
			res, err := runner.Run(rctx, src)
			results[i] = crawlOutcome{name: src.Name, res: res, err: err}
			if prog != nil {
				prog.done(src.Name, err)
			}
		})
	}
	wg.Wait()
	if prog != nil {
		prog.stop()
	}

	var failed []error
	for _, r := range results {
		if r.err != nil && !errors.Is(r.err, crawl.ErrLeaseHeld) {
			failed = append(failed, r.err)
		}
	}
	if prog != nil || len(sources) > 1 {
		printSummary(e.stdout, results)
	}

	if *out != "" && ctx.Err() == nil {
		if err := server.WriteFiles(ctx, *out, serverOptions(cfg, st, nil, log, nil)); err != nil {
			return failure(fmt.Errorf("write feeds to %s: %w", *out, err))
		}
		log.Info("feeds written", "dir", *out)
	}
	if ctx.Err() != nil {
		return failure(fmt.Errorf("crawl interrupted: %w", ctx.Err()))
	}
	if len(failed) > 0 {
		return failure(fmt.Errorf("%d of %d sources failed:\n%w", len(failed), len(sources), errors.Join(failed...)))
	}
	return nil
}

type crawlOutcome struct {
	name string
	res  crawl.Result
	err  error
}

// selectSources returns the sources named (all when none are).
func selectSources(cfg *config.Config, names []string) ([]config.Source, error) {
	if len(names) == 0 {
		if len(cfg.Sources) == 0 {
			return nil, failure(errors.New("crawl: the config has no sources"))
		}
		return cfg.Sources, nil
	}
	var out []config.Source
	for _, n := range names {
		src, ok := cfg.Source(n)
		if !ok {
			var known []string
			for _, s := range cfg.Sources {
				known = append(known, s.Name)
			}
			return nil, usageError("crawl: no source named %q (sources: %s)", n, strings.Join(known, ", "))
		}
		if !slices.ContainsFunc(out, func(s config.Source) bool { return s.Name == n }) {
			out = append(out, src)
		}
	}
	return out, nil
}

// openStore opens the database, creating its directory.
func openStore(ctx context.Context, path string) (*store.Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("storage: %w", err)
		}
	}
	return store.Open(ctx, path)
}

func printSummary(w interface{ Write([]byte) (int, error) }, results []crawlOutcome) {
	fmt.Fprintf(w, "\n%-20s %6s %5s %7s %6s %8s  %s\n", "source", "pages", "new", "updated", "errors", "time", "result")
	for _, r := range results {
		result := "ok"
		switch {
		case errors.Is(r.err, crawl.ErrLeaseHeld):
			result = "skipped: another crawl of this source is running"
		case r.err != nil:
			result = "FAILED: " + r.err.Error()
		}
		fmt.Fprintf(w, "%-20s %6d %5d %7d %6d %8s  %s\n", r.name, r.res.Pages, r.res.New, r.res.Updated,
			r.res.Errors, r.res.Duration.Round(100*time.Millisecond), result)
	}
}
