package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kabar-news/kabar/internal/metrics"
)

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var testSources = []SourceInfo{
	{Name: "warta", Title: "Warta Contoh", HomeURL: "https://warta.example.id/", Language: "id", RulesConfigured: true},
	{Name: "kabar-kota", Title: "Kabar Kota", HomeURL: "https://kabar-kota.example.id/", Language: "id"},
}

// newTestServer returns a server over fs with two sources, a fixed clock
// and fresh metrics.
func newTestServer(t testing.TB, fs *fakeStore, edit func(*Options)) (*Server, *testClock) {
	t.Helper()
	opts := Options{
		Store:    fs,
		BaseURL:  "http://feeds.example.test/",
		MaxItems: 20,
		Sources:  func() []SourceInfo { return testSources },
		Metrics:  metrics.New(),
	}
	if edit != nil {
		edit(&opts)
	}
	s := New(opts)
	clock := &testClock{t: testEpoch.Add(1000 * time.Hour)}
	s.now = clock.now
	return s, clock
}

// seeded returns a store with n articles of each test source.
func seeded(n int) *fakeStore {
	fs := &fakeStore{}
	for i := range n {
		fs.add(article("warta", i), article("kabar-kota", i))
	}
	return fs
}

// do sends a request to h and returns the recorded response.
func do(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestRoutes(t *testing.T) {
	s, _ := newTestServer(t, seeded(5), nil)
	h := s.Handler()
	tests := []struct {
		method, path string
		code         int
		ctype        string // prefix
		body         string // substring
	}{
		{"GET", "/feeds/warta.rss", 200, "application/rss+xml; charset=utf-8", "<rss"},
		{"GET", "/feeds/warta.atom", 200, "application/atom+xml; charset=utf-8", "<feed"},
		{"GET", "/feeds/warta.json", 200, "application/feed+json; charset=utf-8", `"version"`},
		{"GET", "/feeds/all.rss", 200, "application/rss+xml", "Berita kabar-kota"},
		{"GET", "/feeds/all.atom?q=nomor&limit=3", 200, "application/atom+xml", "<entry"},
		{"GET", "/feeds/kabar-kota.json?tag=nasional", 200, "application/feed+json", "Berita kabar-kota"},
		{"GET", "/opml", 200, "text/x-opml", "/feeds/warta.rss"},
		{"GET", "/healthz", 200, "text/plain", "ok"},
		{"GET", "/metrics", 200, "text/plain", "kabar_"},
		{"GET", "/", 200, "text/html; charset=utf-8", "Warta Contoh"},
		{"GET", "/feeds/nope.rss", 404, "text/plain", `no source called "nope"`},
		{"GET", "/feeds/warta.xml", 404, "text/plain", "feeds end in .rss, .atom or .json"},
		{"GET", "/feeds/warta", 404, "text/plain", "feeds end in .rss, .atom or .json"},
		{"GET", "/feeds/", 404, "text/plain", "nothing at /feeds/"},
		{"GET", "/feeds/warta.rss/x", 404, "text/plain", "nothing at"},
		{"GET", "/wp-login.php", 404, "text/plain", "nothing at /wp-login.php"},
		{"GET", "/feeds/warta.rss?limit=0", 400, "text/plain", "limit must be"},
		{"GET", "/feeds/warta.rss?limit=lots", 400, "text/plain", "limit must be"},
		{"POST", "/feeds/warta.rss", 405, "", ""},
		{"DELETE", "/", 405, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := do(h, tt.method, tt.path)
			if w.Code != tt.code {
				t.Fatalf("status %d, want %d; body %q", w.Code, tt.code, w.Body.String())
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
				t.Errorf("Content-Type %q, want prefix %q", ct, tt.ctype)
			}
			if !strings.Contains(w.Body.String(), tt.body) {
				t.Errorf("body lacks %q:\n%.400s", tt.body, w.Body.String())
			}
		})
	}
}

