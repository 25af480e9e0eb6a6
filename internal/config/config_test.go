package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kabar-news/kabar/internal/schedule"
)

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope", "config.yaml")
	_, err := Load(path)
	if err == nil {
		t.Fatal("Load of a missing file succeeded")
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v is not fs.ErrNotExist", err)
	}
	if want := "config: open " + path + ": no such file or directory"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	var ps Problems
	if errors.As(err, &ps) {
		t.Error("a missing file is not a Problems error")
	}
}

func TestLoadNamesFileInProblems(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kabar.yaml")
	if err := os.WriteFile(path, []byte("feeds:\n  max_items: -1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || err.Error() != path+":2: feeds.max_items: must be at least 1, got -1" {
		t.Fatalf("Load = %v", err)
	}
}

func TestLoadTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, make([]byte, MaxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "file larger than") {
		t.Fatalf("Load = %v, want too large", err)
	}
}

func TestDefaults(t *testing.T) {
	c, err := Parse([]byte("sources:\n  - name: contoh\n    feed_url: https://www.example.id/feed\n"), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	robots := true
	want := Config{
		Storage: Storage{Path: "data/kabar.db"},
		Server:  Server{Listen: "127.0.0.1:8080", BaseURL: "http://127.0.0.1:8080"},
		Crawler: Crawler{
			UserAgent:     "kabar/dev (+https://github.com/kabar-news/kabar)",
			RespectRobots: &robots,
			Parallelism:   2,
			Delay:         Duration(time.Second),
			Timeout:       Duration(30 * time.Second),
			MaxBody:       10_000_000,
			CrawlTimeout:  Duration(10 * time.Minute),
		},
		Feeds: Feeds{MaxItems: 50},
		Log:   Log{Format: "text", Level: "info"},
		Sources: []Source{{
			Name: "contoh", Title: "contoh", Language: "id", FeedURL: "https://www.example.id/feed",
			Schedule: "@every 30m", MaxArticles: 50, Line: 2,
		}},
	}
	got := *c
	got.file, got.lines, got.failed = "", nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", got, want)
	}
	if !c.Crawler.Robots() {
		t.Error("Robots() = false by default")
	}
	if loc, err := c.Location(); err != nil || loc != time.Local {
		t.Errorf("Location() = %v, %v; want Local", loc, err)
	}
}

func TestEmptyFileIsDefaults(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "---\n", "sources: []\n", "sources:\n"} {
		c, err := Parse([]byte(src), "config.yaml")
		if err != nil {
			t.Fatalf("Parse(%q): %v", src, err)
		}
		if len(c.Sources) != 0 || c.Feeds.MaxItems != 50 {
			t.Errorf("Parse(%q) = %+v", src, c)
		}
	}
}

