package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// routes is every route of the server, wrapped in the access log and
// panic recovery.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleIndex)
	mux.HandleFunc("GET /feeds/{file}", s.handleFeed)
	mux.HandleFunc("GET /opml", s.handleOPML)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	if m := s.opts.Metrics; m != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{
			ErrorLog: slogPrinter{s.log}, EnableOpenMetrics: true,
		}))
	}
	mux.HandleFunc("GET /", s.handleNotFound)
	return s.accessLog(s.recoverPanics(mux))
}
