package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestFeedRouteAgreesWithMux: every request answers the same through the
// feed fast path as through the ServeMux alone, and the fast path takes
// exactly the requests it is meant to.
func TestFeedRouteAgreesWithMux(t *testing.T) {
	s, _ := newTestServer(t, seeded(3), func(o *Options) { o.Metrics = nil })
	fast, slow := s.feedRoute(s.mux()), s.mux()
	tests := []struct {
		method, target string
		fast           bool // taken by the fast path
	}{
		{"GET", "/feeds/warta.atom", true},
		{"HEAD", "/feeds/warta.rss", true},
		{"GET", "/feeds/all.json?q=nomor&limit=2", true},
		{"GET", "/feeds/nope.rss", true},
		{"GET", "/feeds/warta.xml", true},
		{"GET", "/feeds/.atom", true},
		{"GET", "/feeds/warta%2Eatom", false},
		{"GET", "/feeds/war%2Fta.atom", false},
		{"GET", "/feeds/a%20b.atom", true},
		{"GET", "/feeds/", false},
		{"GET", "/feeds/.", false},
		{"GET", "/feeds/..", false},
		{"GET", "/feeds/../opml", false},
		{"GET", "/feeds//warta.atom", false},
		{"GET", "/feeds/warta.atom/", false},
		{"GET", "/feeds/warta.rss/x", false},
		{"GET", "/feeds", false},
		{"GET", "/feedsx/warta.atom", false},
		{"POST", "/feeds/warta.atom", false},
		{"PUT", "/feeds/warta.atom", false},
		{"GET", "/opml", false},
		{"GET", "/", false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, nil)
			if _, ok := feedFile(r); ok != tt.fast {
				t.Errorf("fast path taken: %v, want %v", ok, tt.fast)
			}
			wf, ws := httptest.NewRecorder(), httptest.NewRecorder()
			fast.ServeHTTP(wf, httptest.NewRequest(tt.method, tt.target, nil))
			slow.ServeHTTP(ws, httptest.NewRequest(tt.method, tt.target, nil))
			if wf.Code != ws.Code {
				t.Fatalf("status %d, mux says %d", wf.Code, ws.Code)
			}
			for _, k := range []string{"Content-Type", "Content-Length", "Etag", "Last-Modified", "Location", "Allow"} {
				if f, m := wf.Header().Get(k), ws.Header().Get(k); f != m {
					t.Errorf("%s %q, mux says %q", k, f, m)
				}
			}
			if wf.Body.String() != ws.Body.String() {
				t.Errorf("body differs:\n%.300s\nmux:\n%.300s", wf.Body.String(), ws.Body.String())
			}
			if tt.fast && tt.method == http.MethodGet && wf.Body.Len() == 0 {
				t.Error("empty body")
			}
		})
	}
}
