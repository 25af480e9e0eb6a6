package scraper

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"golang.org/x/net/idna"
)

// fetchKind is what a request is for; it decides the accepted content types
// and whether the response is conditional.
type fetchKind int

const (
	kindRobots fetchKind = iota
	kindListing
	kindFeed
	kindSitemap
	kindArticle
)

func (k fetchKind) String() string {
	return [...]string{"robots", "listing", "feed", "sitemap", "article"}[k]
}

// page is a fetched response.
type page struct {
	url         *url.URL // after redirects
	status      int
	header      http.Header
	contentType string // as the server sent it
	body        []byte
}

// hostState is the per-host politeness state of a crawl.
type hostState struct {
	ready  chan struct{} // closed once robots is loaded and the LimitRule set
	robots *robots

	mu        sync.Mutex
	notBefore time.Time // no request before (Retry-After, backoff)
	fails     int       // consecutive retryable failures
}

// hostFor returns the state of u's host, loading its robots.txt and
// installing its Colly LimitRule on first use.
func (cr *crawl) hostFor(ctx context.Context, u *url.URL) (*hostState, error) {
	host := asciiHost(u.Host)
	cr.mu.Lock()
	h, ok := cr.hosts[host]
	if !ok {
		h = &hostState{ready: make(chan struct{}), robots: robotsAllowAll}
		cr.hosts[host] = h
	}
	cr.mu.Unlock()
	if ok {
		select {
		case <-h.ready:
			return h, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	defer close(h.ready)
	p := cr.s.policy
	delay, par := p.Delay, p.Parallelism
	if p.RespectRobots {
		h.robots = cr.loadRobots(ctx, u, h)
		if cd := min(h.robots.crawlDelay, p.MaxCrawlDelay); cd > 0 {
			// Crawl-delay is the pause between two requests: one at a time.
			delay, par = max(delay, cd), 1
		}
	}
	err := cr.c.Limit(&colly.LimitRule{
		DomainRegexp: "^" + regexp.QuoteMeta(host) + "$",
		Parallelism:  par,
		Delay:        delay,
		RandomDelay:  p.RandomDelay,
	})
	if err != nil {
		return nil, fmt.Errorf("limit %s: %w", host, err)
	}
	return h, nil
}

// loadRobots fetches and parses robots.txt per RFC 9309: a 2xx is parsed, a
// 4xx (or a missing, non-text or off-site file) allows everything, a 5xx, a
// 429 or an unreachable host disallows everything for this crawl; the next
// crawl asks again.
func (cr *crawl) loadRobots(ctx context.Context, u *url.URL, h *hostState) *robots {
	ru := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	cr.claim(urlKey(ru.String()))
	pg, err := cr.fetchRaw(ctx, ru, kindRobots, h, nil)
	var se *StatusError
	switch {
	case err == nil:
		r := parseRobots(pg.body, productToken(cr.s.policy.UserAgent))
		return r
	case errors.As(err, &se) && se.Code >= 400 && se.Code < 500 && se.Code != http.StatusTooManyRequests,
		errors.Is(err, ErrContentType), errors.Is(err, ErrOffsiteRedirect), errors.Is(err, ErrTooManyRedirects):
		return robotsAllowAll
	default:
		if ctx.Err() == nil {
			cr.log.Warn("robots.txt unavailable: host disallowed for this crawl", "url", ru.String(), "error", err)
		}
		return robotsDisallowAll
	}
}

// robotsAllows reports whether robots.txt lets us fetch u.
func robotsAllows(h *hostState, u *url.URL) bool {
	pq := u.EscapedPath()
	if pq == "" {
		pq = "/"
	}
	if u.RawQuery != "" {
		pq += "?" + u.RawQuery
	}
	return h.robots.allowed(pq)
}

// fetch GETs u under the whole policy: robots.txt, per-host limits,
// retries; cond asks for a conditional GET and receives the response's
// validators. A 304 returns a nil page and a nil error.
func (cr *crawl) fetch(ctx context.Context, u *url.URL, kind fetchKind, cond *validators) (*page, error) {
	h, err := cr.hostFor(ctx, u)
	if err != nil {
		return nil, err
	}
	if !robotsAllows(h, u) {
		return nil, ErrRobots
	}
	return cr.fetchRaw(ctx, u, kind, h, cond)
}

// validators are a conditional GET's ETag and Last-Modified.
type validators struct{ etag, lastModified string }

func (cr *crawl) fetchRaw(ctx context.Context, u *url.URL, kind fetchKind, h *hostState, cond *validators) (*page, error) {
	p := cr.s.policy
	hdr := http.Header{}
	hdr.Set("User-Agent", p.UserAgent)
	hdr.Set("Accept", acceptFor(kind))
	if cond != nil {
		if cond.etag != "" {
			hdr.Set("If-None-Match", cond.etag)
		}
		if cond.lastModified != "" {
			hdr.Set("If-Modified-Since", cond.lastModified)
		}
	}
	raw := u.String()
	for attempt := 0; ; attempt++ {
		if err := h.wait(ctx, p); err != nil {
			return nil, err
		}
		start := time.Now()
		res := &result{kind: kind}
		cctx := colly.NewContext()
		cctx.Put(resultKey, res)
		err := cr.c.Request(http.MethodGet, raw, nil, cctx, hdr.Clone())
		if res.err != nil {
			err = res.err
		}
		pg := res.page
		if res.status > 0 {
			cr.count(func(s *Stats) { s.Pages++ })
		}
		if err == nil && pg != nil {
			cr.count(func(s *Stats) { s.Bytes += int64(len(pg.body)) })
			switch {
			case pg.status == http.StatusNotModified && cond != nil:
				cr.log.Debug("not modified", "source", cr.src.Name, "url", raw, "status", pg.status, "duration", time.Since(start))
				h.ok()
				return nil, nil
			case pg.status < 200 || pg.status > 299:
				err = &StatusError{Code: pg.status}
			case (kind == kindArticle || kind == kindListing) && unlabelled(pg.contentType):
				if sniffed := http.DetectContentType(pg.body); !strings.HasPrefix(sniffed, "text/html") {
					err = &contentTypeError{mediaType(sniffed)}
				}
			}
		} else if err == nil {
			err = errors.New("no response")
		}
		if err == nil {
			if cond != nil {
				cond.etag, cond.lastModified = pg.header.Get("ETag"), pg.header.Get("Last-Modified")
			}
			cr.log.Debug("fetched", "source", cr.src.Name, "url", raw, "status", pg.status, "duration", time.Since(start))
			h.ok()
			return pg, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !retryable(err) {
			return nil, err
		}
		wait := backoff(p, attempt)
		if pg != nil {
			if ra, ok := retryAfter(pg.header.Get("Retry-After"), time.Now()); ok {
				wait = ra
			}
		}
		down := h.fail(p, wait)
		if attempt >= p.MaxRetries || down || wait > p.MaxRetryAfter {
			return nil, err
		}
		cr.count(func(s *Stats) { s.Retries++ })
		cr.log.Debug("retrying", "source", cr.src.Name, "url", raw, "status", res.status, "error", err, "wait", wait)
	}
}

func acceptFor(kind fetchKind) string {
	switch kind {
	case kindFeed:
		return "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
	case kindSitemap:
		return "application/xml, text/xml;q=0.9, */*;q=0.5"
	case kindRobots:
		return "text/plain, */*;q=0.5"
	default:
		return "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
	}
}

// wait blocks until the host may be asked again; a host that failed too
// often, or asked for a longer pause than allowed, fails fast instead.
func (h *hostState) wait(ctx context.Context, p Policy) error {
	h.mu.Lock()
	fails, until := h.fails, time.Until(h.notBefore)
	h.mu.Unlock()
	if fails >= p.MaxHostFailures || until > p.MaxRetryAfter {
		return ErrHostBackedOff
	}
	if until <= 0 {
		return nil
	}
	t := time.NewTimer(until)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// fail records a retryable failure and pauses the host for wait; it
// reports whether the host is now considered down.
func (h *hostState) fail(p Policy, wait time.Duration) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fails++
	if nb := time.Now().Add(wait); nb.After(h.notBefore) {
		h.notBefore = nb
	}
	return h.fails >= p.MaxHostFailures
}

func (h *hostState) ok() {
	h.mu.Lock()
	h.fails = 0
	h.mu.Unlock()
}

// backoff is the jittered, capped exponential pause before retry attempt+1.
func backoff(p Policy, attempt int) time.Duration {
	d := p.RetryBase << min(attempt, 20)
	if d <= 0 || d > p.RetryMax {
		d = p.RetryMax
	}
	return d/2 + rand.N(d/2+1)
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil {
		return max(time.Duration(n)*time.Second, 0), n >= 0
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// checkRedirect is Colly's redirect handler: at most MaxRedirects hops,
// never off the source's site, never to a URL robots.txt disallows, and
// never to a page already fetched in this crawl.
func (cr *crawl) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > cr.s.policy.MaxRedirects {
		return fmt.Errorf("%w: %d", ErrTooManyRedirects, len(via))
	}
	if !cr.allowedSite(req.URL) {
		return fmt.Errorf("%w: %s", ErrOffsiteRedirect, req.URL)
	}
	// robots.txt itself may be redirected anywhere on the site (RFC 9309
	// §2.3.1.2); checking it against robots.txt would wait for itself.
	if cr.s.policy.RespectRobots && !strings.HasSuffix(via[0].URL.Path, "/robots.txt") {
		h, err := cr.hostFor(req.Context(), req.URL)
		if err != nil {
			return err
		}
		if !robotsAllows(h, req.URL) {
			return ErrRobots
		}
	}
	key, owner := urlKey(req.URL.String()), urlKey(via[0].URL.String())
	for _, v := range via {
		if urlKey(v.URL.String()) == key {
			return nil // back to a page of this chain, e.g. after setting a cookie; loops end at MaxRedirects
		}
	}
	if !cr.claimFor(key, owner) { // a retry of this fetch may pass again
		return errDuplicate
	}
	return nil
}

// asciiHost is a host (with port) as Colly's URL parser writes it: lower
// case, internationalised names in punycode; the key of LimitRules.
func asciiHost(h string) string {
	h = strings.ToLower(h)
	for i := 0; i < len(h); i++ {
		if h[i] >= 0x80 {
			name, port := h, ""
			if j := strings.LastIndexByte(h, ':'); j >= 0 && !strings.Contains(h[j:], "]") {
				name, port = h[:j], h[j:]
			}
			if a, err := idna.Lookup.ToASCII(name); err == nil {
				return a + port
			}
			return h
		}
	}
	return h
}
