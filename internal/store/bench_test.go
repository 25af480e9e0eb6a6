package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kabar-news/kabar/extract"
)

// benchBatch is the batch size of the insert benchmarks: a crawl saves the
// articles of a listing page together.
const benchBatch = 100

// benchArticle is a distinct article of 5 KB on average: 1.4 to 3.4 KB of
// text (real articles vary; a fixed size would measure how rows of one
// size happen to pack into pages), its HTML, and the metadata.
func benchArticle(n int) *extract.Article {
	a := article(uint64(n), fmt.Sprintf("https://bench.example/%d/berita-%d", n/1000, n))
	a.Text = body(uint64(n), 1400+int(mix(uint64(n))%2000))
	a.HTML = htmlOf(a.Text)
	a.Published = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Minute)
	return a
}

func recordSize(a *extract.Article) int {
	return len(a.URL) + len(a.PageURL) + len(a.Title) + len(a.Subtitle) + len(a.Description) + len(a.LeadImage) +
		len(a.Text) + len(a.HTML) + 200
}

// BenchmarkInsert saves batches of new 5 KB articles with SaveArticles and,
// as baselines, inserts the same articles with bare database/sql: same
// driver, same connection string (pragmas), same page size and WAL mode,
// every field in a column of its own, one prepared INSERT, one transaction
// per batch. "baseline" is a bare table; "baseline-indexed" also has the
// keys any store of these articles needs (unique URL, fetched URL, newest
// per source, newest overall). Compare the articles/s metrics.
func BenchmarkInsert(b *testing.B) {
	ctx := context.Background()
	b.Run("store", func(b *testing.B) {
		s := openTest(b, nil)
		n := 0
		var bytes int
		var cpu cpuMeter
		for b.Loop() {
			b.StopTimer()
			batch := make([]*extract.Article, benchBatch)
			for i := range batch {
				batch[i] = benchArticle(n)
				bytes += recordSize(batch[i])
				n++
			}
			b.StartTimer()
			cpu.start()
			if _, err := s.SaveArticles(ctx, "bench", batch); err != nil {
				b.Fatal(err)
			}
			cpu.stop()
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
		b.ReportMetric(float64(bytes)/float64(n), "B/article")
		cpu.report(b, n)
	})
	for _, bl := range []struct {
		name    string
		indexes []string
	}{
		{"baseline", nil},
		{"baseline-indexed", []string{
			`CREATE UNIQUE INDEX articles_url ON articles (url)`,
			`CREATE INDEX articles_page_url ON articles (page_url) WHERE page_url <> url`,
			`CREATE INDEX articles_source_time ON articles (source, first_seen DESC, id DESC)`,
			`CREATE INDEX articles_time ON articles (first_seen DESC, id DESC)`,
		}},
	} {
		b.Run(bl.name, func(b *testing.B) {
			db := openBaseline(b, bl.indexes)
			ins, err := db.PrepareContext(ctx, `INSERT INTO articles (source, url, page_url, title, subtitle,
			description, authors, editor, published, modified, lead_image, language, site_name, section, tags,
			next_page, single_page, method, profile, confidence, first_seen, text, html)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			var cpu cpuMeter
			for b.Loop() {
				b.StopTimer()
				batch := make([]*extract.Article, benchBatch)
				for i := range batch {
					batch[i] = benchArticle(n)
					n++
				}
				b.StartTimer()
				cpu.start()
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				st := tx.StmtContext(ctx, ins)
				now := time.Now().UnixNano()
				for _, a := range batch {
					if _, err := st.ExecContext(ctx, "bench", a.URL, a.PageURL, a.Title, a.Subtitle,
						a.Description, strings.Join(a.Authors, ","), a.Editor, a.Published.Format(time.RFC3339Nano),
						a.Modified.Format(time.RFC3339Nano), a.LeadImage, a.Language, a.SiteName, a.Section,
						strings.Join(a.Tags, ","), a.NextPage, a.SinglePage, string(a.Method), a.Profile,
						a.Confidence, now, a.Text, a.HTML); err != nil {
						b.Fatal(err)
					}
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
				cpu.stop()
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
			cpu.report(b, n)
		})
	}
}

// cpuMeter sums the process CPU time of the timed sections: on a shared
// machine the wall time of a run swings with the neighbours' load, the CPU
// time much less.
type cpuMeter struct{ t0, total time.Duration }

func (m *cpuMeter) start() { m.t0 = processCPU() }
func (m *cpuMeter) stop()  { m.total += processCPU() - m.t0 }

func (m *cpuMeter) report(b *testing.B, articles int) {
	if m.total > 0 && articles > 0 {
		b.ReportMetric(float64(m.total.Microseconds())/float64(articles), "cpu-µs/article")
	}
}

// openBaseline opens a bare database with the store's connection string.
func openBaseline(b *testing.B, indexes []string) *sql.DB {
	path := filepath.Join(b.TempDir(), "baseline.db")
	db, err := sql.Open("sqlite", dsn(path, 10*time.Second, false))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	for _, q := range append([]string{
		fmt.Sprintf("PRAGMA page_size = %d", pageSize),
		"PRAGMA journal_mode = WAL",
		`CREATE TABLE articles (id INTEGER PRIMARY KEY, source TEXT, url TEXT, page_url TEXT, title TEXT,
			subtitle TEXT, description TEXT, authors TEXT, editor TEXT, published TEXT, modified TEXT,
			lead_image TEXT, language TEXT, site_name TEXT, section TEXT, tags TEXT, next_page TEXT,
			single_page TEXT, method TEXT, profile TEXT, confidence REAL, first_seen INTEGER, text TEXT, html TEXT)`,
	}, indexes...) {
		if _, err := db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// BenchmarkNewest50 reads the newest 50 articles of one source from a file
// of 100,000 articles of 20 sources, as a feed request does, and reports
// the latency percentiles. The setup takes a while: only under -bench, and
// not with -short.
func BenchmarkNewest50(b *testing.B) {
	if testing.Short() {
		b.Skip("100k-row setup skipped in -short mode")
	}
	const total, sources = 100_000, 20
	ctx := context.Background()
	s := openTest(b, nil)
	batch := make([]*extract.Article, 0, 500)
	for n := range total {
		batch = append(batch, benchArticle(n))
		if len(batch) == cap(batch) {
			// Interleave sources as a scheduler does.
			src := fmt.Sprint("s", (n/len(batch))%sources)
			if _, err := s.SaveArticles(ctx, src, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	for _, tc := range []struct {
		name string
		q    Query
	}{
		{"source", Query{Source: "s7"}},
		{"all", Query{}},
		// As a feed does: HTML and a summary, not the whole text.
		{"source-textlimit", Query{Source: "s7", TextLimit: 1000}},
		{"all-textlimit", Query{TextLimit: 1000}},
	} {
		q := tc.q
		b.Run(tc.name, func(b *testing.B) {
			var lat []time.Duration
			var cpu cpuMeter
			b.ReportAllocs()
			for b.Loop() {
				t0 := time.Now()
				cpu.start()
				as, err := s.Articles(ctx, q)
				cpu.stop()
				lat = append(lat, time.Since(t0))
				if err != nil || len(as) != 50 {
					b.Fatalf("%d articles, %v", len(as), err)
				}
			}
			slices.Sort(lat)
			ms := func(p float64) float64 {
				return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond)
			}
			b.ReportMetric(ms(0.50), "p50-ms")
			b.ReportMetric(ms(0.99), "p99-ms")
			b.ReportMetric(float64(cpu.total.Microseconds())/float64(len(lat)), "cpu-µs/op")
		})
	}
}
