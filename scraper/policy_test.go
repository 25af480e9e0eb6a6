package scraper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// feedOf serves an RSS feed listing n article paths of s.
func feedOf(s *testSite, paths []string) {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><link>` + s.URL + `/</link>`)
	for _, p := range paths {
		fmt.Fprintf(&b, "<item><link>%s%s</link></item>", s.URL, p)
	}
	b.WriteString("</channel></rss>")
	s.page("/feed.xml", "application/rss+xml", b.String())
}

func articlePaths(n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("/2026/11/26/berita-nomor-%d-hari-ini", i))
	}
	return out
}

func TestFailingHostBackedOff(t *testing.T) {
	s := newTestSite(t)
	paths := articlePaths(20)
	feedOf(s, paths)
	for _, p := range paths {
		s.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "broken", http.StatusBadGateway) })
	}
	p := testPolicy()
	p.MaxHostFailures = 4
	p.MaxRetries = 1
	stats, err := New(Options{Policy: p}).Crawl(t.Context(), Source{Name: "rusak", FeedURL: s.url("/feed.xml")}, (&sink{}).emit)
	if errors.Is(err, ErrSourceFailed) || err == nil {
		t.Fatalf("err = %v, want page errors only", err)
	}
	total := s.count("*/2026/")
	if total > p.MaxHostFailures+p.Parallelism {
		t.Errorf("failing host hammered: %d article requests, breaker at %d failures", total, p.MaxHostFailures)
	}
	if stats.Errors != len(paths) || stats.ErrorKinds["backoff"] == 0 || stats.ErrorKinds["status"] == 0 {
		t.Errorf("stats %+v, want every article failed, most by backoff", stats)
	}
	if !errors.Is(err, ErrHostBackedOff) {
		t.Errorf("err does not match ErrHostBackedOff: %v", err)
	}
}

func TestNotRetried4xx(t *testing.T) {
	s := newTestSite(t)
	feedOf(s, []string{"/2026/11/26/berita-yang-sudah-dihapus-redaksi"})
	stats, err := New(Options{Policy: testPolicy()}).Crawl(t.Context(), Source{Name: "x", FeedURL: s.url("/feed.xml")}, (&sink{}).emit)
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusNotFound {
		t.Fatalf("err = %v, want a 404 StatusError", err)
	}
	if n := s.count("/2026/11/26/berita-yang-sudah-dihapus-redaksi"); n != 1 || stats.Retries != 0 {
		t.Errorf("404 requested %d times, %d retries; 4xx are never retried", n, stats.Retries)
	}
}

func TestCrawlDelay(t *testing.T) {
	for _, tt := range []struct {
		name, delay string
		cap, want   time.Duration
	}{
		{"honoured", "0.15", time.Second, 150 * time.Millisecond},
		{"capped", "3600", 200 * time.Millisecond, 200 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSite(t)
			s.page("/robots.txt", "text/plain", "User-agent: *\nCrawl-delay: "+tt.delay+"\n")
			paths := articlePaths(4)
			feedOf(s, paths)
			for i, p := range paths {
				articlePage(s, p, fmt.Sprintf("Berita nomor %d", i))
			}
			p := testPolicy()
			p.Parallelism = 4
			p.MaxCrawlDelay = tt.cap
			stats, err := New(Options{Policy: p}).Crawl(t.Context(), Source{Name: "x", FeedURL: s.url("/feed.xml")}, (&sink{}).emit)
			if err != nil || stats.Articles != 4 {
				t.Fatalf("%d articles, err %v", stats.Articles, err)
			}
			var starts []time.Time
			s.mu.Lock()
			for _, p := range paths {
				starts = append(starts, s.times[p]...)
			}
			s.mu.Unlock()
			slicesSortTimes(starts)
			for i := 1; i < len(starts); i++ {
				if gap := starts[i].Sub(starts[i-1]); gap < tt.want-10*time.Millisecond {
					t.Errorf("gap %d: %v, want ≥ %v", i, gap, tt.want)
				}
			}
			if s.maxIn != 1 {
				t.Errorf("%d requests in flight with a Crawl-delay, want 1", s.maxIn)
			}
		})
	}
}

func slicesSortTimes(ts []time.Time) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

func TestParallelismPerHost(t *testing.T) {
	s := newTestSite(t)
	paths := articlePaths(24)
	feedOf(s, paths)
	for i, p := range paths {
		body := articleHTML(s.URL, p, fmt.Sprintf("Berita nomor %d", i))
		s.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(50 * time.Millisecond)
			w.Header().Set("Content-Type", htmlUTF8)
			w.Write([]byte(body))
		})
	}
	p := testPolicy()
	p.Parallelism = 4
	stats, err := New(Options{Policy: p}).Crawl(t.Context(), Source{Name: "x", FeedURL: s.url("/feed.xml")}, (&sink{}).emit)
	if err != nil || stats.Articles != len(paths) {
		t.Fatalf("%d articles, err %v", stats.Articles, err)
	}
	if s.maxIn > 4 || s.maxIn < 3 {
		t.Errorf("max %d requests in flight, want up to parallelism 4 (and using it)", s.maxIn)
	}
	// Keep-alive: 26 requests over at most parallelism+2 connections.
	if n := len(s.conns); n > 6 {
		t.Errorf("%d connections for %d requests, want at most 6 (keep-alive)", n, len(paths)+2)
	}
	for _, p := range paths {
		if n := s.count(p); n != 1 {
			t.Errorf("%s fetched %d times", p, n)
		}
	}
}

func TestCrawlCancel(t *testing.T) {
	s := newTestSite(t)
	paths := articlePaths(50)
	feedOf(s, paths)
	for _, p := range paths {
		s.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
		})
	}
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	p := testPolicy()
	p.Timeout = 10 * time.Second
	start := time.Now()
	sc := New(Options{Policy: p})
	defer sc.Close()
	_, err := sc.Crawl(ctx, Source{Name: "x", FeedURL: s.url("/feed.xml")}, (&sink{}).emit)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancelled crawl took %v", d)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's error", err)
	}
	if n := s.count("*/2026/"); n > 2 {
		t.Errorf("%d articles requested before cancellation, want at most parallelism", n)
	}
	sc.Close()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		t.Errorf("%d goroutines after the crawl, %d before", n, before)
	}
}

func TestRobotsRedirected(t *testing.T) {
	s := newTestSite(t)
	s.mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/aturan/robots-sebenarnya.txt", http.StatusMovedPermanently)
	})
	s.page("/aturan/robots-sebenarnya.txt", "text/plain", "User-agent: *\nDisallow: /2026/11/26/berita-nomor-1-\n")
	paths := articlePaths(2)
	feedOf(s, paths)
	for i, p := range paths {
		articlePage(s, p, fmt.Sprintf("Berita nomor %d", i))
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	stats, err := New(Options{Policy: testPolicy()}).Crawl(ctx, Source{Name: "x", FeedURL: s.url("/feed.xml")}, (&sink{}).emit)
	if err != nil || stats.Articles != 1 || stats.Robots != 1 || s.count(paths[1]) != 0 {
		t.Errorf("redirected robots.txt: %d articles, %d blocked, err %v", stats.Articles, stats.Robots, err)
	}
}

func TestFeedURLIsAWebPage(t *testing.T) {
	s := newTestSite(t)
	paths := articlePaths(2)
	for i, p := range paths {
		articlePage(s, p, fmt.Sprintf("Berita nomor %d", i))
	}
	feedOf(s, paths)
	s.page("/beranda", htmlUTF8, listingHTML("Beranda", nil, "")+`<link rel="alternate" type="application/rss+xml" href="/feed.xml">`)
	stats, err := New(Options{Policy: testPolicy()}).Crawl(t.Context(), Source{Name: "x", FeedURL: s.url("/beranda")}, (&sink{}).emit)
	if err != nil || stats.Articles != 2 {
		t.Errorf("feed_url pointing at a page: %d articles, err %v", stats.Articles, err)
	}
}
