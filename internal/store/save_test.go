package store

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kabar-news/kabar/extract"
)

func TestSaveRoundTrip(t *testing.T) {
	c := newClock()
	s := openTest(t, c)
	in := article(1, "https://a.example/berita/1")
	if r := mustSave(t, s, "contoh", in); r != Inserted {
		t.Fatalf("first save = %v", r)
	}
	got := mustQuery(t, s, Query{Source: "contoh"})
	if len(got) != 1 {
		t.Fatalf("got %d articles", len(got))
	}
	a := got[0]
	if d := diffArticle(a.Article, *in); d != "" {
		t.Errorf("round trip: %s", d)
	}
	// The publisher's UTC offset survives.
	if _, off := a.Published.Zone(); off != 7*3600 {
		t.Errorf("published offset = %d", off)
	}
	if a.ID == 0 || a.Source != "contoh" || a.ContentHash == "" || a.DuplicateOf != 0 {
		t.Errorf("bookkeeping: %+v", a)
	}
	now := c.Now()
	if !a.FirstSeen.Equal(now) || !a.LastSeen.Equal(now) || !a.Updated.Equal(now) {
		t.Errorf("times: first %v last %v updated %v, want %v", a.FirstSeen, a.LastSeen, a.Updated, now)
	}
	byID, err := s.Article(context.Background(), a.ID)
	if err != nil || byID.ID != a.ID || diffArticle(byID.Article, a.Article) != "" {
		t.Errorf("Article(%d): %v", a.ID, err)
	}
}

// diffArticle names the first fields that differ; times compare as
// instants with the same UTC offset.
func diffArticle(got, want extract.Article) string {
	var diffs []string
	for _, tm := range []struct {
		name string
		g, w time.Time
	}{{"Published", got.Published, want.Published}, {"Modified", got.Modified, want.Modified}} {
		_, go1 := tm.g.Zone()
		_, wo := tm.w.Zone()
		if !tm.g.Equal(tm.w) || go1 != wo {
			diffs = append(diffs, fmt.Sprintf("%s = %v, want %v", tm.name, tm.g, tm.w))
		}
	}
	got.Published, got.Modified, want.Published, want.Modified = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range gv.NumField() {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			g := fmt.Sprint(gv.Field(i).Interface())
			if len(g) > 80 {
				g = g[:80] + "..."
			}
			diffs = append(diffs, fmt.Sprintf("%s = %s", gv.Type().Field(i).Name, g))
		}
	}
	return strings.Join(diffs, "; ")
}

func TestSaveEmptyFields(t *testing.T) {
	s := openTest(t, nil)
	in := &extract.Article{URL: "https://a.example/kosong"}
	mustSave(t, s, "a", in)
	got := mustQuery(t, s, Query{Source: "a"})
	if len(got) != 1 || diffArticle(got[0].Article, *in) != "" {
		t.Fatalf("got %d articles: %s", len(got), diffArticle(got[0].Article, *in))
	}
	if got[0].Authors != nil || got[0].Tags != nil || !got[0].Published.IsZero() {
		t.Errorf("empty fields came back non-empty: %+v", got[0].Article)
	}
}

