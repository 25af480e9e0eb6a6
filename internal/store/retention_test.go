package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/kabar-news/kabar/extract"
)

func TestPrune(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openTest(t, c)
	// 10 articles of a, one an hour apart (published = first seen), 3 of b.
	for i := range 10 {
		a := article(uint64(i), fmt.Sprintf("https://a.example/%d", i))
		a.Published = c.Now()
		mustSave(t, s, "a", a)
		c.Advance(time.Hour)
	}
	for i := range 3 {
		mustSave(t, s, "b", article(uint64(100+i), fmt.Sprintf("https://b.example/%d", i)))
	}
	before, _ := s.LastChange(ctx, "a")

	n, err := s.Prune(ctx, "a", 0, 6)
	if err != nil || n != 4 {
		t.Fatalf("prune to 6 items: %d, %v", n, err)
	}
	got := urls(mustQuery(t, s, Query{Source: "a"}))
	want := []string{"https://a.example/9", "https://a.example/8", "https://a.example/7", "https://a.example/6", "https://a.example/5", "https://a.example/4"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after prune: %v", got)
	}
	// Older than 3.5 hours: 5 and 4 (now is 10h after the first).
	n, err = s.Prune(ctx, "a", 4*time.Hour+30*time.Minute, 0)
	if err != nil || n != 2 {
		t.Fatalf("prune by age: %d, %v", n, err)
	}
	n, err = s.Prune(ctx, "a", 24*time.Hour, 3)
	if err != nil || n != 1 {
		t.Fatalf("prune by both: %d, %v", n, err)
	}
	if n, _ := s.Prune(ctx, "a", 0, 0); n != 0 {
		t.Errorf("prune without limits deleted %d", n)
	}
	if got := mustQuery(t, s, Query{Source: "b"}); len(got) != 3 {
		t.Errorf("other source lost articles: %d left", len(got))
	}
	if after, _ := s.LastChange(ctx, "a"); !after.After(before) {
		t.Error("prune did not count as a change")
	}
	// Pruned URLs stay known, so they are not fetched and stored again...
	if ok, _ := s.Known(ctx, "https://a.example/0"); !ok {
		t.Error("pruned url forgotten")
	}
	if ok, _ := s.Known(ctx, "https://a.example/0?utm_source=x"); !ok {
		t.Error("pruned page url forgotten")
	}
	// ...until the tombstones expire.
	c.Advance(tombstoneTTL + time.Hour)
	if _, err := s.Prune(ctx, "a", 0, 100); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Known(ctx, "https://a.example/0"); ok {
		t.Error("tombstone never expires")
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	var orphans int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM article_tags
		WHERE article_id NOT IN (SELECT id FROM articles)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Errorf("%d orphan tag rows", orphans)
	}
	if _, err := s.Prune(ctx, "", 0, 1); err == nil {
		t.Error("empty source accepted")
	}
	if _, err := s.Prune(ctx, "a", -time.Hour, 0); err == nil {
		t.Error("negative age accepted")
	}
}

// TestPruneReroots: when the first-seen copy of a story is pruned, the next
// copy takes its place in the merged feed and the others point to it.
func TestPruneReroots(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openTest(t, c)
	wire := body(5, 3000)
	var ids []int64
	for _, src := range []string{"a", "b", "c"} {
		a := article(0, "https://"+src+".example/gempa")
		a.Text = src + ": " + wire
		mustSave(t, s, src, a)
		ids = append(ids, mustQuery(t, s, Query{Source: src})[0].ID)
		c.Advance(time.Hour)
	}
	if got := mustQuery(t, s, Query{}); len(got) != 1 || got[0].ID != ids[0] {
		t.Fatalf("merged before prune: %v", urls(got))
	}
	if n, err := s.Prune(ctx, "a", 0, 0); err != nil || n != 0 {
		t.Fatal(n, err)
	}
	if n, err := s.Prune(ctx, "a", time.Minute, 0); err != nil || n != 1 {
		t.Fatalf("prune: %d, %v", n, err)
	}
	got := mustQuery(t, s, Query{})
	if len(got) != 1 || got[0].ID != ids[1] || got[0].DuplicateOf != 0 {
		t.Fatalf("merged after prune: %+v", urls(got))
	}
	if c3 := mustQuery(t, s, Query{Source: "c"})[0]; c3.DuplicateOf != ids[1] {
		t.Errorf("c points to %d, want %d", c3.DuplicateOf, ids[1])
	}
}

// TestPruneVacuums: deleted articles give their pages back to the file system.
func TestPruneVacuums(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, nil)
	var batch []*extract.Article
	for i := range 200 {
		batch = append(batch, article(uint64(i), fmt.Sprintf("https://a.example/%d", i)))
	}
	if _, err := s.SaveArticles(ctx, "a", batch); err != nil {
		t.Fatal(err)
	}
	pages := func() (total, free int) {
		s.write.QueryRowContext(ctx, "PRAGMA page_count").Scan(&total)
		s.write.QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free)
		return
	}
	before, _ := pages()
	if n, err := s.Prune(ctx, "a", 0, 10); err != nil || n != 190 {
		t.Fatal(n, err)
	}
	after, free := pages()
	if free != 0 || after > before/3 {
		t.Errorf("pages %d -> %d, %d free", before, after, free)
	}
}
