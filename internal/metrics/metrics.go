// Package metrics holds kabar's Prometheus collectors, all prefixed kabar_.
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the collectors the crawler, scheduler and server update.
type Metrics struct {
	Registry *prometheus.Registry

	Crawls          *prometheus.CounterVec   // source, result (ok, failed, skipped)
	CrawlDuration   *prometheus.HistogramVec // source
	PagesFetched    *prometheus.CounterVec   // source
	FetchErrors     *prometheus.CounterVec   // source, kind
	ArticlesNew     *prometheus.CounterVec   // source
	ArticlesUpdated *prometheus.CounterVec   // source
	ExtractFailures *prometheus.CounterVec   // source
	SourceFailing   *prometheus.GaugeVec     // source: 1 while backed off after failures
	FeedRequests    *prometheus.CounterVec   // format, code
	FeedNotModified *prometheus.CounterVec   // format
}

// New returns a fresh set of collectors registered on their own registry,
// with the Go and process collectors.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Crawls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kabar_crawls_total", Help: "Crawl runs by source and result (ok, failed, skipped).",
		}, []string{"source", "result"}),
		CrawlDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kabar_crawl_duration_seconds", Help: "Duration of crawl runs.",
			Buckets: []float64{0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600},
		}, []string{"source"}),
		PagesFetched: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kabar_pages_fetched_total", Help: "HTTP responses received while crawling.",
		}, []string{"source"}),
		FetchErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kabar_fetch_errors_total", Help: "Failed page fetches by kind.",
		}, []string{"source", "kind"}),
		ArticlesNew: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kabar_articles_new_total", Help: "Articles stored for the first time.",
		}, []string{"source"}),
		ArticlesUpdated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kabar_articles_updated_total", Help: "Stored articles whose content changed.",
		}, []string{"source"}),
		ExtractFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kabar_extract_failures_total", Help: "Article pages from which no article could be extracted.",
		}, []string{"source"}),
		SourceFailing: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "kabar_source_failing", Help: "1 while a source is failing and backed off.",
		}, []string{"source"}),
		FeedRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kabar_feed_requests_total", Help: "Feed requests by format and status code.",
		}, []string{"format", "code"}),
		FeedNotModified: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kabar_feed_not_modified_total", Help: "Feed requests answered 304 Not Modified.",
		}, []string{"format"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.Crawls, m.CrawlDuration, m.PagesFetched, m.FetchErrors, m.ArticlesNew,
		m.ArticlesUpdated, m.ExtractFailures, m.SourceFailing, m.FeedRequests, m.FeedNotModified,
	)
	return m
}