func TestHead(t *testing.T) {
	s, _ := newTestServer(t, seeded(3), nil)
	h := s.Handler()
	for _, path := range []string{"/feeds/warta.atom", "/", "/opml"} {
		get, head := do(h, "GET", path), do(h, "HEAD", path)
		if head.Code != 200 || head.Body.Len() != 0 {
			t.Errorf("HEAD %s: status %d, %d body bytes", path, head.Code, head.Body.Len())
		}
		for _, k := range []string{"Content-Type", "Content-Length", "Etag"} {
			if get.Header().Get(k) != head.Header().Get(k) {
				t.Errorf("HEAD %s: %s %q, GET has %q", path, k, head.Header().Get(k), get.Header().Get(k))
			}
		}
	}
}

func TestFeedsAreWellFormed(t *testing.T) {
	fs := seeded(4)
	hostile := article("warta", 9)
	hostile.Title = "Judul <b>tebal</b> \x0b dengan ]]> dan \xff"
	hostile.HTML = `<p onclick="x()">isi ]]> <script>alert(1)</script><a href="javascript:alert(1)">l</a></p>`
	fs.add(hostile)
	s, _ := newTestServer(t, fs, nil)
	h := s.Handler()
	for _, path := range []string{"/feeds/warta.rss", "/feeds/warta.atom", "/feeds/all.rss", "/opml"} {
		w := do(h, "GET", path)
		dec := xml.NewDecoder(w.Body)
		dec.Strict = true
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: not well-formed: %v", path, err)
			}
		}
	}
	w := do(h, "GET", "/feeds/warta.json")
	var jf struct {
		FeedURL string `json:"feed_url"`
		Items   []struct {
			ID, URL, Title string
		} `json:"items"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &jf); err != nil {
		t.Fatalf("json feed: %v", err)
	}
	if jf.FeedURL != "http://feeds.example.test/feeds/warta.json" {
		t.Errorf("feed_url %q", jf.FeedURL)
	}
	if len(jf.Items) != 5 || jf.Items[0].ID != hostile.URL {
		t.Errorf("items: %d, first %+v", len(jf.Items), jf.Items[0])
	}
	if strings.Contains(w.Body.String(), "<script") || strings.Contains(w.Body.String(), "javascript:") {
		t.Errorf("unsafe content served: %s", w.Body.String())
	}
}

func TestConditionalGet(t *testing.T) {
	s, _ := newTestServer(t, seeded(3), nil)
	h := s.Handler()
	first := do(h, "GET", "/feeds/warta.atom")
	etag, lm := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 10 {
		t.Fatalf("ETag %q is not a strong entity tag", etag)
	}
	// Newest item: article 2, published testEpoch+2h, first seen 5 min later.
	if want := testEpoch.Add(2 * time.Hour).Format(http.TimeFormat); lm != want {
		t.Errorf("Last-Modified %q, want the newest item's time %q", lm, want)
	}
	if cc := first.Header().Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("Cache-Control %q", cc)
	}
	if v := first.Header().Get("Vary"); v != "Accept-Encoding" {
		t.Errorf("Vary %q", v)
	}
	older := testEpoch.Format(http.TimeFormat)
	later := testEpoch.Add(3 * time.Hour).Format(http.TimeFormat)
	tests := []struct {
		name   string
		header []string
		code   int
	}{
		{"no validators", nil, 200},
		{"matching etag", []string{"If-None-Match", etag}, 304},
		{"matching weak etag", []string{"If-None-Match", "W/" + etag}, 304},
		{"etag in a list", []string{"If-None-Match", `"abc", ` + etag}, 304},
		{"star", []string{"If-None-Match", "*"}, 304},
		{"other etag", []string{"If-None-Match", `"abc"`}, 200},
		{"same date", []string{"If-Modified-Since", lm}, 304},
		{"later date", []string{"If-Modified-Since", later}, 304},
		{"older date", []string{"If-Modified-Since", older}, 200},
		{"bad date", []string{"If-Modified-Since", "yesterday"}, 200},
		{"both match (as readers send)", []string{"If-None-Match", etag, "If-Modified-Since", lm}, 304},
		{"etag wins over date", []string{"If-None-Match", `"stale"`, "If-Modified-Since", lm}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(h, "GET", "/feeds/warta.atom", tt.header...)
			if w.Code != tt.code {
				t.Fatalf("status %d, want %d", w.Code, tt.code)
			}
			if tt.code == 304 {
				if w.Body.Len() != 0 || w.Header().Get("ETag") != etag || w.Header().Get("Content-Length") != "" {
					t.Errorf("304 with body %d bytes, ETag %q, Content-Length %q",
						w.Body.Len(), w.Header().Get("ETag"), w.Header().Get("Content-Length"))
				}
			} else if !bytes.Equal(w.Body.Bytes(), first.Body.Bytes()) {
				t.Error("unchanged feed gave different bytes")
			}
		})
	}
	var m = s.opts.Metrics
	if n := testutilCount(t, m, "kabar_feed_not_modified_total"); n < 6 {
		t.Errorf("kabar_feed_not_modified_total = %v, want ≥ 6", n)
	}
}

func TestGzip(t *testing.T) {
	s, _ := newTestServer(t, seeded(10), nil)
	h := s.Handler()
	plain := do(h, "GET", "/feeds/warta.rss")
	gz := do(h, "GET", "/feeds/warta.rss", "Accept-Encoding", "gzip, deflate, br")
	if gz.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("no gzip: headers %v", gz.Header())
	}
	if gz.Header().Get("ETag") == plain.Header().Get("ETag") {
		t.Error("gzip variant has the same strong ETag as the identity one")
	}
	if gz.Header().Get("Content-Length") == "" || gz.Body.Len() >= plain.Body.Len() {
		t.Errorf("gzip body %d bytes (Content-Length %q), plain %d", gz.Body.Len(), gz.Header().Get("Content-Length"), plain.Body.Len())
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(body, plain.Body.Bytes()) {
		t.Fatalf("gunzipped body differs from the plain one (err %v)", err)
	}
	// Either tag revalidates either representation.
	for _, tag := range []string{gz.Header().Get("ETag"), plain.Header().Get("ETag")} {
		if w := do(h, "GET", "/feeds/warta.rss", "Accept-Encoding", "gzip", "If-None-Match", tag); w.Code != 304 {
			t.Errorf("If-None-Match %s: %d, want 304", tag, w.Code)
		}
	}
	for _, ae := range []string{"gzip;q=0", "identity", "br", "*;q=0", "gzip;q=0, *"} {
		if w := do(h, "GET", "/feeds/warta.rss", "Accept-Encoding", ae); w.Header().Get("Content-Encoding") != "" {
			t.Errorf("Accept-Encoding %q got Content-Encoding %q", ae, w.Header().Get("Content-Encoding"))
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := map[string]bool{
		"": false, "gzip": true, "GZIP": true, "deflate, gzip;q=1.0": true, "gzip;q=0": false,
		"gzip; q=0.000": false, "*": true, "*;q=0": false, "br, *;q=0.1": true, "x-gzip": true,
		"identity": false, "gzip;q=0, *": false, "br;q=1, gzip;q=0.5": true,
	}
	for h, want := range tests {
		if got := acceptsGzip(h); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestETagMatch(t *testing.T) {
	tests := []struct {
		list string
		want bool
	}{
		{`"a"`, true}, {`W/"a"`, true}, {`"b", "a"`, true}, {`"b","a-gz"`, true}, {`*`, true},
		{`"b"`, false}, {`a`, false}, {``, false}, {`"a`, false}, {`"ab"`, false}, {`junk, "a"`, true},
		{`W/, "a"`, true}, {`W/,`, false}, {`x,,y, "a"`, true},
	}
	for _, tt := range tests {
		if got := etagMatch(tt.list, `"a"`, `"a-gz"`); got != tt.want {
			t.Errorf("etagMatch(%q) = %v, want %v", tt.list, got, tt.want)
		}
	}
}

