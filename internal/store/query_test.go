package store

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kabar-news/kabar/extract"
)

func TestArticlesFilters(t *testing.T) {
	c := newClock()
	s := openTest(t, c)
	type doc struct {
		url, title, text, section string
		tags                      []string
	}
	docs := []doc{
		{"https://a.example/1", "Banjir di JAKARTA", "Hujan deras sejak pagi.", "Megapolitan", []string{"Banjir", "Cuaca"}},
		{"https://a.example/2", "Harga beras naik", "Menurut PEDAGANG di Pasar Induk harga naik 10%.", "Ekonomi", []string{"Harga_Pangan"}},
		{"https://a.example/3", "Pemilu 2029", "KPU menetapkan jadwal kampanye di İstanbul dan jakarta.", "Politik", nil},
		{"https://a.example/4", "Skor akhir", "Timnas menang 2-1 atas Ķazakhstan.", "Olahraga", []string{"Sepak Bola"}},
	}
	for _, d := range docs {
		a := article(0, d.url)
		a.Title, a.Text, a.HTML, a.Section, a.Tags = d.title, d.text, "<p>"+d.text+"</p>", d.section, d.tags
		a.Published = c.Now()
		mustSave(t, s, "a", a)
		c.Advance(time.Minute)
	}
	for _, tc := range []struct {
		name string
		q    Query
		want []int // indexes into docs, newest first
	}{
		{"all newest first", Query{Source: "a"}, []int{3, 2, 1, 0}},
		{"limit", Query{Source: "a", Limit: 2}, []int{3, 2}},
		{"merged", Query{Limit: 1}, []int{3}},
		{"other source", Query{Source: "b"}, nil},
		{"tag any case", Query{Source: "a", Tag: "BANJIR"}, []int{0}},
		{"tag with space", Query{Tag: "sepak  bola"}, []int{3}},
		{"section is a tag", Query{Tag: "ekonomi"}, []int{1}},
		{"tag with underscore is literal", Query{Tag: "harga_pangan"}, []int{1}},
		{"unknown tag", Query{Tag: "nope"}, nil},
		{"include in title or text", Query{Include: []string{"jakarta"}}, []int{2, 0}},
		{"include every word", Query{Include: []string{"Jakarta", "KPU"}}, []int{2}},
		{"include is a substring", Query{Include: []string{"dagang"}}, []int{1}},
		{"exclude", Query{Exclude: []string{"JAKARTA"}}, []int{3, 1}},
		{"include and exclude", Query{Include: []string{"harga"}, Exclude: []string{"pasar"}}, nil},
		{"percent is literal", Query{Include: []string{"10%"}}, []int{1}},
		{"underscore is not a wildcard", Query{Include: []string{"2_1"}}, nil},
		{"non-ascii upper in text", Query{Include: []string{"istanbul"}}, []int{2}},
		{"kelvin-like letters", Query{Include: []string{"ķazakh"}}, []int{3}},
		{"blank words ignored", Query{Include: []string{" ", ""}}, []int{3, 2, 1, 0}},
		{"filter with limit", Query{Include: []string{"a"}, Limit: 1}, []int{3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, i := range tc.want {
				want = append(want, docs[i].url)
			}
			if got := urls(mustQuery(t, s, tc.q)); !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestDefaultLimit(t *testing.T) {
	s := openTest(t, nil)
	var batch []*extract.Article
	for i := range 60 {
		a := article(uint64(i), fmt.Sprintf("https://a.example/%d", i))
		a.Text = "pendek" // no fingerprints needed here
		batch = append(batch, a)
	}
	if _, err := s.SaveArticles(context.Background(), "a", batch); err != nil {
		t.Fatal(err)
	}
	if n := len(mustQuery(t, s, Query{Source: "a"})); n != DefaultLimit {
		t.Errorf("got %d, want %d", n, DefaultLimit)
	}
	if n := len(mustQuery(t, s, Query{Source: "a", Limit: 100})); n != 60 {
		t.Errorf("limit 100: got %d", n)
	}
}

// TestLikePatternIsSuperset: the LIKE pre-filter may only err towards a
// match. SQLite folds ASCII only, so every non-ASCII rune that Go lower-cases
// to an ASCII letter must be a wildcard in the pattern.
func TestLikePatternIsSuperset(t *testing.T) {
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); l < utf8.RuneSelf && l != r && l != 'i' && l != 'k' {
			t.Errorf("%U lower-cases to %q, which likePattern keeps literal", r, l)
		}
	}
	if got := likePattern("a%b_c\\dik"); got != `%a\%b\_c\\d__%` {
		t.Errorf("likePattern = %s", got)
	}
}

// TestQueriesUseIndexes: no feed query scans a table or sorts in a temp
// B-tree.
func TestQueriesUseIndexes(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, nil)
	for _, q := range []struct{ sql string }{
		{"SELECT " + articleColumns + " FROM articles a WHERE a.source = 'x' ORDER BY a.sort_time DESC, a.id DESC LIMIT 50"},
		{"SELECT " + articleColumns + " FROM articles a WHERE a.duplicate_of IS NULL ORDER BY a.sort_time DESC, a.id DESC LIMIT 50"},
		{"SELECT " + articleColumns + " FROM articles a WHERE a.source = 'x' AND a.id IN (SELECT article_id FROM article_tags WHERE tag = 'y') ORDER BY a.sort_time DESC, a.id DESC LIMIT 50"},
		{"SELECT 1 FROM articles WHERE url = 'u' UNION ALL SELECT 1 FROM articles WHERE page_url = 'u' AND page_url <> url UNION ALL SELECT 1 FROM seen_urls WHERE url = 'u' LIMIT 1"},
	} {
		rows, err := s.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.sql, make([]any, strings.Count(q.sql, "?"))...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, p := range plan {
			if (strings.HasPrefix(p, "SCAN ") && !strings.Contains(p, "USING")) || strings.Contains(p, "TEMP B-TREE FOR ORDER BY") {
				t.Errorf("query %.60s...: plan %q", q.sql, plan)
			}
		}
	}
}

func TestLastChange(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openTest(t, c)
	if lc, err := s.LastChange(ctx, ""); err != nil || !lc.IsZero() {
		t.Fatalf("empty store: %v, %v", lc, err)
	}
	t0 := c.Now()
	mustSave(t, s, "a", article(1, "https://a.example/1"))
	c.Advance(time.Minute)
	mustSave(t, s, "b", article(2, "https://b.example/1"))
	c.Advance(time.Minute)
	mustSave(t, s, "a", article(1, "https://a.example/1")) // unchanged: no change
	for src, want := range map[string]time.Time{"a": t0, "b": t0.Add(time.Minute), "": t0.Add(time.Minute), "z": {}} {
		if got, err := s.LastChange(ctx, src); err != nil || !got.Equal(want) {
			t.Errorf("LastChange(%q) = %v, %v; want %v", src, got, err, want)
		}
	}
}

// TestTextLimit: a query with TextLimit returns the text cut to that many
// runes and everything else unchanged; keyword filters still see the
// whole text.
func TestTextLimit(t *testing.T) {
	c := newClock()
	s := openTest(t, c)
	a := article(1, "https://a.example/1")
	a.Text = "Ĳsselmeer ñandú çà " + strings.Repeat("berita ", 50) + "ujung"
	a.HTML = "<p>" + a.Text + "</p>"
	mustSave(t, s, "a", a)
	short := article(2, "https://a.example/2")
	short.Text, short.HTML = "Singkat", "<p>Singkat</p>"
	c.Advance(time.Minute)
	mustSave(t, s, "a", short)

	full := mustQuery(t, s, Query{Source: "a"})
	for _, tc := range []struct {
		name string
		q    Query
		want int // articles
	}{
		{"source", Query{Source: "a", TextLimit: 12}, 2},
		{"merged", Query{TextLimit: 12}, 2},
		{"include matches beyond the cut", Query{Source: "a", Include: []string{"ujung"}, TextLimit: 12}, 1},
		{"exclude matches beyond the cut", Query{Source: "a", Exclude: []string{"ujung"}, TextLimit: 12}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mustQuery(t, s, tc.q)
			if len(got) != tc.want {
				t.Fatalf("got %d articles, want %d", len(got), tc.want)
			}
			for _, g := range got {
				var f Article
				for _, x := range full {
					if x.ID == g.ID {
						f = x
					}
				}
				want := f.Text
				if utf8.RuneCountInString(want) > 12 {
					want = string([]rune(want)[:12])
				}
				if g.Text != want {
					t.Errorf("%s: text %q, want %q", g.URL, g.Text, want)
				}
				g.Text, f.Text = "", ""
				if !reflect.DeepEqual(g, f) {
					t.Errorf("%s: other fields differ:\n got %+v\nwant %+v", g.URL, g, f)
				}
			}
		})
	}
}

