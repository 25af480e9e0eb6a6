package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kabar-news/kabar/extract"
)

// lastSeenEvery is how stale last_seen may get before an unchanged re-save
// refreshes it; in between an unchanged re-save writes nothing.
const lastSeenEvery = time.Hour

// sameStoryWindow: a near-identical body of the same source published
// within this of a stored one is that article under a new URL (an edited
// title changes the slug), not a new item.
const sameStoryWindow = time.Minute

// touchSource records a change to a source's articles at a time: the
// feeds' cache key.
const touchSource = `INSERT INTO sources (name, last_change) VALUES (?, ?)
	ON CONFLICT (name) DO UPDATE SET last_change = max(last_change, excluded.last_change)`

// SaveArticle inserts or updates an article of source, keyed by a.URL.
func (s *Store) SaveArticle(ctx context.Context, source string, a *extract.Article) (SaveResult, error) {
	res, err := s.SaveArticles(ctx, source, []*extract.Article{a})
	if err != nil {
		return Unchanged, err
	}
	return res[0], nil
}

// SaveArticles saves a batch of articles of source in one transaction:
// either all are stored or, on error, none. Once it returns nil every
// article is durable in the sense of the WAL: it survives the process being
// killed. An invalid article (no URL) fails the batch before anything is
// written.
func (s *Store) SaveArticles(ctx context.Context, source string, as []*extract.Article) ([]SaveResult, error) {
	if source == "" {
		return nil, errors.New("save articles: empty source")
	}
	for i, a := range as {
		if a == nil || a.URL == "" {
			return nil, fmt.Errorf("save articles of %s: article %d has no url", source, i)
		}
	}
	now := nanos(s.now())
	res := make([]SaveResult, len(as))
	s.lsh.mu.Lock()
	defer s.lsh.mu.Unlock()
	enc := startEncoding(as, now)
	err := s.inWtx(ctx, func(tx *wtx) error {
		touched := map[string]bool{}
		if err := s.lsh.sync(ctx, tx, now); err != nil {
			return err
		}
		enc.lookUpIn(&s.lsh)
		fast, err := saveNew(ctx, tx, source, as, enc, now)
		if err != nil {
			return err
		}
		rows := enc.all()
		for i := range rows {
			if fast[i] {
				res[i] = Inserted
				touched[source] = true
				continue
			}
			r, src, err := saveOne(ctx, tx, source, &rows[i], now)
			if err != nil {
				return fmt.Errorf("%s: %w", rows[i].a.URL, err)
			}
			res[i] = r
			if r != Unchanged {
				touched[src] = true
			}
		}
		for src := range touched {
			if _, err := tx.ExecContext(ctx, touchSource, src, now); err != nil {
				return err
			}
		}
		return nil
	})
	enc.all() // no worker outlives the call
	if err != nil {
		s.lsh.reset()
		return nil, s.fail("save articles of "+source, err)
	}
	s.lsh.settle()
	written := 0
	for i, r := range res {
		if r != Unchanged {
			written += len(enc.rows[i].meta) + len(as[i].Text) + len(as[i].HTML)
		}
	}
	s.ckpt.saved(written)
	return res, nil
}

// encoding hashes and encodes a batch on other goroutines (SHA-256 and
// MinHash of 5 KB bodies cost a third of an insert) while the write
// transaction goes on. Once the transaction has synced the LSH index
// (lookUpIn), which then does not change until the batch's new articles
// are indexed after all rows are encoded, the workers also look each
// signature up in it. row waits for the row it needs, or encodes it itself
// if no worker has taken it yet.
type encoding struct {
	as    []*extract.Article
	now   int64
	index atomic.Pointer[lshIndex] // set once the index is synced
	rows  []row
	ready []chan struct{} // closed when the row is encoded; nil: all are
	next  atomic.Int64    // the next row to take
	wg    sync.WaitGroup
}

func startEncoding(as []*extract.Article, now int64) *encoding {
	e := &encoding{as: as, now: now, rows: make([]row, len(as))}
	if len(as) < 8 { // not worth a goroutine
		for i := range as {
			e.encode(i)
		}
		return e
	}
	e.ready = make([]chan struct{}, len(as))
	for i := range e.ready {
		e.ready[i] = make(chan struct{})
	}
	// One core is the writer's.
	for range max(1, runtime.GOMAXPROCS(0)-1) {
		e.wg.Go(func() {
			for e.take() {
			}
		})
	}
	return e
}

