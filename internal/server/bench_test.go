package server

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kabar-news/kabar/feeds"
	"github.com/kabar-news/kabar/internal/store"
)

// benchArticle is a realistically sized article: about 4 KB of body HTML
// with paragraphs, a link, a figure and entities, like a stored news page.
// Bodies are drawn from a vocabulary with a per-article seed, so articles
// are not near-duplicates of each other.
func benchArticle(source string, i int) store.Article {
	a := article(source, i)
	rng := rand.New(rand.NewPCG(uint64(i), uint64(len(source))))
	sentence := func() string {
		w := make([]string, 12+rng.IntN(10))
		for k := range w {
			w[k] = vocabulary[rng.IntN(len(vocabulary))]
		}
		return strings.ToUpper(w[0][:1]) + w[0][1:] + " " + strings.Join(w[1:], " ") + "."
	}
	var h, t strings.Builder
	for p := range 8 {
		s1, s2, s3 := sentence(), sentence(), sentence()
		fmt.Fprintf(&h, "<p>%s <a href=\"https://%s.example.id/tag/%s\">%s</a> %s &amp; %s</p>\n",
			s1, source, vocabulary[p], vocabulary[p], s2, s3)
		t.WriteString(s1 + " " + vocabulary[p] + " " + s2 + " & " + s3 + "\n\n")
		if p == 3 {
			fmt.Fprintf(&h, "<figure><img src=\"https://img.%s.example.id/%d-2.jpg\" alt=\"Foto\"><figcaption>Foto: dok.</figcaption></figure>\n", source, i)
		}
	}
	a.HTML, a.Text = h.String(), t.String()
	return a
}

var vocabulary = strings.Fields(`pemerintah daerah mengumumkan kebijakan baru soal transportasi umum warga
	menyambut beragam tanggapan harapan lebih baik depan presiden menteri gubernur bupati rapat kerja
	anggaran pendidikan kesehatan jalan tol banjir hujan deras pasar harga beras cabai naik turun polisi
	menangkap tersangka pengadilan putusan hakim sidang partai pemilu kampanye suara rakyat desa kota
	pelabuhan kapal nelayan ikan laut sekolah guru murid ujian rumah sakit dokter pasien vaksin listrik
	air bersih sampah lingkungan hutan kebakaran gempa bumi tsunami bantuan sosial ekonomi investasi
	pabrik pekerja upah minimum bank bunga kredit saham rupiah dolar ekspor impor petani panen pupuk`)

// cpuTime is the CPU time (user + system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds a cpu-ns/op metric: on a machine shared with other busy
// processes wall time per op mostly measures the wait for a core, while the
// CPU time the process spent per op does not.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// benchServer returns a server over a real SQLite store holding n articles
// of the source "warta".
func benchServer(b *testing.B, n int) *Server {
	st := openStore(b, n, "warta")
	s, _ := newTestServer(b, nil, func(o *Options) { o.Store = st; o.MaxItems = 50 })
	s.now = newCoarseClock(clockResolution).now // the server's own clock, not the test's
	return s
}

// BenchmarkServeFeed compares serving a cached 50-item Atom feed through
// the whole handler stack (routing, access log and recovery middleware,
// query normalisation, LastChange memo, cache lookup, validators) with a
// bare handler writing the same bytes: in process and over loopback HTTP.
func BenchmarkServeFeed(b *testing.B) {
	s := benchServer(b, 60)
	h := s.Handler()
	body := do(h, "GET", "/feeds/warta.atom").Body.Bytes()
	// The baseline: the simplest handler serving the same bytes with the
	// same Content-Type and Content-Length, through the same writer, for
	// the same request.
	static := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"static", static}, {"cached", h}} {
		b.Run("inprocess/"+c.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/feeds/warta.atom", nil)
			w := &discardWriter{h: http.Header{}}
			b.SetBytes(int64(len(body)))
			cpu := cpuTime()
			for b.Loop() {
				clear(w.h)
				w.code, w.n = 0, 0
				c.h.ServeHTTP(w, r)
				if w.code != 200 || w.n != len(body) {
					b.Fatal(w.code, w.n)
				}
			}
			reportCPU(b, cpu)
		})
	}
	// Both handlers in alternating blocks of one loop: on a shared machine
	// the load changes between sub-benchmarks, so their ratio is only
	// trustworthy when measured side by side.
	b.Run("inprocess/interleaved", func(b *testing.B) {
		r := httptest.NewRequest("GET", "/feeds/warta.atom", nil)
		w := &discardWriter{h: http.Header{}}
		const block = 256
		var spent [2]time.Duration
		for b.Loop() {
			for k, hh := range []http.Handler{static, h} {
				start := cpuTime()
				for range block {
					clear(w.h)
					w.code, w.n = 0, 0
					hh.ServeHTTP(w, r)
				}
				spent[k] += cpuTime() - start
				if w.code != 200 || w.n != len(body) {
					b.Fatal(w.code, w.n)
				}
			}
		}
		n := float64(b.N * block)
		b.ReportMetric(float64(spent[0])/n, "static-cpu-ns/req")
		b.ReportMetric(float64(spent[1])/n, "cached-cpu-ns/req")
		b.ReportMetric(float64(spent[0])/float64(spent[1]), "cached/static-speed")
	})
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"static", static}, {"cached", h}} {
		b.Run("loopback/"+c.name, func(b *testing.B) {
			srv := httptest.NewServer(c.h)
			defer srv.Close()
			client := srv.Client()
			client.Transport.(*http.Transport).DisableCompression = true
			url := srv.URL + "/feeds/warta.atom"
			b.SetBytes(int64(len(body)))
			cpu := cpuTime()
			for b.Loop() {
				resp, err := client.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			reportCPU(b, cpu)
		})
	}
}

// discardWriter is a ResponseWriter that keeps the status and counts the
// body bytes, so that in-process benchmarks measure the handlers, not a
// recorder copying the body.
type discardWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}
func (w *discardWriter) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = 200
	}
	w.n += len(p)
	return len(p), nil
}

// BenchmarkUncachedFeed measures building an Atom feed from scratch: the
// SQLite query, the mapping and the render (hygiene, sanitising, XML).
// "cold" renders with feeds.Render, sanitising every article body; "server"
// uses the server's Renderer, whose memo of sanitised bodies is warm in a
// running server (the same articles are in three formats, the merged feed
// and filtered feeds), so only new articles are sanitised.
func BenchmarkUncachedFeed(b *testing.B) {
	for _, n := range []int{50, 1000} {
		for _, mode := range []string{"cold", "server"} {
			b.Run(fmt.Sprintf("items=%d/%s", n, mode), func(b *testing.B) {
				s := benchServer(b, n)
				render := s.render.Render
				if mode == "cold" {
					render = feeds.Render
				}
				q := map[string][]string{"limit": {fmt.Sprint(n)}}
				if mode == "server" {
					// A running server has rendered these articles before.
					f, _ := s.BuildFeed(b.Context(), "warta", feeds.RSS, q)
					render(feeds.RSS, f)
				}
				cpu := cpuTime()
				for b.Loop() {
					f, err := s.BuildFeed(b.Context(), "warta", feeds.Atom, q)
					if err != nil {
						b.Fatal(err)
					}
					if len(f.Items) != n {
						b.Fatalf("%d items", len(f.Items))
					}
					if _, err := render(feeds.Atom, f); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu)
			})
		}
	}
}
