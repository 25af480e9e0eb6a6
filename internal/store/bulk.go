package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/kabar-news/kabar/extract"
)

// The bulk path of SaveArticles: the articles of a batch that are plainly
// new (no known URL, no same-source near-copy, nothing else in the batch
// like them) are looked up with a set query and inserted by one prepared
// statement (cheaper per row than multi-row VALUES with RETURNING,
// measured) as soon as they are encoded, their tags with multi-row
// statements; the rest go through saveOne one by one.

// bulkChunks are the row counts of multi-row statements: a few fixed sizes
// keep the statement cache small.
var bulkChunks = []int{64, 16, 4, 1}

// forChunks calls f with consecutive chunks of n items, sized by bulkChunks.
func forChunks(n int, f func(start, size int) error) error {
	for start := 0; start < n; {
		size := 1
		for _, c := range bulkChunks {
			if n-start >= c {
				size = c
				break
			}
		}
		if err := f(start, size); err != nil {
			return err
		}
		start += size
	}
	return nil
}

// multiRow returns "head (?, ?), (?, ?) tail" with rows groups of params.
func multiRow(head string, params, rows int, tail string) string {
	group := "(" + strings.TrimSuffix(strings.Repeat("?, ", params), ", ") + ")"
	var sb strings.Builder
	sb.WriteString(head)
	for i := range rows {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(group)
	}
	sb.WriteString(tail)
	return sb.String()
}

func jsonArray[T any](v []T) string {
	b, err := json.Marshal(v)
	if err != nil { // cannot happen for strings and integers
		panic(err)
	}
	return string(b)
}

// candidate is a stored article that may be a near-copy of a new one.
type candidate struct {
	stored
	sig       signature
	published string
}

// saveNew inserts, in order as they are encoded, the articles of the
// batch that are plainly new, and reports which. The others, and those
// like an earlier article of the batch, are left to saveOne.
func saveNew(ctx context.Context, tx *wtx, source string, as []*extract.Article, enc *encoding, now int64) ([]bool, error) {
	fast := make([]bool, len(as))

	// URLs already stored, or seen twice in the batch, take the slow path.
	var keys []string
	for _, a := range as {
		keys = append(keys, a.URL)
		if a.PageURL != "" && a.PageURL != a.URL {
			keys = append(keys, a.PageURL)
		}
	}
	known := map[string]bool{}
	if err := eachRow(ctx, tx, `SELECT j.value FROM json_each(?) j WHERE
			EXISTS (SELECT 1 FROM articles WHERE url = j.value) OR
			EXISTS (SELECT 1 FROM articles WHERE page_url = j.value AND page_url <> url) OR
			EXISTS (SELECT 1 FROM seen_urls WHERE url = j.value)`,
		[]any{jsonArray(keys)}, func(sc scanner) error {
			var u string
			err := sc.Scan(&u)
			known[u] = true
			return err
		}); err != nil {
		return nil, err
	}

	inBatch := make(map[string]bool, len(keys))
	bandOwner := make(map[int64]int, len(as)*numBands)
	var tags []tagRow
	var ids []int64             // inserted articles with a signature
	var bands [][numBands]int64 // and their band keys
	for i, a := range as {
		plain := !known[a.URL] && !known[a.PageURL] && !inBatch[a.URL] && !inBatch[a.PageURL]
		inBatch[a.URL] = true
		if a.PageURL != "" {
			inBatch[a.PageURL] = true
		}
		r := enc.row(i)
		if r.hasSig {
			for _, k := range r.bands {
				if _, ok := bandOwner[k]; ok {
					plain = false // like an earlier article of the batch: judge it after that one is stored
				} else {
					bandOwner[k] = i
				}
			}
		}
		if !plain {
			continue
		}
		// Near-copies among the stored articles; the articles of this
		// batch are indexed after it.
		var dupOf sql.NullInt64
		if r.hasSig {
			if !r.looked { // encoded before the index was synced
				r.similar = tx.s.lsh.lookup(&r.bands)
			}
			same, dup, err := nearDuplicate(ctx, tx, source, r, r.similar, 0)
			if err != nil {
				return nil, err
			}
			if same != nil {
				continue // this source's article under another URL
			}
			dupOf = dup
		}
		id, err := tx.newID(ctx)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, bulkInsertArticle, insertArgs(id, source, r, now, dupOf)...); err != nil {
			return nil, err
		}
		fast[i] = true
		for _, t := range r.tagKeys {
			tags = append(tags, tagRow{t, id})
		}
		if r.hasSig {
			ids = append(ids, id)
			bands = append(bands, r.bands)
		}
	}
	tx.s.lsh.addLater(ids, bands)
	// In key order: consecutive inserts land in the same leaf page.
	slices.SortFunc(tags, func(a, b tagRow) int {
		return cmp.Or(strings.Compare(a.tag, b.tag), cmp.Compare(a.id, b.id))
	})
	args := make([]any, 0, 2*len(tags))
	for _, t := range tags {
		args = append(args, t.tag, t.id)
	}
	return fast, forChunks(len(tags), func(start, size int) error {
		_, err := tx.ExecContext(ctx, insertTagRows[size], args[2*start:2*(start+size)]...)
		return err
	})
}

