// Package server serves kabar's feeds over HTTP: RSS, Atom and JSON Feed per
// source and merged, OPML, an HTML index page with per-source status,
// health and Prometheus metrics. Rendered feeds are cached as bytes and
// answered with ETag / Last-Modified validators, 304s and gzip.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kabar-news/kabar/feeds"
	"github.com/kabar-news/kabar/internal/metrics"
	"github.com/kabar-news/kabar/internal/store"
)

// Store is the part of *store.Store the server reads. *store.Store
// implements it; tests may use a fake.
type Store interface {
	// Articles returns the newest articles matching q, newest first.
	Articles(ctx context.Context, q store.Query) ([]store.Article, error)
	// LastChange returns the newest Updated time among source's articles
	// ("" for all sources).
	LastChange(ctx context.Context, source string) (time.Time, error)
	// Status returns the crawl status of source.
	Status(ctx context.Context, source string) (store.SourceStatus, error)
}

// SourceInfo describes one configured source as the server shows it.
type SourceInfo struct {
	Name            string // [a-z0-9-]+, used in feed URLs
	Title           string
	HomeURL         string
	Language        string
	NextRun         time.Time // next scheduled crawl, zero if unknown
	Failing         bool      // the source is failing and backed off
	RulesConfigured bool      // the source has rules.content configured
}

// Options configure a Server. Store and Sources are required.
type Options struct {
	Store    Store
	BaseURL  string              // for self links, e.g. http://127.0.0.1:8080
	HubURL   string              // optional WebSub hub
	MaxItems int                 // default feed size (feeds.max_items); 0 means 50
	Sources  func() []SourceInfo // current sources (they change on a config reload)
	Logger   *slog.Logger        // nil discards
	Metrics  *metrics.Metrics    // may be nil

	// Title names the installation on the index page, the merged feed and
	// the OPML document; "" means "kabar".
	Title string
	// MaxLimit caps ?limit=; 0 means 1000.
	MaxLimit int
	// CacheEntries and CacheBytes bound the rendered-feed cache; 0 means
	// 256 entries and 64 MiB.
	CacheEntries int
	CacheBytes   int64
	// Freshness is how long an answer of Store.LastChange is trusted before
	// the store is asked again; 0 means one second, negative means always ask.
	Freshness time.Duration
	// MaxAge is the Cache-Control max-age of feeds; 0 means five minutes.
	MaxAge time.Duration
}

const (
	defaultMaxItems     = 50
	defaultMaxLimit     = 1000
	defaultCacheEntries = 256
	defaultCacheBytes   = 64 << 20
	defaultFreshness    = time.Second
	defaultMaxAge       = 5 * time.Minute
	allName             = "all"
	healthSample        = 100 // recent articles looked at for extraction health
	clockResolution     = 5 * time.Millisecond
)

// Server serves kabar's feeds. It is safe for concurrent use.
type Server struct {
	opts    Options
	log     *slog.Logger
	base    string // BaseURL without trailing slash
	now     func() time.Time
	cache   *feedCache
	changes *changeMemo
	health  *healthCache
	render  *feeds.Renderer // remembers sanitised article HTML across renders
	renders chan struct{}   // semaphore bounding concurrent renders

	cacheControl []string                      // Cache-Control of feeds and OPML
	feedCounters *[len(formats)]formatCounters // by formatIndex; nil without metrics

	srcMu   sync.Mutex                  // serialises refreshes of srcSnap
	srcSnap atomic.Pointer[srcSnapshot] // Sources() as last read

	handlerOnce sync.Once
	handler     http.Handler
}

