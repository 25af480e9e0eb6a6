package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kabar-news/kabar/extract"
)

// Article is a stored article.
type Article struct {
	ID     int64
	Source string
	extract.Article
	ContentHash string
	FirstSeen   time.Time
	// LastSeen is the last time the article was saved, changed or not; an
	// unchanged re-save refreshes it at most once an hour, otherwise it
	// writes nothing.
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

func (r SaveResult) String() string {
	switch r {
	case Unchanged:
		return "unchanged"
	case Inserted:
		return "inserted"
	case Updated:
		return "updated"
	}
	return fmt.Sprintf("SaveResult(%d)", int(r))
}

// row is an extract.Article encoded for its columns, with the values
// derived from it; computed before the write transaction.
type row struct {
	a         *extract.Article
	tagKeys   []string // lower-cased tags and section, deduplicated
	meta      []byte   // meta column of the article inserted now
	published string
	pubTime   time.Time
	hash      string
	sig       signature
	bands     [numBands]int64 // LSH keys of sig
	hasSig    bool
	similar   []int64 // LSH candidates among the articles stored before the batch
	looked    bool    // whether similar was looked up
}

// encode prepares a for its columns; meta is that of a new row saved at now.
func encode(a *extract.Article, now int64) row {
	r := row{
		a:         a,
		tagKeys:   tagKeys(a.Tags, a.Section),
		published: formatTime(a.Published),
		pubTime:   a.Published,
	}
	r.hash = contentHash(a)
	r.meta = encodeMeta(a, r.hash, now, now)
	r.sig, r.hasSig = fingerprint(a.Text)
	if r.hasSig {
		r.bands = bandKeys(&r.sig)
	}
	return r
}

// contentHash covers what a reader sees; not the page URL or how the body
// was found, so a re-fetch by another URL or a smarter extractor that finds
// the same content is no change.
func contentHash(a *extract.Article) string {
	// The fields, each preceded by its length, in one buffer hashed at
	// once: hashing field by field copied each string to a []byte.
	n := 15 * 8
	for _, l := range [][]string{a.Authors, a.Tags} {
		n += 8 * len(l)
		for _, s := range l {
			n += len(s)
		}
	}
	n += len(a.Title) + len(a.Subtitle) + len(a.Description) + len(a.Editor) + 2*len(time.RFC3339Nano) +
		len(a.LeadImage) + len(a.Language) + len(a.SiteName) + len(a.Section) + len(a.Text) + len(a.HTML)
	bp := hashBufs.Get().(*[]byte)
	defer hashBufs.Put(bp)
	b := slices.Grow((*bp)[:0], n)
	defer func() { *bp = b[:0] }()
	put := func(s string) {
		b = binary.LittleEndian.AppendUint64(b, uint64(len(s)))
		b = append(b, s...)
	}
	putList := func(l []string) {
		b = binary.LittleEndian.AppendUint64(b, uint64(len(l)))
		for _, s := range l {
			put(s)
		}
	}
	put(a.Title)
	put(a.Subtitle)
	put(a.Description)
	putList(a.Authors)
	put(a.Editor)
	put(formatTime(a.Published))
	put(formatTime(a.Modified))
	put(a.LeadImage)
	put(a.Language)
	put(a.SiteName)
	put(a.Section)
	putList(a.Tags)
	put(a.Text)
	put(a.HTML)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// hashBufs are the buffers of contentHash, 5 KB an article otherwise
// garbage.
var hashBufs = sync.Pool{New: func() any { return new([]byte) }}

func tagKeys(tags []string, section string) []string {
	var out []string
	add := func(t string) {
		t = foldTag(t)
		if t == "" {
			return
		}
		for _, o := range out {
			if o == t {
				return
			}
		}
		out = append(out, t)
	}
	for _, t := range tags {
		add(t)
	}
	add(section)
	return out
}

// foldTag is the form tags are stored and looked up in.
func foldTag(t string) string {
	return strings.ToLower(strings.Join(strings.Fields(t), " "))
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// nanos and fromNanos convert the INTEGER times of the schema.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// sortTime is the feed order key: the published time, unless missing or
// later than when the article was first seen (a wrong time zone must not
// pin an article on top of the feed for hours).
func sortTime(published time.Time, firstSeen int64) int64 {
	if published.IsZero() {
		return firstSeen
	}
	// Times beyond the int64 nanosecond range (years before 1678 or after
	// 2262) are garbage from a page; first seen is the honest order.
	sec := published.Unix()
	if sec <= math.MinInt64/int64(time.Second) || sec >= math.MaxInt64/int64(time.Second) {
		return firstSeen
	}
	return min(published.UnixNano(), firstSeen)
}
