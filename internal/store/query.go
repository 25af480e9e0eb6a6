package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultLimit is the number of articles a Query with Limit 0 returns.
const DefaultLimit = 50

// Known reports whether an article with this canonical (or fetched) URL is stored.
// URLs of articles removed by Prune stay known for a while, so a listing
// page does not bring them back.
func (s *Store) Known(ctx context.Context, url string) (bool, error) {
	if url == "" {
		return false, nil
	}
	rows, err := s.queryRead(ctx, `SELECT 1 FROM articles WHERE url = ?1
		UNION ALL SELECT 1 FROM articles WHERE page_url = ?1 AND page_url <> url
		UNION ALL SELECT 1 FROM seen_urls WHERE url = ?1
		LIMIT 1`, true, url)
	if err != nil {
		return false, s.fail("look up "+url, err)
	}
	defer rows.Close()
	found := rows.Next()
	if err := rows.Err(); err != nil {
		return false, s.fail("look up "+url, err)
	}
	return found, nil
}

// Query selects articles for a feed.
type Query struct {
	Source  string   // "" for all sources (near-duplicates collapsed)
	Tag     string   // tag or section, case-insensitive
	Include []string // every word must occur in title or text (case-insensitive)
	Exclude []string // no word may occur
	Limit   int      // 0 means 50
	// TextLimit, when above 0, cuts Article.Text to its first TextLimit
	// characters (runes), read so from the file: a feed that shows the HTML
	// and a summary then does not copy every body text. Keyword filters
	// still look at the whole text. 0 reads the whole text.
	TextLimit int
}

const articleColumns = `a.id, a.source, a.url, a.title, a.meta, a.duplicate_of, a.last_seen, a.text, a.html`

// Articles returns the newest articles matching q, newest first: by
// published time, or first-seen time when the page had none. Every query
// walks an index in that order and stops after Limit matches; keyword
// filters (Unicode case-insensitive substrings) are checked on the way,
// after an SQL LIKE pre-filter that may only err on the side of a match.
func (s *Store) Articles(ctx context.Context, q Query) ([]Article, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	include := foldWords(q.Include)
	exclude := foldWords(q.Exclude)

	filtered := len(include) > 0 || len(exclude) > 0
	cut := q.TextLimit > 0 && !filtered // filters need the whole text: cut after matching

	var sb strings.Builder
	var args []any
	if cut {
		sb.WriteString("SELECT " + strings.Replace(articleColumns, "a.text", "substr(a.text, 1, ?)", 1) + " FROM articles a")
		args = append(args, q.TextLimit)
	} else {
		sb.WriteString("SELECT " + articleColumns + " FROM articles a")
	}
	if q.Source != "" {
		sb.WriteString(" WHERE a.source = ?")
		args = append(args, q.Source)
	} else {
		sb.WriteString(" WHERE a.duplicate_of IS NULL")
	}
	if tag := foldTag(q.Tag); tag != "" {
		sb.WriteString(" AND a.id IN (SELECT article_id FROM article_tags WHERE tag = ?)")
		args = append(args, tag)
	}
	for _, w := range include {
		p := likePattern(w)
		sb.WriteString(` AND (a.title LIKE ? ESCAPE '\' OR a.text LIKE ? ESCAPE '\')`)
		args = append(args, p, p)
	}
	sb.WriteString(" ORDER BY a.sort_time DESC, a.id DESC")
	if !filtered {
		sb.WriteString(" LIMIT ?")
		args = append(args, limit)
	}

	rows, err := s.queryRead(ctx, sb.String(), len(include) <= 4, args...)
	if err != nil {
		return nil, s.fail("query articles", err)
	}
	defer rows.Close()
	out := make([]Article, 0, min(limit, 64))
	for len(out) < limit && rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, s.fail("query articles", err)
		}
		if filtered && !matches(&a, include, exclude) {
			continue
		}
		if q.TextLimit > 0 {
			a.Text = cutRunes(a.Text, q.TextLimit)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("query articles", err)
	}
	return out, nil
}

// Article returns the article with this id.
func (s *Store) Article(ctx context.Context, id int64) (Article, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+articleColumns+" FROM articles a WHERE a.id = ?", id)
	if err != nil {
		return Article{}, s.fail("get article", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Article{}, s.fail("get article", err)
		}
		return Article{}, fmt.Errorf("get article %d: %w", id, ErrNotFound)
	}
	a, err := scanArticle(rows)
	if err != nil {
		return Article{}, s.fail("get article", err)
	}
	return a, nil
}

