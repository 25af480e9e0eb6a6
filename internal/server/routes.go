package server

import (
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// routes is every route of the server, wrapped in the access log and
// panic recovery.
func (s *Server) routes() http.Handler {
	return s.accessLog(s.recoverPanics(s.feedRoute(s.mux())))
}

// mux routes every request.
func (s *Server) mux() *http.ServeMux {
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
	return mux
}

// feedRoute sends feed requests, by far the commonest, straight to
// serveFeed, skipping the ServeMux's pattern matching and path cleaning (a
// fifth of the cost of serving a cached feed). It takes only requests mux
// would route to handleFeed with the same file: GET or HEAD of a clean
// /feeds/{file} path with no escaped characters. Everything else goes
// through mux.
func (s *Server) feedRoute(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if file, ok := feedFile(r); ok {
			s.serveFeed(w, r, file)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// feedFile returns the {file} of a request for /feeds/{file} that needs no
// redirect or unescaping.
func feedFile(r *http.Request) (string, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || r.URL.RawPath != "" {
		return "", false
	}
	file, ok := strings.CutPrefix(r.URL.Path, "/feeds/")
	if !ok || file == "" || file == "." || file == ".." || strings.IndexByte(file, '/') >= 0 {
		return "", false
	}
	return file, true
}
