package scraper

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kabar-news/kabar/extract"
)

const testUA = "kabartest/1.0 (+https://example.invalid/bot)"

// memState is an in-memory State.
type memState struct {
	mu         sync.Mutex
	known      map[string]bool
	validators map[string][2]string
	asked      map[string]int
}

func newMemState() *memState {
	return &memState{known: map[string]bool{}, validators: map[string][2]string{}, asked: map[string]int{}}
}

func (m *memState) Known(_ context.Context, url string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.asked[url]++
	return m.known[url], nil
}

func (m *memState) Validators(_ context.Context, url string) (string, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v := m.validators[url]
	return v[0], v[1], nil
}

func (m *memState) SetValidators(_ context.Context, url, etag, lm string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.validators[url] = [2]string{etag, lm}
	return nil
}

// sink gathers emitted articles; it fails on an article emitted twice and,
// with a state, makes emitted articles known.
type sink struct {
	mu       sync.Mutex
	articles map[string]*extract.Article
	order    []string
	state    *memState
}

func (c *sink) emit(_ context.Context, a *extract.Article) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.articles == nil {
		c.articles = map[string]*extract.Article{}
	}
	if _, dup := c.articles[a.URL]; dup {
		return fmt.Errorf("emitted twice: %s", a.URL)
	}
	c.articles[a.URL] = a
	c.order = append(c.order, a.URL)
	if c.state != nil {
		c.state.mu.Lock()
		c.state.known[a.URL] = true
		c.state.mu.Unlock()
	}
	return nil
}

func testPolicy() Policy {
	return Policy{
		UserAgent:       testUA,
		RespectRobots:   true,
		Parallelism:     2,
		Timeout:         time.Second, // hostile endpoints stall longer; pages on a loaded machine take less
		MaxBody:         1 << 20,
		RandomDelay:     -1,
		MaxRetries:      2,
		RetryBase:       20 * time.Millisecond,
		RetryMax:        100 * time.Millisecond,
		MaxRetryAfter:   3 * time.Second,
		MaxHostFailures: 100,
		MaxListingPages: 4,
	}
}

func testLogger() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return nil
}

func articlePage(s *testSite, path, title string, extra ...string) {
	s.page(path, htmlUTF8, articleHTML(s.URL, path, title, extra...))
}