func TestSaveUnchangedWritesNothing(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openTest(t, c)
	a := article(1, "https://a.example/1")
	mustSave(t, s, "a", a)
	changes := func() int {
		var n int
		if err := s.write.QueryRowContext(ctx, "SELECT total_changes()").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := changes()
	c.Advance(10 * time.Minute)
	// Same content, fetched by another URL and found by another method.
	again := article(1, "https://a.example/1")
	again.PageURL = "https://a.example/1?from=home"
	again.Method, again.Confidence = extract.MethodGeneric, 0.5
	if r := mustSave(t, s, "a", again); r != Unchanged {
		t.Fatalf("re-save = %v, want unchanged", r)
	}
	if n := changes(); n != before {
		t.Errorf("unchanged re-save changed %d rows", n-before)
	}
	// After an hour an unchanged sighting refreshes last_seen only.
	c.Advance(time.Hour)
	if r := mustSave(t, s, "a", again); r != Unchanged {
		t.Fatalf("re-save = %v, want unchanged", r)
	}
	got := mustQuery(t, s, Query{Source: "a"})[0]
	if !got.LastSeen.Equal(c.Now()) || got.Updated.Equal(c.Now()) || got.Updated != got.FirstSeen {
		t.Errorf("last seen %v updated %v first %v", got.LastSeen, got.Updated, got.FirstSeen)
	}
}

func TestSaveChangedKeepsID(t *testing.T) {
	c := newClock()
	s := openTest(t, c)
	a := article(1, "https://a.example/1")
	mustSave(t, s, "a", a)
	first := mustQuery(t, s, Query{Source: "a"})[0]

	for i, change := range []func(*extract.Article){
		func(a *extract.Article) { a.Title = "Judul yang diperbaiki" }, // a title edit
		func(a *extract.Article) { a.Text += "\n\nPembaruan: korban bertambah."; a.HTML += "<p>Pembaruan</p>" },
		func(a *extract.Article) { a.Tags = append(a.Tags, "Banjir") },
		func(a *extract.Article) { a.Authors = []string{"Andi Wijaya"} },
	} {
		c.Advance(time.Minute)
		change(a)
		if r := mustSave(t, s, "a", a); r != Updated {
			t.Fatalf("change %d: save = %v, want updated", i, r)
		}
		got := mustQuery(t, s, Query{Source: "a"})
		if len(got) != 1 {
			t.Fatalf("change %d made %d items", i, len(got))
		}
		g := got[0]
		if g.ID != first.ID || !g.FirstSeen.Equal(first.FirstSeen) || !g.Updated.Equal(c.Now()) {
			t.Errorf("change %d: id %d (want %d), first %v, updated %v (want %v)", i, g.ID, first.ID, g.FirstSeen, g.Updated, c.Now())
		}
		if d := diffArticle(g.Article, *a); d != "" {
			t.Errorf("change %d not stored: %s", i, d)
		}
	}
	if got := mustQuery(t, s, Query{Source: "a", Tag: "banjir"}); len(got) != 1 {
		t.Error("added tag not queryable")
	}
	if got := mustQuery(t, s, Query{Source: "a", Tag: "pemilu 2029"}); len(got) != 1 {
		t.Error("kept tag not queryable")
	}
}

func TestKnown(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, nil)
	a := article(1, "https://a.example/1")
	a.PageURL = "https://m.a.example/1?utm_source=fb"
	mustSave(t, s, "a", a)
	for u, want := range map[string]bool{
		"https://a.example/1":                 true,
		"https://m.a.example/1?utm_source=fb": true,
		"https://a.example/2":                 false,
		"":                                    false,
	} {
		if got, err := s.Known(ctx, u); err != nil || got != want {
			t.Errorf("Known(%q) = %v, %v; want %v", u, got, err, want)
		}
	}
	// A save by the page URL alone (no canonical found that time) is the same article.
	b := article(1, "https://m.a.example/1?utm_source=fb")
	b.Title = "Judul baru"
	if r := mustSave(t, s, "a", b); r != Updated {
		t.Errorf("save by page url = %v, want updated", r)
	}
	if n := len(mustQuery(t, s, Query{Source: "a"})); n != 1 {
		t.Errorf("%d items, want 1", n)
	}
}

// TestSlugChange: an edited title that changes the URL slug is the same
// item, updated, and both URLs are known.
func TestSlugChange(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openTest(t, c)
	a := article(1, "https://a.example/2026/03/10/banjir-melanda-jakarta")
	mustSave(t, s, "a", a)
	id := mustQuery(t, s, Query{Source: "a"})[0].ID

	c.Advance(20 * time.Minute)
	b := *a
	b.URL = "https://a.example/2026/03/10/banjir-besar-melanda-jakarta-utara"
	b.PageURL = b.URL
	b.Title = "Banjir Besar Melanda Jakarta Utara"
	b.Text = edit(a.Text, 60) // and a few words of the body
	if r := mustSave(t, s, "a", &b); r != Updated {
		t.Fatalf("save under new slug = %v, want updated", r)
	}
	got := mustQuery(t, s, Query{Source: "a"})
	if len(got) != 1 || got[0].ID != id || got[0].Title != b.Title {
		t.Fatalf("got %+v", got)
	}
	for _, u := range []string{a.URL, b.URL} {
		if ok, err := s.Known(ctx, u); err != nil || !ok {
			t.Errorf("Known(%s) = %v, %v", u, ok, err)
		}
	}
	var before, after int
	s.write.QueryRowContext(ctx, "SELECT total_changes()").Scan(&before)
	if r := mustSave(t, s, "a", &b); r != Unchanged {
		t.Errorf("re-save under new slug = %v", r)
	}
	s.write.QueryRowContext(ctx, "SELECT total_changes()").Scan(&after)
	if after != before {
		t.Errorf("unchanged re-save under new slug changed %d rows", after-before)
	}

	// A daily article from a template (same source, near-identical body,
	// another day) is a new item, not an update of yesterday's.
	c.Advance(24 * time.Hour)
	d := *a
	d.URL = "https://a.example/2026/03/11/harga-emas-hari-ini"
	d.Published = a.Published.Add(24 * time.Hour)
	d.Text = edit(a.Text, 80)
	if r := mustSave(t, s, "a", &d); r != Inserted {
		t.Errorf("next day's templated article = %v, want inserted", r)
	}
	for _, x := range mustQuery(t, s, Query{Source: "a"}) {
		if x.DuplicateOf != 0 {
			t.Errorf("same-source article %s marked duplicate", x.URL)
		}
	}
}

