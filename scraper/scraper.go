package scraper

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"time"

	"github.com/kabar-news/kabar/extract"
)

// Policy is the fetch policy of a crawl. Zero values mean the defaults noted
// on each field.
type Policy struct {
	UserAgent     string        // default DefaultUserAgent
	RespectRobots bool          // robots.txt per RFC 9309
	Parallelism   int           // concurrent requests per host; default 2
	Delay         time.Duration // between requests to one host (plus jitter, see RandomDelay)
	Timeout       time.Duration // whole request, body included; default 30s
	MaxBody       int64         // decompressed bytes; larger is an error; default 10 MiB

	// RandomDelay is the jitter added to Delay: a random duration in
	// [0, RandomDelay). Zero means Delay/4; negative means none.
	RandomDelay time.Duration
	// MaxCrawlDelay caps a robots.txt Crawl-delay; default 30s.
	MaxCrawlDelay time.Duration
	// MaxRetries is how many times a request failing with a 5xx, a 429, a
	// timeout or a reset connection is retried; default 2, negative for none.
	MaxRetries int
	// RetryBase and RetryMax bound the exponential backoff between retries
	// (jittered); defaults 1s and 30s.
	RetryBase, RetryMax time.Duration
	// MaxRetryAfter is the longest Retry-After a server may ask for; a longer
	// one makes the host be skipped for the rest of the crawl. Default 2m.
	MaxRetryAfter time.Duration
	// MaxHostFailures is how many consecutive retryable failures make the
	// rest of a host's requests in this crawl fail fast; default 8.
	MaxHostFailures int
	// MaxRedirects is the redirect limit of one request; default 5.
	MaxRedirects int
	// MaxListingPages is how many pages of each start URL (pagination
	// included) are read per crawl; default 5.
	MaxListingPages int
	// MaxSitemaps is how many sitemaps (indexes and their children) are read
	// per crawl; default 10. Nested indexes deeper than 3 are ignored.
	MaxSitemaps int
	// MaxArticlePages is how many pages of one multi-page article are read;
	// default 20.
	MaxArticlePages int
}

// Defaults of Policy and Source.
const (
	DefaultUserAgent       = "kabar (+https://github.com/kabar-news/kabar)"
	DefaultParallelism     = 2
	DefaultTimeout         = 30 * time.Second
	DefaultMaxBody         = 10 << 20
	DefaultMaxArticles     = 50
	DefaultMaxListingPages = 5
	DefaultMaxSitemaps     = 10
	maxSitemapDepth        = 3
)

// Source is what to crawl.
type Source struct {
	Name           string
	StartURLs      []string
	FeedURL        string
	SitemapURL     string
	MaxArticles    int            // new articles fetched per crawl; 0 means DefaultMaxArticles, negative means no limit
	ArticlePattern *regexp.Regexp // optional filter on article URLs (not applied to the items of FeedURL)
	Rules          extract.Rules
	// RobotsSitemaps also reads the sitemaps named by the Sitemap: lines of
	// the robots.txt of the source's hosts. Off by default: a site-wide
	// sitemap would pull every section into a section's source.
	RobotsSitemaps bool
}

// State is what the scraper asks of the store. Its methods may be called
// concurrently.
type State interface {
	// Known reports whether the article at url is already stored.
	Known(ctx context.Context, url string) (bool, error)
	// Validators returns the ETag and Last-Modified stored for url.
	Validators(ctx context.Context, url string) (etag, lastModified string, err error)
	// SetValidators stores them.
	SetValidators(ctx context.Context, url, etag, lastModified string) error
}

// URLRecorder is an optional State method: after an article is emitted, the
// scraper reports the link it was listed under when that differs from the
// article's canonical URL (redirects, short links), so that State.Known
// answers true for the link from the next crawl on.
type URLRecorder interface {
	RememberURL(ctx context.Context, url, canonical string) error
}

// Stats counts what a crawl did. Skipped is the sum of Known, Filtered,
// OverBudget, Robots and Duplicates.
type Stats struct {
	Pages    int // HTTP responses received
	Articles int // articles extracted and handed to emit
	Skipped  int // article URLs skipped (already stored, filtered, over budget)
	Errors   int // pages that failed

	Discovered  int            // distinct article URLs found by discovery
	Known       int            // skipped: already stored
	Filtered    int            // skipped: off-site, by article_url_pattern, or an off-site redirect
	OverBudget  int            // skipped: over max_articles
	Robots      int            // skipped: disallowed by robots.txt
	Duplicates  int            // skipped: same article already fetched in this crawl
	NotModified int            // listing pages, feeds and sitemaps answering 304
	Retries     int            // requests retried
	Bytes       int64          // decompressed body bytes received
	ErrorKinds  map[string]int // Errors by kind (see PageError.Kind)
}

