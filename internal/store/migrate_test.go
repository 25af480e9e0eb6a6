package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestMigrateFromVersion1: a file written by schema version 1 (ids by
// AUTOINCREMENT) is upgraded on open: every article keeps its id, columns,
// tags and links, the file checks out, and a new article gets an id above
// every id version 1 handed out, even that of a deleted newest article.
func TestMigrateFromVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", dsn(path, time.Second, false))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{fmt.Sprintf("PRAGMA page_size = %d", pageSize), "PRAGMA auto_vacuum = INCREMENTAL", "PRAGMA journal_mode = WAL"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := migrate(ctx, conn, 0, steps[:1]); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if _, err := conn.ExecContext(ctx, `INSERT INTO articles (source, url, title, content_hash, minhash,
			duplicate_of, first_seen, last_seen, updated, sort_time, text)
			VALUES ('a', ?, ?, 'h', x'01', CASE WHEN ? = 2 THEN 1 END, ?, ?, ?, ?, 'isi')`,
			fmt.Sprint("https://a.example/", i), fmt.Sprint("Judul ", i), i, i, i, i, i); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO article_tags (tag, article_id) VALUES ('politik', 1)`,
		`DELETE FROM articles WHERE id = 3`, // the newest: version 1 would never hand out 3 again
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close()
	db.Close()

	s := openAt(t, path, nil)
	var version int
	if err := s.read.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil || version != SchemaVersion() {
		t.Fatalf("user_version = %d, %v; want %d", version, err, SchemaVersion())
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	type kept struct {
		id    int64
		title string
		dup   sql.NullInt64
		sig   []byte
	}
	var got []kept
	rows, err := s.read.QueryContext(ctx, `SELECT id, title, duplicate_of, minhash FROM articles ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k kept
		if err := rows.Scan(&k.id, &k.title, &k.dup, &k.sig); err != nil {
			t.Fatal(err)
		}
		got = append(got, k)
	}
	rows.Close()
	if len(got) != 2 || got[0].id != 1 || got[0].title != "Judul 1" || got[1].id != 2 || got[1].dup.Int64 != 1 || string(got[1].sig) != "\x01" {
		t.Fatalf("articles after migration: %+v", got)
	}
	if as := mustQuery(t, s, Query{Tag: "politik"}); len(as) != 1 || as[0].ID != 1 {
		t.Errorf("tag query after migration: %v", urls(as))
	}
	for _, idx := range []string{"articles_source_time", "articles_merged_time", "articles_page_url", "articles_duplicate_of"} {
		var n int
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = ?`, idx).Scan(&n); err != nil || n != 1 {
			t.Errorf("index %s: %d, %v", idx, n, err)
		}
	}
	mustSave(t, s, "a", article(4, "https://a.example/4"))
	var id int64
	if err := s.read.QueryRowContext(ctx, `SELECT id FROM articles WHERE url = 'https://a.example/4'`).Scan(&id); err != nil || id != 4 {
		t.Errorf("new article's id = %d, %v; want 4 (3 was handed out by version 1)", id, err)
	}
}

// TestIDsNeverReused: after the newest articles are deleted, new ones get
// ids above theirs, also after reopening.
func TestIDsNeverReused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kabar.db")
	s := openAt(t, path, nil)
	for i := range 5 {
		mustSave(t, s, "a", article(uint64(i), fmt.Sprint("https://a.example/", i)))
	}
	idOf := func(s *Store, u string) int64 {
		var id int64
		if err := s.read.QueryRowContext(ctx, `SELECT id FROM articles WHERE url = ?`, u).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	top := idOf(s, "https://a.example/4")
	if _, err := s.write.ExecContext(ctx, `DELETE FROM articles WHERE id > ?`, top-2); err != nil {
		t.Fatal(err)
	}
	mustSave(t, s, "a", article(10, "https://a.example/10"))
	if id := idOf(s, "https://a.example/10"); id != top+1 {
		t.Errorf("id after deleting the newest = %d, want %d", id, top+1)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openAt(t, path, nil)
	if _, err := s.write.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, top+1); err != nil {
		t.Fatal(err)
	}
	mustSave(t, s, "a", article(11, "https://a.example/11"))
	if id := idOf(s, "https://a.example/11"); id != top+2 {
		t.Errorf("id after reopening = %d, want %d", id, top+2)
	}
}
