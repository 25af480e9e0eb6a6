package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
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

func TestDecodeProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "unknown keys everywhere",
			src: `storage:
  path: x.db
  driver: sqlite
crawler:
  respect-robots: true
serverr:
  listen: :80
sources:
  - name: a
    feed_url: https://a.example/f
    startUrls: [https://a.example/]
    rules:
      body: .x
`,
			want: []string{
				`config.yaml:3: storage.driver: unknown key (known keys: path)`,
				`config.yaml:5: crawler.respect-robots: unknown key (did you mean "respect_robots"?)`,
				`config.yaml:6: serverr: unknown key (did you mean "server"?)`,
				`config.yaml:11: sources[0].startUrls: unknown key (did you mean "start_urls"?)`,
				`config.yaml:13: sources[0].rules.body: unknown key (known keys: content, remove)`,
			},
		},
		{
			name: "wrong types",
			src: `storage: data.db
crawler:
  parallelism: two
  respect_robots: maybe
  timeout: [30s]
sources:
  name: a
`,
			want: []string{
				`config.yaml:1: storage: expected a mapping of keys to values, got "data.db"`,
				`config.yaml:3: crawler.parallelism: expected a whole number, got "two"`,
				`config.yaml:4: crawler.respect_robots: expected true or false, got "maybe"`,
				`config.yaml:5: crawler.timeout: expected a duration such as "30s" or "10m", got a list`,
				`config.yaml:7: sources: expected a list, got a mapping`,
			},
		},
		{
			name: "int overflow",
			src:  "feeds:\n  max_items: 99999999999999999999\n",
			want: []string{`config.yaml:2: feeds.max_items: expected a whole number`},
		},
		{
			name: "single url instead of a list",
			src:  "sources:\n  - name: a\n    start_urls: https://a.example/\n",
			want: []string{`config.yaml:3: sources[0].start_urls: expected a list, got "https://a.example/" (write [https://a.example/], or one "- " item per line)`},
		},
		{
			name: "duplicate key",
			src:  "crawler:\n  delay: 1s\n  parallelism: 2\n  delay: 2s\n",
			want: []string{`config.yaml:4: crawler.delay: duplicate key (first set on line 2)`},
		},
		{
			name: "top level list",
			src:  "- a\n- b\n",
			want: []string{`config.yaml:1: expected a mapping of keys to values, got a list`},
		},
		{
			name: "syntax error",
			src:  "crawler:\n  delay: 1s\n parallelism: 2\n",
			want: []string{`config.yaml:2: invalid YAML: did not find expected key (in the block starting on this line`},
		},
		{
			name: "tabs",
			src:  "crawler:\n\tdelay: 1s\n",
			want: []string{`config.yaml:2: invalid YAML: found character that cannot start any token (indent with spaces: YAML does not allow tabs)`},
		},
		{
			name: "two documents",
			src:  "feeds: {max_items: 3}\n---\nfeeds: {max_items: 4}\n",
			want: []string{`config.yaml:2: more than one YAML document (a "---" line)`},
		},
		{
			name: "not utf-8",
			src:  "sources:\n  - name: a\n    title: \"caf\xe9\"\n",
			want: []string{`config.yaml:3: file is not valid UTF-8`},
		},
		{
			name: "missing name after failed decode is not reported twice",
			src:  "sources:\n  - name: [a]\n    feed_url: https://a.example/f\n",
			want: []string{`config.yaml:2: sources[0].name: expected a string, got a list`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProblems(t, problemsOf(t, tt.src), tt.want)
		})
	}
}

// Anchors, aliases and merge keys work as in any YAML, with explicit keys
// winning over merged ones.
func TestAliasesAndMerge(t *testing.T) {
	src := `x-common: &common
  schedule: "@every 15m"
  max_articles: 10
  rules:
    remove: &noise [.share, .baca-juga]
sources:
  - <<: *common
    name: a
    feed_url: https://a.example/f
  - <<: *common
    name: b
    feed_url: https://b.example/f
    max_articles: 5
    rules:
      content: .body
      remove: *noise
`
	_, err := Parse([]byte(src), "config.yaml")
	// x-common is not a key of the config: strictness wins, as it should.
	checkProblems(t, problemsOf(t, src), []string{`config.yaml:1: x-common: unknown key`})
	if err == nil {
		t.Fatal("want an error")
	}
	// Without the extra top-level key, anchors defined inside the sources work.
	src = `sources:
  - &a
    name: a
    feed_url: https://a.example/f
    schedule: "@every 15m"
    max_articles: 10
    rules:
      remove: &noise [.share, .baca-juga]
  - <<: *a
    name: b
    max_articles: 5
    rules:
      content: .body
      remove: *noise
`
	c, err := Parse([]byte(src), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b := c.Sources[1]
	if b.Name != "b" || b.FeedURL != "https://a.example/f" || b.Schedule != "@every 15m" || b.MaxArticles != 5 ||
		b.Rules.Content != ".body" || !reflect.DeepEqual(b.Rules.Remove, []string{".share", ".baca-juga"}) {
		t.Errorf("merged source = %+v", b)
	}
}

// Nested aliases cannot blow a small file up into an enormous decode.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	b.WriteString("sources:\n  - name: a\n    feed_url: https://a.example/f\n    rules:\n      remove: *a8\n")
	start := time.Now()
	_, err := Parse([]byte(b.String()), "config.yaml")
	if err == nil {
		t.Fatal("alias bomb parsed")
	}
	if !strings.Contains(err.Error(), "expected a string, got a list") {
		t.Errorf("error = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("alias bomb took %v", d)
	}
}

// Merge keys that include themselves, or that double at every level, end
// quickly with a problem instead of looping.
func TestMergeBombs(t *testing.T) {
	var dag strings.Builder
	dag.WriteString("sources:\n  - &m0 {name: a, feed_url: \"https://a.example/f\"}\n")
	for i := 1; i <= 30; i++ {
		dag.WriteString("  - &m" + itoa(i) + "\n    <<: [*m" + itoa(i-1) + ", *m" + itoa(i-1) + ", *m" + itoa(i-1) + "]\n")
	}
	tests := []struct{ name, src, want string }{
		{"self", "sources:\n  - &x\n    <<: [*x, *x, *x, *x]\n", "a merge key (<<) includes the mapping it is in"},
		{"dag", dag.String(), "document too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse([]byte(tt.src), "config.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse = %v, want %q", err, tt.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