// ErrNotFound is returned for an article that is not stored.
var ErrNotFound = errors.New("not found")

func scanArticle(rows *sql.Rows) (Article, error) {
	var a Article
	var meta sql.RawBytes // decoded before the next row
	var dup sql.NullInt64
	var last int64
	if err := rows.Scan(&a.ID, &a.Source, &a.URL, &a.Title, &meta, &dup, &last, &a.Text, &a.HTML); err != nil {
		return a, err
	}
	a.DuplicateOf = dup.Int64
	a.LastSeen = fromNanos(last)
	if err := decodeMeta(meta, &a); err != nil {
		return a, fmt.Errorf("article %d: %w", a.ID, err)
	}
	return a, nil
}

// cutRunes returns the first n runes of s.
func cutRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

func foldWords(words []string) []string {
	var out []string
	for _, w := range words {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, strings.ToLower(w))
		}
	}
	return out
}

// matches applies the keyword filters exactly: every include word occurs in
// the title or the text, no exclude word in either, case-insensitively.
func matches(a *Article, include, exclude []string) bool {
	title, text := strings.ToLower(a.Title), strings.ToLower(a.Text)
	for _, w := range include {
		if !strings.Contains(title, w) && !strings.Contains(text, w) {
			return false
		}
	}
	for _, w := range exclude {
		if strings.Contains(title, w) || strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// likePattern turns a lower-cased word into a LIKE pattern that matches at
// least every text containing the word in any case. SQLite's LIKE folds
// ASCII letters only, so every rune it cannot fold the way Go does becomes
// a one-character wildcard: non-ASCII runes, and the ASCII letters that a
// non-ASCII rune lower-cases to ('i' from U+0130, 'k' from the Kelvin sign).
// matches then decides exactly.
func likePattern(w string) string {
	var sb strings.Builder
	sb.WriteByte('%')
	for _, r := range w {
		switch {
		case r == '%' || r == '_' || r == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r >= utf8.RuneSelf || r == 'i' || r == 'k':
			sb.WriteByte('_')
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('%')
	return sb.String()
}

// LastChange returns the newest Updated time among source's articles ("" for all);
// feeds use it as a cache key and Last-Modified. Pruning counts as a change.
func (s *Store) LastChange(ctx context.Context, source string) (time.Time, error) {
	var n sql.NullInt64
	var err error
	if source == "" {
		err = s.read.QueryRowContext(ctx, `SELECT max(last_change) FROM sources`).Scan(&n)
	} else {
		err = s.read.QueryRowContext(ctx, `SELECT last_change FROM sources WHERE name = ?`, source).Scan(&n)
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, s.fail("last change of "+source, err)
	}
	return fromNanos(n.Int64), nil
}

// queryRead runs q on the read pool, as a statement prepared once when
// cache is set (parsing and planning a feed query costs a fifth of running
// it); the texts cached must be bounded in number.
func (s *Store) queryRead(ctx context.Context, q string, cache bool, args ...any) (*sql.Rows, error) {
	if !cache {
		return s.read.QueryContext(ctx, q, args...)
	}
	st := s.readStmts.get(q)
	if st == nil {
		if err := s.readStmts.prepare(ctx, s.read, []string{q}); err != nil {
			return nil, err
		}
		st = s.readStmts.get(q)
	}
	return st.QueryContext(ctx, args...)
}

// RememberURL records that url, a link as a listing gave it (before
// redirects), leads to the stored article whose canonical URL is canonical,
// so Known(url) is true from now on and the page is not fetched again just
// because its link redirects (http → https, short links, old slugs). It does
// nothing when canonical is not stored or url is already known.
func (s *Store) RememberURL(ctx context.Context, url, canonical string) error {
	if url == "" || url == canonical {
		return nil
	}
	if _, err := s.write.ExecContext(ctx, `INSERT OR IGNORE INTO seen_urls (url, article_id, source, at)
		SELECT ?1, id, source, ?3 FROM articles WHERE url = ?2`, url, canonical, nanos(s.now())); err != nil {
		return s.fail("remember "+url, err)
	}
	return nil
}