func TestFeedCache(t *testing.T) {
	fs := seeded(5)
	s, clock := newTestServer(t, fs, nil)
	h := s.Handler()
	first := do(h, "GET", "/feeds/warta.rss")
	calls := fs.articlesCalls.Load()
	for _, path := range []string{
		"/feeds/warta.rss", "/feeds/warta.rss?utm_source=reader&_=123",
	} {
		if w := do(h, "GET", path); !bytes.Equal(w.Body.Bytes(), first.Body.Bytes()) {
			t.Errorf("%s: different bytes", path)
		}
	}
	if got := fs.articlesCalls.Load(); got != calls {
		t.Errorf("cached feed queried the store again: %d calls, want %d", got, calls)
	}
	// A normalised query is the same feed: one render for both spellings.
	do(h, "GET", "/feeds/warta.rss?q=Berita+nomor")
	calls = fs.articlesCalls.Load()
	do(h, "GET", "/feeds/warta.rss?q=nomor&q=berita")
	if got := fs.articlesCalls.Load(); got != calls {
		t.Errorf("equivalent query rendered again")
	}

	// New content: once the freshness interval has passed the feed changes.
	fs.add(article("warta", 7))
	if w := do(h, "GET", "/feeds/warta.rss"); !bytes.Equal(w.Body.Bytes(), first.Body.Bytes()) {
		t.Error("feed changed within the freshness interval")
	}
	clock.advance(2 * time.Second)
	w := do(h, "GET", "/feeds/warta.rss")
	if bytes.Equal(w.Body.Bytes(), first.Body.Bytes()) || !strings.Contains(w.Body.String(), "Berita warta nomor 7") {
		t.Error("new article not served after the freshness interval")
	}
	if w.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Error("ETag unchanged for changed content")
	}
	if w := do(h, "GET", "/feeds/warta.rss", "If-None-Match", first.Header().Get("ETag")); w.Code != 200 {
		t.Errorf("stale ETag answered %d", w.Code)
	}
}

