package store

import (
	"context"
	"errors"
	"time"
)

// tombstoneTTL is how long the URL of a pruned article stays known, so that
// a listing page still linking to it does not bring it back as new.
const tombstoneTTL = 90 * 24 * time.Hour

// validatorTTL: validators of URLs not fetched for this long are dropped.
const validatorTTL = 90 * 24 * time.Hour

// Prune deletes source's articles older than maxAge (0: no limit) and beyond
// the newest maxItems (0: no limit); it returns how many were deleted.
//
// Age and order are the feed's: published time, else first seen. The URLs
// of deleted articles stay known for 90 days. Near-duplicates of a deleted
// article are re-rooted on the first seen of them, so the story stays in
// the merged feed. Freed pages are returned to the file system.
func (s *Store) Prune(ctx context.Context, source string, maxAge time.Duration, maxItems int) (int, error) {
	if source == "" {
		return 0, errors.New("prune: empty source")
	}
	if maxAge < 0 || maxItems < 0 {
		return 0, errors.New("prune: negative limit")
	}
	now := s.now()
	var deleted int
	err := s.inWtx(ctx, func(tx *wtx) error {
		ids, err := pruneCandidates(ctx, tx, source, now, maxAge, maxItems)
		if err != nil {
			return err
		}
		deleted = len(ids)
		if len(ids) > 0 {
			if err := deleteArticles(ctx, tx, source, ids, nanos(now)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM seen_urls WHERE source = ? AND article_id IS NULL AND at < ?`,
			source, nanos(now.Add(-tombstoneTTL))); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM validators WHERE at < ?`, nanos(now.Add(-validatorTTL)))
		return err
	})
	if err != nil {
		return 0, s.fail("prune "+source, err)
	}
	if deleted > 0 {
		if _, err := s.write.ExecContext(ctx, "PRAGMA incremental_vacuum"); err != nil {
			return deleted, s.fail("vacuum after prune of "+source, err)
		}
	}
	return deleted, nil
}

func pruneCandidates(ctx context.Context, tx *wtx, source string, now time.Time, maxAge time.Duration, maxItems int) ([]int64, error) {
	var ids []int64
	collect := func(q string, args ...any) error {
		return eachRow(ctx, tx, q, args, func(sc scanner) error {
			var id int64
			err := sc.Scan(&id)
			ids = append(ids, id)
			return err
		})
	}
	switch {
	case maxAge > 0 && maxItems > 0:
		return ids, collect(`SELECT id FROM articles WHERE source = ?1 AND sort_time < ?2
			UNION SELECT id FROM (SELECT id FROM articles WHERE source = ?1
				ORDER BY sort_time DESC, id DESC LIMIT -1 OFFSET ?3)`, source, nanos(now.Add(-maxAge)), maxItems)
	case maxAge > 0:
		return ids, collect(`SELECT id FROM articles WHERE source = ? AND sort_time < ?`, source, nanos(now.Add(-maxAge)))
	case maxItems > 0:
		return ids, collect(`SELECT id FROM articles WHERE source = ?
			ORDER BY sort_time DESC, id DESC LIMIT -1 OFFSET ?`, source, maxItems)
	}
	return nil, nil
}

// deleteArticles removes the articles ids of source, keeping their URLs as
// tombstones and re-rooting their near-duplicates.
func deleteArticles(ctx context.Context, tx *wtx, source string, ids []int64, now int64) error {
	if err := deleteDerived(ctx, tx, ids); err != nil {
		return err
	}
	set := jsonArray(ids)
	steps := []struct {
		q    string
		args []any
	}{
		{`CREATE TEMP TABLE IF NOT EXISTS prune_ids (id INTEGER PRIMARY KEY)`, nil},
		{`DELETE FROM prune_ids`, nil},
		{`INSERT INTO prune_ids SELECT value FROM json_each(?)`, []any{set}},
		// Former canonical URLs become tombstones.
		{`UPDATE seen_urls SET article_id = NULL, at = ? WHERE article_id IN (SELECT id FROM prune_ids)`, []any{now}},
		{`INSERT INTO seen_urls (url, article_id, source, at)
			SELECT u, NULL, source, ? FROM (
				SELECT url AS u, source FROM articles WHERE id IN (SELECT id FROM prune_ids)
				UNION SELECT page_url, source FROM articles
					WHERE id IN (SELECT id FROM prune_ids) AND page_url <> '' AND page_url <> url)
			WHERE true
			ON CONFLICT (url) DO UPDATE SET article_id = NULL, at = excluded.at`, []any{now}},
		// The first seen surviving copy of a deleted story becomes the root...
		{`CREATE TEMP TABLE IF NOT EXISTS prune_roots (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)`, nil},
		{`DELETE FROM prune_roots`, nil},
		{`INSERT INTO prune_roots SELECT duplicate_of, min(id) FROM articles
			WHERE duplicate_of IN (SELECT id FROM prune_ids) AND id NOT IN (SELECT id FROM prune_ids)
			GROUP BY duplicate_of`, nil},
		// ...the others point to it.
		{`UPDATE articles SET duplicate_of = CASE
				WHEN id = (SELECT new FROM prune_roots WHERE old = duplicate_of) THEN NULL
				ELSE (SELECT new FROM prune_roots WHERE old = duplicate_of) END
			WHERE duplicate_of IN (SELECT old FROM prune_roots)`, nil},
		{`DELETE FROM articles WHERE id IN (SELECT id FROM prune_ids)`, nil},
		{touchSource, []any{source, now}},
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
			return err
		}
	}
	return nil
}
