package main

import (
	"context"
	"fmt"

	"github.com/kabar-news/kabar/internal/crawl"
	"github.com/kabar-news/kabar/scraper"
)

// cmdCheck loads and validates the config and builds everything it
// configures without starting anything.
func cmdCheck(_ context.Context, e *env, args []string) error {
	fs := newFlagSet("check", e)
	path := configFlag(fs)
	cfg, err := parseAndLoad(fs, args, path, e)
	if err != nil {
		return err
	}
	// Build the crawl side as serve would, without network or storage.
	_ = scraper.New(scraper.Options{Policy: crawl.Policy(cfg.Crawler)})
	for _, src := range cfg.Sources {
		_ = crawl.ScraperSource(src)
	}
	fmt.Fprintf(e.stdout, "%s: ok (%d sources)\n", *path, len(cfg.Sources))
	return nil
}
