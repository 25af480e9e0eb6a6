package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/andybalholm/cascadia"
	"github.com/kabar-news/kabar/internal/schedule"
)

// Limits that keep a config sane; values beyond them are mistakes, not
// preferences.
const (
	maxParallelism = 64      // concurrent requests to one host
	maxBodyLimit   = 1 << 30 // 1GiB: a body is held in memory
)

var (
	nameRE     = regexp.MustCompile(`^[a-z0-9-]+$`)
	languageRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)
)

// ReservedName is the name of the merged feed of all sources, which no
// source may take.
const ReservedName = "all"

// Validate checks the whole configuration and returns every problem as
// Problems (nil when there is none). Problems of a config made by Parse
// carry the line of the offending key, or of the enclosing mapping for a
// missing one.
func (c *Config) Validate() error {
	return c.problems().err()
}

// validator collects the problems of one config.
type validator struct {
	c     *Config
	probs Problems
}

func (c *Config) problems() Problems {
	v := &validator{c: c}
	v.storage()
	v.server()
	v.crawler()
	v.feeds()
	v.log()
	v.sources()
	return v.probs
}

func (v *validator) add(path, format string, args ...any) {
	v.probs = append(v.probs, Problem{File: v.c.file, Line: v.c.Line(path), Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) storage() {
	if strings.TrimSpace(v.c.Storage.Path) == "" {
		v.add("storage.path", "missing: the SQLite database file, such as data/kabar.db")
	}
}

func (v *validator) server() {
	s := v.c.Server
	listenOK := true
	if err := checkListen(s.Listen); err != nil {
		v.add("server.listen", "%s", err)
		listenOK = false
	}
	if s.BaseURL != "" || (listenOK && baseURLFor(s.Listen) != "") {
		if err := checkURL(s.BaseURL); err != nil {
			v.add("server.base_url", "%s", err)
		} else if u, _ := url.Parse(s.BaseURL); u.RawQuery != "" || u.Fragment != "" {
			v.add("server.base_url", "must not have a query or fragment: %q", s.BaseURL)
		}
	}
	if s.WebSubHub != "" {
		if err := checkURL(s.WebSubHub); err != nil {
			v.add("server.websub_hub", "%s", err)
		}
	}
	if _, err := v.c.Location(); err != nil {
		v.add("server.timezone", "unknown time zone %q (use an IANA name such as Asia/Jakarta, UTC or Local)", s.TimeZone)
	}
}

func (v *validator) crawler() {
	c := v.c.Crawler
	if strings.TrimSpace(c.UserAgent) == "" {
		v.add("crawler.user_agent", "missing")
	} else if i := strings.IndexFunc(c.UserAgent, func(r rune) bool { return r < ' ' || r == 0x7f }); i >= 0 {
		v.add("crawler.user_agent", "contains a control character (a header value is one line of text)")
	}
	switch {
	case c.Parallelism < 1:
		v.add("crawler.parallelism", "must be at least 1, got %d", c.Parallelism)
	case c.Parallelism > maxParallelism:
		v.add("crawler.parallelism", "%d concurrent requests per host is abusive; at most %d", c.Parallelism, maxParallelism)
	}
	if c.Delay < 0 {
		v.add("crawler.delay", "must not be negative, got %s", c.Delay)
	}
	if c.Timeout <= 0 {
		v.add("crawler.timeout", "must be positive, got %s", c.Timeout)
	}
	if c.CrawlTimeout <= 0 {
		v.add("crawler.crawl_timeout", "must be positive, got %s", c.CrawlTimeout)
	}
	if c.Timeout > 0 && c.CrawlTimeout > 0 && c.Timeout > c.CrawlTimeout {
		v.add("crawler.timeout", "%s is longer than crawler.crawl_timeout (%s), which bounds the whole crawl", c.Timeout, c.CrawlTimeout)
	}
	switch {
	case c.MaxBody <= 0:
		v.add("crawler.max_body", "must be positive, got %d bytes", int64(c.MaxBody))
	case c.MaxBody > maxBodyLimit:
		v.add("crawler.max_body", "%s is more than the %s a page may hold in memory", c.MaxBody, Size(maxBodyLimit))
	}
}

func (v *validator) feeds() {
	if v.c.Feeds.MaxItems < 1 {
		v.add("feeds.max_items", "must be at least 1, got %d", v.c.Feeds.MaxItems)
	}
}

func (v *validator) log() {
	switch v.c.Log.Format {
	case "text", "json":
	default:
		v.add("log.format", "unknown format %q (use text or json)", v.c.Log.Format)
	}
	switch v.c.Log.Level {
	case "debug", "info", "warn", "warning", "error":
	default:
		v.add("log.level", "unknown level %q (use debug, info, warn or error)", v.c.Log.Level)
	}
}

func (v *validator) sources() {
	first := map[string]int{} // name → index of its first source
	for i, s := range v.c.Sources {
		p := fmt.Sprintf("sources[%d]", i)
		if v.c.failed[p] {
			continue // not a mapping at all: already reported
		}
		switch {
		case s.Name == "":
			if !v.c.failed[p+".name"] {
				v.add(p, "missing name")
			}
		case !nameRE.MatchString(s.Name):
			v.add(p+".name", "invalid name %q: use lowercase letters, digits and hyphens ([a-z0-9-]+), as it appears in feed URLs", s.Name)
		case s.Name == ReservedName:
			v.add(p+".name", "%q is reserved for the merged feed of all sources", s.Name)
		default:
			if j, dup := first[s.Name]; dup {
				v.add(p+".name", "duplicate source name %q (first used by sources[%d]%s)", s.Name, j, v.onLine(fmt.Sprintf("sources[%d]", j)))
			} else {
				first[s.Name] = i
			}
		}
		if !languageRE.MatchString(s.Language) {
			v.add(p+".language", "invalid language tag %q (use a code such as id or en)", s.Language)
		}
		if len(s.StartURLs) == 0 && s.FeedURL == "" && s.SitemapURL == "" &&
			!v.c.failed[p+".start_urls"] && !v.c.failed[p+".feed_url"] && !v.c.failed[p+".sitemap_url"] {
			v.add(p, "needs at least one of start_urls, feed_url or sitemap_url")
		}
		seen := map[string]int{}
		for j, u := range s.StartURLs {
			up := fmt.Sprintf("%s.start_urls[%d]", p, j)
			if err := checkURL(u); err != nil {
				v.add(up, "%s", err)
			} else if k, dup := seen[u]; dup {
				v.add(up, "duplicate of start_urls[%d]", k)
			} else {
				seen[u] = j
			}
		}
		if s.FeedURL != "" {
			if err := checkURL(s.FeedURL); err != nil {
				v.add(p+".feed_url", "%s", err)
			}
		}
		if s.SitemapURL != "" {
			if err := checkURL(s.SitemapURL); err != nil {
				v.add(p+".sitemap_url", "%s", err)
			}
		}
		if err := schedule.Validate(s.Schedule); err != nil {
			v.add(p+".schedule", "invalid cron spec %q: %s", s.Schedule, err)
		}
		if s.MaxArticles < 1 {
			v.add(p+".max_articles", "must be at least 1, got %d", s.MaxArticles)
		}
		if s.ArticleURLPattern != "" {
			if _, err := regexp.Compile(s.ArticleURLPattern); err != nil {
				v.add(p+".article_url_pattern", "invalid regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			}
		}
		if s.Rules.Content != "" {
			if err := checkSelector(s.Rules.Content); err != nil {
				v.add(p+".rules.content", "%s", err)
			}
		}
		for j, sel := range s.Rules.Remove {
			if err := checkSelector(sel); err != nil {
				v.add(fmt.Sprintf("%s.rules.remove[%d]", p, j), "%s", err)
			}
		}
		if s.Retention.MaxAge < 0 {
			v.add(p+".retention.max_age", "must not be negative, got %s", s.Retention.MaxAge)
		}
		if s.Retention.MaxItems < 0 {
			v.add(p+".retention.max_items", "must not be negative, got %d", s.Retention.MaxItems)
		}
	}
}

// onLine returns " on line N" for the line of path, or "" when unknown.
func (v *validator) onLine(path string) string {
	if l := v.c.Line(path); l > 0 {
		return " on line " + strconv.Itoa(l)
	}
	return ""
}

// checkURL requires an absolute http or https URL with a host.
func checkURL(raw string) error {
	if raw == "" {
		return fmt.Errorf("missing URL")
	}
	if strings.IndexFunc(raw, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("invalid URL %q: contains white space or a control character", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("invalid URL %q: %v", raw, err)
	}
	if u.Scheme == "" {
		return fmt.Errorf("invalid URL %q: want an absolute http or https URL (did you mean \"https://%s\"?)", raw, strings.TrimPrefix(raw, "//"))
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return fmt.Errorf("invalid URL %q: scheme %q is not http or https", raw, u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("invalid URL %q: no host", raw)
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("invalid URL %q: bad port %q", raw, port)
		}
	}
	return nil
}

// checkListen requires host:port with a numeric port (0 picks a free one).
func checkListen(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid address %q: want host:port, such as 127.0.0.1:8080 or :8080", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("invalid address %q: port %q is not a number from 0 to 65535", addr, port)
	}
	if host != "" && net.ParseIP(host) == nil && !validHostname(host) {
		return fmt.Errorf("invalid address %q: bad host %q", addr, host)
	}
	return nil
}

// validHostname accepts DNS names: dot-separated labels of letters, digits
// and hyphens.
func validHostname(h string) bool {
	if len(h) > 253 {
		return false
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return false
			}
		}
	}
	return true
}

// checkSelector requires a CSS selector (group) that cascadia, and so
// goquery, compiles.
func checkSelector(sel string) error {
	if strings.TrimSpace(sel) == "" {
		return fmt.Errorf("empty CSS selector")
	}
	if _, err := cascadia.ParseGroup(sel); err != nil {
		return fmt.Errorf("invalid CSS selector %q: %v", sel, err)
	}
	return nil
}

// Warnings returns what is allowed but probably not meant: no sources, or
// robots.txt ignored. They never stop kabar; `kabar check` may show them.
func (c *Config) Warnings() []Problem {
	var out []Problem
	if len(c.Sources) == 0 {
		out = append(out, Problem{File: c.file, Line: c.Line("sources"), Path: "sources", Msg: "no sources configured: nothing will be crawled"})
	}
	if !c.Crawler.Robots() {
		out = append(out, Problem{File: c.file, Line: c.Line("crawler.respect_robots"), Path: "crawler.respect_robots", Msg: "robots.txt is ignored: only do this for sites that allow it"})
	}
	return out
}
