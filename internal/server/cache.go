package server

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kabar-news/kabar/feeds"
)

// entryMaxAge bounds how long a rendered feed is reused even when its key
// (which includes the store's LastChange) is unchanged, so that changes the
// key cannot see (pruned articles) show up eventually.
const entryMaxAge = 10 * time.Minute

// errRenderPanic is what waiters of a render that panicked get.
var errRenderPanic = errors.New("render panicked")

// gzipMinSize is the smallest body worth compressing.
const gzipMinSize = 512

// cacheKey identifies a rendered feed: its name, format and query, and the
// store's LastChange of its source when it was rendered. What the feed is
// about (its title, home page, language) is kept in the entry and compared
// on a hit instead of being hashed on every lookup: it changes only on a
// configuration reload.
type cacheKey struct {
	name, query string
	format      feeds.Format
	changed     int64 // UnixNano
}

// entry is a rendered document with its validators, ready to be written.
type entry struct {
	body         []byte
	etag         string // strong, from the bytes
	lastModified string // HTTP date of the newest item, "" if none
	modTime      time.Time
	contentType  string
	contentLen   string
	created      time.Time
	desc         feedDesc // what a feed entry was rendered for; zero otherwise
	changed      int64    // the cacheKey.changed of a feed entry

	// The header values, allocated once: []string values set straight into
	// the header map, which net/http only reads.
	hETag, hLastModified, hContentType, hContentLen []string

	gzOnce sync.Once
	gz     []byte // gzip of body, nil when not worth it
	gzETag string
	gzLen  string

	hGzETag, hGzLen []string
}

// newEntry wraps body; modTime is the newest item's time.
func newEntry(body []byte, contentType string, modTime time.Time, now time.Time) *entry {
	sum := sha256.Sum256(body)
	e := &entry{
		body:        body,
		etag:        `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`,
		contentType: contentType,
		contentLen:  strconv.Itoa(len(body)),
		modTime:     modTime.UTC().Truncate(time.Second),
		created:     now,
	}
	// A different representation needs a different strong ETag; the suffix
	// is inside the quotes so the tag stays strong.
	e.gzETag = e.etag[:len(e.etag)-1] + `-gz"`
	e.hETag, e.hGzETag = []string{e.etag}, []string{e.gzETag}
	e.hContentType, e.hContentLen = []string{e.contentType}, []string{e.contentLen}
	if !modTime.IsZero() {
		e.lastModified = e.modTime.Format(http.TimeFormat)
		e.hLastModified = []string{e.lastModified}
	}
	return e
}

// gzipped returns the gzip variant of the body and its ETag, compressing
// once; ok is false when the body is too small to be worth it.
func (e *entry) gzipped() (body []byte, etag, length string, ok bool) {
	e.gzOnce.Do(func() {
		if len(e.body) < gzipMinSize {
			return
		}
		var buf bytes.Buffer
		buf.Grow(len(e.body) / 3)
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(e.body) // writes to a bytes.Buffer cannot fail
		zw.Close()
		if buf.Len() >= len(e.body) {
			return
		}
		e.gz = buf.Bytes()
		e.gzLen = strconv.Itoa(len(e.gz))
		e.hGzLen = []string{e.gzLen}
	})
	return e.gz, e.gzETag, e.gzLen, e.gz != nil
}

// size is the memory an entry holds, roughly.
func (e *entry) size() int64 { return int64(len(e.body) + len(e.body)/3 + 256) }

// feedCache is an LRU of rendered feeds bounded by entry count and bytes,
// which also makes concurrent misses of one key render only once.
type feedCache struct {
	maxEntries int
	maxBytes   int64

	mu       sync.Mutex
	ll       *list.List // of *cacheItem, front is most recent
	items    map[cacheKey]*list.Element
	bytes    int64
	inflight map[cacheKey]*call
}

type cacheItem struct {
	key cacheKey
	e   *entry
}

type call struct {
	done chan struct{}
	e    *entry
	err  error
}

func newFeedCache(maxEntries int, maxBytes int64) *feedCache {
	return &feedCache{
		maxEntries: maxEntries,
		maxBytes:   maxBytes,
		ll:         list.New(),
		items:      make(map[cacheKey]*list.Element),
		inflight:   make(map[cacheKey]*call),
	}
}