func TestNearDuplicatesAcrossSources(t *testing.T) {
	c := newClock()
	s := openTest(t, c)
	wire := body(42, 4000)
	mk := func(url, title, text string) *extract.Article {
		a := article(0, url)
		a.Title, a.Text, a.HTML = title, text, htmlOf(text)
		return a
	}
	antara := mk("https://antara.example/1", "Gempa M5,2 guncang Cianjur", "Cianjur (ANTARA) - "+wire)
	mustSave(t, s, "antara", antara)
	c.Advance(time.Hour)
	// Another outlet: its own title, dateline and a few edits.
	kompas := mk("https://kompas.example/1", "Gempa Guncang Cianjur, Warga Berhamburan", "CIANJUR, KOMPAS.com - "+edit(wire, 50))
	mustSave(t, s, "kompas", kompas)
	c.Advance(time.Hour)
	detik := mk("https://detik.example/1", "Cianjur Diguncang Gempa", edit(edit(wire, 50), 45)+" Baca juga: berita lain.")
	mustSave(t, s, "detik", detik)
	c.Advance(time.Hour)
	other := mk("https://detik.example/2", "Harga beras naik", body(7, 4000))
	mustSave(t, s, "detik", other)

	root := mustQuery(t, s, Query{Source: "antara"})[0]
	for _, src := range []string{"kompas", "detik"} {
		got := mustQuery(t, s, Query{Source: src})
		for _, a := range got {
			want := int64(0)
			if a.URL != other.URL {
				want = root.ID
			}
			if a.DuplicateOf != want {
				t.Errorf("%s: duplicate of %d, want %d", a.URL, a.DuplicateOf, want)
			}
		}
	}
	merged := urls(mustQuery(t, s, Query{}))
	if want := []string{other.URL, antara.URL}; !reflect.DeepEqual(merged, want) {
		t.Errorf("merged feed = %v, want %v", merged, want)
	}
	// The per-source feeds keep their copies.
	if got := mustQuery(t, s, Query{Source: "kompas"}); len(got) != 1 {
		t.Errorf("kompas feed has %d items", len(got))
	}

	// A copy edited so much it is another story is no longer a duplicate.
	c.Advance(time.Hour)
	kompas.Text = body(99, 4000)
	kompas.HTML = htmlOf(kompas.Text)
	if r := mustSave(t, s, "kompas", kompas); r != Updated {
		t.Fatalf("rewrite = %v", r)
	}
	if got := mustQuery(t, s, Query{Source: "kompas"})[0]; got.DuplicateOf != 0 {
		t.Errorf("rewritten story still a duplicate of %d", got.DuplicateOf)
	}
}

// TestUnrelatedNotDuplicates: articles on the same topics in the same
// words, but different texts, never collapse.
func TestUnrelatedNotDuplicates(t *testing.T) {
	s := openTest(t, nil)
	n := 300
	if testing.Short() {
		n = 120
	}
	var batch []*extract.Article
	for i := range n {
		a := article(uint64(i), fmt.Sprintf("https://s%d.example/%d", i%5, i))
		batch = append(batch, a)
		if len(batch) == 50 || i == n-1 {
			for src := range 5 {
				var part []*extract.Article
				for _, b := range batch {
					if strings.HasPrefix(b.URL, fmt.Sprintf("https://s%d.", src)) {
						part = append(part, b)
					}
				}
				if _, err := s.SaveArticles(context.Background(), fmt.Sprint("s", src), part); err != nil {
					t.Fatal(err)
				}
			}
			batch = nil
		}
	}
	got := mustQuery(t, s, Query{Limit: n})
	if len(got) != n {
		t.Errorf("merged feed has %d of %d unrelated articles", len(got), n)
	}
}

func TestShortTextsNeverDuplicates(t *testing.T) {
	s := openTest(t, nil)
	for i, src := range []string{"a", "b"} {
		a := article(uint64(i), fmt.Sprintf("https://%s.example/1", src))
		a.Text = "Foto: suasana banjir di Jakarta hari ini."
		mustSave(t, s, src, a)
	}
	if got := mustQuery(t, s, Query{}); len(got) != 2 {
		t.Errorf("merged feed has %d items, want 2", len(got))
	}
}

