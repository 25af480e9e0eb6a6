// Package config loads kabar's YAML configuration: defaults pre-filled,
// strict decoding (unknown keys are errors), then Validate, which reports
// every problem with its line number and field path.
package config

import "time"

// Config is the whole configuration file.
type Config struct {
	Storage Storage  `yaml:"storage"`
	Server  Server   `yaml:"server"`
	Crawler Crawler  `yaml:"crawler"`
	Feeds   Feeds    `yaml:"feeds"`
	Log     Log      `yaml:"log"`
	Sources []Source `yaml:"sources"`
}

// Storage configures the embedded database.
type Storage struct {
	Path string `yaml:"path"` // default data/kabar.db
}

// Server configures the HTTP feed server of `kabar serve`.
type Server struct {
	Listen    string `yaml:"listen"`     // default 127.0.0.1:8080
	BaseURL   string `yaml:"base_url"`   // default http://<listen>
	WebSubHub string `yaml:"websub_hub"` // optional WebSub hub URL
	TimeZone  string `yaml:"timezone"`   // IANA zone for cron schedules; default the machine's ("Local")
}

// Crawler is the fetch policy shared by all sources.
type Crawler struct {
	UserAgent     string   `yaml:"user_agent"`
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

// Source is one news site.
type Source struct {
	Name              string    `yaml:"name"`
	Title             string    `yaml:"title"`
	Language          string    `yaml:"language"` // default "id"
	StartURLs         []string  `yaml:"start_urls"`
	FeedURL           string    `yaml:"feed_url"`
	SitemapURL        string    `yaml:"sitemap_url"`
	Schedule          string    `yaml:"schedule"`     // default "@every 30m"
	MaxArticles       int       `yaml:"max_articles"` // default 50
	ArticleURLPattern string    `yaml:"article_url_pattern"`
	Rules             Rules     `yaml:"rules"`
	Retention         Retention `yaml:"retention"`

	// Line is the line of this source in the file (for messages).
	Line int `yaml:"-"`
}

// Rules are optional site extraction rules.
type Rules struct {
	Content string   `yaml:"content"`
	Remove  []string `yaml:"remove"`
}

// Retention bounds what is kept of a source.
type Retention struct {
	MaxAge   Duration `yaml:"max_age"`   // 0: keep forever
	MaxItems int      `yaml:"max_items"` // 0: no limit
}

// Duration is a time.Duration read from strings like "1s", "10m", "36h".
type Duration time.Duration

// Size is a byte count read from strings like "10MB", "512KiB", "1048576".
type Size int64
