package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/kabar-news/kabar/extract"
)

// TestReadsDuringWrite: feed queries go on while a crawl holds the write
// lock, in this process or another one.
func TestReadsDuringWrite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kabar.db")
	s := openAt(t, path, nil)
	other := openAt(t, path, nil) // stands for another process
	mustSave(t, s, "a", article(1, "https://a.example/1"))

	tx, err := other.write.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE articles SET title = 'sedang ditulis'`); err != nil {
		t.Fatal(err)
	}
	qctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	for range 20 {
		got, err := s.Articles(qctx, Query{Source: "a"})
		if err != nil || len(got) != 1 || got[0].Title == "sedang ditulis" {
			t.Fatalf("read during write: %v, %v", got, err)
		}
		if ok, err := s.Known(qctx, "https://a.example/1"); err != nil || !ok {
			t.Fatalf("Known during write: %v, %v", ok, err)
		}
	}
	// A writer waits for the lock (busy timeout) instead of failing.
	done := make(chan error, 1)
	go func() {
		_, err := s.SaveArticle(ctx, "a", article(2, "https://a.example/2"))
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("save after waiting for the lock: %v", err)
	}
}

// TestDuplicatesAcrossStores: a copy saved through one store is recognised
// by another on the same file whose duplicate index was built before.
func TestDuplicatesAcrossStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kabar.db")
	s1 := openAt(t, path, nil)
	s2 := openAt(t, path, nil)
	wire := body(77, 3000)
	mk := func(url, text string) *extract.Article {
		a := article(0, url)
		a.Text = text
		return a
	}
	mustSave(t, s2, "b", mk("https://b.example/unrelated", body(78, 3000))) // s2 builds its index
	mustSave(t, s1, "a", mk("https://a.example/1", "JAKARTA - "+wire))
	mustSave(t, s2, "b", mk("https://b.example/1", "Jakarta (ANTARA) - "+edit(wire, 40)))
	root := mustQuery(t, s1, Query{Source: "a"})[0]
	if got := mustQuery(t, s1, Query{Source: "b"}); len(got) != 2 || got[0].DuplicateOf != root.ID {
		t.Errorf("copy saved by the other store: %+v", got)
	}
}

// TestUpdateKeepsDerivedRowsExact: rewriting tags leaves exactly the new
// tag rows.
func TestUpdateKeepsDerivedRowsExact(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, nil)
	a := article(1, "https://a.example/1")
	for i, tags := range [][]string{{"Satu", "Dua"}, {"dua", "Tiga", "Empat"}, nil} {
		a.Tags = tags
		a.Title = fmt.Sprint("versi ", i)
		mustSave(t, s, "a", a)
		var n int
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM article_tags`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := len(tagKeys(tags, a.Section)); n != want {
			t.Errorf("version %d: %d tag rows, want %d", i, n, want)
		}
	}
	if got := mustQuery(t, s, Query{Tag: "satu"}); len(got) != 0 {
		t.Error("removed tag still matches")
	}
}
