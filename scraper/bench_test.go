package scraper

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kabar-news/kabar/extract"
)

// simulator is a local news site of n articles: listing pages of 50
// headlines with pagination, and article pages of realistic weight
// (navigation, scripts, related links), generated on the fly so that the
// server holds no pages in memory.
type simulator struct {
	*httptest.Server
	n    int
	gets atomic.Int64
}

const simPerPage = 50

func newSimulator(tb testing.TB, n int) *simulator {
	sim := &simulator{n: n}
	filler := strings.Repeat("window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}\n", 250)
	nav := strings.Builder{}
	for i := range 40 {
		fmt.Fprintf(&nav, `<li><a href="/kanal/rubrik-%d">Rubrik %d</a></li>`, i, i)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "User-agent: *\nDisallow: /admin/\n")
	})
	mux.HandleFunc("/berita", func(w http.ResponseWriter, r *http.Request) {
		p, _ := strconv.Atoi(r.URL.Query().Get("page"))
		p = max(p, 1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var b bytes.Buffer
		fmt.Fprintf(&b, `<!doctype html><html><head><title>Indeks berita %d</title><script>%s</script></head><body><header><nav><ul>%s</ul></nav></header><main>`, p, filler[:4000], nav.String())
		for i := (p - 1) * simPerPage; i < min(p*simPerPage, n); i++ {
			fmt.Fprintf(&b, `<article class="item"><h2><a href="/2026/11/%02d/%d/berita-simulasi-nomor-%d-tentang-kota?utm_source=indeks">Berita simulasi nomor %d tentang kota dan warganya</a></h2><span>26 Nov 2026</span></article>`, i%28+1, 100000+i, i, i)
		}
		if p*simPerPage < n {
			fmt.Fprintf(&b, `<div class="pagination"><a rel="next" href="/berita?page=%d">Berikutnya</a></div>`, p+1)
		}
		fmt.Fprintf(&b, `</main><footer>%s</footer></body></html>`, nav.String())
		w.Write(b.Bytes())
	})
	mux.HandleFunc("/2026/11/{day}/{id}/{slug}", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.Atoi(r.PathValue("id"))
		i := id - 100000
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var b bytes.Buffer
		fmt.Fprintf(&b, `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Berita simulasi nomor %d tentang kota</title>
<link rel="canonical" href="%s%s"><meta property="og:title" content="Berita simulasi nomor %d">
<meta property="article:published_time" content="2026-11-26T08:00:00+07:00"><script>%s</script></head>
<body><header><nav><ul>%s</ul></nav></header><main><article><h1>Berita simulasi nomor %d tentang kota</h1>
<div class="byline">Oleh Penulis Simulasi</div><div class="content">`, i, sim.URL, r.URL.Path, i, filler, nav.String(), i)
		for p := range 10 {
			fmt.Fprintf(&b, "<p>Paragraf %d berita %d. Warga kota berkumpul di alun-alun untuk mendengarkan pengumuman wali kota tentang rencana pembangunan jalan, jembatan dan taman baru yang akan dimulai tahun depan dengan anggaran daerah.</p>\n", p, i)
		}
		b.WriteString(`</div></article><aside class="related"><ul>`)
		for k := range 15 {
			fmt.Fprintf(&b, `<li><a href="/2026/11/01/%d/berita-terkait-%d">Berita terkait %d</a></li>`, 200000+k, k, k)
		}
		fmt.Fprintf(&b, `</ul></aside></main><footer>%s</footer></body></html>`, nav.String())
		w.Write(b.Bytes())
	})
	sim.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sim.gets.Add(1)
		mux.ServeHTTP(w, r)
	}))
	tb.Cleanup(sim.Close)
	return sim
}

// pages is how many distinct pages a full crawl of the simulator reads:
// robots.txt, the listing pages and the articles.
func (sim *simulator) pages() int64 {
	return int64(1 + (sim.n+simPerPage-1)/simPerPage + sim.n)
}

var refLinkRe = regexp.MustCompile(`href="(/2026/11/[^"?#]+)[^"]*"`)
var refNextRe = regexp.MustCompile(`rel="next" href="([^"]+)"`)

