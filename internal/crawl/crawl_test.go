package crawl

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/kabar-news/kabar/internal/config"
	"github.com/kabar-news/kabar/internal/metrics"
	"github.com/kabar-news/kabar/internal/store"
	"github.com/kabar-news/kabar/scraper"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

func newRunner(t *testing.T) (*Runner, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := &Runner{Store: st, Owner: "test", Metrics: metrics.New(),
		Scraper: scraper.New(scraper.Options{State: st.CrawlState(), Policy: scraper.Policy{
			UserAgent: "kabar-test", RespectRobots: true, Parallelism: 2, Timeout: 5 * time.Second, MaxBody: 10 << 20}})}
	return r, st
}

func TestRunCountsAndRecords(t *testing.T) {
	sim := newSimulator(t)
	r, st := newRunner(t)
	ctx := context.Background()
	src := config.Source{Name: "sim", StartURLs: []string{sim.URL + "/"}, MaxArticles: 50}

	sim.cycle.Store(4) // five articles on the front page
	res, err := r.Run(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 5 || res.Updated != 0 {
		t.Errorf("first run: new %d updated %d, want 5 and 0", res.New, res.Updated)
	}
	sim.cycle.Store(6) // two more
	if res, err = r.Run(ctx, src); err != nil || res.New != 2 {
		t.Errorf("second run: new %d (%v), want 2: stored articles are not fetched again", res.New, err)
	}
	status, err := st.Status(ctx, "sim")
	if err != nil || status.LastRun.New != 2 || status.Items != 7 {
		t.Errorf("status after two runs: %+v (%v), want last run new=2 and 7 items", status, err)
	}
	if got := counter(t, r.Metrics.ArticlesNew.WithLabelValues("sim")); got != 7 {
		t.Errorf("kabar_articles_new_total = %v, want 7", got)
	}
}

func TestRunSkipsWhenLeaseHeld(t *testing.T) {
	sim := newSimulator(t)
	r, st := newRunner(t)
	ctx := context.Background()
	if ok, err := st.AcquireLease(ctx, "sim", "another-process", time.Minute); !ok || err != nil {
		t.Fatalf("acquire: %v %v", ok, err)
	}
	_, err := r.Run(ctx, config.Source{Name: "sim", StartURLs: []string{sim.URL + "/"}})
	if !errors.Is(err, ErrLeaseHeld) {
		t.Fatalf("run under another's lease: %v, want ErrLeaseHeld", err)
	}
	if got := counter(t, r.Metrics.Crawls.WithLabelValues("sim", "skipped")); got != 1 {
		t.Errorf("skipped crawls = %v, want 1", got)
	}
}

func TestRunFailsForDeadSite(t *testing.T) {
	r, st := newRunner(t)
	ctx := context.Background()
	_, err := r.Run(ctx, config.Source{Name: "dead", StartURLs: []string{"http://127.0.0.1:1/"}})
	if err == nil {
		t.Fatal("a source whose only start URL is unreachable must fail as a whole")
	}
	status, serr := st.Status(ctx, "dead")
	if serr != nil || status.LastRun.Err == "" {
		t.Errorf("the failure is not recorded: %+v (%v)", status, serr)
	}
	// The lease was released: the next run is not skipped.
	if _, err := r.Run(ctx, config.Source{Name: "dead", StartURLs: []string{"http://127.0.0.1:1/"}}); errors.Is(err, ErrLeaseHeld) {
		t.Error("the lease was not released after a failed run")
	}
}

func TestRunCountsPageErrorsByKind(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			w.Write([]byte(`<html><body><ul>
<li><a href="/2025/08/halaman-kosong/">Halaman kosong tanpa isi berita sama sekali</a></li>
<li><a href="/2025/08/halaman-hilang/">Halaman yang sudah dihapus dari situs ini</a></li>
</ul></body></html>`))
		case "/2025/08/halaman-kosong/":
			w.Write([]byte(`<html><head><title>Kosong</title></head><body></body></html>`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	r, _ := newRunner(t)
	src := config.Source{Name: "rusak", StartURLs: []string{site.URL + "/"}, MaxArticles: 50, ArticleURLPattern: `/2025/08/`}
	res, err := r.Run(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 2 {
		t.Fatalf("errors = %d, want 2 (one page without content, one 404)", res.Errors)
	}
	m := r.Metrics
	if got := counter(t, m.FetchErrors.WithLabelValues("rusak", "status")); got != 1 {
		t.Errorf(`kabar_fetch_errors_total{kind="status"} = %v, want 1`, got)
	}
	if got := counter(t, m.FetchErrors.WithLabelValues("rusak", "extract")); got != 1 {
		t.Errorf(`kabar_fetch_errors_total{kind="extract"} = %v, want 1`, got)
	}
	if got := counter(t, m.ExtractFailures.WithLabelValues("rusak")); got != 1 {
		t.Errorf("kabar_extract_failures_total = %v, want 1", got)
	}
}

func counter(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
