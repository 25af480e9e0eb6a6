package scraper

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// hostileSite is the site that has it all: robots rules, a teaser feed, a
// news sitemap (plain, and gzipped behind an index), duplicate links with
// tracking parameters, a two-page article, a calendar trap and hostile
// endpoints. other is another site.
func hostileSite(t *testing.T) (s, other *testSite) {
	s = newTestSite(t)
	other = newTestSite(t)
	articlePage(other, "/tujuan", "Halaman di situs lain")
	base := s.URL
	d := "/2026/11/26/"

	s.page("/robots.txt", "text/plain", `# robots for the test site
User-agent: *
Disallow: /

User-agent: KabarTest
Disallow: /rahasia/
Allow: /rahasia/boleh-
Disallow: /*.pdf$

Sitemap: `+base+`/sitemap-index.xml
`)

	links := []string{
		d + "berita-satu-pemerintah-umumkan-kebijakan",
		d + "berita-satu-pemerintah-umumkan-kebijakan?utm_source=beranda&fbclid=abc",
		d + "berita-satu-pemerintah-umumkan-kebijakan#komentar",
		"HTTP://" + strings.ToUpper(strings.TrimPrefix(base, "http://")) + d + "berita-dua-harga-cabai-naik-tajam",
		"/2026/11/20/berita-lama-sudah-disimpan-kemarin",
		"/rahasia/2026/berita-tersembunyi-dari-robot",
		"/rahasia/boleh-dibaca-oleh-robot-mana-saja",
		"/artikel/multi-halaman-berita-panjang-sekali",
		d + "lambat-header-respons-server",
		d + "lambat-isi-menetes-pelan",
		d + "isi-sangat-besar-sekali-dua-puluh-mb",
		d + "bom-gzip-berbahaya-sekali",
		d + "alih-berputar-terus-menerus",
		d + "terlalu-banyak-permintaan-masuk",
		d + "layanan-tidak-tersedia-sebentar",
		d + "isi-terpotong-di-tengah-jalan",
		d + "dokumen-pdf-bukan-html",
		d + "charset-salah-dikodekan-server",
		d + "alih-ke-situs-lain-luar",
		d + "dialihkan-ke-berita-satu-saja",
	}
	pages := map[string]string{
		"":  listingHTML("Beranda", links, `<a rel="next" href="/?page=2">Berikutnya</a><a href="/agenda?bulan=2026-12">Desember 2026</a>`),
		"2": listingHTML("Halaman 2", []string{"/2026/11/25/berita-tiga-dari-halaman-kedua", d + "berita-dua-harga-cabai-naik-tajam"}, `<a href="/?page=3">Berikutnya</a>`),
		"3": listingHTML("Halaman 3", []string{d + "berita-dua-harga-cabai-naik-tajam"}, `<a href="/?page=4">Berikutnya</a>`),
		"4": listingHTML("Halaman 4", []string{"/2026/11/01/berita-halaman-empat-tak-terbaca"}, ""),
	}
	s.mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Query().Get("page")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", htmlUTF8)
		fmt.Fprint(w, body)
	})
	// Calendar trap: every month links to the next one and to one event.
	s.mux.HandleFunc("/agenda/{month}", func(w http.ResponseWriter, r *http.Request) {
		m := r.PathValue("month")
		var y, mo int
		fmt.Sscanf(m, "%d-%d", &y, &mo)
		next := fmt.Sprintf("%04d-%02d", y+mo/12, mo%12+1)
		w.Header().Set("Content-Type", htmlUTF8)
		fmt.Fprint(w, listingHTML("Agenda "+m, []string{"/acara/" + m + "/pentas-musik-akhir-bulan-ini"},
			`<div class="calendar"><a href="/agenda/`+next+`">›</a></div>`))
	})
	s.mux.HandleFunc("/acara/{month}/{slug}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", htmlUTF8)
		fmt.Fprint(w, articleHTML(base, r.URL.Path, "Pentas musik "+r.PathValue("month")))
	})

	s.page("/feed.xml", "application/rss+xml; charset=utf-8", `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Kabar Uji</title><link>`+base+`/</link>
<item><title>Berita empat</title><link>`+base+`/2026/11/24/berita-empat-hanya-di-feed?utm_source=rss&amp;utm_medium=feed</link>
<description>Cuplikan singkat saja...</description><pubDate>Tue, 24 Nov 2026 10:00:00 +0700</pubDate></item>
<item><title>Berita satu</title><link>`+base+d+`berita-satu-pemerintah-umumkan-kebijakan</link>
<description>Cuplikan</description><pubDate>Thu, 26 Nov 2026 08:00:00 +0700</pubDate></item>
<item><title>Luar</title><link>https://luar.example.invalid/2026/11/26/berita-di-situs-lain</link></item>
</channel></rss>`)
	s.page("/sitemap-index.xml", "application/xml", `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>`+base+`/sitemap-lama.xml.gz</loc><lastmod>2026-11-22</lastmod></sitemap>
<sitemap><loc>`+base+`/sitemap-news.xml</loc><lastmod>2026-11-26T09:00:00+07:00</lastmod></sitemap>
</sitemapindex>`)
	s.page("/sitemap-news.xml", "text/xml", `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>`+base+`/2026/11/23/berita-lima-dari-sitemap-berita</loc><news:news><news:publication><news:name>Uji</news:name><news:language>id</news:language></news:publication>
<news:publication_date>2026-11-23T07:00:00+07:00</news:publication_date><news:title>Berita lima</news:title></news:news></url>
<url><loc>`+base+d+`berita-satu-pemerintah-umumkan-kebijakan</loc><news:news><news:publication_date>2026-11-26T08:00:00+07:00</news:publication_date></news:news></url>
</urlset>`)
	gz := gzipBytes(t, []byte(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>`+base+`/2026/11/22/berita-enam-dari-sitemap-gzip</loc><lastmod>2026-11-22</lastmod></url>
<url><loc>`+base+`/tag/pemilu</loc></url></urlset>`))
	s.mux.HandleFunc("/sitemap-lama.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-gzip")
		w.Write(gz)
	})

	for path, title := range map[string]string{
		d + "berita-satu-pemerintah-umumkan-kebijakan":   "Berita satu pemerintah umumkan kebijakan",
		d + "berita-dua-harga-cabai-naik-tajam":          "Berita dua harga cabai naik tajam",
		"/2026/11/25/berita-tiga-dari-halaman-kedua":     "Berita tiga dari halaman kedua",
		"/2026/11/24/berita-empat-hanya-di-feed":         "Berita empat hanya di feed",
		"/2026/11/23/berita-lima-dari-sitemap-berita":    "Berita lima dari sitemap berita",
		"/2026/11/22/berita-enam-dari-sitemap-gzip":      "Berita enam dari sitemap gzip",
		"/2026/11/20/berita-lama-sudah-disimpan-kemarin": "Berita lama",
		"/rahasia/2026/berita-tersembunyi-dari-robot":    "Rahasia",
		"/rahasia/boleh-dibaca-oleh-robot-mana-saja":     "Boleh dibaca oleh robot",
		"/2026/11/01/berita-populer-di-samping-halaman":  "Populer",
		"/2026/11/01/berita-halaman-empat-tak-terbaca":   "Halaman empat",
	} {
		articlePage(s, path, title)
	}
	articlePage(s, "/artikel/multi-halaman-berita-panjang-sekali", "Berita panjang dua halaman",
		`<div class="pagination"><a rel="next" href="/artikel/multi-halaman-berita-panjang-sekali/2">Selanjutnya</a></div>`)
	s.page("/artikel/multi-halaman-berita-panjang-sekali/2", htmlUTF8, strings.ReplaceAll(
		articleHTML(base, "/artikel/multi-halaman-berita-panjang-sekali", "Berita panjang dua halaman - Halaman 2"),
		"Paragraf", "Lanjutan halaman kedua, paragraf"))

	// Hostile endpoints.
	s.mux.HandleFunc(d+"lambat-header-respons-server", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	s.mux.HandleFunc(d+"lambat-isi-menetes-pelan", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", htmlUTF8)
		for i := 0; i < 100; i++ {
			if _, err := w.Write([]byte("<p>x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(50 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
	})
	s.mux.HandleFunc(d+"isi-sangat-besar-sekali-dua-puluh-mb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", htmlUTF8) // no Content-Length: the limit must hold while reading
		chunk := bytes.Repeat([]byte("<p>besar sekali</p>\n"), 1<<12)
		for sent := 0; sent < 20<<20; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	bomb := gzipBytes(t, bytes.Repeat([]byte("<p>"), 16<<20/3))
	s.mux.HandleFunc(d+"bom-gzip-berbahaya-sekali", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", htmlUTF8)
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	s.mux.HandleFunc(d+"alih-berputar-terus-menerus", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(r.URL.Query().Get("n"), "%d", &n)
		http.Redirect(w, r, fmt.Sprintf("%s?n=%d", r.URL.Path, n+1), http.StatusFound)
	})
	onceThen := func(path string, fail func(w http.ResponseWriter)) {
		s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if s.count(path) == 1 {
				fail(w)
				return
			}
			w.Header().Set("Content-Type", htmlUTF8)
			fmt.Fprint(w, articleHTML(base, path, "Berhasil setelah dicoba lagi "+path))
		})
	}
	onceThen(d+"terlalu-banyak-permintaan-masuk", func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	onceThen(d+"layanan-tidak-tersedia-sebentar", func(w http.ResponseWriter) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	})
	s.mux.HandleFunc(d+"isi-terpotong-di-tengah-jalan", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", htmlUTF8)
		w.Header().Set("Content-Length", "100000")
		w.Write([]byte(articleHTML(base, r.URL.Path, "Terpotong")[:800]))
		// returning closes the connection short of Content-Length
	})
	s.mux.HandleFunc(d+"dokumen-pdf-bukan-html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.7\n" + strings.Repeat("0", 4096)))
	})
	latin := articleHTML(base, d+"charset-salah-dikodekan-server", "Kafe dan crème brûlée di Bandung",
		"<p>Pengunjung kafé memesan crème brûlée — katanya « enak sekali ».</p>")
	latin = strings.Replace(latin, `<meta charset="utf-8">`, `<meta charset="utf-8"><!-- stale -->`, 1)
	latinBytes, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(latin))
	s.mux.HandleFunc(d+"charset-salah-dikodekan-server", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		w.Write(latinBytes)
	})
	s.mux.HandleFunc(d+"alih-ke-situs-lain-luar", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/tujuan", http.StatusMovedPermanently)
	})
	s.mux.HandleFunc(d+"dialihkan-ke-berita-satu-saja", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, d+"berita-satu-pemerintah-umumkan-kebijakan", http.StatusMovedPermanently)
	})
	return s, other
}

func TestCrawlHostileSite(t *testing.T) {
	s, other := hostileSite(t)
	st := newMemState()
	d := "/2026/11/26/"
	st.known[s.url("/2026/11/20/berita-lama-sudah-disimpan-kemarin")] = true
	var progress int
	sc := New(Options{Policy: testPolicy(), State: st, Logger: testLogger(),
		Progress: func(string, Stats) { progress++ }})
	out := &sink{}
	src := Source{
		Name:           "uji",
		StartURLs:      []string{s.url("/"), s.url("/agenda/2026-11")},
		FeedURL:        s.url("/feed.xml"),
		SitemapURL:     s.url("/sitemap-index.xml"),
		MaxArticles:    100,
		RobotsSitemaps: true,
	}
	start := time.Now()
	stats, err := sc.Crawl(t.Context(), src, out.emit)
	t.Logf("crawl took %v; stats %+v", time.Since(start), stats)
	if errors.Is(err, ErrSourceFailed) {
		t.Fatalf("source failed: %v", err)
	}

	// Every page failure is reported, with its kind.
	kinds := map[string]string{}
	var pe *PageError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		if !errors.As(e, &pe) {
			t.Errorf("error %v is not a *PageError", e)
			continue
		}
		kinds[strings.TrimPrefix(pe.URL, s.URL)] = pe.Kind
	}
	wantKinds := map[string]string{
		d + "lambat-header-respons-server":         "timeout",
		d + "lambat-isi-menetes-pelan":             "timeout",
		d + "isi-sangat-besar-sekali-dua-puluh-mb": "too_large",
		d + "bom-gzip-berbahaya-sekali":            "too_large",
		d + "alih-berputar-terus-menerus":          "redirect",
		d + "isi-terpotong-di-tengah-jalan":        "truncated",
		d + "dokumen-pdf-bukan-html":               "content_type",
	}
	for path, kind := range wantKinds {
		if kinds[path] != kind {
			t.Errorf("%s: error kind %q, want %q", path, kinds[path], kind)
		}
	}
	if len(kinds) != len(wantKinds) {
		t.Errorf("errors for %v, want exactly %v", kinds, wantKinds)
	}
	if stats.Errors != len(wantKinds) {
		t.Errorf("Stats.Errors = %d, want %d", stats.Errors, len(wantKinds))
	}

	// Articles: each once, under its canonical URL, full text.
	want := []string{
		d + "berita-satu-pemerintah-umumkan-kebijakan",
		d + "berita-dua-harga-cabai-naik-tajam",
		"/2026/11/25/berita-tiga-dari-halaman-kedua",
		"/2026/11/24/berita-empat-hanya-di-feed",
		"/2026/11/23/berita-lima-dari-sitemap-berita",
		"/2026/11/22/berita-enam-dari-sitemap-gzip",
		"/rahasia/boleh-dibaca-oleh-robot-mana-saja",
		"/artikel/multi-halaman-berita-panjang-sekali",
		d + "terlalu-banyak-permintaan-masuk",
		d + "layanan-tidak-tersedia-sebentar",
		d + "charset-salah-dikodekan-server",
		"/acara/2026-11/pentas-musik-akhir-bulan-ini",
		"/acara/2026-12/pentas-musik-akhir-bulan-ini",
		"/acara/2027-01/pentas-musik-akhir-bulan-ini",
		"/acara/2027-02/pentas-musik-akhir-bulan-ini",
	}
	for _, p := range want {
		if out.articles[s.url(p)] == nil {
			t.Errorf("article %s not emitted", p)
		}
	}
	if len(out.articles) != len(want) || stats.Articles != len(want) {
		t.Errorf("emitted %d articles (stats %d), want %d: %v", len(out.articles), stats.Articles, len(want), out.order)
	}
	if a := out.articles[s.url("/2026/11/24/berita-empat-hanya-di-feed")]; a != nil && !strings.Contains(a.Text, "Paragraf 5") {
		t.Errorf("teaser feed item not fetched in full: %q", a.Text)
	}
	if a := out.articles[s.url("/artikel/multi-halaman-berita-panjang-sekali")]; a != nil {
		if !strings.Contains(a.Text, "Paragraf 1 dari") || !strings.Contains(a.Text, "Lanjutan halaman kedua, paragraf 5") {
			t.Errorf("two-page article not merged: %q", a.Text)
		}
	}
	if a := out.articles[s.url(d+"charset-salah-dikodekan-server")]; a != nil && !strings.Contains(a.Text, "kafé memesan crème brûlée — katanya « enak sekali »") {
		t.Errorf("windows-1252 page decoded wrong: %q", a.Text)
	}

	// Exactly-once fetching; hostile pages within their retry allowance.
	once := []string{
		"/robots.txt", "/", "/?page=2", "/?page=3", "/feed.xml", "/sitemap-index.xml", "/sitemap-news.xml", "/sitemap-lama.xml.gz",
		"/artikel/multi-halaman-berita-panjang-sekali/2", d + "isi-sangat-besar-sekali-dua-puluh-mb", d + "bom-gzip-berbahaya-sekali",
		d + "dokumen-pdf-bukan-html", d + "alih-ke-situs-lain-luar", d + "dialihkan-ke-berita-satu-saja", d + "charset-salah-dikodekan-server",
	}
	for _, p := range append(once, want...) {
		if n := s.count(p); n != 1 && !strings.Contains(p, "terlalu-banyak") && !strings.Contains(p, "tidak-tersedia") {
			t.Errorf("%s fetched %d times, want 1", p, n)
		}
	}
	counts := map[string]int{
		"/2026/11/20/berita-lama-sudah-disimpan-kemarin": 0, // known to the store
		"/rahasia/2026/berita-tersembunyi-dari-robot":    0, // robots.txt
		"/2026/11/01/berita-populer-di-samping-halaman":  0, // sidebar navigation
		"/2026/11/01/berita-halaman-empat-tak-terbaca":   0, // page 3 brought nothing new
		"/?page=4":                              0,
		"/tag/pemilu":                           0, // from the sitemap: not an article
		"/agenda/2027-03":                       0, // the calendar trap ends at 4 listing pages
		d + "terlalu-banyak-permintaan-masuk":   2, // 429 then success
		d + "layanan-tidak-tersedia-sebentar":   2, // 503 then success
		d + "isi-terpotong-di-tengah-jalan":     3, // retried twice
		d + "lambat-header-respons-server":      3,
		d + "lambat-isi-menetes-pelan":          3,
		"*" + d + "alih-berputar-terus-menerus": 6, // the first request and 5 redirects
	}
	for p, want := range counts {
		if n := s.count(p); n != want {
			t.Errorf("%s fetched %d times, want %d", p, n, want)
		}
	}
	if n := other.count("*/"); n != 0 {
		t.Errorf("the other site got %d requests; off-site redirects must be dropped", n)
	}
	if n := s.count("*/agenda/"); n != 4 {
		t.Errorf("calendar trap: %d agenda pages read, want 4", n)
	}

	// Retry-After honoured.
	s.mu.Lock()
	ts := s.times[d+"terlalu-banyak-permintaan-masuk"]
	s.mu.Unlock()
	if len(ts) == 2 && ts[1].Sub(ts[0]) < 900*time.Millisecond {
		t.Errorf("retried after %v, Retry-After asked for 1s", ts[1].Sub(ts[0]))
	}
	// Per-host concurrency: never more than Parallelism requests at once.
	if s.maxIn > 2 {
		t.Errorf("%d requests in flight at once, parallelism is 2", s.maxIn)
	}
	if stats.Known != 1 || stats.Robots < 1 || stats.Retries < 2 || stats.Filtered < 2 || stats.Duplicates < 1 {
		t.Errorf("stats %+v: want 1 known, robots, retries, filtered (off-site) and duplicates counted", stats)
	}
	if progress == 0 {
		t.Error("Progress never called")
	}
}
