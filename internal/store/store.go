// Package store keeps kabar's state in an embedded SQLite file: articles,
// HTTP validators of listing pages, feeds and sitemaps, crawl runs and leases.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/kabar-news/kabar/extract"
)

var errTODO = errors.New("store: not implemented yet")

// Store is an open kabar database.
type Store struct{}

// Open opens (creating if needed) the database file at path and migrates it.
func Open(ctx context.Context, path string) (*Store, error) { return nil, errTODO }

// Close closes the database.
func (s *Store) Close() error { return nil }

// Article is a stored article.
type Article struct {
	ID     int64
	Source string
	extract.Article
	ContentHash string
	FirstSeen   time.Time
	LastSeen    time.Time
	Updated     time.Time // last time the content changed (== FirstSeen until then)
	DuplicateOf int64     // id of the first-seen near-duplicate, 0 if none
}

// SaveResult says what SaveArticle did.
type SaveResult int

// The outcomes of SaveArticle.
const (
	Unchanged SaveResult = iota
	Inserted
	Updated
)

// SaveArticle inserts or updates an article of source, keyed by a.URL.
func (s *Store) SaveArticle(ctx context.Context, source string, a *extract.Article) (SaveResult, error) {
	return Unchanged, errTODO
}

// Known reports whether an article with this canonical (or fetched) URL is stored.
func (s *Store) Known(ctx context.Context, url string) (bool, error) { return false, errTODO }

// Query selects articles for a feed.
type Query struct {
	Source  string   // "" for all sources (near-duplicates collapsed)
	Tag     string   // tag or section, case-insensitive
	Include []string // every word must occur in title or text (case-insensitive)
	Exclude []string // no word may occur
	Limit   int      // 0 means 50
}

// Articles returns the newest articles matching q, newest first.
func (s *Store) Articles(ctx context.Context, q Query) ([]Article, error) { return nil, errTODO }

// LastChange returns the newest Updated time among source's articles ("" for all);
// feeds use it as a cache key and Last-Modified.
func (s *Store) LastChange(ctx context.Context, source string) (time.Time, error) {
	return time.Time{}, errTODO
}

// Validators are the HTTP cache validators of a fetched URL.
type Validators struct {
	ETag         string
	LastModified string
}

// Validators returns the stored validators of url (zero if none).
func (s *Store) Validators(ctx context.Context, url string) (Validators, error) {
	return Validators{}, errTODO
}

// SetValidators stores the validators of url.
func (s *Store) SetValidators(ctx context.Context, url string, v Validators) error { return errTODO }

// CrawlRun is the outcome of one crawl of one source.
type CrawlRun struct {
	Source   string
	Started  time.Time
	Duration time.Duration
	Pages    int
	New      int
	Updated  int
	Errors   int
	Err      string // the error that failed the run as a whole, "" if it succeeded
}

// RecordCrawl stores a crawl run.
func (s *Store) RecordCrawl(ctx context.Context, r CrawlRun) error { return errTODO }

// SourceStatus is what the index page and metrics show for a source.
type SourceStatus struct {
	Source      string
	LastRun     CrawlRun // zero if never crawled
	LastSuccess time.Time
	Items       int
}

// Status returns the status of source.
func (s *Store) Status(ctx context.Context, source string) (SourceStatus, error) {
	return SourceStatus{}, errTODO
}

// AcquireLease takes the crawl lease of source for owner for ttl; false if
// another owner holds an unexpired lease.
func (s *Store) AcquireLease(ctx context.Context, source, owner string, ttl time.Duration) (bool, error) {
	return false, errTODO
}

// RenewLease extends a held lease; false if it was lost.
func (s *Store) RenewLease(ctx context.Context, source, owner string, ttl time.Duration) (bool, error) {
	return false, errTODO
}

// ReleaseLease releases a held lease.
func (s *Store) ReleaseLease(ctx context.Context, source, owner string) error { return errTODO }

// Prune deletes source's articles older than maxAge (0: no limit) and beyond
// the newest maxItems (0: no limit); it returns how many were deleted.
func (s *Store) Prune(ctx context.Context, source string, maxAge time.Duration, maxItems int) (int, error) {
	return 0, errTODO
}