func TestSaveArticlesBatch(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, nil)
	batch := []*extract.Article{article(1, "https://a.example/1"), article(2, "https://a.example/2"), article(1, "https://a.example/1")}
	res, err := s.SaveArticles(ctx, "a", batch)
	if err != nil {
		t.Fatal(err)
	}
	if want := []SaveResult{Inserted, Inserted, Unchanged}; !reflect.DeepEqual(res, want) {
		t.Errorf("results = %v, want %v", res, want)
	}
	// An invalid article fails the whole batch before anything is written.
	bad := []*extract.Article{article(3, "https://a.example/3"), {Title: "no url"}}
	if _, err := s.SaveArticles(ctx, "a", bad); err == nil || !strings.Contains(err.Error(), "article 1 has no url") {
		t.Errorf("invalid batch: err = %v", err)
	}
	if ok, _ := s.Known(ctx, "https://a.example/3"); ok {
		t.Error("part of a failed batch was stored")
	}
	if _, err := s.SaveArticles(ctx, "", batch); err == nil {
		t.Error("empty source accepted")
	}
	if _, err := s.SaveArticle(ctx, "a", nil); err == nil {
		t.Error("nil article accepted")
	}
}

func TestSortTime(t *testing.T) {
	c := newClock()
	s := openTest(t, c)
	now := c.Now()
	for i, p := range []time.Time{
		now.Add(-3 * time.Hour), // oldest
		now.Add(7 * time.Hour),  // local time read as UTC: in the future, sorts as first seen
		{},                      // no date: first seen
		now.Add(-1 * time.Hour),
	} {
		a := article(uint64(i), fmt.Sprintf("https://a.example/%d", i))
		a.Published = p
		mustSave(t, s, "a", a)
		c.Advance(time.Minute)
	}
	got := urls(mustQuery(t, s, Query{Source: "a"}))
	want := []string{"https://a.example/2", "https://a.example/1", "https://a.example/3", "https://a.example/0"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

// TestBatchLikeOneByOne: a batch large enough to be encoded while it is
// written, mixing new articles, re-crawls, a URL twice, near-copies of
// stored articles and of each other, and a slug change, ends in the same
// results and rows as saving its articles one at a time.
func TestBatchLikeOneByOne(t *testing.T) {
	ctx := context.Background()
	p1 := article(100, "https://a.example/p1")
	p2 := article(101, "https://b.example/p2")
	retitled := *p1
	retitled.Title = "Judul baru"
	copyP2 := article(4, "https://a.example/4")
	copyP2.Text = edit(p2.Text, 40)
	short := article(8, "https://a.example/8")
	short.Text = "pendek"
	slug := *p1
	slug.URL = "https://a.example/p1-judul-baru"
	batch := []*extract.Article{
		article(1, "https://a.example/1"), article(2, "https://a.example/2"), &retitled,
		article(1, "https://a.example/1"), copyP2, article(5, "https://a.example/5"),
		article(5, "https://a.example/6"), article(7, "https://a.example/7"), short,
		article(9, "https://a.example/9"), &slug, article(11, "https://a.example/11"),
	}
	type rowState struct {
		url, dupOf, hash string
		tags             int
	}
	state := func(s *Store) []rowState {
		var out []rowState
		rows, err := s.read.QueryContext(ctx, `SELECT a.url, coalesce(d.url, ''), a.content_hash,
			(SELECT count(*) FROM article_tags WHERE article_id = a.id)
			FROM articles a LEFT JOIN articles d ON d.id = a.duplicate_of ORDER BY a.url`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var r rowState
			if err := rows.Scan(&r.url, &r.dupOf, &r.hash, &r.tags); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}
	setUp := func() *Store {
		s := openTest(t, newClock())
		mustSave(t, s, "a", p1)
		mustSave(t, s, "b", p2)
		return s
	}

	together := setUp()
	got, err := together.SaveArticles(ctx, "a", batch)
	if err != nil {
		t.Fatal(err)
	}
	single := setUp()
	var want []SaveResult
	for _, a := range batch {
		want = append(want, mustSave(t, single, "a", a))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("results %v, one by one %v", got, want)
	}
	if g, w := state(together), state(single); !reflect.DeepEqual(g, w) {
		t.Errorf("rows differ:\nbatch      %v\none by one %v", g, w)
	}
	if st := state(together); !slices.ContainsFunc(st, func(r rowState) bool {
		return r.url == copyP2.URL && r.dupOf == p2.URL
	}) {
		t.Errorf("copy of %s not marked: %v", p2.URL, st)
	}
	for _, u := range []string{slug.URL, "https://a.example/6"} {
		if ok, err := together.Known(ctx, u); err != nil || !ok {
			t.Errorf("%s not known after the batch: %v", u, err)
		}
	}
}
