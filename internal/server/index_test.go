package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/kabar-news/kabar/extract"
	"github.com/kabar-news/kabar/internal/store"
)

// statusStore returns a store with crawl status and a source whose layout
// changed: its newest articles have short bodies, no dates and no rule match.
func statusStore() *fakeStore {
	fs := seeded(6)
	for i := 6; i < 10; i++ {
		a := article("warta", i)
		a.Text, a.HTML = "Baca juga: berita lain.", "<p>Baca juga: berita lain.</p>"
		a.Published, a.Authors, a.Method = time.Time{}, nil, extract.MethodGeneric
		fs.add(a)
	}
	fs.status = map[string]store.SourceStatus{
		"warta": {
			LastRun:     store.CrawlRun{Started: testEpoch.Add(999 * time.Hour), Duration: 12 * time.Second, Pages: 31, New: 4, Updated: 1, Errors: 2, Err: "fetch https://warta.example.id/: 503 Service Unavailable"},
			LastSuccess: testEpoch.Add(990 * time.Hour),
		},
		"kabar-kota": {LastRun: store.CrawlRun{Started: testEpoch.Add(1000*time.Hour - 20*time.Minute), Pages: 12, New: 2}, LastSuccess: testEpoch.Add(1000*time.Hour - 20*time.Minute)},
	}
	return fs
}

func TestIndexPage(t *testing.T) {
	srcs := slices.Clone(testSources)
	srcs[0].Failing = true
	srcs[1].NextRun = testEpoch.Add(1000*time.Hour + 10*time.Minute)
	s, _ := newTestServer(t, statusStore(), func(o *Options) { o.Sources = func() []SourceInfo { return srcs } })
	w := do(s.Handler(), "GET", "/")
	body := w.Body.String()
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	for _, want := range []string{
		// autodiscovery for every feed in every format
		`<link rel="alternate" type="application/rss+xml" title="Warta Contoh (RSS)" href="/feeds/warta.rss">`,
		`<link rel="alternate" type="application/atom+xml" title="Kabar Kota (Atom)" href="/feeds/kabar-kota.atom">`,
		`<link rel="alternate" type="application/feed+json" title="All sources (JSON Feed)" href="/feeds/all.json">`,
		`href="/opml"`,
		// status
		`1 h ago`, `4 new · 1 updated · 31 pages · 2 errors`, `20 min ago`, `in 10 min`, `not scheduled`,
		`503 Service Unavailable`, `class="badge failing">failing`, `class="num">10</td>`, `class="num">6</td>`,
		// extraction health of warta: 4 of its 10 newest are broken
		`<span>short body</span><span>40%</span>`, `<span>no date</span><span>40%</span>`,
		`<span>rule fallback</span><span>40%</span>`, `<span>rule fallback</span><span>no rule</span>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("index lacks %s", want)
		}
	}
	if strings.Count(body, `rel="alternate"`) != 9 {
		t.Errorf("%d autodiscovery links, want 9", strings.Count(body, `rel="alternate"`))
	}
	// Every link to this server answers 200 with a body.
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	local := 0
	for _, l := range hrefs(doc) {
		if !strings.HasPrefix(l, "/") {
			continue
		}
		local++
		if w := do(s.Handler(), "GET", l); w.Code != 200 || w.Body.Len() == 0 {
			t.Errorf("link %s: %d, %d bytes", l, w.Code, w.Body.Len())
		}
	}
	if local != 10 {
		t.Errorf("%d local links, want 10 (3 formats × 3 feeds, OPML)", local)
	}
	if strings.Contains(body, "http://") && strings.Contains(body, "<script") {
		t.Error("index page loads scripts")
	}
}

func TestIndexFlagsLayoutChange(t *testing.T) {
	fs := &fakeStore{}
	for i := range 5 {
		a := article("warta", i)
		a.Text = "Singkat."
		a.Method = extract.MethodGeneric
		fs.add(a)
	}
	s, _ := newTestServer(t, fs, nil)
	body := do(s.Handler(), "GET", "/").Body.String()
	for _, want := range []string{`<span class="w">100%</span>`, `check layout`, `1 to check`} {
		if !strings.Contains(body, want) {
			t.Errorf("index lacks %s", want)
		}
	}
}

func TestIndexEscapes(t *testing.T) {
	srcs := []SourceInfo{{Name: "x", Title: `<script>alert("t")</script>`, HomeURL: `javascript:alert(1)`}}
	fs := &fakeStore{status: map[string]store.SourceStatus{"x": {LastRun: store.CrawlRun{Started: testEpoch, Err: "<img src=x onerror=alert(1)>"}}}}
	s, _ := newTestServer(t, fs, func(o *Options) { o.Sources = func() []SourceInfo { return srcs } })
	body := do(s.Handler(), "GET", "/").Body.String()
	for _, bad := range []string{"<script>alert", "<img src=x", `href="javascript:`} {
		if strings.Contains(body, bad) {
			t.Errorf("index contains %s", bad)
		}
	}
}

