package scraper

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// testSite is an httptest news site with counters: requests per path (with
// query), the highest number of requests in flight, and the user agents
// seen.
type testSite struct {
	*httptest.Server
	mux *http.ServeMux

	mu       sync.Mutex
	hits     map[string]int
	times    map[string][]time.Time
	inFlight int
	maxIn    int
	agents   map[string]bool
	conns    map[string]bool // remote addresses: one per connection
	etags    bool            // answer If-None-Match with 304
}

func newTestSite(t testing.TB) *testSite {
	t.Helper()
	s := &testSite{mux: http.NewServeMux(), hits: map[string]int{}, times: map[string][]time.Time{}, agents: map[string]bool{}, conns: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *testSite) serve(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	s.mu.Lock()
	s.hits[key]++
	s.times[r.URL.Path] = append(s.times[r.URL.Path], time.Now())
	s.agents[r.UserAgent()] = true
	s.conns[r.RemoteAddr] = true
	s.inFlight++
	s.maxIn = max(s.maxIn, s.inFlight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	s.mux.ServeHTTP(w, r)
}

// count returns the hits of a path with query, or with prefix "*" the sum
// of the hits of every key starting with the rest.
func (s *testSite) count(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := strings.CutPrefix(key, "*"); ok {
		n := 0
		for k, v := range s.hits {
			if strings.HasPrefix(k, p) {
				n += v
			}
		}
		return n
	}
	return s.hits[key]
}

func (s *testSite) url(path string) string { return s.URL + path }

// page serves an HTML page, with an ETag when s.etags is on.
func (s *testSite) page(path, ctype, body string) {
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		etag := fmt.Sprintf(`"%x"`, len(body))
		s.mu.Lock()
		useETag := s.etags
		s.mu.Unlock()
		if useETag {
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
		}
		w.Header().Set("Content-Type", ctype)
		fmt.Fprint(w, body)
	})
}

const htmlUTF8 = "text/html; charset=utf-8"

// articleHTML is a plausible article page: header, nav, a body of several
// paragraphs, a footer.
func articleHTML(base, path, title string, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>%s - Kabar Uji</title>
<link rel="canonical" href="%s%s"><meta property="og:title" content="%s">
<meta property="article:published_time" content="2026-11-26T08:00:00+07:00"></head><body>
<header><nav><a href="/">Beranda</a> <a href="/kategori/ekonomi">Ekonomi</a></nav></header>
<main><article><h1>%s</h1><div class="byline">Oleh Wartawan Uji</div><div class="content">`, title, base, path, title, title)
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&b, "<p>Paragraf %d dari %s. Pemerintah daerah menyampaikan keterangan resmi kepada wartawan mengenai perkembangan terbaru, dan warga menyambut kabar itu dengan berbagai tanggapan yang beragam di media sosial.</p>\n", i, title)
	}
	for _, e := range extra {
		b.WriteString(e)
	}
	b.WriteString(`</div></article></main><footer><a href="/tentang-kami">Tentang kami</a></footer></body></html>`)
	return b.String()
}

// listingHTML is a listing page with headline links and navigation noise.
func listingHTML(title string, links []string, extra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html><head><meta charset="utf-8"><title>%s</title></head><body>
<header><nav class="main-menu"><a href="/">Beranda</a><a href="/kategori/ekonomi-bisnis-dan-keuangan-daerah">Ekonomi Bisnis dan Keuangan</a>
<a href="/tag/pemilu">Pemilu</a><a href="/login">Masuk</a><a href="mailto:redaksi@example.id">Surel</a><a href="javascript:void(0)">Menu</a></nav></header><main>`, title)
	for _, l := range links {
		fmt.Fprintf(&b, `<article><h2><a href="%s">Judul berita panjang tentang %s hari ini</a></h2></article>`, l, l)
	}
	fmt.Fprintf(&b, `</main><aside class="sidebar"><a href="/2026/11/01/berita-populer-di-samping-halaman">Terpopuler</a></aside>%s
<footer><a href="https://www.facebook.com/sharer/sharer.php?u=x">Bagikan</a><a href="/tentang-kami">Tentang</a></footer></body></html>`, extra)
	return b.String()
}

// gzipBytes gzips b.
func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}
