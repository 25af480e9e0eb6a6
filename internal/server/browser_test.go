package server

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

const chromiumPath = "/usr/bin/chromium"

// chromium runs headless Chromium with args and returns its stdout.
func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(),
	}
	cmd := exec.CommandContext(ctx, chromiumPath, append(base, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.Bytes()
}

// TestIndexInBrowser renders the index page in headless Chromium: the DOM
// has every source and feed link, a screenshot is a real picture, and every
// link on the page answers 200. Set KABAR_SCREENSHOT=path to keep the
// screenshot.
func TestIndexInBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("headless browser test skipped: %s not found (apt-get install -y chromium)", chromiumPath)
	}
	// The sources' own sites, on loopback: the page links to them too.
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<!doctype html><title>site</title>"))
	}))
	defer site.Close()
	srcs := []SourceInfo{
		{Name: "warta", Title: "Warta Contoh", HomeURL: site.URL + "/warta/", Language: "id", RulesConfigured: true, Failing: true},
		{Name: "kabar-kota", Title: "Kabar Kota", HomeURL: site.URL + "/kota/", Language: "id", NextRun: testEpoch.Add(1000*time.Hour + 7*time.Minute)},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	s, _ := newTestServer(t, statusStore(), func(o *Options) {
		o.BaseURL = base
		o.Sources = func() []SourceInfo { return srcs }
	})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()

	dom := chromium(t, "--dump-dom", base+"/")
	doc, err := html.Parse(bytes.NewReader(dom))
	if err != nil {
		t.Fatalf("parse DOM: %v", err)
	}
	text := textOf(doc)
	for _, want := range []string{"Warta Contoh", "Kabar Kota", "All sources, merged", "failing", "503 Service Unavailable", "short body", "in 7 min"} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
	links := hrefs(doc)
	for _, want := range []string{"/feeds/warta.rss", "/feeds/warta.atom", "/feeds/warta.json", "/feeds/kabar-kota.rss", "/feeds/all.atom", "/opml"} {
		if !slices.Contains(links, want) {
			t.Errorf("rendered page has no link to %s", want)
		}
	}

	// Every link (a and link elements) answers 200.
	pageURL, _ := url.Parse(base + "/")
	for _, l := range links {
		u, err := pageURL.Parse(l)
		if err != nil {
			t.Errorf("link %q: %v", l, err)
			continue
		}
		resp, err := http.Get(u.String())
		if err != nil {
			t.Errorf("GET %s: %v", u, err)
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", u, resp.StatusCode)
		}
	}

	shot := filepath.Join(t.TempDir(), "index.png")
	chromium(t, "--screenshot="+shot, "--window-size=1200,900", base+"/")
	b, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	if keep := os.Getenv("KABAR_SCREENSHOT"); keep != "" {
		os.WriteFile(keep, b, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if r := img.Bounds(); r.Dx() != 1200 || r.Dy() != 900 {
		t.Errorf("screenshot is %v, want 1200×900", r)
	}
	if n := colours(img); n < 50 {
		t.Errorf("screenshot has %d colours: a blank page, not rendered text", n)
	}
}

// textOf returns the text content of n.
func textOf(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// hrefs returns the distinct href of every a and link element.
func hrefs(n *html.Node) []string {
	var out []string
	for c := range n.Descendants() {
		if c.Type != html.ElementNode || (c.Data != "a" && c.Data != "link") {
			continue
		}
		for _, a := range c.Attr {
			if a.Key == "href" && !slices.Contains(out, a.Val) {
				out = append(out, a.Val)
			}
		}
	}
	return out
}

// colours counts the distinct colours of img, up to 10,000.
func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			seen[[4]uint32{cr, cg, cb, ca}] = true
			if len(seen) >= 10000 {
				return len(seen)
			}
		}
	}
	return len(seen)
}
