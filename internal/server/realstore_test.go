package server

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kabar-news/kabar/extract"
	"github.com/kabar-news/kabar/feeds"
	"github.com/kabar-news/kabar/internal/store"
)

// openStore returns a real store in a temporary directory holding n
// articles of each named source.
func openStore(tb testing.TB, n int, sources ...string) *store.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "kabar.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	for _, src := range sources {
		batch := make([]*extract.Article, 0, n)
		for i := range n {
			a := benchArticle(src, i).Article
			batch = append(batch, &a)
		}
		if _, err := st.SaveArticles(context.Background(), src, batch); err != nil {
			tb.Fatal(err)
		}
	}
	return st
}

// TestRealStore runs the feed routes over the SQLite store.
func TestRealStore(t *testing.T) {
	st := openStore(t, 12, "warta", "kabar-kota")
	if err := st.RecordCrawl(t.Context(), store.CrawlRun{Source: "warta", Started: time.Now().Add(-time.Hour), Pages: 9, New: 12}); err != nil {
		t.Fatal(err)
	}
	s, clock := newTestServer(t, nil, func(o *Options) { o.Store = st })
	h := s.Handler()

	f, err := s.BuildFeed(t.Context(), "warta", feeds.JSON, url.Values{"limit": {"5"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 5 || f.Items[0].Title != "Berita warta nomor 11" || f.Items[4].Title != "Berita warta nomor 7" {
		t.Fatalf("newest five: %d items, first %q", len(f.Items), f.Items[0].Title)
	}
	it := f.Items[0]
	if it.ID != benchArticle("warta", 11).URL || it.Content == "" || it.Summary == "" || len(it.Authors) != 1 ||
		it.Image == nil || !it.Published.Equal(testEpoch.Add(11*time.Hour)) || len(it.Tags) != 3 {
		t.Errorf("item from the store: %+v", it)
	}

	all := do(h, "GET", "/feeds/all.atom?limit=100")
	if n := strings.Count(all.Body.String(), "<entry>"); n != 24 {
		t.Errorf("merged feed: %d entries, want 24", n)
	}
	if w := do(h, "GET", "/feeds/all.atom?limit=100", "If-None-Match", all.Header().Get("ETag")); w.Code != 304 {
		t.Errorf("revalidation: %d", w.Code)
	}
	// Word filters are the store's: the article's own words match.
	word := strings.Fields(benchArticle("kabar-kota", 3).Text)[5]
	w := do(h, "GET", "/feeds/kabar-kota.rss?limit=100&q="+url.QueryEscape(strings.ToUpper(word)))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Berita kabar-kota nomor 3<") {
		t.Errorf("q=%s: %d, article 3 missing", word, w.Code)
	}
	if w := do(h, "GET", "/feeds/warta.rss?tag=nasional&exclude=nomor"); strings.Contains(w.Body.String(), "<item>") {
		t.Error("exclude matching every title still returned items")
	}

	// A new article: after the freshness interval the feed changes.
	a := benchArticle("warta", 50).Article
	if _, err := st.SaveArticle(t.Context(), "warta", &a); err != nil {
		t.Fatal(err)
	}
	clock.advance(2 * time.Second)
	if w := do(h, "GET", "/feeds/all.atom?limit=100", "If-None-Match", all.Header().Get("ETag")); w.Code != 200 ||
		!strings.Contains(w.Body.String(), "Berita warta nomor 50") {
		t.Errorf("after a new article: %d", w.Code)
	}

	body := do(h, "GET", "/").Body.String()
	for _, want := range []string{"12 new", `class="num">13</td>`, "of 13 newest", "<span>short body</span><span>0%</span>"} {
		if !strings.Contains(body, want) {
			t.Errorf("index lacks %s", want)
		}
	}
	if w := do(h, "GET", "/healthz"); w.Code != 200 {
		t.Errorf("healthz: %d", w.Code)
	}
}
