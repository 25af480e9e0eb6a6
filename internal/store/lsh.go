package store

import (
	"context"
	"math"
	"slices"
	"sync"
	"time"
)

// lshIndex maps the LSH band keys of recent articles' signatures to their
// ids, in memory. Keeping the keys in an SQLite index cost 8 random B-tree
// inserts per article, and at 100k articles every batch rewrote hundreds of
// index pages; the signatures themselves are stored with the articles, so
// the index is rebuilt from them on the first save after Open.
//
// It is only used inside write transactions, which are serialised. Rows
// another process inserted are picked up at the start of each transaction
// (ids above the highest one seen). Candidates it returns are re-read from
// the database and their stored signatures compared, so a stale entry (an
// article pruned or rewritten since) can cost a lookup, never a wrong
// duplicate.
type lshIndex struct {
	mu      sync.Mutex
	pending sync.WaitGroup // addLater under way
	loaded  bool
	maxID   int64
	table   bandTable
	count   int // articles indexed
}

const (
	// lshWindow: copies of a wire story appear within days of each other;
	// older articles are not looked at when the index is built.
	lshWindow = 14 * 24 * time.Hour
	// lshMaxArticles bounds the memory: 16 band keys an article, in 8-byte
	// slots of a table at most half full (at most 256 bytes an article).
	lshMaxArticles = 100_000
)

// sync loads the index, or catches up with rows inserted since.
func (x *lshIndex) sync(ctx context.Context, tx *wtx, now int64) error {
	x.settle()
	if x.loaded && x.count > 2*lshMaxArticles {
		x.reset()
	}
	q, args := `SELECT id, minhash FROM articles WHERE id > ? AND minhash IS NOT NULL ORDER BY id`, []any{x.maxID}
	if !x.loaded {
		x.table, x.count, x.maxID = bandTable{}, 0, 0
		q = `SELECT id, minhash FROM (SELECT id, minhash FROM articles
			WHERE minhash IS NOT NULL AND first_seen >= ? ORDER BY id DESC LIMIT ?) ORDER BY id`
		args = []any{now - int64(lshWindow), lshMaxArticles}
	}
	err := eachRow(ctx, tx, q, args, func(sc scanner) error {
		var id int64
		var blob []byte
		if err := sc.Scan(&id, &blob); err != nil {
			return err
		}
		if sig, ok := parseSignature(blob); ok {
			keys := bandKeys(&sig)
			x.insert(id, &keys)
		}
		return nil
	})
	if err != nil {
		x.reset()
		return err
	}
	// The newest id, whether or not it has a signature.
	var maxID int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM articles`).Scan(&maxID); err != nil {
		x.reset()
		return err
	}
	x.maxID = max(x.maxID, maxID)
	x.loaded = true
	return nil
}

// reset drops the index; the next sync rebuilds it. Called when a write
// transaction fails, as ids it added may be handed out again.
func (x *lshIndex) reset() {
	x.settle()
	x.loaded, x.table, x.count, x.maxID = false, bandTable{}, 0, 0
}

// add indexes article id under its band keys.
func (x *lshIndex) add(id int64, keys *[numBands]int64) {
	x.settle()
	x.insert(id, keys)
}

// addLater indexes articles ids under their band keys on another
// goroutine: a batch's new articles are indexed while its transaction
// commits. Every other use of the index waits for it first.
func (x *lshIndex) addLater(ids []int64, keys [][numBands]int64) {
	x.settle()
	x.pending.Go(func() {
		for i, id := range ids {
			x.insert(id, &keys[i])
		}
	})
}

// settle waits for addLater.
func (x *lshIndex) settle() { x.pending.Wait() }

func (x *lshIndex) insert(id int64, keys *[numBands]int64) {
	for _, k := range keys {
		x.table.add(k, id)
	}
	x.count++
	x.maxID = max(x.maxID, id)
}

// lookup returns the ids of articles sharing a band key with keys, and
// rarely an id sharing only 32 bits of one (callers compare the stored
// signatures).
func (x *lshIndex) lookup(keys *[numBands]int64) []int64 {
	x.settle()
	var ids []int64
	for _, k := range keys {
		ids = x.table.lookup(k, ids)
	}
	return ids
}

// bandTable is a multimap from band keys to article ids, kept compact
// because it is large (16 keys an article, 100k articles) and every save
// probes it at random: one 8-byte slot an entry, holding 32 bits of the
// key (already a hash) and the id, in an open-addressing table with linear
// probing, at most half full. A Go map of int64 to int64 took three times
// the memory and as many cache misses per probe. Ids of 2^32 and above,
// which SQLite hands out only after four billion inserts, go to spill.
//
// A grown table is new memory, and the first touch of each of its pages
// costs a page fault (on some virtual machines several microseconds a
// page: 100 ms for a 32 MB table). So once a large table is 3/8 full, the
// next one is allocated and touched on another goroutine, and the grow at
// 1/2 only rehashes into it.
type bandTable struct {
	slots []uint64 // tag<<32 | id; 0 is empty
	n     int
	spill map[uint32][]int64
	next  chan []uint64 // the next table, being faulted in; nil if not started
}

// prefaultFrom is the least table size worth preparing the next one for.
const prefaultFrom = 1 << 16

// tag is the 32 bits of a band key kept; never 0, which marks an empty slot.
func tag(key int64) uint32 {
	t := uint32(uint64(key) >> 32)
	if t == 0 {
		t = 1
	}
	return t
}

func (t *bandTable) add(key, id int64) {
	tg := tag(key)
	if id <= 0 || id > math.MaxUint32 {
		if t.spill == nil {
			t.spill = map[uint32][]int64{}
		}
		if !slices.Contains(t.spill[tg], id) {
			t.spill[tg] = append(t.spill[tg], id)
		}
		return
	}
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	} else if t.next == nil && len(t.slots) >= prefaultFrom && 8*t.n >= 3*len(t.slots) {
		next := make(chan []uint64, 1) // never blocks the goroutine, even if the table is dropped
		t.next = next
		go func(n int) {
			s := make([]uint64, n)
			for i := 0; i < len(s); i += 512 { // one store a 4 KB page
				s[i] = 0
			}
			next <- s
		}(2 * len(t.slots))
	}
	v := uint64(tg)<<32 | uint64(id)
	mask := uint64(len(t.slots) - 1)
	for i := uint64(tg) & mask; ; i = (i + 1) & mask {
		switch t.slots[i] {
		case 0:
			t.slots[i] = v
			t.n++
			return
		case v:
			return // already there
		}
	}
}

// lookup appends to ids those stored under key's tag that are not in ids.
func (t *bandTable) lookup(key int64, ids []int64) []int64 {
	tg := tag(key)
	if len(t.slots) > 0 {
		mask := uint64(len(t.slots) - 1)
		for i := uint64(tg) & mask; t.slots[i] != 0; i = (i + 1) & mask {
			if uint32(t.slots[i]>>32) == tg {
				if id := int64(uint32(t.slots[i])); !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
	}
	for _, id := range t.spill[tg] {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func (t *bandTable) grow() {
	old := t.slots
	if t.next != nil {
		t.slots = <-t.next
		t.next = nil
	} else {
		t.slots = make([]uint64, max(1024, 2*len(old)))
	}
	mask := uint64(len(t.slots) - 1)
	for _, v := range old {
		if v == 0 {
			continue
		}
		i := (v >> 32) & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = v
	}
}