// simpleSite is a clean site: a listing with two pages, a teaser feed and
// their articles.
func simpleSite(t *testing.T) *testSite {
	s := newTestSite(t)
	s.page("/robots.txt", "text/plain", "User-agent: *\nDisallow: /admin/\n")
	s.page("/berita", htmlUTF8, listingHTML("Berita", []string{
		"/2026/11/26/artikel-pertama-tentang-banjir",
		"/2026/11/26/artikel-kedua-tentang-pasar",
	}, `<link rel="alternate" type="application/rss+xml" href="/feed.xml">`))
	s.page("/feed.xml", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>`+s.URL+`/</link>
<item><title>Pertama</title><link>`+s.URL+`/2026/11/26/artikel-pertama-tentang-banjir?utm_medium=rss</link><description>teaser</description><pubDate>Thu, 26 Nov 2026 08:00:00 +0700</pubDate></item>
<item><title>Ketiga</title><link>`+s.URL+`/2026/11/26/artikel-ketiga-hanya-di-feed</link><description>teaser</description><pubDate>Thu, 26 Nov 2026 09:00:00 +0700</pubDate></item>
</channel></rss>`)
	articlePage(s, "/2026/11/26/artikel-pertama-tentang-banjir", "Artikel pertama tentang banjir")
	articlePage(s, "/2026/11/26/artikel-kedua-tentang-pasar", "Artikel kedua tentang pasar")
	articlePage(s, "/2026/11/26/artikel-ketiga-hanya-di-feed", "Artikel ketiga hanya di feed")
	return s
}

func TestCrawlConditionalAndKnown(t *testing.T) {
	s := simpleSite(t)
	s.etags = true
	st := newMemState()
	sc := New(Options{Policy: testPolicy(), State: st, Logger: testLogger()})
	src := Source{Name: "uji", StartURLs: []string{s.url("/berita")}, FeedURL: s.url("/feed.xml")}

	out := &sink{state: st}
	stats, err := sc.Crawl(t.Context(), src, out.emit)
	if err != nil {
		t.Fatalf("first crawl: %v", err)
	}
	if stats.Articles != 3 || len(out.articles) != 3 {
		t.Fatalf("first crawl: %d articles (%v), want 3; stats %+v", stats.Articles, out.order, stats)
	}
	if a := out.articles[s.url("/2026/11/26/artikel-ketiga-hanya-di-feed")]; a == nil || !strings.Contains(a.Text, "Paragraf 5") {
		t.Errorf("feed item not extracted in full: %+v", a)
	}
	for _, key := range []string{"/robots.txt", "/berita", "/feed.xml", "/2026/11/26/artikel-pertama-tentang-banjir"} {
		if n := s.count(key); n != 1 {
			t.Errorf("%s fetched %d times, want 1", key, n)
		}
	}
	if n := s.count("*/2026/11/26/artikel-pertama-tentang-banjir?"); n != 0 {
		t.Errorf("tracking-parameter variant fetched %d times", n)
	}
	if len(st.validators) != 2 {
		t.Errorf("validators stored for %v, want the listing page and the feed", st.validators)
	}

	// Second crawl: listing and feed answer 304, nothing is fetched again.
	out2 := &sink{state: st}
	stats, err = sc.Crawl(t.Context(), src, out2.emit)
	if err != nil {
		t.Fatalf("second crawl: %v", err)
	}
	if stats.NotModified != 2 || stats.Articles != 0 || stats.Errors != 0 {
		t.Errorf("second crawl stats %+v, want 2 not modified, no articles, no errors", stats)
	}
	if n := s.count("/2026/11/26/artikel-kedua-tentang-pasar"); n != 1 {
		t.Errorf("article fetched %d times over two crawls, want 1", n)
	}

	// Third crawl without validators: the listing is read, articles are known.
	st.validators = map[string][2]string{}
	stats, err = sc.Crawl(t.Context(), src, (&sink{state: st}).emit)
	if err != nil {
		t.Fatalf("third crawl: %v", err)
	}
	if stats.Known != 3 || stats.Articles != 0 || s.count("/2026/11/26/artikel-kedua-tentang-pasar") != 1 {
		t.Errorf("third crawl stats %+v, want 3 known and nothing fetched", stats)
	}
}

func TestCrawlBudgetNewestFirst(t *testing.T) {
	s := simpleSite(t)
	sc := New(Options{Policy: testPolicy(), Logger: testLogger()})
	out := &sink{}
	// The feed advertised by the start page is used; with a budget of one
	// article, the newest feed item is the one fetched.
	stats, err := sc.Crawl(t.Context(), Source{Name: "uji", StartURLs: []string{s.url("/berita")}, MaxArticles: 1}, out.emit)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.order) != 1 || !strings.HasSuffix(out.order[0], "artikel-ketiga-hanya-di-feed") {
		t.Errorf("emitted %v, want only the newest feed item", out.order)
	}
	if stats.OverBudget != 2 || stats.Skipped != 2 {
		t.Errorf("stats %+v, want 2 over budget", stats)
	}
	if n := s.count("/2026/11/26/artikel-kedua-tentang-pasar"); n != 0 {
		t.Errorf("over-budget article fetched %d times", n)
	}
}

func TestCrawlIgnoresCollyEnvironment(t *testing.T) {
	t.Setenv("COLLY_USER_AGENT", "evil-agent")
	t.Setenv("COLLY_ALLOWED_DOMAINS", "example.invalid")
	t.Setenv("COLLY_MAX_BODY_SIZE", "10")
	t.Setenv("COLLY_IGNORE_ROBOTSTXT", "false")
	t.Setenv("COLLY_CACHE_DIR", t.TempDir())
	t.Setenv("COLLY_FOLLOW_REDIRECTS", "false")
	s := simpleSite(t)
	sc := New(Options{Policy: testPolicy(), Logger: testLogger()})
	out := &sink{}
	stats, err := sc.Crawl(t.Context(), Source{Name: "uji", StartURLs: []string{s.url("/berita")}}, out.emit)
	if err != nil || stats.Articles != 3 {
		t.Fatalf("crawl with COLLY_* set: %d articles, err %v", stats.Articles, err)
	}
	for ua := range s.agents {
		if ua != testUA {
			t.Errorf("server saw user agent %q, want only %q", ua, testUA)
		}
	}
}

func TestCrawlSourceFailed(t *testing.T) {
	s := newTestSite(t)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusInternalServerError) })
	p := testPolicy()
	p.RespectRobots = false
	p.MaxRetries = 1
	sc := New(Options{Policy: p})
	_, err := sc.Crawl(t.Context(), Source{Name: "mati", StartURLs: []string{s.url("/")}, FeedURL: s.url("/feed")}, (&sink{}).emit)
	if !errors.Is(err, ErrSourceFailed) {
		t.Fatalf("err = %v, want ErrSourceFailed", err)
	}
	// Every request was tried, then retried once, never more.
	if n := s.count("/"); n != 2 {
		t.Errorf("start URL requested %d times, want 2 (one retry)", n)
	}

	// robots.txt answering 5xx disallows the host: the source fails, only
	// robots.txt was asked for (with its retry).
	p.RespectRobots = true
	s2 := newTestSite(t)
	s2.mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusServiceUnavailable) })
	articlePage(s2, "/berita", "Berita")
	_, err = New(Options{Policy: p}).Crawl(t.Context(), Source{Name: "robots5xx", StartURLs: []string{s2.url("/berita")}}, (&sink{}).emit)
	if !errors.Is(err, ErrSourceFailed) || s2.count("/berita") != 0 || s2.count("/robots.txt") != 2 {
		t.Errorf("robots 5xx: err %v, /berita hit %d, robots hit %d", err, s2.count("/berita"), s2.count("/robots.txt"))
	}
	// robots.txt answering 404 allows everything.
	s3 := newTestSite(t)
	articlePage(s3, "/2026/11/26/satu-satunya-berita-di-sini", "Satu")
	s3.page("/berita", htmlUTF8, listingHTML("x", []string{"/2026/11/26/satu-satunya-berita-di-sini"}, ""))
	stats, err := New(Options{Policy: p}).Crawl(t.Context(), Source{Name: "robots404", StartURLs: []string{s3.url("/berita")}}, (&sink{}).emit)
	if err != nil || stats.Articles != 1 {
		t.Errorf("robots 404: %d articles, err %v", stats.Articles, err)
	}
}

func TestPaginationNotStoppedByFeedOverlap(t *testing.T) {
	s := newTestSite(t)
	paths := articlePaths(4)
	for i, p := range paths {
		articlePage(s, p, fmt.Sprintf("Berita nomor %d", i))
	}
	feedOf(s, paths[:2])
	// Two start URLs list the same first page; page 2 of one holds older news.
	s.page("/terbaru", htmlUTF8, listingHTML("Terbaru", paths[:2], `<a rel="next" href="/terbaru/page/2">2</a>`))
	s.page("/terbaru/page/2", htmlUTF8, listingHTML("Terbaru 2", paths[2:], ""))
	s.page("/populer", htmlUTF8, listingHTML("Populer", paths[:2], ""))
	st := newMemState()
	out := &sink{state: st}
	stats, err := New(Options{Policy: testPolicy(), State: st}).Crawl(t.Context(),
		Source{Name: "x", FeedURL: s.url("/feed.xml"), StartURLs: []string{s.url("/terbaru"), s.url("/populer")}}, out.emit)
	if err != nil || stats.Articles != 4 {
		t.Fatalf("%d articles (%v), err %v", stats.Articles, out.order, err)
	}
	for _, p := range paths {
		if st.asked[s.url(p)] != 1 {
			t.Errorf("store asked %d times about %s, want once", st.asked[s.url(p)], p)
		}
	}
}

func TestValidatorsOnlyWhenComplete(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		saved  bool
	}{
		{"gone for good", http.StatusNotFound, true}, // would fail again: the listing may answer 304
		{"transient", http.StatusBadGateway, false},  // must be retried: the listing must be read again
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSite(t)
			s.etags = true
			paths := articlePaths(2)
			articlePage(s, paths[0], "Berita nol")
			s.mux.HandleFunc(paths[1], func(w http.ResponseWriter, r *http.Request) { http.Error(w, "x", tt.status) })
			s.page("/berita", htmlUTF8, listingHTML("Berita", paths, ""))
			st := newMemState()
			p := testPolicy()
			p.MaxRetries = -1
			_, err := New(Options{Policy: p, State: st}).Crawl(t.Context(), Source{Name: "x", StartURLs: []string{s.url("/berita")}}, (&sink{state: st}).emit)
			if err == nil {
				t.Fatal("want a page error")
			}
			if _, saved := st.validators[s.url("/berita")]; saved != tt.saved {
				t.Errorf("validators saved = %v, want %v", saved, tt.saved)
			}
		})
	}
}

func TestSinglePagePreferred(t *testing.T) {
	s := newTestSite(t)
	const p = "/2026/11/26/berita-panjang-tiga-halaman-sekaligus"
	first := articleHTML(s.URL, p, "Berita panjang tiga halaman",
		`<div class="pagination"><a rel="next" href="`+p+`?page=2">Selanjutnya</a> <a href="`+p+`?page=all">Tampilkan semua</a></div>`)
	all := strings.ReplaceAll(articleHTML(s.URL, p, "Berita panjang tiga halaman"), "Paragraf 5", "Paragraf 5 dan penutup dari halaman tiga")
	s.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", htmlUTF8)
		switch r.URL.Query().Get("page") {
		case "":
			fmt.Fprint(w, first)
		case "all":
			fmt.Fprint(w, all)
		default:
			http.NotFound(w, r)
		}
	})
	feedOf(s, []string{p})
	out := &sink{}
	stats, err := New(Options{Policy: testPolicy()}).Crawl(t.Context(), Source{Name: "x", FeedURL: s.url("/feed.xml")}, out.emit)
	if err != nil || stats.Articles != 1 {
		t.Fatalf("%d articles, err %v", stats.Articles, err)
	}
	a := out.articles[s.url(p)]
	if a == nil || !strings.Contains(a.Text, "penutup dari halaman tiga") {
		t.Errorf("single-page view not used: %+v", a)
	}
	if s.count(p+"?page=2") != 0 || s.count(p+"?page=all") != 1 || s.count(p) != 1 {
		t.Errorf("requests: first %d, all %d, page 2 %d; want 1, 1, 0", s.count(p), s.count(p+"?page=all"), s.count(p+"?page=2"))
	}
}

func TestCanonicalToHomeIgnored(t *testing.T) {
	s := newTestSite(t)
	paths := articlePaths(3)
	for i, p := range paths {
		// A misconfigured site: every article names the home page canonical.
		s.page(p, htmlUTF8, strings.Replace(articleHTML(s.URL, p, fmt.Sprintf("Berita nomor %d", i)),
			`<link rel="canonical" href="`+s.URL+p+`">`, `<link rel="canonical" href="`+s.URL+`/">`, 1))
	}
	s.page("/berita", htmlUTF8, listingHTML("Berita", paths, ""))
	out := &sink{}
	stats, err := New(Options{Policy: testPolicy()}).Crawl(t.Context(), Source{Name: "x", StartURLs: []string{s.url("/berita")}}, out.emit)
	if err != nil || stats.Articles != 3 || stats.Duplicates != 0 {
		t.Fatalf("%d articles, %d duplicates (%v), err %v", stats.Articles, stats.Duplicates, out.order, err)
	}
	for _, p := range paths {
		if out.articles[s.url(p)] == nil {
			t.Errorf("%s not emitted under its own URL", p)
		}
	}
}

// recordingState is a memState that also remembers the links articles were
// listed under (URLRecorder).
type recordingState struct{ *memState }

func (r recordingState) RememberURL(_ context.Context, url, canonical string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.known[canonical] {
		r.known[url] = true
	}
	return nil
}

// An article whose link always redirects is fetched once, not once per
// crawl: the link is reported to a URLRecorder state and known next time.
func TestRedirectingLinkRemembered(t *testing.T) {
	s := newTestSite(t)
	const target = "/2026/11/26/artikel-yang-dialihkan-ke-alamat-baru"
	s.page("/berita", htmlUTF8, listingHTML("Berita", []string{"/2026/11/26/tautan-lama-yang-selalu-dialihkan"}, ""))
	s.mux.HandleFunc("/2026/11/26/tautan-lama-yang-selalu-dialihkan", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	})
	articlePage(s, target, "Artikel yang dialihkan ke alamat baru")
	st := recordingState{newMemState()}
	sc := New(Options{Policy: testPolicy(), State: st, Logger: testLogger()})
	src := Source{Name: "uji", StartURLs: []string{s.url("/berita")}}
	for i := range 2 {
		stats, err := sc.Crawl(t.Context(), src, (&sink{state: st.memState}).emit)
		if err != nil {
			t.Fatalf("crawl %d: %v", i+1, err)
		}
		if want := 1 - i; stats.Articles != want {
			t.Errorf("crawl %d: %d articles, want %d (stats %+v)", i+1, stats.Articles, want, stats)
		}
	}
	if n := s.count("/2026/11/26/tautan-lama-yang-selalu-dialihkan"); n != 1 {
		t.Errorf("redirecting link fetched %d times over two crawls, want 1", n)
	}
	if n := s.count(target); n != 1 {
		t.Errorf("target fetched %d times over two crawls, want 1", n)
	}
}