// lookUpIn has the rows encoded from now on looked up in x, synced.
func (e *encoding) lookUpIn(x *lshIndex) { e.index.Store(x) }

// take encodes the next row no one has taken, and reports whether there
// was one.
func (e *encoding) take() bool {
	i := int(e.next.Add(1) - 1)
	if i >= len(e.rows) {
		return false
	}
	e.encode(i)
	close(e.ready[i])
	return true
}

func (e *encoding) encode(i int) {
	r := &e.rows[i]
	*r = encode(e.as[i], e.now)
	if x := e.index.Load(); x != nil && r.hasSig {
		r.similar, r.looked = x.lookup(&r.bands), true
	}
}

// row waits for row i and returns it.
func (e *encoding) row(i int) *row {
	if e.ready != nil {
		for e.next.Load() <= int64(i) && e.take() {
		}
		<-e.ready[i]
	}
	return &e.rows[i]
}

// all waits for every row and returns them.
func (e *encoding) all() []row {
	e.wg.Wait()
	return e.rows
}

// inTx runs f in a write transaction (BEGIN IMMEDIATE: the write lock is
// taken up front, so it waits for other processes instead of failing).
func (s *Store) inTx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// stored is what saveOne needs of an existing row.
type stored struct {
	id          int64
	source      string
	url         string
	pageURL     string
	hash        string
	duplicateOf sql.NullInt64
	firstSeen   int64
	lastSeen    int64
}

const storedColumns = `id, source, url, page_url, content_hash, duplicate_of, first_seen, last_seen`

func scanStored(sc interface{ Scan(...any) error }) (stored, error) {
	var st stored
	err := sc.Scan(&st.id, &st.source, &st.url, &st.pageURL, &st.hash, &st.duplicateOf, &st.firstSeen, &st.lastSeen)
	return st, err
}

// findStored finds the row an article belongs to: by canonical URL, a former
// canonical URL, or the URL the page was fetched from.
func findStored(ctx context.Context, tx *wtx, a *extract.Article) (stored, bool, error) {
	keys := []string{a.URL}
	if a.PageURL != "" && a.PageURL != a.URL {
		keys = append(keys, a.PageURL)
	}
	for _, u := range keys {
		st, err := scanStored(tx.QueryRowContext(ctx, `SELECT `+storedColumns+` FROM articles WHERE url = ?1
			UNION ALL SELECT `+storedColumns+` FROM articles WHERE page_url = ?1 AND page_url <> url
			UNION ALL SELECT `+storedColumns+` FROM articles WHERE id = (SELECT article_id FROM seen_urls WHERE url = ?1)
			LIMIT 1`, u))
		if err == nil {
			return st, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return stored{}, false, err
		}
	}
	return stored{}, false, nil
}

func saveOne(ctx context.Context, tx *wtx, source string, r *row, now int64) (SaveResult, string, error) {
	st, found, err := findStored(ctx, tx, r.a)
	if err != nil {
		return Unchanged, "", err
	}
	var dupOf sql.NullInt64
	if !found && r.hasSig {
		var same *stored
		same, dupOf, err = nearDuplicate(ctx, tx, source, r, tx.s.lsh.lookup(&r.bands), 0)
		if err != nil {
			return Unchanged, "", err
		}
		if same != nil {
			st, found = *same, true
		}
	}
	if !found {
		return Inserted, source, insert(ctx, tx, source, r, now, dupOf)
	}
	if st.url != r.a.URL {
		// Remember the new canonical URL so Known finds it.
		if _, err := tx.ExecContext(ctx, `INSERT INTO seen_urls (url, article_id, source, at) VALUES (?, ?, ?, ?)
			ON CONFLICT (url) DO UPDATE SET article_id = excluded.article_id, at = excluded.at
			WHERE article_id IS NOT excluded.article_id`,
			r.a.URL, st.id, st.source, now); err != nil {
			return Unchanged, "", err
		}
	}
	if st.hash == r.hash {
		if now-st.lastSeen >= int64(lastSeenEvery) {
			_, err := tx.ExecContext(ctx, `UPDATE articles SET last_seen = ? WHERE id = ?`, now, st.id)
			return Unchanged, st.source, err
		}
		return Unchanged, st.source, nil
	}
	return Updated, st.source, update(ctx, tx, st, r, now)
}

