package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// keepRuns is how many crawl runs per source are kept.
const keepRuns = 100

// Validators are the HTTP cache validators of a fetched URL.
type Validators struct {
	ETag         string
	LastModified string
}

// Validators returns the stored validators of url (zero if none).
func (s *Store) Validators(ctx context.Context, url string) (Validators, error) {
	var v Validators
	err := s.read.QueryRowContext(ctx, `SELECT etag, last_modified FROM validators WHERE url = ?`, url).
		Scan(&v.ETag, &v.LastModified)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Validators{}, s.fail("validators of "+url, err)
	}
	return v, nil
}

// SetValidators stores the validators of url; zero validators delete them.
func (s *Store) SetValidators(ctx context.Context, url string, v Validators) error {
	var err error
	if v == (Validators{}) {
		_, err = s.write.ExecContext(ctx, `DELETE FROM validators WHERE url = ?`, url)
	} else {
		_, err = s.write.ExecContext(ctx, `INSERT INTO validators (url, etag, last_modified, at) VALUES (?, ?, ?, ?)
			ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, at = excluded.at`,
			url, v.ETag, v.LastModified, nanos(s.now()))
	}
	if err != nil {
		return s.fail("set validators of "+url, err)
	}
	return nil
}

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

// RecordCrawl stores a crawl run; the last 100 runs of each source are kept.
func (s *Store) RecordCrawl(ctx context.Context, r CrawlRun) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO crawl_runs (source, started, duration, pages, new, updated, errors, err)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Source, nanos(r.Started), int64(r.Duration), r.Pages, r.New, r.Updated, r.Errors, r.Err); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM crawl_runs WHERE source = ?1 AND id NOT IN
			(SELECT id FROM crawl_runs WHERE source = ?1 ORDER BY started DESC, id DESC LIMIT ?2)`, r.Source, keepRuns)
		return err
	})
	if err != nil {
		return s.fail("record crawl of "+r.Source, err)
	}
	return nil
}

// CrawlRuns returns the newest n recorded runs of source, newest first.
func (s *Store) CrawlRuns(ctx context.Context, source string, n int) ([]CrawlRun, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT source, started, duration, pages, new, updated, errors, err
		FROM crawl_runs WHERE source = ? ORDER BY started DESC, id DESC LIMIT ?`, source, n)
	if err != nil {
		return nil, s.fail("crawl runs of "+source, err)
	}
	defer rows.Close()
	var out []CrawlRun
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, s.fail("crawl runs of "+source, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("crawl runs of "+source, err)
	}
	return out, nil
}

func scanRun(sc interface{ Scan(...any) error }) (CrawlRun, error) {
	var r CrawlRun
	var started, dur int64
	err := sc.Scan(&r.Source, &started, &dur, &r.Pages, &r.New, &r.Updated, &r.Errors, &r.Err)
	r.Started, r.Duration = fromNanos(started), time.Duration(dur)
	return r, err
}

// SourceStatus is what the index page and metrics show for a source.
type SourceStatus struct {
	Source      string
	LastRun     CrawlRun // zero if never crawled
	LastSuccess time.Time
	Items       int
	Duplicates  int       // items that are near-duplicates of another source's
	LastChange  time.Time // newest change of its articles
}

// Status returns the status of source.
func (s *Store) Status(ctx context.Context, source string) (SourceStatus, error) {
	st := SourceStatus{Source: source}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		r, err := scanRun(tx.QueryRowContext(ctx, `SELECT source, started, duration, pages, new, updated, errors, err
			FROM crawl_runs WHERE source = ? ORDER BY started DESC, id DESC LIMIT 1`, source))
		switch {
		case err == nil:
			st.LastRun = r
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		var success, change sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT max(started) FROM crawl_runs WHERE source = ? AND err = ''`,
			source).Scan(&success); err != nil {
			return err
		}
		st.LastSuccess = fromNanos(success.Int64)
		if err := tx.QueryRowContext(ctx, `SELECT count(*), count(duplicate_of) FROM articles WHERE source = ?`,
			source).Scan(&st.Items, &st.Duplicates); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT last_change FROM sources WHERE name = ?`, source).Scan(&change)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		st.LastChange = fromNanos(change.Int64)
		return nil
	})
	if err != nil {
		return SourceStatus{}, s.fail("status of "+source, err)
	}
	return st, nil
}

// Sources returns the names of every source with stored articles or crawl
// runs, sorted; sources removed from the config show up here until pruned.
func (s *Store) Sources(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT name FROM sources
		UNION SELECT DISTINCT source FROM crawl_runs ORDER BY 1`)
	if err != nil {
		return nil, s.fail("list sources", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, s.fail("list sources", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("list sources", err)
	}
	return out, nil
}

// readTx runs f in a read transaction: one consistent snapshot.
func (s *Store) readTx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return f(tx)
}

// CrawlState adapts the store to what the scraper asks of it, with
// validators as plain strings.
type CrawlState struct{ s *Store }

// CrawlState returns the scraper's view of the store.
func (s *Store) CrawlState() CrawlState { return CrawlState{s} }

// Known reports whether the article at url is already stored.
func (c CrawlState) Known(ctx context.Context, url string) (bool, error) { return c.s.Known(ctx, url) }

// Validators returns the ETag and Last-Modified stored for url.
func (c CrawlState) Validators(ctx context.Context, url string) (etag, lastModified string, err error) {
	v, err := c.s.Validators(ctx, url)
	return v.ETag, v.LastModified, err
}

// RememberURL records that a listed link leads to a stored article.
func (c CrawlState) RememberURL(ctx context.Context, url, canonical string) error {
	return c.s.RememberURL(ctx, url, canonical)
}

// SetValidators stores them.
func (c CrawlState) SetValidators(ctx context.Context, url, etag, lastModified string) error {
	return c.s.SetValidators(ctx, url, Validators{ETag: etag, LastModified: lastModified})
}