// referenceCrawl is the same work done plainly: net/http with a pooled
// transport, the listing pages followed in order, the article links taken
// with a regexp, parallelism workers fetching and extracting.
func referenceCrawl(ctx context.Context, base string, parallelism int, store func(*extract.Article)) (int, error) {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: parallelism + 2, MaxConnsPerHost: parallelism + 2,
	}}
	defer client.CloseIdleConnections()
	get := func(u string) ([]byte, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}
	if _, err := get(base + "/robots.txt"); err != nil {
		return 0, err
	}
	seen := map[string]bool{}
	var links []string
	for next := base + "/berita"; next != ""; {
		body, err := get(next)
		if err != nil {
			return 0, err
		}
		for _, m := range refLinkRe.FindAllSubmatch(body, -1) {
			if l := string(m[1]); !seen[l] {
				seen[l] = true
				links = append(links, base+l)
			}
		}
		next = ""
		if m := refNextRe.FindSubmatch(body); m != nil {
			next = base + string(m[1])
		}
	}
	jobs := make(chan string)
	var wg sync.WaitGroup
	var n atomic.Int64
	for range parallelism {
		wg.Go(func() {
			for u := range jobs {
				body, err := get(u)
				if err != nil {
					continue
				}
				a, err := extract.FromReader(bytes.NewReader(body), u, extract.Options{ContentType: "text/html; charset=utf-8"})
				if err == nil {
					store(a)
					n.Add(1)
				}
			}
		})
	}
	for _, l := range links {
		jobs <- l
	}
	close(jobs)
	wg.Wait()
	return int(n.Load()), nil
}

// peakSampler samples the live heap until stopped and remembers its peak.
type peakSampler struct {
	stop chan struct{}
	done chan uint64
}

func samplePeakHeap() *peakSampler {
	p := &peakSampler{stop: make(chan struct{}), done: make(chan uint64)}
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-p.stop:
				p.done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *peakSampler) peak() uint64 { close(p.stop); return <-p.done }

// cpuTime is the user+system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS returns the process's peak resident set (VmHWM) in bytes after
// resetting it, or 0 where /proc is unavailable.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkCrawl crawls a simulated site of 2,000 articles with kabar's
// scraper and with the plain reference, alternately in each iteration, and
// reports both throughputs, their ratio (kabar/reference, target ≥ 0.85),
// the server-side GETs per page (must be 1) and kabar's peak heap and RSS.
func BenchmarkCrawl(b *testing.B) {
	n := 2000
	if testing.Short() {
		n = 300
	}
	for _, par := range []int{4, 16} {
		b.Run(fmt.Sprintf("p%d", par), func(b *testing.B) {
			sim := newSimulator(b, n)
			var kabarDur, refDur, kabarCPU, refCPU time.Duration
			var heapPeak, rssPeak uint64
			iters := 0
			ref := func() {
				runtime.GC()
				start, cpu := time.Now(), cpuTime()
				var stored sync.Map // the same "store" as kabar's emit below
				got, err := referenceCrawl(b.Context(), sim.URL, par, func(a *extract.Article) { stored.Store(a.URL, len(a.Text)) })
				refDur += time.Since(start)
				refCPU += cpuTime() - cpu
				if err != nil || got != n {
					b.Fatalf("reference: %d articles, err %v", got, err)
				}
			}
			kabar := func() {
				runtime.GC()
				resetPeakRSS()
				sim.gets.Store(0)
				sc := New(Options{Policy: Policy{
					UserAgent: "kabar-bench", RespectRobots: true, Parallelism: par, Timeout: 30 * time.Second,
					MaxListingPages: n/simPerPage + 1,
				}})
				var stored sync.Map
				sampler := samplePeakHeap()
				start, cpu := time.Now(), cpuTime()
				st, err := sc.Crawl(b.Context(), Source{Name: "sim", StartURLs: []string{sim.URL + "/berita"}, MaxArticles: -1},
					func(_ context.Context, a *extract.Article) error { stored.Store(a.URL, len(a.Text)); return nil })
				kabarDur += time.Since(start)
				kabarCPU += cpuTime() - cpu
				heapPeak = max(heapPeak, sampler.peak())
				rssPeak = max(rssPeak, peakRSS())
				if err != nil || st.Articles != n {
					b.Fatalf("kabar: %d articles, err %v", st.Articles, err)
				}
				if g := sim.gets.Load(); g != sim.pages() {
					b.Fatalf("kabar sent %d GETs for %d pages", g, sim.pages())
				}
			}
			for b.Loop() {
				// Alternate who goes first, so that drift in the machine's
				// load does not favour one side.
				if iters%2 == 0 {
					ref()
					kabar()
				} else {
					kabar()
					ref()
				}
				iters++
			}
			kps := float64(n*iters) / kabarDur.Seconds()
			rps := float64(n*iters) / refDur.Seconds()
			b.ReportMetric(kps, "kabar_articles/s")
			b.ReportMetric(rps, "ref_articles/s")
			b.ReportMetric(kps/rps, "ratio")
			// The machine is shared: wall-clock throughput is noisy, so the
			// CPU time of the process (server included, the same work on
			// both sides) per crawl is compared too.
			b.ReportMetric(refCPU.Seconds()/kabarCPU.Seconds(), "cpu_ratio")
			b.ReportMetric(1, "GETs/page")
			b.ReportMetric(float64(heapPeak)/(1<<20), "peak_heap_MiB")
			b.ReportMetric(float64(rssPeak)/(1<<20), "peak_RSS_MiB")
		})
	}
}
