package config

import (
	"net"
	"strings"
	"time"
)

// DevVersion is the version in the default user agent until the command
// sets its own with SetVersion.
const DevVersion = "dev"

// ProjectURL is the project's home, named in the default user agent so
// site operators can find out who is crawling them.
const ProjectURL = "https://github.com/kabar-news/kabar"

// DefaultUserAgent returns the user agent kabar sends unless configured:
// "kabar/<version> (+<ProjectURL>)".
func DefaultUserAgent(version string) string {
	return "kabar/" + version + " (+" + ProjectURL + ")"
}

// Default returns a configuration holding every default and no sources.
// Parse starts from it, so a key left out of the file keeps its value here.
func Default() *Config {
	robots := true
	return &Config{
		Storage: Storage{
			Path: "data/kabar.db", // relative to the working directory
		},
		Server: Server{
			Listen: "127.0.0.1:8080", // loopback only: put a proxy in front to publish
			// BaseURL: derived from Listen by ApplyDefaults.
		},
		Crawler: Crawler{
			UserAgent:     DefaultUserAgent(DevVersion),
			RespectRobots: &robots,
			Parallelism:   2,                          // concurrent requests per host
			Delay:         Duration(time.Second),      // between requests to one host
			Timeout:       Duration(30 * time.Second), // one whole request
			MaxBody:       10_000_000,                 // 10MB, decompressed
			CrawlTimeout:  Duration(10 * time.Minute), // one crawl of one source
		},
		Feeds: Feeds{
			MaxItems: 50,
		},
		Log: Log{
			Format: "text",
			Level:  "info",
		},
	}
}

// DefaultSource returns the defaults of a source; Parse starts every source
// from it. Title defaults to the name (filled by ApplyDefaults).
func DefaultSource() Source {
	return Source{
		Language:    "id",
		Schedule:    "@every 30m",
		MaxArticles: 50,
	}
}

// ApplyDefaults fills the defaults that are empty strings or nil: the ones
// derived from other fields (server.base_url from server.listen, a
// source's title from its name) and the textual ones an empty value cannot
// sensibly mean (storage.path, crawler.user_agent, log.format, a source's
// language and schedule ...). Numbers are not touched: an explicit 0 is
// the user's and Validate judges it. Parse calls it; code that builds a
// Config by hand from Default and DefaultSource may call it too.
func (c *Config) ApplyDefaults() {
	def := Default()
	setIfEmpty(&c.Storage.Path, def.Storage.Path)
	setIfEmpty(&c.Server.Listen, def.Server.Listen)
	setIfEmpty(&c.Server.BaseURL, baseURLFor(c.Server.Listen))
	// Feed self links are built as BaseURL + "/feeds/...".
	if strings.HasSuffix(c.Server.BaseURL, "/") && strings.Contains(c.Server.BaseURL, "://") {
		c.Server.BaseURL = strings.TrimRight(c.Server.BaseURL, "/")
	}
	setIfEmpty(&c.Crawler.UserAgent, def.Crawler.UserAgent)
	if c.Crawler.RespectRobots == nil {
		c.Crawler.RespectRobots = def.Crawler.RespectRobots
	}
	setIfEmpty(&c.Log.Format, def.Log.Format)
	setIfEmpty(&c.Log.Level, def.Log.Level)
	ds := DefaultSource()
	for i := range c.Sources {
		s := &c.Sources[i]
		setIfEmpty(&s.Title, s.Name)
		setIfEmpty(&s.Language, ds.Language)
		setIfEmpty(&s.Schedule, ds.Schedule)
	}
}

// SetVersion puts version into the user agent when it is still the default
// one, so a build's real version is announced; a configured user agent is
// left alone.
func (c *Config) SetVersion(version string) {
	if version != "" && (c.Crawler.UserAgent == "" || c.Crawler.UserAgent == DefaultUserAgent(DevVersion)) {
		c.Crawler.UserAgent = DefaultUserAgent(version)
	}
}

func setIfEmpty(p *string, v string) {
	if strings.TrimSpace(*p) == "" {
		*p = v
	}
}

// baseURLFor derives the public URL of a listen address: "http://" and the
// address, with an unspecified host (":8080", "0.0.0.0:8080") as localhost.
// An invalid address gives "" (Validate reports the address), and so does
// port 0, whose real port is known only once the server has bound it.
func baseURLFor(listen string) string {
	if checkListen(listen) != nil {
		return ""
	}
	host, port, _ := net.SplitHostPort(listen)
	if port == "0" {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
