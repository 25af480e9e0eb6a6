package config

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

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
			name: "source that is not a mapping",
			src:  "sources:\n  - antara\n  - name: b\n    feed_url: https://b.example/f\n",
			want: []string{`config.yaml:2: sources[0]: expected a mapping of keys to values, got "antara"`},
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