func TestRelTime(t *testing.T) {
	now := testEpoch
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-30 * time.Second, "just now"}, {-5 * time.Minute, "5 min ago"}, {-(26*time.Hour + 3*time.Minute), "26 h 3 min ago"},
		{-72 * time.Hour, "3 days ago"}, {10 * time.Second, "now"}, {90 * time.Minute, "in 1 h 30 min"},
	}
	for _, tt := range tests {
		if got := relTime(now.Add(tt.d), now); got != tt.want {
			t.Errorf("relTime(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	if got := relTime(time.Time{}, now); got != "never" {
		t.Errorf("zero time: %q", got)
	}
}

func TestWriteFiles(t *testing.T) {
	fs := seeded(4)
	opts := Options{Store: fs, BaseURL: "http://feeds.example.test", MaxItems: 20, Sources: func() []SourceInfo { return testSources }}
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteFiles(t.Context(), dir, opts); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"all.atom", "all.json", "all.rss", "feeds.opml", "kabar-kota.atom", "kabar-kota.json", "kabar-kota.rss", "warta.atom", "warta.json", "warta.rss"}
	if !slices.Equal(names, want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	h := New(opts).Handler()
	for path, file := range map[string]string{"/feeds/warta.atom": "warta.atom", "/feeds/all.json": "all.json", "/opml": "feeds.opml"} {
		b, _ := os.ReadFile(filepath.Join(dir, file))
		if served := do(h, "GET", path).Body.Bytes(); !bytes.Equal(b, served) {
			t.Errorf("%s differs from what %s serves", file, path)
		}
	}
	// Rewriting is idempotent and leaves no temporary files.
	if err := WriteFiles(t.Context(), dir, opts); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != len(want) {
		t.Errorf("%d files after a rewrite, want %d", len(entries), len(want))
	}

	fs.err = os.ErrPermission
	if err := WriteFiles(t.Context(), dir, opts); err == nil || !strings.Contains(err.Error(), "warta") {
		t.Errorf("store failure: %v", err)
	}
}

func TestPingHub(t *testing.T) {
	var mu sync.Mutex
	var got []url.Values
	fail := ""
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r.PostForm)
		if r.PostForm.Get("hub.url") == fail {
			http.Error(w, "topic unknown", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hub.Close()
	topics := Topics("http://feeds.example.test/", "warta")
	if len(topics) != 6 || topics[0] != "http://feeds.example.test/feeds/warta.rss" || topics[5] != "http://feeds.example.test/feeds/all.json" {
		t.Fatalf("topics %v", topics)
	}
	if err := PingHub(t.Context(), hub.Client(), hub.URL, topics); err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 || got[0].Get("hub.mode") != "publish" || got[0].Get("hub.url") != topics[0] {
		t.Errorf("hub got %v", got)
	}
	fail = topics[2]
	got = nil
	err := PingHub(t.Context(), hub.Client(), hub.URL, topics)
	if err == nil || !strings.Contains(err.Error(), "topic unknown") || !strings.Contains(err.Error(), topics[2]) {
		t.Errorf("failed ping: %v", err)
	}
	if len(got) != 6 {
		t.Errorf("a failure stopped the other pings: %d sent", len(got))
	}
	if err := PingHub(t.Context(), nil, "", topics); err != nil {
		t.Errorf("no hub: %v", err)
	}
}

// A source whose last crawl failed shows it in its badge even before the
// scheduler counts it as failing (one failure is not yet backed off).
func TestIndexBadgeAfterOneFailure(t *testing.T) {
	srcs := slices.Clone(testSources) // none Failing
	s, _ := newTestServer(t, statusStore(), func(o *Options) { o.Sources = func() []SourceInfo { return srcs } })
	body := do(s.Handler(), "GET", "/").Body.String()
	if !strings.Contains(body, `class="badge failing">last crawl failed`) {
		t.Errorf("a source whose last crawl failed is not marked:\n%s", body)
	}
	if strings.Count(body, `class="badge failing"`) != 1 {
		t.Errorf("only warta's last crawl failed; badges:\n%s", body)
	}
}