func TestExplicitEmptyKeepsDefault(t *testing.T) {
	c, err := Parse([]byte("storage:\n  path: \"\"\ncrawler:\n  delay:\n  user_agent: ''\nlog: {level: ~}\n"), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Storage.Path != "data/kabar.db" || c.Crawler.Delay.D() != time.Second || c.Crawler.UserAgent == "" || c.Log.Level != "info" {
		t.Errorf("empty values did not keep defaults: %+v", c)
	}
}

func TestExplicitValues(t *testing.T) {
	src := `storage:
  path: /var/lib/kabar/kabar.db
server:
  listen: 0.0.0.0:9000
  timezone: Asia/Jakarta
crawler:
  user_agent: MyBot/1.0
  respect_robots: no
  parallelism: 4
  delay: 0s
  max_body: 512KiB
sources:
  - name: a
    title: Berita A
    start_urls: [https://a.example/]
    schedule: "*/15 * * * *"
    max_articles: 20
`
	c, err := Parse([]byte(src), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Storage.Path != "/var/lib/kabar/kabar.db" || c.Server.BaseURL != "http://localhost:9000" ||
		c.Crawler.UserAgent != "MyBot/1.0" || c.Crawler.Robots() || c.Crawler.Parallelism != 4 ||
		c.Crawler.Delay != 0 || c.Crawler.MaxBody != 512<<10 || c.Sources[0].MaxArticles != 20 || c.Sources[0].Title != "Berita A" {
		t.Errorf("values not decoded: %+v %+v", c.Crawler, c.Sources[0])
	}
	loc, err := c.Location()
	if err != nil || loc.String() != "Asia/Jakarta" {
		t.Errorf("Location() = %v, %v", loc, err)
	}
	c.SetVersion("1.2.3")
	if c.Crawler.UserAgent != "MyBot/1.0" {
		t.Errorf("SetVersion replaced a configured user agent: %q", c.Crawler.UserAgent)
	}
}

func TestSetVersion(t *testing.T) {
	c, err := Parse(nil, "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c.SetVersion("v1.4.0")
	if want := "kabar/v1.4.0 (+https://github.com/kabar-news/kabar)"; c.Crawler.UserAgent != want {
		t.Errorf("UserAgent = %q, want %q", c.Crawler.UserAgent, want)
	}
}

func TestBaseURLDefault(t *testing.T) {
	tests := []struct{ listen, baseURL, want string }{
		{"127.0.0.1:8080", "", "http://127.0.0.1:8080"},
		{":8080", "", "http://localhost:8080"},
		{"0.0.0.0:9000", "", "http://localhost:9000"},
		{"[::]:9000", "", "http://localhost:9000"},
		{"[::1]:8080", "", "http://[::1]:8080"},
		{"localhost:0", "", ""},
		{"127.0.0.1:8080", "https://news.example/kabar/", "https://news.example/kabar"},
	}
	for _, tt := range tests {
		c := Default()
		c.Server.Listen, c.Server.BaseURL = tt.listen, tt.baseURL
		c.ApplyDefaults()
		if c.Server.BaseURL != tt.want {
			t.Errorf("listen %q base_url %q: BaseURL = %q, want %q", tt.listen, tt.baseURL, c.Server.BaseURL, tt.want)
		}
		if err := c.Validate(); err != nil {
			t.Errorf("listen %q: Validate: %v", tt.listen, err)
		}
	}
}

func TestSourceLookup(t *testing.T) {
	c, err := Parse([]byte("sources:\n  - name: a\n    feed_url: https://a.example/f\n  - name: b\n    feed_url: https://b.example/f\n"), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := c.Source("b"); !ok || s.FeedURL != "https://b.example/f" || s.Line != 4 {
		t.Errorf("Source(b) = %+v, %v", s, ok)
	}
	if _, ok := c.Source("all"); ok {
		t.Error("Source(all) found")
	}
}

// testdata/full.yaml sets every key; it must load with every value.
func TestLoadFull(t *testing.T) {
	c, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Server.BaseURL != "https://feeds.example.id/kabar" || c.Server.Listen != "[::1]:8081" ||
		c.Crawler.Delay.D() != 500*time.Millisecond || c.Crawler.MaxBody != 5<<20 || c.Crawler.CrawlTimeout.D() != 15*time.Minute ||
		c.Feeds.MaxItems != 100 || c.Log.Format != "json" || c.Log.SlogLevel().String() != "DEBUG" {
		t.Errorf("globals: %+v %+v %+v %+v", c.Server, c.Crawler, c.Feeds, c.Log)
	}
	if len(c.Sources) != 2 {
		t.Fatalf("%d sources", len(c.Sources))
	}
	a, b := c.Sources[0], c.Sources[1]
	if b.Name != "contoh-2" || b.Schedule != "@every 45m" || b.Title != a.Title || b.Rules.Content != ".td-post-content" ||
		b.Retention.MaxAge.D() != 30*24*time.Hour || b.Retention.MaxItems != 500 || len(b.StartURLs) != 2 {
		t.Errorf("merged source: %+v", b)
	}
	if got, err := schedule.Interval(a.Schedule, time.UTC); got != 15*time.Minute {
		t.Errorf("Interval = %v, %v", got, err)
	}
}

// testdata/mistakes.yaml has a dozen mistakes; Load lists each, in order.
func TestLoadMistakes(t *testing.T) {
	_, err := Load("testdata/mistakes.yaml")
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load = %v, want Problems", err)
	}
	var lines []int
	for _, p := range ps {
		if p.File != "testdata/mistakes.yaml" {
			t.Errorf("problem file %q", p.File)
		}
		lines = append(lines, p.Line)
	}
	if want := []int{5, 6, 7, 9, 11, 12, 13, 17, 18, 19, 20, 20}; !reflect.DeepEqual(lines, want) {
		t.Errorf("problem lines %v, want %v:\n%v", lines, want, err)
	}
}