func TestRememberURL(t *testing.T) {
	s := openTest(t, nil)
	ctx := context.Background()
	canonical := "https://warta.example/2026/11/26/berita"
	if _, err := s.SaveArticle(ctx, "warta", article(7, canonical)); err != nil {
		t.Fatal(err)
	}
	link := "http://warta.example/r/12345" // redirects to the canonical URL
	if known, _ := s.Known(ctx, link); known {
		t.Fatal("link known before it was remembered")
	}
	if err := s.RememberURL(ctx, link, canonical); err != nil {
		t.Fatal(err)
	}
	if known, err := s.Known(ctx, link); !known || err != nil {
		t.Errorf("Known(link) = %v, %v after RememberURL; want true", known, err)
	}
	// A link to an article that is not stored is not remembered.
	other := "http://warta.example/r/999"
	if err := s.RememberURL(ctx, other, "https://warta.example/not-stored"); err != nil {
		t.Fatal(err)
	}
	if known, _ := s.Known(ctx, other); known {
		t.Error("a link to an unstored article became known")
	}
	// Saving the article again under the link finds the same row.
	a := article(7, canonical)
	a.PageURL = link
	if r, err := s.SaveArticle(ctx, "warta", a); err != nil || r == Inserted {
		t.Errorf("re-save through the remembered link: %v, %v; want the same row", r, err)
	}
}
