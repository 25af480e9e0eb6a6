package crawl

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kabar-news/kabar/internal/config"
	"github.com/kabar-news/kabar/internal/store"
	"github.com/kabar-news/kabar/scraper"
)

// simulator is a news site whose front page gains an article every cycle.
type simulator struct {
	*httptest.Server
	cycle atomic.Int64
}

func newSimulator(tb testing.TB) *simulator {
	s := &simulator{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch {
		case r.URL.Path == "/":
			n := s.cycle.Load()
			var b strings.Builder
			b.WriteString("<html><body><h1>Berita</h1><ul>")
			for i := n; i > n-10 && i >= 0; i-- {
				fmt.Fprintf(&b, `<li><a href="/2025/08/berita-nomor-%d/">Berita nomor %d tentang banjir di kota</a></li>`, i, i)
			}
			b.WriteString("</ul></body></html>")
			w.Write([]byte(b.String()))
		case strings.HasPrefix(r.URL.Path, "/2025/08/berita-nomor-"):
			id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/2025/08/berita-nomor-"), "/")
			if _, err := strconv.Atoi(id); err != nil || id == "" {
				http.NotFound(w, r)
				return
			}
			n, _ := strconv.Atoi(id)
			fmt.Fprintf(w, `<html><head><title>Berita nomor %[1]d tentang banjir di kota</title>
<meta property="article:published_time" content="%[2]s"></head><body><article><h1>Berita nomor %[1]d tentang banjir di kota</h1>
<p>%[3]s</p><p>%[4]s</p><p>%[5]s</p></article></body></html>`, n,
				time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n)*time.Hour).Format(time.RFC3339),
				sentence(n, 1), sentence(n, 2), sentence(n, 3))
		default:
			http.NotFound(w, r)
		}
	}))
	tb.Cleanup(s.Close)
	return s
}

var soakWords = strings.Fields(`hujan deras sungai meluap warga mengungsi petugas gabungan pemerintah kota
bantuan makanan posko kesehatan jembatan putus jalan tergenang listrik padam sekolah diliburkan pasar
sepi harga naik nelayan melaut angin kencang gelombang tinggi sawah terendam panen gagal relawan
membagikan selimut obat-obatan air bersih perahu karet evakuasi lansia anak-anak malam hari pagi`)

// sentence is a deterministic, article-specific sentence: articles of the
// simulator differ in their words, as real ones do.
func sentence(article, para int) string {
	x := uint64(article)*2654435761 + uint64(para)*40503
	var b strings.Builder
	for i := range 40 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(soakWords[x%uint64(len(soakWords))])
	}
	b.WriteByte('.')
	return b.String()
}

func rssBytes() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.ParseUint(strings.Fields(line)[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

func heapInuse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// BenchmarkSoak runs 500 crawl cycles (fetch, extract, store, retention)
// against a site whose content changes every cycle, and compares heap, RSS
// and goroutines after the last cycle with the level after the first 50.
func BenchmarkSoak(b *testing.B) {
	if testing.Short() {
		b.Skip("soak: skipped in -short")
	}
	// Retention keeps fewer articles than the warm-up adds, so the data set
	// is at its steady size when the warm level is taken.
	const cycles, warm, keep = 500, 50, 30
	sim := newSimulator(b)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "soak.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	src := config.Source{Name: "soak", StartURLs: []string{sim.URL + "/"}, MaxArticles: 10,
		Retention: config.Retention{MaxItems: keep}}
	r := &Runner{Store: st, Owner: "soak",
		Scraper: scraper.New(scraper.Options{State: st.CrawlState(), Policy: scraper.Policy{
			UserAgent: "kabar-soak", RespectRobots: true, Parallelism: 4, Timeout: 5 * time.Second, MaxBody: 10 << 20}})}

	for b.Loop() {
		var heapWarm, rssWarm uint64
		var gorWarm int
		start := time.Now()
		for i := range cycles {
			sim.cycle.Store(int64(i))
			if _, err := r.Run(ctx, src); err != nil {
				b.Fatalf("cycle %d: %v", i, err)
			}
			if (i+1)%100 == 0 {
				b.Logf("cycle %d: heap %d KiB, rss %d KiB, goroutines %d", i+1, heapInuse()>>10, rssBytes()>>10, runtime.NumGoroutine())
			}
			if i+1 == warm {
				heapWarm, rssWarm, gorWarm = heapInuse(), rssBytes(), runtime.NumGoroutine()
			}
		}
		heapEnd, rssEnd, gorEnd := heapInuse(), rssBytes(), runtime.NumGoroutine()
		// The cycles did real work: one new article each, bounded by retention.
		if got, err := st.Articles(ctx, store.Query{Source: "soak", Limit: 1000}); err != nil || len(got) != keep {
			b.Fatalf("after %d cycles: %d articles stored (%v), want the %d retention keeps", cycles, len(got), err, keep)
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/cycles/1000, "ms/cycle")
		b.ReportMetric(float64(heapEnd)/float64(heapWarm), "heap-end/warm")
		b.ReportMetric(float64(rssEnd)/float64(rssWarm), "rss-end/warm")
		b.ReportMetric(float64(rssEnd)/(1<<20), "rss-MiB")
		b.ReportMetric(float64(gorEnd-gorWarm), "goroutines-added")
		if heapEnd > heapWarm*11/10 || rssEnd > rssWarm*11/10 || gorEnd > gorWarm {
			b.Errorf("soak: heap %d→%d, rss %d→%d, goroutines %d→%d (limit +10%%, no growth)",
				heapWarm, heapEnd, rssWarm, rssEnd, gorWarm, gorEnd)
		}
	}
}
