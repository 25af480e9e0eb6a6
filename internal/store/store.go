// Package store keeps kabar's state in an embedded SQLite file: articles,
// HTTP validators of listing pages, feeds and sitemaps, crawl runs and leases.
//
// The file is opened in WAL mode with one write connection (transactions
// take the write lock up front, waiting up to the busy timeout for another
// process) and a pool of query-only read connections, so feed requests never
// wait for a crawl. The schema is migrated on open by embedded, numbered
// scripts; a file of a newer schema, of another program, corrupt or not
// writable is refused with an error naming it.
//
// Articles are keyed by canonical URL; the page URL and former canonical
// URLs (an edited title that changed the slug) are known too. A save whose
// content hash is unchanged writes nothing; a changed one updates the row
// under the same id. Copies of one story from different sources are found
// by MinHash signatures of the body text with LSH buckets (minhash.go, lsh.go)
// and point to the first seen, which alone appears in the merged feed.
//
// Committed WAL frames are copied into the file by a background
// checkpointer on a connection of its own (checkpoint.go), so a save
// seldom pays for the copy.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Errors returned by Open, testable with errors.Is.
var (
	// ErrNewerSchema means the file was written by a newer kabar.
	ErrNewerSchema = errors.New("database schema is newer than this kabar")
	// ErrNotKabar means the file is an SQLite database of another program.
	ErrNotKabar = errors.New("not a kabar database")
	// ErrReadOnly means the file or its directory cannot be written.
	ErrReadOnly = errors.New("database is read-only")
)

// pageSize of new files: most 5 KB articles fit in one page, no overflow.
const pageSize = 16384

// applicationID marks kabar's files in the SQLite header ("kabr").
const applicationID = 0x6b616272

// Options tune a Store; the zero value is fine.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ReadConns is the size of the read pool; 0 means max(4, GOMAXPROCS).
	ReadConns int
	// BusyTimeout is how long a statement waits for a lock held by another
	// process; 0 means 10s.
	BusyTimeout time.Duration
}

// Store is an open kabar database. It is safe for concurrent use; writes
// go through one connection, reads through a pool, so readers never wait
// for a crawl (WAL mode).
type Store struct {
	path  string
	now   func() time.Time
	write *sql.DB   // one connection, BEGIN IMMEDIATE
	stmts stmtCache // write statements
	lsh   lshIndex

	readStmts stmtCache // feed queries
	read      *sql.DB   // query_only pool
	ckpt      *checkpointer
}

// Open opens (creating if needed) the database file at path and migrates it.
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, o Options) (*Store, error) {
	s, err := open(ctx, path, o)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return s, nil
}

func open(ctx context.Context, path string, o Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("empty path")
	}
	if err := checkWritable(path); err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ReadConns <= 0 {
		o.ReadConns = max(4, runtime.GOMAXPROCS(0))
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 10 * time.Second
	}
	s := &Store{path: path, now: o.Now}
	var err error
	s.write, err = sql.Open("sqlite", dsn(path, o.BusyTimeout, false))
	if err != nil {
		return nil, err
	}
	s.write.SetMaxOpenConns(1)
	s.write.SetMaxIdleConns(1)
	s.write.SetConnMaxIdleTime(0)
	s.write.SetConnMaxLifetime(0)
	if err := s.setUp(ctx); err != nil {
		s.write.Close()
		return nil, classify(err)
	}
	s.read, err = sql.Open("sqlite", dsn(path, o.BusyTimeout, true))
	if err != nil {
		s.write.Close()
		return nil, err
	}
	s.read.SetMaxOpenConns(o.ReadConns)
	s.read.SetMaxIdleConns(o.ReadConns)
	if err := s.read.PingContext(ctx); err != nil {
		s.Close()
		return nil, classify(err)
	}
	if s.ckpt, err = startCheckpointer(path, o.BusyTimeout, s.write); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// dsn builds the driver's connection string.
