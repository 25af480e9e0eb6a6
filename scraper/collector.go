package scraper

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"strings"

	"github.com/gocolly/colly/v2"
	"golang.org/x/net/publicsuffix"
)

// resultKey is the colly.Context key of the *result a request fills in.
const resultKey = "kabar.result"

// result is what Colly's callbacks report about one request.
type result struct {
	kind   fetchKind
	status int
	page   *page
	err    error // set by OnResponseHeaders when it aborts the transfer
}

// newCollector builds the one Colly collector of a crawl, with every knob
// set here, explicitly. It is built with Init rather than NewCollector,
// which would let COLLY_* environment variables override these settings.
// It is never cloned: Clone shares the visited set and robots cache.
func (cr *crawl) newCollector(ctx context.Context) *colly.Collector {
	p := cr.s.policy
	c := &colly.Collector{}
	c.Init()                        // defaults, no environment
	c.UserAgent = p.UserAgent       // the configured user agent
	c.Headers = nil                 // per request, see fetch
	c.MaxDepth = 0                  // depth budgets are ours (listing pages, sitemaps, article pages)
	c.MaxRequests = 0               // budgets are ours
	c.AllowedDomains = nil          // site checks are ours: same registrable domain
	c.DisallowedDomains = nil       //
	c.URLFilters = nil              //
	c.DisallowedURLFilters = nil    //
	c.AllowURLRevisit = true        // dedupe is ours, before Colly: its visited check races and hashes whatwg-parsed URLs
	c.MaxBodySize = 0               // bodyTransport enforces max_body on decoded bytes, as an error
	c.CacheDir = ""                 // no disk cache: conditional GETs use the store's validators
	c.IgnoreRobotsTxt = true        // robots.txt is ours (RFC 9309: 4xx allow, 5xx disallow, not cached across crawls)
	c.Async = false                 // our workers call Request synchronously; concurrency is bounded by them and the LimitRules
	c.ParseHTTPErrorResponse = true // statuses are ours (304, 429, 5xx)
	c.DetectCharset = false         // decoding is extract.Decode's
	c.CheckHead = false             //
	c.TraceHTTP = false             //
	c.Context = ctx                 // cancels every request of the crawl
	c.SetClient(&http.Client{
		Transport: cr.s.transport, // shared: connection reuse across crawls
		Timeout:   p.Timeout,      // whole request, body included
	})
	jar, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List}) // fresh per crawl (consent and session cookies)
	c.SetCookieJar(jar)
	c.SetRedirectHandler(cr.checkRedirect) // limit, same site, robots, dedupe
	// Per-host LimitRules (parallelism, delay, jitter) are added by hostFor
	// once a host's robots.txt (and so its Crawl-delay) is known.

	c.OnResponseHeaders(func(r *colly.Response) {
		res, _ := r.Ctx.GetAny(resultKey).(*result)
		if res == nil {
			return
		}
		res.status = r.StatusCode
		if r.StatusCode < 200 || r.StatusCode > 299 {
			return
		}
		ct := r.Headers.Get(origContentType)
		if ct == "" {
			ct = r.Headers.Get("Content-Type")
		}
		if err := checkContentType(res.kind, ct); err != nil {
			res.err = err
			r.Request.Abort() // the body is never read
		}
	})
	c.OnResponse(func(r *colly.Response) {
		res, _ := r.Ctx.GetAny(resultKey).(*result)
		if res == nil {
			return
		}
		h := *r.Headers
		if ct := h.Get(origContentType); ct != "" {
			h.Set("Content-Type", ct)
			h.Del(origContentType)
		}
		res.status = r.StatusCode
		res.page = &page{url: r.Request.URL, status: r.StatusCode, header: h, contentType: h.Get("Content-Type"), body: r.Body}
	})
	return c
}

// checkContentType rejects, before the body is read, a response whose type
// cannot be what was asked for: an article must be HTML (or unlabelled, then
// sniffed); feeds, sitemaps and robots.txt must be text.
func checkContentType(kind fetchKind, ct string) error {
	mt := mediaType(ct)
	if unlabelled(mt) {
		return nil // sniffed once the body is read
	}
	switch kind {
	case kindArticle, kindListing:
		if mt == "text/html" || mt == "application/xhtml+xml" {
			return nil
		}
	case kindRobots:
		if strings.HasPrefix(mt, "text/") {
			return nil
		}
	default: // feeds and sitemaps: XML, JSON, text, HTML-labelled XML, gzip
		if strings.HasPrefix(mt, "text/") || strings.Contains(mt, "xml") || strings.Contains(mt, "json") || strings.Contains(mt, "gzip") {
			return nil
		}
	}
	return &contentTypeError{mt}
}

// mediaType is a Content-Type's media type, lower case, without parameters.
func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// unlabelled reports whether a Content-Type says nothing of the body: none,
// or a generic octet stream. Such a page is sniffed.
func unlabelled(ct string) bool {
	switch mediaType(ct) {
	case "", "application/octet-stream", "binary/octet-stream":
		return true
	}
	return false
}

type contentTypeError struct{ mt string }

func (e *contentTypeError) Error() string   { return ErrContentType.Error() + ": " + e.mt }
func (e *contentTypeError) Is(t error) bool { return t == ErrContentType }
