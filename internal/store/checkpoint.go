package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// checkpointer copies committed WAL frames into the database file on a
// connection of its own, so that a save rarely pays for it. A PASSIVE
// checkpoint never waits for, nor blocks, readers or the writer; it syncs
// the WAL before copying and the file after, which costs time in
// proportion to the frames copied.
//
// The WAL only starts over from its beginning when a write transaction
// begins with every frame copied. Under a steady stream of saves that
// never happens by chance, and the write connection's own automatic
// checkpoint (every 4000 pages) used to do it: a stall of tens of
// milliseconds in a save, copying and syncing what had come in since the
// last pass. So each round copies in passes, each copying what came in
// during the one before, until a pass finds almost nothing new; then one
// last pass runs on the write connection, between two transactions,
// copying those few frames, and the next transaction starts the WAL over.
// The automatic checkpoint stays as the backstop.
type checkpointer struct {
	db      *sql.DB // the checkpointer's own connection
	write   *sql.DB // the store's write connection, for the last pass
	kick    chan struct{}
	stop    context.CancelFunc
	stopped context.Context
	done    chan struct{}
	pending atomic.Int64 // bytes saved since the last kick
	once    sync.Once
	err     error
}

// checkpointEvery is how many bytes of articles are saved between
// background checkpoints: about 1,100 pages of WAL with the indexes and
// tags (72 pages a batch of 100 articles of 5 KB, measured).
const checkpointEvery = 8 << 20

const (
	// tailFrames: a pass that found this few new frames ends the round.
	tailFrames = 64
	// maxPasses bounds a round when saves come in faster than a pass copies.
	maxPasses = 8
)

func startCheckpointer(path string, busy time.Duration, write *sql.DB) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn(path, busy, false))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	c := &checkpointer{db: db, write: write, kick: make(chan struct{}, 1), done: make(chan struct{})}
	c.stopped, c.stop = context.WithCancel(context.Background())
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.stopped.Done():
			return
		case <-c.kick:
		}
		ctx, cancel := context.WithTimeout(c.stopped, time.Minute)
		c.round(ctx)
		cancel()
	}
}

// round copies the WAL in passes, then has it started over. Best
// effort: a failure (a full disk, another checkpoint running, a reader
// still on old frames) leaves the frames to a later round or to the write
// connection's own checkpoint.
func (c *checkpointer) round(ctx context.Context) {
	prev := -1
	var w walState
	for range maxPasses {
		var err error
		if w, err = checkpoint(ctx, c.db); err != nil || !w.complete() {
			return
		}
		if prev >= 0 && w.log-prev <= tailFrames {
			break
		}
		prev = w.log
	}
	if w.log > 0 {
		checkpoint(ctx, c.write)
	}
}

// walState is the result of a checkpoint: whether it could not run, the
// frames in the WAL, and those copied into the database.
type walState struct{ busy, log, copied int }

func (w walState) complete() bool { return w.busy == 0 && w.copied == w.log }

func checkpoint(ctx context.Context, db *sql.DB) (walState, error) {
	var w walState
	err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&w.busy, &w.log, &w.copied)
	return w, err
}

// saved notes n bytes written to the WAL and wakes the checkpointer every
// checkpointEvery bytes. It never blocks.
func (c *checkpointer) saved(n int) {
	if c == nil || c.pending.Add(int64(n)) < checkpointEvery {
		return
	}
	c.pending.Store(0)
	select {
	case c.kick <- struct{}{}:
	default: // one is running or pending
	}
}

// close stops the checkpointer, interrupting a checkpoint under way (the
// frames stay in the WAL, safe). It may be called again.
func (c *checkpointer) close() error {
	if c == nil {
		return nil
	}
	c.once.Do(func() {
		c.stop()
		<-c.done
		c.err = c.db.Close()
	})
	return c.err
}
