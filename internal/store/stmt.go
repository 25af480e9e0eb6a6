package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache holds the statements of the write path, prepared once on the
// write connection: parsing SQL costs as much as running it.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// get returns the prepared statement of q, nil if it is not prepared yet.
func (c *stmtCache) get(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[q]
}

// prepare prepares qs; it must not run inside a write transaction, which
// holds the only write connection.
func (c *stmtCache) prepare(ctx context.Context, db *sql.DB, qs []string) error {
	for _, q := range qs {
		if c.get(q) != nil {
			continue
		}
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		c.mu.Lock()
		if c.stmts == nil {
			c.stmts = map[string]*sql.Stmt{}
		}
		if _, ok := c.stmts[q]; ok {
			st.Close()
		} else {
			c.stmts[q] = st
		}
		c.mu.Unlock()
	}
	return nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// wtx is a write transaction running cached statements. A statement not
// prepared yet runs unprepared and is prepared after the transaction.
type wtx struct {
	s      *Store
	tx     *sql.Tx
	stmts  map[string]*sql.Stmt
	wanted []string
	nextID int64 // the next article id; 0: not looked up yet
	lastID int64 // the last article id handed out, 0 if none
}

// newID hands out an id for a new article: above every stored id and every
// id handed out before (id_floor), so that an id is never reused, even
// after the newest articles were deleted.
func (w *wtx) newID(ctx context.Context) (int64, error) {
	if w.nextID == 0 {
		if err := w.QueryRowContext(ctx, `SELECT max(
			coalesce((SELECT max(id) FROM articles), 0),
			coalesce((SELECT id FROM id_floor WHERE name = 'articles'), 0)) + 1`).Scan(&w.nextID); err != nil {
			return 0, err
		}
	}
	w.lastID = w.nextID
	w.nextID++
	return w.lastID, nil
}

// recordIDs records the ids handed out; it runs last in the transaction.
func (w *wtx) recordIDs(ctx context.Context) error {
	if w.lastID > 0 {
		if _, err := w.ExecContext(ctx, `INSERT INTO id_floor (name, id) VALUES ('articles', ?)
			ON CONFLICT (name) DO UPDATE SET id = max(id, excluded.id)`, w.lastID); err != nil {
			return err
		}
	}
	return nil
}

func (w *wtx) stmt(ctx context.Context, q string) *sql.Stmt {
	if st, ok := w.stmts[q]; ok {
		return st
	}
	base := w.s.stmts.get(q)
	if base == nil {
		w.wanted = append(w.wanted, q)
		w.stmts[q] = nil
		return nil
	}
	st := w.tx.StmtContext(ctx, base)
	w.stmts[q] = st
	return st
}

func (w *wtx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := w.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return w.tx.ExecContext(ctx, q, args...)
}

func (w *wtx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := w.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return w.tx.QueryContext(ctx, q, args...)
}

func (w *wtx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := w.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return w.tx.QueryRowContext(ctx, q, args...)
}

// inWtx runs f in a write transaction with cached statements.
func (s *Store) inWtx(ctx context.Context, f func(*wtx) error) error {
	w := &wtx{s: s, stmts: map[string]*sql.Stmt{}}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		w.tx = tx
		if err := f(w); err != nil {
			return err
		}
		return w.recordIDs(ctx)
	})
	if err == nil && len(w.wanted) > 0 {
		// Best effort: a statement that fails to prepare runs unprepared.
		s.stmts.prepare(ctx, s.write, w.wanted)
	}
	return err
}