func insert(ctx context.Context, tx *wtx, source string, r *row, now int64, dupOf sql.NullInt64) error {
	id, err := tx.newID(ctx)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, insertArticle, insertArgs(id, source, r, now, dupOf)...); err != nil {
		return err
	}
	if err := insertTags(ctx, tx, id, r.tagKeys); err != nil {
		return err
	}
	if r.hasSig {
		tx.s.lsh.add(id, &r.bands)
	}
	return nil
}

func update(ctx context.Context, tx *wtx, st stored, r *row, now int64) error {
	a := r.a
	dupOf := st.duplicateOf
	if dupOf.Valid {
		// Still a copy of the story it pointed to? Otherwise look again.
		var root []byte
		if err := tx.QueryRowContext(ctx, `SELECT minhash FROM articles WHERE id = ?`, dupOf.Int64).Scan(&root); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		rootSig, ok := parseSignature(root)
		if !r.hasSig || !ok || similarity(&rootSig, &r.sig) < sameStory {
			dupOf = sql.NullInt64{}
			if r.hasSig {
				var err error
				if _, dupOf, err = nearDuplicate(ctx, tx, st.source, r, tx.s.lsh.lookup(&r.bands), st.id); err != nil {
					return err
				}
			}
		}
	}
	if err := deleteDerived(ctx, tx, []int64{st.id}); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE articles SET page_url = ?, title = ?, published = ?, method = ?,
		confidence = ?, authors_n = ?, meta = ?, content_hash = ?, minhash = ?, duplicate_of = ?,
		last_seen = ?, updated = ?, sort_time = ?, text = ?, html = ?
		WHERE id = ?`,
		a.PageURL, a.Title, r.published, string(a.Method),
		a.Confidence, len(a.Authors), encodeMeta(a, r.hash, st.firstSeen, now), r.hash, sigColumn(r), dupOf,
		now, now, sortTime(r.pubTime, st.firstSeen), a.Text, a.HTML,
		st.id); err != nil {
		return err
	}
	if err := insertTags(ctx, tx, st.id, r.tagKeys); err != nil {
		return err
	}
	if r.hasSig {
		tx.s.lsh.add(st.id, &r.bands)
	}
	return nil
}

func sigColumn(r *row) []byte {
	if !r.hasSig {
		return nil
	}
	return r.sig.bytes()
}

func insertTags(ctx context.Context, tx *wtx, id int64, tags []string) error {
	for _, t := range tags {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO article_tags (tag, article_id) VALUES (?, ?)`, t, id); err != nil {
			return err
		}
	}
	return nil
}

// nearDuplicate looks among the stored articles ids (the LSH candidates)
// for one (other than self) whose body is a near-copy of r's; see judge.
func nearDuplicate(ctx context.Context, tx *wtx, source string, r *row, ids []int64, self int64) (same *stored, dupOf sql.NullInt64, err error) {
	if len(ids) == 0 {
		return nil, dupOf, nil
	}
	var cands []*candidate
	err = eachRow(ctx, tx, `SELECT `+storedColumns+`, minhash, published FROM articles
			WHERE id IN (SELECT value FROM json_each(?))`, []any{jsonArray(ids)}, func(sc scanner) error {
		c, err := scanCandidate(sc)
		cands = append(cands, &c)
		return err
	})
	if err != nil {
		return nil, dupOf, err
	}
	same, dupOf = judge(source, r, cands, self)
	return same, dupOf, nil
}

func sameTime(stored string, t time.Time) bool {
	if stored == "" || t.IsZero() {
		return false
	}
	st, err := parseTime(stored)
	if err != nil {
		return false
	}
	d := st.Sub(t)
	return -sameStoryWindow <= d && d <= sameStoryWindow
}