func TestFeedCacheBounded(t *testing.T) {
	s, _ := newTestServer(t, seeded(3), func(o *Options) { o.CacheEntries = 8 })
	h := s.Handler()
	for i := range 50 {
		do(h, "GET", "/feeds/warta.atom?q=w"+strings.Repeat("x", i))
	}
	if n := s.cache.len(); n != 8 {
		t.Errorf("cache holds %d entries, want the bound 8", n)
	}
}

func TestConcurrentMissesRenderOnce(t *testing.T) {
	fs := seeded(3)
	fs.delay = 50 * time.Millisecond
	s, _ := newTestServer(t, fs, nil)
	h := s.Handler()
	var wg sync.WaitGroup
	var ok atomic.Int32
	for range 8 {
		wg.Go(func() {
			if do(h, "GET", "/feeds/all.json").Code == 200 {
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 8 {
		t.Errorf("%d of 8 requests succeeded", ok.Load())
	}
	if n := fs.articlesCalls.Load(); n != 1 {
		t.Errorf("8 concurrent requests queried the store %d times, want 1", n)
	}
}

func TestStoreErrors(t *testing.T) {
	fs := seeded(2)
	s, _ := newTestServer(t, fs, nil)
	h := s.Handler()
	fs.err = errors.New("disk I/O error")
	for path, code := range map[string]int{"/feeds/warta.rss": 500, "/healthz": 503, "/": 200} {
		w := do(h, "GET", path)
		if w.Code != code {
			t.Errorf("%s: %d, want %d", path, w.Code, code)
		}
		if strings.Contains(w.Body.String(), "disk I/O") {
			t.Errorf("%s leaks the internal error: %q", path, w.Body.String())
		}
	}
	if w := do(h, "GET", "/"); !strings.Contains(w.Body.String(), "status unavailable") {
		t.Error("index does not say the status is unavailable")
	}
}

func TestPanicRecovery(t *testing.T) {
	fs := seeded(2)
	var logs bytes.Buffer
	s, _ := newTestServer(t, fs, func(o *Options) { o.Logger = slogTo(&logs) })
	h := s.Handler()
	fs.panicMsg = "boom"
	if w := do(h, "GET", "/feeds/warta.rss"); w.Code != 500 {
		t.Fatalf("panicking handler: %d, want 500", w.Code)
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Errorf("panic not logged: %s", logs.String())
	}
	fs.panicMsg = ""
	if w := do(h, "GET", "/feeds/warta.rss"); w.Code != 200 {
		t.Errorf("after a panic: %d, want 200", w.Code)
	}
}

func TestAccessLog(t *testing.T) {
	var logs bytes.Buffer
	s, _ := newTestServer(t, seeded(2), func(o *Options) { o.Logger = slogTo(&logs) })
	do(s.Handler(), "GET", "/feeds/nope.json?q=x")
	for _, want := range []string{`"msg":"http request"`, `"method":"GET"`, `"path":"/feeds/nope.json?q=x"`, `"status":404`, `"duration":`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("access log lacks %s: %s", want, logs.String())
		}
	}
}

func TestMetricsCounted(t *testing.T) {
	s, _ := newTestServer(t, seeded(2), nil)
	h := s.Handler()
	do(h, "GET", "/feeds/warta.rss")
	do(h, "GET", "/feeds/nope.rss")
	w := do(h, "GET", "/metrics")
	for _, want := range []string{
		`kabar_feed_requests_total{code="200",format="rss"} 1`,
		`kabar_feed_requests_total{code="404",format="rss"} 1`,
	} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Without metrics there is no /metrics route and nothing breaks.
	s2, _ := newTestServer(t, seeded(2), func(o *Options) { o.Metrics = nil })
	if w := do(s2.Handler(), "GET", "/feeds/warta.rss"); w.Code != 200 {
		t.Errorf("nil metrics: %d", w.Code)
	}
}

func TestServeGracefulStop(t *testing.T) {
	fs := seeded(2)
	s, _ := newTestServer(t, fs, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	fs.delay = 300 * time.Millisecond // an in-flight request when the stop comes
	res := make(chan int, 1)
	go func() {
		resp, err := http.Get(base + "/feeds/warta.json")
		if err != nil {
			res <- 0
			return
		}
		resp.Body.Close()
		res <- resp.StatusCode
	}()
	time.Sleep(100 * time.Millisecond)
	cancel()
	if code := <-res; code != 200 {
		t.Errorf("in-flight request: %d, want 200", code)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve returned %v on a clean stop", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after ctx was cancelled")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still answers after stopping")
	}
}

// TestLeaderGivesUp: when the request leading a render goes away while
// waiting for a render slot, a request waiting for the same feed still gets it.
func TestLeaderGivesUp(t *testing.T) {
	s, _ := newTestServer(t, seeded(3), nil)
	for range cap(s.renders) { // every render slot taken
		s.renders <- struct{}{}
	}
	d, _ := s.snapshot(s.now()).describe("warta")
	leaderCtx, cancelLeader := context.WithCancel(t.Context())
	leaderErr := make(chan error, 1)
	go func() {
		_, err := s.feedEntry(leaderCtx, s.now(), d, "rss", feedQuery{})
		leaderErr <- err
	}()
	time.Sleep(50 * time.Millisecond) // the leader is waiting for a slot
	waiter := make(chan error, 1)
	go func() {
		e, err := s.feedEntry(t.Context(), s.now(), d, "rss", feedQuery{})
		if err == nil && len(e.body) == 0 {
			err = errors.New("empty body")
		}
		waiter <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancelLeader()
	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Errorf("leader: %v", err)
	}
	<-s.renders // free one slot
	select {
	case err := <-waiter:
		if err != nil {
			t.Errorf("waiter: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("waiter never got the feed")
	}
}