type tagRow struct {
	tag string
	id  int64
}

type scanner interface{ Scan(...any) error }

func eachRow(ctx context.Context, tx *wtx, q string, args []any, f func(scanner) error) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func scanCandidate(sc scanner) (candidate, error) {
	var c candidate
	var blob []byte
	if err := sc.Scan(&c.id, &c.source, &c.url, &c.pageURL, &c.hash, &c.duplicateOf,
		&c.firstSeen, &c.lastSeen, &blob, &c.published); err != nil {
		return c, err
	}
	c.sig, _ = parseSignature(blob) // a missing signature matches nothing
	return c, nil
}

// judge decides among the candidates of r, in first-seen order: the same
// article of source under another URL (same), or the story r copies (dupOf).
func judge(source string, r *row, cands []*candidate, self int64) (same *stored, dupOf sql.NullInt64) {
	// First seen first: ids grow with insertion.
	for i := 1; i < len(cands); i++ {
		for j := i; j > 0 && cands[j].id < cands[j-1].id; j-- {
			cands[j], cands[j-1] = cands[j-1], cands[j]
		}
	}
	for _, c := range cands {
		if c.id == self || similarity(&c.sig, &r.sig) < sameStory {
			continue
		}
		if c.source == source {
			if self == 0 && same == nil && sameTime(c.published, r.pubTime) {
				same = &c.stored
			}
			continue
		}
		if !dupOf.Valid {
			root := c.id
			if c.duplicateOf.Valid {
				root = c.duplicateOf.Int64
			}
			dupOf = sql.NullInt64{Int64: root, Valid: true}
		}
	}
	if same != nil {
		return same, sql.NullInt64{}
	}
	return nil, dupOf
}

const insertColumns = `id, source, url, page_url, title, published, method, confidence, authors_n, meta,
	content_hash, minhash, duplicate_of, first_seen, last_seen, updated, sort_time, text, html`

const insertParams = 19

// The statements of the write path, built once.
var (
	insertArticle = multiRow("INSERT INTO articles ("+insertColumns+") VALUES ", insertParams, 1, "")
	// OR ROLLBACK: a failing row fails the whole batch anyway, and SQLite
	// then needs no statement journal.
	bulkInsertArticle = multiRow("INSERT OR ROLLBACK INTO articles ("+insertColumns+") VALUES ", insertParams, 1, "")
	// insertTagRows[n] inserts n tag rows, for n in bulkChunks.
	insertTagRows = func() map[int]string {
		m := map[int]string{}
		for _, n := range bulkChunks {
			m[n] = multiRow("INSERT OR IGNORE INTO article_tags (tag, article_id) VALUES ", 2, n, "")
		}
		return m
	}()
)

func insertArgs(id int64, source string, r *row, now int64, dupOf sql.NullInt64) []any {
	a := r.a
	return []any{id, source, a.URL, a.PageURL, a.Title, r.published, string(a.Method), a.Confidence, len(a.Authors),
		r.meta,
		r.hash, sigColumn(r), dupOf, now, now, now, sortTime(r.pubTime, now), a.Text, a.HTML}
}

// deleteDerived deletes the tag rows of articles ids, recomputed from
// their stored tags and section.
func deleteDerived(ctx context.Context, tx *wtx, ids []int64) error {
	var pairs [][2]any
	err := eachRow(ctx, tx, `SELECT id, meta FROM articles WHERE id IN (SELECT value FROM json_each(?))`,
		[]any{jsonArray(ids)}, func(sc scanner) error {
			var id int64
			var meta []byte
			if err := sc.Scan(&id, &meta); err != nil {
				return err
			}
			var a Article
			if err := decodeMeta(meta, &a); err != nil {
				return fmt.Errorf("article %d: %w", id, err)
			}
			for _, t := range tagKeys(a.Tags, a.Section) {
				pairs = append(pairs, [2]any{t, id})
			}
			return nil
		})
	if err != nil || len(pairs) == 0 {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM article_tags WHERE (tag, article_id) IN
		(SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))`, jsonArray(pairs))
	return err
}
