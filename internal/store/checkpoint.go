package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// checkpointer copies committed WAL frames into the database file on a
// connection of its own, so that a save rarely pays for it. The write
// connection keeps its automatic checkpoint (every 4000 pages): it is what
// lets the WAL start over from the beginning, and it bounds the WAL if
// this one falls behind; but by then most frames have been copied here and
// it only copies the rest. A PASSIVE checkpoint never waits for, nor
// blocks, readers or the writer.
type checkpointer struct {
	db      *sql.DB
	kick    chan struct{}
	stop    context.CancelFunc
	stopped context.Context
	done    chan struct{}
	pending atomic.Int64 // bytes saved since the last kick
	once    sync.Once
	err     error
}

// checkpointEvery is how many bytes of articles are saved between
// background checkpoints: about 500 pages of WAL with the indexes.
const checkpointEvery = 8 << 20

func startCheckpointer(path string, busy time.Duration) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn(path, busy, false))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	c := &checkpointer{db: db, kick: make(chan struct{}, 1), done: make(chan struct{})}
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
		// Best effort: a failure (a full disk, another checkpoint running)
		// leaves the frames to the write connection's own checkpoint.
		c.db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
		cancel()
	}
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