// Add adds o's counts to s (for a summary over sources).
func (s *Stats) Add(o Stats) {
	s.Pages += o.Pages
	s.Articles += o.Articles
	s.Skipped += o.Skipped
	s.Errors += o.Errors
	s.Discovered += o.Discovered
	s.Known += o.Known
	s.Filtered += o.Filtered
	s.OverBudget += o.OverBudget
	s.Robots += o.Robots
	s.Duplicates += o.Duplicates
	s.NotModified += o.NotModified
	s.Retries += o.Retries
	s.Bytes += o.Bytes
	for k, v := range o.ErrorKinds {
		if s.ErrorKinds == nil {
			s.ErrorKinds = map[string]int{}
		}
		s.ErrorKinds[k] += v
	}
}

func (s Stats) clone() Stats {
	if s.ErrorKinds != nil {
		m := make(map[string]int, len(s.ErrorKinds))
		for k, v := range s.ErrorKinds {
			m[k] = v
		}
		s.ErrorKinds = m
	}
	return s
}

// Options configure a Scraper.
type Options struct {
	Policy   Policy
	State    State        // nil: nothing is known, no conditional GETs
	Logger   *slog.Logger // nil: discard
	Progress func(source string, s Stats)
	// Transport replaces the network transport (tests, proxies). Nil means a
	// shared *http.Transport with keep-alive and at most Parallelism+2
	// connections per host. Body limits and decompression are applied on
	// top of it either way.
	Transport http.RoundTripper
}

// Scraper crawls sources. It is safe for concurrent use by several crawls;
// they share one transport (and so its connection pool).
type Scraper struct {
	opts      Options
	policy    Policy // with defaults filled in
	log       *slog.Logger
	transport http.RoundTripper
}

// New returns a Scraper.
func New(opts Options) *Scraper {
	p := withDefaults(opts.Policy)
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base := opts.Transport
	if base == nil {
		base = newHTTPTransport(p)
	}
	return &Scraper{
		opts:      opts,
		policy:    p,
		log:       log,
		transport: &bodyTransport{base: base, max: p.MaxBody},
	}
}

// Close closes the idle connections of the Scraper's transport. Crawls
// may still run afterwards; they open new connections.
func (s *Scraper) Close() {
	if t, ok := s.transport.(*bodyTransport); ok {
		if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
			c.CloseIdleConnections()
		}
	}
}

func withDefaults(p Policy) Policy {
	if p.UserAgent == "" {
		p.UserAgent = DefaultUserAgent
	}
	if p.Parallelism <= 0 {
		p.Parallelism = DefaultParallelism
	}
	if p.Timeout <= 0 {
		p.Timeout = DefaultTimeout
	}
	if p.MaxBody <= 0 {
		p.MaxBody = DefaultMaxBody
	}
	switch {
	case p.RandomDelay == 0:
		p.RandomDelay = p.Delay / 4
	case p.RandomDelay < 0:
		p.RandomDelay = 0
	}
	if p.MaxCrawlDelay <= 0 {
		p.MaxCrawlDelay = 30 * time.Second
	}
	switch {
	case p.MaxRetries == 0:
		p.MaxRetries = 2
	case p.MaxRetries < 0:
		p.MaxRetries = 0
	}
	if p.RetryBase <= 0 {
		p.RetryBase = time.Second
	}
	if p.RetryMax <= 0 {
		p.RetryMax = 30 * time.Second
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 2 * time.Minute
	}
	if p.MaxHostFailures <= 0 {
		p.MaxHostFailures = 8
	}
	if p.MaxRedirects <= 0 {
		p.MaxRedirects = 5
	}
	if p.MaxListingPages <= 0 {
		p.MaxListingPages = DefaultMaxListingPages
	}
	if p.MaxSitemaps <= 0 {
		p.MaxSitemaps = DefaultMaxSitemaps
	}
	if p.MaxArticlePages <= 0 {
		p.MaxArticlePages = 20
	}
	return p
}

// newHTTPTransport is the one transport of a Scraper: keep-alive on, at
// most Parallelism+2 connections per host, HTTP/2 when offered.
func newHTTPTransport(p Policy) *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   min(p.Timeout, 15*time.Second),
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   p.Parallelism + 2,
		MaxConnsPerHost:       p.Parallelism + 2,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   min(p.Timeout, 10*time.Second),
		ResponseHeaderTimeout: p.Timeout,
		ExpectContinueTimeout: time.Second,
	}
}

// Crawl crawls src once and calls emit for each extracted article; emit is
// never called concurrently. Per-page failures are counted, logged and
// returned joined (each a *PageError; the crawl goes on). When the source
// fails as a whole — every start URL, feed and sitemap failed or was
// disallowed — the error also matches ErrSourceFailed. A cancelled ctx ends
// the crawl early with ctx's error joined in.
func (s *Scraper) Crawl(ctx context.Context, src Source, emit func(context.Context, *extract.Article) error) (Stats, error) {
	cr, err := s.newCrawl(ctx, src, emit)
	if err != nil {
		return Stats{}, err
	}
	return cr.run(ctx)
}
