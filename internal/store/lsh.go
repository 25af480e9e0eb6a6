package store

import (
	"context"
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
	mu     sync.Mutex
	loaded bool
	maxID  int64
	first  map[int64]int64   // band key -> first article id
	more   map[int64][]int64 // band key -> further ids (rare: only near-copies share keys)
	count  int               // articles indexed
}

const (
	// lshWindow: copies of a wire story appear within days of each other;
	// older articles are not looked at when the index is built.
	lshWindow = 14 * 24 * time.Hour
	// lshMaxArticles bounds the memory: 8 map entries, about 250 bytes, an
	// article.
	lshMaxArticles = 100_000
)

// sync loads the index, or catches up with rows inserted since.
func (x *lshIndex) sync(ctx context.Context, tx *wtx, now int64) error {
	if x.loaded && x.count > 2*lshMaxArticles {
		x.reset()
	}
	q, args := `SELECT id, minhash FROM articles WHERE id > ? AND minhash IS NOT NULL ORDER BY id`, []any{x.maxID}
	if !x.loaded {
		x.first, x.more, x.count, x.maxID = map[int64]int64{}, map[int64][]int64{}, 0, 0
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
			x.add(id, &sig)
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
	x.loaded, x.first, x.more, x.count, x.maxID = false, nil, nil, 0, 0
}

func (x *lshIndex) add(id int64, sig *signature) {
	for _, k := range bandKeys(sig) {
		switch prev, ok := x.first[k]; {
		case !ok:
			x.first[k] = id
		case prev != id:
			x.more[k] = append(x.more[k], id)
		}
	}
	x.count++
	x.maxID = max(x.maxID, id)
}

// lookup returns the ids of articles sharing a band key with sig.
func (x *lshIndex) lookup(sig *signature) []int64 {
	var ids []int64
	seen := func(id int64) bool {
		for _, o := range ids {
			if o == id {
				return true
			}
		}
		return false
	}
	for _, k := range bandKeys(sig) {
		if id, ok := x.first[k]; ok && !seen(id) {
			ids = append(ids, id)
		}
		for _, id := range x.more[k] {
			if !seen(id) {
				ids = append(ids, id)
			}
		}
	}
	return ids
}
