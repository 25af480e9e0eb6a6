package config

import (
	"errors"
	"strings"
	"testing"
)

// problemsOf parses src and returns its problems as strings ("file:line:
// path: msg"); it fails the test when Parse returns another kind of error.
func problemsOf(t *testing.T, src string) []string {
	t.Helper()
	_, err := Parse([]byte(src), "config.yaml")
	if err == nil {
		return nil
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Parse error %T %v, want Problems", err, err)
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Error()
	}
	return out
}

// checkProblems asserts that got holds exactly one problem per want entry,
// in order, each starting with it.
func checkProblems(t *testing.T, got, want []string) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.HasPrefix(got[i], want[i])
	}
	if !ok {
		t.Errorf("problems:\n  %s\nwant (prefixes):\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestValidateChecks(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "valid minimal",
			src: `sources:
  - name: a
    feed_url: https://a.example/feed
`,
		},
		{
			name: "missing name",
			src: `sources:
  - title: No name
    feed_url: https://a.example/feed
`,
			want: []string{"config.yaml:2: sources[0]: missing name"},
		},
		{
			name: "bad name",
			src: `sources:
  - name: Berita_Satu
    feed_url: https://a.example/feed
`,
			want: []string{`config.yaml:2: sources[0].name: invalid name "Berita_Satu"`},
		},
		{
			name: "reserved name",
			src: `sources:
  - name: all
    feed_url: https://a.example/feed
`,
			want: []string{`config.yaml:2: sources[0].name: "all" is reserved`},
		},
		{
			name: "duplicate name",
			src: `sources:
  - name: a
    feed_url: https://a.example/feed
  - name: b
    feed_url: https://b.example/feed
  - name: a
    feed_url: https://c.example/feed
`,
			want: []string{`config.yaml:6: sources[2].name: duplicate source name "a" (first used by sources[0] on line 2)`},
		},
		{
			name: "no discovery",
			src: `sources:
  - name: a
    title: A
`,
			want: []string{"config.yaml:2: sources[0]: needs at least one of start_urls, feed_url or sitemap_url"},
		},
		{
			name: "urls",
			src: `server:
  base_url: ftp://feeds.example
  websub_hub: hub.example
sources:
  - name: a
    start_urls:
      - https://a.example/
      - /relative
      - https://a.example/
      - "https://a.example/ x"
    feed_url: "http://"
    sitemap_url: https://a.example:99999/s.xml
`,
			want: []string{
				`config.yaml:2: server.base_url: invalid URL "ftp://feeds.example": scheme "ftp" is not http or https`,
				`config.yaml:3: server.websub_hub: invalid URL "hub.example": want an absolute http or https URL (did you mean "https://hub.example"?)`,
				`config.yaml:8: sources[0].start_urls[1]: invalid URL "/relative"`,
				`config.yaml:9: sources[0].start_urls[2]: duplicate of start_urls[0]`,
				`config.yaml:10: sources[0].start_urls[3]: invalid URL "https://a.example/ x": contains white space`,
				`config.yaml:11: sources[0].feed_url: invalid URL "http://": no host`,
				`config.yaml:12: sources[0].sitemap_url: invalid URL "https://a.example:99999/s.xml"`,
			},
		},
		{
			name: "base url query",
			src:  "server:\n  base_url: https://x.example/?a=1\n",
			want: []string{`config.yaml:2: server.base_url: must not have a query or fragment`},
		},
		{
			name: "schedule",
			src: `sources:
  - name: a
    feed_url: https://a.example/feed
    schedule: "*/x * * * *"
  - name: b
    feed_url: https://b.example/feed
    schedule: "@every 0s"
  - name: c
    feed_url: https://c.example/feed
    schedule: "0 0 30 2 *"
  - name: d
    feed_url: https://d.example/feed
    schedule: "* * * *"
  - name: e
    feed_url: https://e.example/feed
    schedule: "CRON_TZ=Asia/Jakarta"
`,
			want: []string{
				`config.yaml:4: sources[0].schedule: invalid cron spec "*/x * * * *": failed to parse int from x`,
				`config.yaml:7: sources[1].schedule: invalid cron spec "@every 0s": @every 0s is shorter than 1s`,
				`config.yaml:10: sources[2].schedule: invalid cron spec "0 0 30 2 *": never fires`,
				`config.yaml:13: sources[3].schedule: invalid cron spec "* * * *": expected exactly 5 fields`,
				`config.yaml:16: sources[4].schedule: invalid cron spec "CRON_TZ=Asia/Jakarta": a time zone prefix must be followed by a schedule`,
			},
		},
		{
			name: "selectors and regex",
			src: `sources:
  - name: a
    start_urls: [https://a.example/]
    article_url_pattern: '/(\d{4}/'
    rules:
      content: "div.content >"
      remove:
        - .ok
        - "a[href"
        - "  "
`,
			want: []string{
				"config.yaml:4: sources[0].article_url_pattern: invalid regular expression: missing closing )",
				`config.yaml:6: sources[0].rules.content: invalid CSS selector "div.content >"`,
				`config.yaml:9: sources[0].rules.remove[1]: invalid CSS selector "a[href"`,
				"config.yaml:10: sources[0].rules.remove[2]: empty CSS selector",
			},
		},
		{
			name: "numbers and durations",
			src: `crawler:
  parallelism: 0
  delay: -1s
  timeout: 0s
  max_body: 0
  crawl_timeout: 0s
feeds:
  max_items: 0
sources:
  - name: a
    feed_url: https://a.example/feed
    max_articles: 0
    retention:
      max_age: -1h
      max_items: -3
`,
			want: []string{
				"config.yaml:2: crawler.parallelism: must be at least 1, got 0",
				"config.yaml:3: crawler.delay: must not be negative, got -1s",
				"config.yaml:4: crawler.timeout: must be positive, got 0s",
				"config.yaml:5: crawler.max_body: must be positive, got 0 bytes",
				"config.yaml:6: crawler.crawl_timeout: must be positive, got 0s",
				"config.yaml:8: feeds.max_items: must be at least 1, got 0",
				"config.yaml:12: sources[0].max_articles: must be at least 1, got 0",
				"config.yaml:14: sources[0].retention.max_age: must not be negative, got -1h",
				"config.yaml:15: sources[0].retention.max_items: must not be negative, got -3",
			},
		},
		{
			name: "insane limits",
			src: `crawler:
  parallelism: 500
  timeout: 1h
  crawl_timeout: 10m
  max_body: 2GB
`,
			want: []string{
				"config.yaml:2: crawler.parallelism: 500 concurrent requests per host is abusive; at most 64",
				"config.yaml:3: crawler.timeout: 1h is longer than crawler.crawl_timeout (10m)",
				"config.yaml:5: crawler.max_body: 2GB is more than the 1GiB",
			},
		},
		{
			name: "server and log",
			src: `server:
  listen: "localhost:http"
  timezone: Asia/Jakartaa
log:
  format: logfmt
  level: verbose
`,
			want: []string{
				`config.yaml:2: server.listen: invalid address "localhost:http": port "http" is not a number`,
				`config.yaml:3: server.timezone: unknown time zone "Asia/Jakartaa"`,
				`config.yaml:5: log.format: unknown format "logfmt" (use text or json)`,
				`config.yaml:6: log.level: unknown level "verbose"`,
			},
		},
		{
			name: "listen without port",
			src:  "server:\n  listen: 127.0.0.1\n",
			want: []string{`config.yaml:2: server.listen: invalid address "127.0.0.1": want host:port`},
		},
		{
			name: "listen bad host",
			src:  "server:\n  listen: \"bad host!:80\"\n",
			want: []string{`config.yaml:2: server.listen: invalid address "bad host!:80": bad host "bad host!"`},
		},
		{
			name: "user agent with newline",
			src:  "crawler:\n  user_agent: \"kabar\\r\\nX-Evil: 1\"\n",
			want: []string{"config.yaml:2: crawler.user_agent: contains a control character"},
		},
		{
			name: "language",
			src: `sources:
  - name: a
    language: indonesian language
    feed_url: https://a.example/feed
`,
			want: []string{`config.yaml:3: sources[0].language: invalid language tag "indonesian language"`},
		},
		{
			name: "valid extras",
			src: `server:
  listen: ":0"
  timezone: UTC
  websub_hub: https://hub.example/
crawler:
  delay: 0s
  respect_robots: false
sources:
  - name: a-1
    language: en-GB
    start_urls: [https://a.example/news]
    sitemap_url: https://a.example/sitemap-news.xml
    schedule: "CRON_TZ=Asia/Jakarta 0 6 * * 1-5"
    article_url_pattern: '/\d{4}/\d{2}/'
    rules:
      content: "article .body, div#content"
      remove: [".share", "div:contains('Baca juga')"]
    retention: {max_age: 30d, max_items: 1000}
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProblems(t, problemsOf(t, tt.src), tt.want)
		})
	}
}

// A config with mistakes all over lists every one of them, in file order.
func TestValidateListsEveryProblem(t *testing.T) {
	src := `storage:
  path: data/kabar.db
server:
  listen: 127.0.0.1:8080
crawler:
  parallelism: 0
  delay: 1
  max_body: ten
feeds:
  max_itemz: 20
sources:
  - name: Antara
    feed_url: antaranews.com/rss
    schedule: "*/x * * * *"
  - name: tempo
    start_urls: [https://tempo.example/]
    rules:
      content: "div["
  - name: tempo
    sitemap_url: https://tempo.example/sitemap.xml
    max_articles: many
`
	got := problemsOf(t, src)
	checkProblems(t, got, []string{
		"config.yaml:6: crawler.parallelism: must be at least 1",
		`config.yaml:7: crawler.delay: duration "1" has no unit`,
		`config.yaml:8: crawler.max_body: invalid size "ten"`,
		`config.yaml:10: feeds.max_itemz: unknown key (did you mean "max_items"?)`,
		`config.yaml:12: sources[0].name: invalid name "Antara"`,
		`config.yaml:13: sources[0].feed_url: invalid URL "antaranews.com/rss"`,
		`config.yaml:14: sources[0].schedule: invalid cron spec "*/x * * * *"`,
		`config.yaml:18: sources[1].rules.content: invalid CSS selector "div["`,
		`config.yaml:19: sources[2].name: duplicate source name "tempo" (first used by sources[1] on line 15)`,
		`config.yaml:21: sources[2].max_articles: expected a whole number, got "many"`,
	})
}

// Validate works on a config built in code, without line numbers.
func TestValidateWithoutFile(t *testing.T) {
	c := Default()
	src := DefaultSource()
	src.Name = "x"
	src.FeedURL = "https://x.example/feed"
	c.Sources = append(c.Sources, src)
	c.ApplyDefaults()
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate of defaults: %v", err)
	}
	if c.Sources[0].Title != "x" || c.Server.BaseURL != "http://127.0.0.1:8080" {
		t.Errorf("ApplyDefaults: title %q, base_url %q", c.Sources[0].Title, c.Server.BaseURL)
	}
	c.Sources[0].Schedule = "bogus"
	c.Crawler.Parallelism = 0
	err := c.Validate()
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 2 {
		t.Fatalf("Validate = %v, want 2 problems", err)
	}
	if got := ps[0].Error(); got != "crawler.parallelism: must be at least 1, got 0" {
		t.Errorf("problem without file = %q", got)
	}
}

func TestProblemError(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "config.yaml", Line: 14, Path: "sources[1].schedule", Msg: "bad"}, "config.yaml:14: sources[1].schedule: bad"},
		{Problem{File: "config.yaml", Path: "sources", Msg: "bad"}, "config.yaml: sources: bad"},
		{Problem{File: "config.yaml", Line: 3, Msg: "invalid YAML"}, "config.yaml:3: invalid YAML"},
		{Problem{Line: 3, Path: "a", Msg: "bad"}, "line 3: a: bad"},
		{Problem{Path: "a", Msg: "bad"}, "a: bad"},
	}
	for _, tt := range tests {
		if got := tt.p.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	ps := Problems{tests[0].p, tests[1].p}
	if got := ps.Error(); got != tests[0].want+"\n"+tests[1].want {
		t.Errorf("Problems.Error() = %q", got)
	}
}

func TestWarnings(t *testing.T) {
	c, err := Parse([]byte("crawler:\n  respect_robots: false\n"), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	w := c.Warnings()
	if len(w) != 2 || w[0].Path != "sources" || w[1].Error() != "config.yaml:2: crawler.respect_robots: robots.txt is ignored: only do this for sites that allow it" {
		t.Errorf("Warnings = %v", w)
	}
}
