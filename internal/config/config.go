// Package config loads kabar's YAML configuration: defaults pre-filled,
// strict decoding (unknown keys are errors), then Validate, which reports
// every problem with its line number and field path.
package config

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"reflect"
	"time"
)

// Config is the whole configuration file.
type Config struct {
	Storage Storage  `yaml:"storage"`
	Server  Server   `yaml:"server"`
	Crawler Crawler  `yaml:"crawler"`
	Feeds   Feeds    `yaml:"feeds"`
	Log     Log      `yaml:"log"`
	Sources []Source `yaml:"sources"`

	file  string         // the file name given to Parse, for messages
	lines map[string]int // field path → line, from Parse
	// failed holds the field paths Parse could not decode, so Validate
	// does not report their absence as a second problem.
	failed map[string]bool
}

// Storage configures the embedded database.
type Storage struct {
	Path string `yaml:"path"` // default data/kabar.db
}

// Server configures the HTTP feed server of `kabar serve`.
type Server struct {
	Listen    string `yaml:"listen"`     // default 127.0.0.1:8080
	BaseURL   string `yaml:"base_url"`   // default http://<listen>; never ends in "/"; empty only when listen's port is 0 (derive it from the bound address)
	WebSubHub string `yaml:"websub_hub"` // optional WebSub hub URL
	TimeZone  string `yaml:"timezone"`   // IANA zone for cron schedules, such as Asia/Jakarta; default the machine's ("Local")
}

// Crawler is the fetch policy shared by all sources.
type Crawler struct {
	UserAgent     string   `yaml:"user_agent"`     // default DefaultUserAgent(DevVersion); see SetVersion
	RespectRobots *bool    `yaml:"respect_robots"` // default true
	Parallelism   int      `yaml:"parallelism"`    // default 2
	Delay         Duration `yaml:"delay"`          // default 1s
	Timeout       Duration `yaml:"timeout"`        // default 30s
	MaxBody       Size     `yaml:"max_body"`       // default 10MB
	CrawlTimeout  Duration `yaml:"crawl_timeout"`  // whole crawl of one source; default 10m
}

// Feeds configures the generated feeds.
type Feeds struct {
	MaxItems int `yaml:"max_items"` // default 50
}

// Log configures logging.
type Log struct {
	Format string `yaml:"format"` // text (default) or json
	Level  string `yaml:"level"`  // debug, info (default), warn, error
}

// Source is one news site. Every URL in it is absolute http or https.
type Source struct {
	Name              string    `yaml:"name"`                // [a-z0-9-]+, unique, not "all"; used in feed URLs
	Title             string    `yaml:"title"`               // default Name
	Language          string    `yaml:"language"`            // default "id"
	StartURLs         []string  `yaml:"start_urls"`          // listing pages; at least one of StartURLs, FeedURL, SitemapURL
	FeedURL           string    `yaml:"feed_url"`            // an existing RSS/Atom feed to enrich
	SitemapURL        string    `yaml:"sitemap_url"`         // a (news) sitemap
	Schedule          string    `yaml:"schedule"`            // default "@every 30m"
	MaxArticles       int       `yaml:"max_articles"`        // default 50
	ArticleURLPattern string    `yaml:"article_url_pattern"` // RE2 regex an article link must match
	Rules             Rules     `yaml:"rules"`
	Retention         Retention `yaml:"retention"`

	// Line is the line of this source in the file (for messages).
	Line int `yaml:"-"`
}

// Rules are optional site extraction rules.
type Rules struct {
	Content string   `yaml:"content"` // CSS selector (group) of the article body
	Remove  []string `yaml:"remove"`  // CSS selectors removed from the body
}

// Retention bounds what is kept of a source.
type Retention struct {
	MaxAge   Duration `yaml:"max_age"`   // 0: keep forever
	MaxItems int      `yaml:"max_items"` // 0: no limit
}

// MaxFileSize bounds the config file Load reads.
const MaxFileSize = 8 << 20

// Load reads, decodes and validates the config file at path. A file that
// cannot be read gives an error naming the path ("config: open
// ./config.yaml: no such file or directory"); a file with problems gives
// Problems, every one of them, each with its line number.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("config: %s: file larger than %s", path, Size(MaxFileSize))
	}
	return Parse(data, path)
}

// Parse decodes and validates a config file's content; filename is used in
// messages only. Defaults are filled first, so a key left out keeps its
// default (an explicit empty value does too); unknown keys, values of the
// wrong type and everything Validate checks are reported together as
// Problems, in file order.
func Parse(data []byte, filename string) (*Config, error) {
	c := Default()
	c.file = filename
	root, probs := readYAML(data, filename)
	if len(probs) > 0 {
		return nil, probs.err()
	}
	d := decoder{file: filename, lines: map[string]int{}, failed: map[string]bool{}}
	if root != nil {
		d.value(root, reflect.ValueOf(c).Elem(), "")
	}
	c.lines, c.failed = d.lines, d.failed
	c.ApplyDefaults()
	probs = append(d.probs, c.problems()...)
	if err := probs.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// Source returns the source called name.
func (c *Config) Source(name string) (Source, bool) {
	for _, s := range c.Sources {
		if s.Name == name {
			return s, true
		}
	}
	return Source{}, false
}

// Location returns the time zone of cron schedules: Server.TimeZone, or
// the machine's local zone when it is empty or "Local".
func (c *Config) Location() (*time.Location, error) {
	if c.Server.TimeZone == "" || c.Server.TimeZone == "Local" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(c.Server.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("config: time zone %q: %w", c.Server.TimeZone, err)
	}
	return loc, nil
}

// Robots reports whether robots.txt is obeyed (RespectRobots, default true).
func (c Crawler) Robots() bool { return c.RespectRobots == nil || *c.RespectRobots }

// SlogLevel returns Level as a slog.Level (info when unknown).
func (l Log) SlogLevel() slog.Level {
	switch l.Level {
	case "debug":
		return slog.LevelDebug
	case "warn", "warning":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// Line returns the line of the field at path (such as "sources[1].schedule")
// in the parsed file, or of the nearest enclosing field that has one; 0 for
// a config not made by Parse.
func (c *Config) Line(path string) int {
	for path != "" {
		if l, ok := c.lines[path]; ok {
			return l
		}
		path = parentPath(path)
	}
	return 0
}

// File returns the file name the config was parsed from, for messages.
func (c *Config) File() string { return c.file }

// parentPath strips the last element of a field path: "a.b[2]" → "a.b",
// "a.b" → "a", "a" → "".
func parentPath(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		switch p[i] {
		case '[':
			return p[:i]
		case '.':
			return p[:i]
		}
	}
	return ""
}