func dsn(path string, busy time.Duration, readOnly bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(busy.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "temp_store(MEMORY)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
		// Checkpoint every 4000 pages (64 MiB) instead of 1000: index pages
		// rewritten by many batches are copied to the file once, not four
		// times. After a checkpoint the WAL file is cut back to 64 MiB.
		// The background checkpointer has copied most frames by then.
		q.Add("_pragma", "wal_autocheckpoint(4000)")
		q.Add("_pragma", "journal_size_limit(67108864)")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// checkWritable turns a read-only file or directory into a clear error
// before SQLite silently opens the file read-only.
func checkWritable(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	switch {
	case err == nil:
		f.Close()
		return nil
	case errors.Is(err, os.ErrNotExist):
		return nil // created by SQLite; a read-only directory fails there
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("%w: %w", ErrReadOnly, err)
	default:
		return err
	}
}

// setUp checks the file on the write connection, then migrates it. Nothing
// is written to a file that is not kabar's or is of a newer schema.
func (s *Store) setUp(ctx context.Context) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	from, steps, err := checkSchema(ctx, conn)
	if err != nil {
		return err
	}
	var pages int
	if err := conn.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return err
	}
	if pages == 0 {
		// A new file: both only take effect before the first table.
		for _, p := range []string{fmt.Sprintf("PRAGMA page_size = %d", pageSize), "PRAGMA auto_vacuum = INCREMENTAL"} {
			if _, err := conn.ExecContext(ctx, p); err != nil {
				return err
			}
		}
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return err
	}
	if mode != "wal" {
		return fmt.Errorf("%w: cannot use WAL mode (journal_mode is %q)", ErrReadOnly, mode)
	}
	return migrate(ctx, conn, from, steps)
}

// Close closes the database.
func (s *Store) Close() error {
	errs := []error{s.ckpt.close()}
	if s.read != nil {
		s.readStmts.close()
		errs = append(errs, s.read.Close())
	}
	if s.write != nil {
		// Best effort: keep statistics fresh and the WAL small between runs.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		s.write.ExecContext(ctx, "PRAGMA optimize")
		s.write.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)") // never waits for readers
		cancel()
		s.stmts.close()
		errs = append(errs, s.write.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close database %s: %w", s.path, err)
	}
	return nil
}

// Path returns the database file path.
func (s *Store) Path() string { return s.path }

// IntegrityCheck runs PRAGMA integrity_check and returns an error listing
// the problems, nil when the file is sound.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.read.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return s.fail("integrity check", err)
	}
	defer rows.Close()
	var problems []error
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return s.fail("integrity check", err)
		}
		if line != "ok" {
			problems = append(problems, errors.New(line))
		}
	}
	if err := rows.Err(); err != nil {
		return s.fail("integrity check", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check of %s: %w", s.path, errors.Join(problems...))
	}
	return nil
}

// fail wraps err with op; faults of the file itself (full disk, read-only,
// corruption, I/O) also name the file.
func (s *Store) fail(op string, err error) error {
	if fileFault(err) {
		return fmt.Errorf("%s: database %s: %w", op, s.path, classify(err))
	}
	return fmt.Errorf("%s: %w", op, err)
}

func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

func fileFault(err error) bool {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CORRUPT,
		sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN,
		sqlite3.SQLITE_PERM:
		return true
	}
	return false
}

// classify adds a plain explanation to the SQLite errors people meet.
func classify(err error) error {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
		return fmt.Errorf("%w: %w", ErrReadOnly, err)
	case sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("not an SQLite database or encrypted: %w", err)
	case sqlite3.SQLITE_CORRUPT:
		return fmt.Errorf("file is corrupt (restore a backup or move it aside): %w", err)
	case sqlite3.SQLITE_FULL:
		return fmt.Errorf("disk full: %w", err)
	case sqlite3.SQLITE_CANTOPEN:
		return fmt.Errorf("cannot open (missing directory or no permission): %w", err)
	}
	return err
}