// New returns a Server; zero options get their defaults.
func New(opts Options) *Server {
	if opts.MaxItems <= 0 {
		opts.MaxItems = defaultMaxItems
	}
	if opts.MaxLimit <= 0 {
		opts.MaxLimit = defaultMaxLimit
	}
	if opts.MaxItems > opts.MaxLimit {
		opts.MaxLimit = opts.MaxItems
	}
	if opts.CacheEntries <= 0 {
		opts.CacheEntries = defaultCacheEntries
	}
	if opts.CacheBytes <= 0 {
		opts.CacheBytes = defaultCacheBytes
	}
	if opts.Freshness == 0 {
		opts.Freshness = defaultFreshness
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = defaultMaxAge
	}
	if opts.Title == "" {
		opts.Title = "kabar"
	}
	if opts.Sources == nil {
		opts.Sources = func() []SourceInfo { return nil }
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		opts:    opts,
		log:     log,
		base:    strings.TrimRight(opts.BaseURL, "/"),
		now:     newCoarseClock(clockResolution).now,
		cache:   newFeedCache(opts.CacheEntries, opts.CacheBytes),
		health:  newHealthCache(),
		render:  feeds.NewRenderer(max(4096, 2*opts.MaxLimit)),
		renders: make(chan struct{}, max(2, runtime.GOMAXPROCS(0))),

		cacheControl: cacheControl(opts.MaxAge),
		feedCounters: newFeedCounters(opts.Metrics),
	}
	s.changes = newChangeMemo(opts.Freshness, func() time.Time { return s.now() })
	return s
}

// Handler returns the HTTP handler serving every route.
func (s *Server) Handler() http.Handler {
	s.handlerOnce.Do(func() { s.handler = s.routes() })
	return s.handler
}

// The http.Server timeouts. Feeds are small and answered from memory, so a
// slow client is the only reason to be slow.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 10 * time.Second
)

// Serve serves HTTP on ln until ctx is done, then shuts down gracefully,
// giving in-flight requests up to ten seconds. It returns nil on a clean stop.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		srv.Close()
		return fmt.Errorf("shut down http server: %w", err)
	}
	return nil
}

// snapshot returns the sources as read at most Freshness before now, with
// the description of every feed.
func (s *Server) snapshot(now time.Time) *srcSnapshot {
	if s.opts.Freshness < 0 {
		return s.newSnapshot(s.opts.Sources(), now)
	}
	fresh := func() (*srcSnapshot, bool) {
		sn := s.srcSnap.Load()
		if sn == nil {
			return nil, false
		}
		d := now.Sub(sn.checked)
		return sn, d < s.opts.Freshness && d >= 0
	}
	if sn, ok := fresh(); ok {
		return sn
	}
	s.srcMu.Lock()
	defer s.srcMu.Unlock()
	if sn, ok := fresh(); ok {
		return sn // refreshed by another request meanwhile
	}
	sn := s.newSnapshot(s.opts.Sources(), now)
	s.srcSnap.Store(sn)
	return sn
}

// srcSnapshot is a list of sources and when it was read, with what is
// derived from the list alone.
type srcSnapshot struct {
	list    []SourceInfo
	checked time.Time
	descs   map[string]*feedRef   // by feed name, "all" included
	opml    atomic.Pointer[entry] // the OPML document of list, once rendered
}

// feedRef is a feed as of a snapshot of the sources: its description, its
// source's LastChange memo and its unfiltered documents, the answer to most
// requests, which are then served without a cache lookup.
type feedRef struct {
	feedDesc
	change *changeSlot
	plain  [3]atomic.Pointer[entry] // by formatIndex
}

// newSnapshot describes the feeds of list.
func (s *Server) newSnapshot(list []SourceInfo, now time.Time) *srcSnapshot {
	sn := &srcSnapshot{list: list, checked: now, descs: make(map[string]*feedRef, len(list)+1)}
	all := &feedRef{feedDesc: feedDesc{Name: allName, Title: s.opts.Title + ": all sources", HomeURL: s.base + "/"}}
	for i, src := range list {
		if i == 0 {
			all.Language = src.Language
		} else if !strings.EqualFold(all.Language, src.Language) {
			all.Language = ""
			break
		}
	}
	all.change = s.changes.slot(all.Source)
	sn.descs[allName] = all
	for _, src := range list {
		if _, dup := sn.descs[src.Name]; dup {
			continue // the first of a name wins; "all" is always the merged feed
		}
		title := src.Title
		if title == "" {
			title = src.Name
		}
		home := src.HomeURL
		if home == "" {
			home = s.base + "/"
		}
		sn.descs[src.Name] = &feedRef{
			feedDesc: feedDesc{Name: src.Name, Source: src.Name, Title: title, HomeURL: home, Language: src.Language},
			change:   s.changes.slot(src.Name),
		}
	}
	return sn
}

// describe returns the description of the feed called name.
func (sn *srcSnapshot) describe(name string) (*feedRef, bool) {
	d, ok := sn.descs[name]
	return d, ok
}