// get returns the entry of key rendered for desc, calling render on a miss
// (or when the cached entry is older than entryMaxAge at now, or was
// rendered for another desc). Concurrent callers of one key share one
// render; if the caller leading it gives up (its context ends), a waiter
// whose context is live renders instead. Errors are not cached.
func (c *feedCache) get(ctx context.Context, key cacheKey, desc *feedDesc, now time.Time, render func() (*entry, error)) (*entry, error) {
	for {
		c.mu.Lock()
		if el, ok := c.items[key]; ok {
			e := el.Value.(*cacheItem).e
			if now.Sub(e.created) < entryMaxAge && e.desc == *desc {
				if el != c.ll.Front() {
					c.ll.MoveToFront(el)
				}
				c.mu.Unlock()
				return e, nil
			}
			c.remove(el)
		}
		cl, ok := c.inflight[key]
		if !ok {
			break // c.mu still held: lead the render
		}
		c.mu.Unlock()
		select {
		case <-cl.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if cl.err != nil && ctx.Err() == nil &&
			(errors.Is(cl.err, context.Canceled) || errors.Is(cl.err, context.DeadlineExceeded)) {
			continue // the leader gave up, not the render: try again
		}
		if cl.err == nil && cl.e != nil && cl.e.desc != *desc {
			continue // rendered for the configuration before a reload
		}
		return cl.e, cl.err
	}
	cl := &call{done: make(chan struct{})}
	c.inflight[key] = cl
	c.mu.Unlock()

	func() {
		defer func() {
			if p := recover(); p != nil {
				cl.err = errRenderPanic
				c.finish(key, cl)
				panic(p)
			}
		}()
		cl.e, cl.err = render()
	}()
	c.finish(key, cl)
	return cl.e, cl.err
}

// finish publishes the result of a render to waiters and the cache.
func (c *feedCache) finish(key cacheKey, cl *call) {
	c.mu.Lock()
	delete(c.inflight, key)
	if cl.err == nil && cl.e != nil && cl.e.size() <= c.maxBytes {
		if el, ok := c.items[key]; ok {
			c.remove(el)
		}
		c.items[key] = c.ll.PushFront(&cacheItem{key: key, e: cl.e})
		c.bytes += cl.e.size()
		for c.ll.Len() > c.maxEntries || c.bytes > c.maxBytes {
			c.remove(c.ll.Back())
		}
	}
	c.mu.Unlock()
	close(cl.done)
}

func (c *feedCache) remove(el *list.Element) {
	it := c.ll.Remove(el).(*cacheItem)
	delete(c.items, it.key)
	c.bytes -= it.e.size()
}

// len returns the number of cached entries.
func (c *feedCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

// changeMemo remembers Store.LastChange answers per source for a short
// while, so a popular feed costs no database query per request. Reads take
// no lock.
type changeMemo struct {
	ttl  time.Duration // <0: never remember
	now  func() time.Time
	seen sync.Map // source → *changeSlot
}

// changeSlot holds the last answer for one source; a feed keeps a pointer
// to its source's slot so that a request looks nothing up.
type changeSlot struct {
	atomic.Pointer[changeSeen]
}

type changeSeen struct {
	t       time.Time
	checked time.Time
}

func newChangeMemo(ttl time.Duration, now func() time.Time) *changeMemo {
	return &changeMemo{ttl: ttl, now: now}
}

// get returns the remembered LastChange of source, asking fetch when the
// answer is older than the ttl. The map is bounded by the number of
// configured sources, since only known sources reach it.
func (m *changeMemo) get(ctx context.Context, source string, fetch func(context.Context, string) (time.Time, error)) (time.Time, error) {
	return m.read(ctx, m.now(), m.slot(source), source, fetch)
}

// slot returns the slot of source.
func (m *changeMemo) slot(source string) *changeSlot {
	if v, ok := m.seen.Load(source); ok {
		return v.(*changeSlot)
	}
	v, _ := m.seen.LoadOrStore(source, new(changeSlot))
	return v.(*changeSlot)
}

// read is get with the time already read and the slot of source at hand.
func (m *changeMemo) read(ctx context.Context, now time.Time, sl *changeSlot, source string, fetch func(context.Context, string) (time.Time, error)) (time.Time, error) {
	if m.ttl > 0 {
		if c := sl.Load(); c != nil {
			if d := now.Sub(c.checked); d < m.ttl && d >= 0 {
				return c.t, nil
			}
		}
	}
	t, err := fetch(ctx, source)
	if err != nil {
		return time.Time{}, err
	}
	if m.ttl > 0 {
		sl.Store(&changeSeen{t: t, checked: now})
	}
	return t, nil
}
