package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kabar-news/kabar/feeds"
	"github.com/kabar-news/kabar/internal/metrics"
)

// handleFeed serves /feeds/{source}.{rss,atom,json}.
func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request) {
	s.serveFeed(w, r, r.PathValue("file"))
}

// serveFeed serves the feed document file ("warta.atom").
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, file string) {
	// One clock reading per request: on some machines reading the clock
	// costs as much as the rest of serving a cached feed.
	now := s.now()
	dot := strings.LastIndexByte(file, '.')
	if dot < 0 || !validFormat(feeds.Format(file[dot+1:])) {
		s.countFeed("none", http.StatusNotFound)
		plainError(w, http.StatusNotFound, fmt.Sprintf(
			"no feed at %s: feeds end in .rss, .atom or .json, e.g. /feeds/all.atom", r.URL.Path))
		return
	}
	name, format := file[:dot], feeds.Format(file[dot+1:])
	d, ok := s.snapshot(now).describe(name)
	if !ok {
		s.countFeed(string(format), http.StatusNotFound)
		plainError(w, http.StatusNotFound, fmt.Sprintf(
			"no source called %q: the index at / lists every feed, and /feeds/all.%s merges them", name, format))
		return
	}
	var fq feedQuery
	var err error
	if r.URL.RawQuery != "" {
		fq, err = parseQuery(r.URL.Query(), s.opts.MaxLimit)
	}
	if err != nil {
		s.countFeed(string(format), http.StatusBadRequest)
		plainError(w, http.StatusBadRequest, err.Error())
		return
	}
	e, err := s.feedEntry(r.Context(), now, d, format, fq)
	if err != nil {
		if r.Context().Err() != nil {
			return // the client went away
		}
		s.log.Error("render feed", "feed", name, "format", string(format), "error", err)
		s.countFeed(string(format), http.StatusInternalServerError)
		plainError(w, http.StatusInternalServerError, "the feed could not be built; the server log says why")
		return
	}
	code := writeEntry(w, r, e, s.cacheControl)
	s.countFeed(string(format), code)
}

// feedEntry returns the rendered feed d in format filtered by fq, from the
// cache when the source has not changed since it was rendered.
func (s *Server) feedEntry(ctx context.Context, now time.Time, d *feedRef, format feeds.Format, fq feedQuery) (*entry, error) {
	t, err := s.changes.read(ctx, now, d.change, d.Source, s.opts.Store.LastChange)
	if err != nil {
		return nil, fmt.Errorf("last change of %s: %w", d.Name, err)
	}
	changed := t.UnixNano()
	var plain *atomic.Pointer[entry]
	if fq.Limit == 0 && !fq.filtered() {
		plain = &d.plain[formatIndex(format)]
		if e := plain.Load(); e != nil && e.changed == changed && now.Sub(e.created) < entryMaxAge {
			return e, nil
		}
	}
	key := cacheKey{name: d.Name, format: format, query: fq.Encode(), changed: changed}
	e, err := s.cache.get(ctx, key, &d.feedDesc, now, func() (*entry, error) {
		// At most a few renders run at once, so a flood of distinct
		// queries queues instead of taking every core.
		select {
		case s.renders <- struct{}{}:
			defer func() { <-s.renders }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		// The render is shared by every waiter: one client going away must
		// not fail it for the others.
		rctx := context.WithoutCancel(ctx)
		f, err := s.buildFeed(rctx, d.feedDesc, format, fq)
		if err != nil {
			return nil, err
		}
		body, err := s.render.Render(format, f)
		if err != nil {
			return nil, fmt.Errorf("render %s feed %s: %w", format, d.Name, err)
		}
		e := newEntry(body, feeds.ContentType(format), feeds.Updated(f), s.now())
		e.desc, e.changed = d.feedDesc, changed
		return e, nil
	})
	if err == nil && plain != nil {
		plain.Store(e)
	}
	return e, err
}

// formats are the feed formats served, in formatIndex order (static files
// and WebSub topics follow it too).
var formats = [...]feeds.Format{feeds.RSS, feeds.Atom, feeds.JSON}

// formatIndex numbers the feed formats from 0; anything else is 0.
func formatIndex(f feeds.Format) int {
	switch f {
	case feeds.Atom:
		return 1
	case feeds.JSON:
		return 2
	}
	return 0
}

// countFeed counts a feed request in the metrics.
func (s *Server) countFeed(format string, code int) {
	m := s.opts.Metrics
	if m == nil {
		return
	}
	if i := formatIndex(feeds.Format(format)); s.feedCounters != nil && string(formats[i]) == format {
		c := &s.feedCounters[i]
		// The common answers, without looking the label values up again.
		switch code {
		case http.StatusOK:
			c.ok.Inc()
			return
		case http.StatusNotModified:
			c.notModified.Inc()
			c.notModifiedAll.Inc()
			return
		}
	}
	m.FeedRequests.WithLabelValues(format, strconv.Itoa(code)).Inc()
	if code == http.StatusNotModified {
		m.FeedNotModified.WithLabelValues(format).Inc()
	}
}

// formatCounters are the counters of the common answers for one format.
type formatCounters struct {
	ok, notModified prometheus.Counter // FeedRequests{format, 200|304}
	notModifiedAll  prometheus.Counter // FeedNotModified{format}
}

// newFeedCounters resolves the counters of each format's common answers,
// by formatIndex.
func newFeedCounters(m *metrics.Metrics) *[len(formats)]formatCounters {
	if m == nil {
		return nil
	}
	var out [len(formats)]formatCounters
	for i, f := range formats {
		out[i] = formatCounters{
			ok:             m.FeedRequests.WithLabelValues(string(f), "200"),
			notModified:    m.FeedRequests.WithLabelValues(string(f), "304"),
			notModifiedAll: m.FeedNotModified.WithLabelValues(string(f)),
		}
	}
	return &out
}

// plainError writes a short plain-text explanation.
func plainError(w http.ResponseWriter, code int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	fmt.Fprintln(w, msg)
}

// handleOPML serves /opml: every source's feed.
func (s *Server) handleOPML(w http.ResponseWriter, r *http.Request) {
	e, err := s.opmlEntry(s.snapshot(s.now()))
	if err != nil {
		s.log.Error("render opml", "error", err)
		plainError(w, http.StatusInternalServerError, "the OPML document could not be built; the server log says why")
		return
	}
	writeEntry(w, r, e, s.cacheControl)
}

// opmlEntry returns the OPML document listing each source of sn's RSS
// feed, rendered (and hashed, and compressed) once per snapshot. The merged
// feed is left out: subscribing to it as well would show every article twice.
func (s *Server) opmlEntry(sn *srcSnapshot) (*entry, error) {
	if e := sn.opml.Load(); e != nil {
		return e, nil
	}
	outlines := make([]feeds.Outline, 0, len(sn.list))
	for _, src := range sn.list {
		ref, _ := sn.describe(src.Name) // every listed name is described
		d := ref.feedDesc
		outlines = append(outlines, feeds.Outline{
			Title:       d.Title,
			HTMLURL:     d.HomeURL,
			XMLURL:      s.feedURL(src.Name, feeds.RSS, feedQuery{}),
			Description: feedDescription(d, feedQuery{}),
			Language:    d.Language,
		})
	}
	body, err := feeds.OPML(s.opts.Title+" feeds", outlines)
	if err != nil {
		return nil, fmt.Errorf("render opml: %w", err)
	}
	e := newEntry(body, feeds.OPMLContentType, time.Time{}, s.now())
	sn.opml.Store(e)
	return e, nil
}
