package server

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/kabar-news/kabar/extract"
	"github.com/kabar-news/kabar/internal/store"
)

// Extraction health thresholds.
const (
	healthWarnAt   = 0.5 // a share at or above this is flagged
	healthMinItems = 3   // fewer articles are too few to flag anything
)

// healthStore is a Store that computes extraction health itself
// (*store.Store does, in one SQL aggregate); for other Stores the server
// computes it from the newest articles.
type healthStore interface {
	Health(ctx context.Context, source string) (store.Health, error)
}

// extractionHealth summarises how well extraction went on a source's recent
// articles: a site whose layout changed shows up as short bodies, missing
// dates or authors, or the generic extractor replacing the configured rule.
type extractionHealth struct {
	Sample    int     // articles looked at
	ShortBody float64 // share with less than store.ShortBody characters of text
	NoDate    float64 // share without a published date
	NoAuthor  float64 // share without an author
	Fallback  float64 // share not extracted by the configured rule; -1 when no rule is configured or the method is unknown
}

// Suspect reports whether the numbers suggest the site's layout changed.
func (h extractionHealth) Suspect() bool {
	if h.Sample < healthMinItems {
		return false
	}
	return h.ShortBody >= healthWarnAt || h.NoDate >= healthWarnAt || h.Fallback >= healthWarnAt
}

// measureHealth computes the extraction health of arts.
func measureHealth(arts []store.Article, rulesConfigured bool) extractionHealth {
	h := extractionHealth{Sample: len(arts), Fallback: -1}
	if len(arts) == 0 {
		return h
	}
	var short, noDate, noAuthor, fallback, known int
	for i := range arts {
		a := &arts[i]
		if utf8.RuneCountInString(a.Text) < store.ShortBody {
			short++
		}
		if a.Published.IsZero() {
			noDate++
		}
		if len(a.Authors) == 0 || strings.TrimSpace(strings.Join(a.Authors, "")) == "" {
			noAuthor++
		}
		if a.Method != "" {
			known++
			if a.Method != extract.MethodRule {
				fallback++
			}
		}
	}
	n := float64(len(arts))
	h.ShortBody, h.NoDate, h.NoAuthor = float64(short)/n, float64(noDate)/n, float64(noAuthor)/n
	if rulesConfigured && known > 0 {
		h.Fallback = float64(fallback) / float64(known)
	}
	return h
}

// fromStore converts the store's health counts; generic is the store's
// count of bodies found by the generic detector instead of the rule.
func fromStore(h store.Health, rulesConfigured bool) extractionHealth {
	out := extractionHealth{
		Sample:    h.Articles,
		ShortBody: h.Share(h.ShortBody),
		NoDate:    h.Share(h.NoDate),
		NoAuthor:  h.Share(h.NoAuthor),
		Fallback:  -1,
	}
	if rulesConfigured && h.Articles > 0 {
		out.Fallback = h.Share(h.Generic)
	}
	return out
}

// healthCache remembers the extraction health of each source until its
// articles change.
type healthCache struct {
	mu   sync.Mutex
	seen map[string]healthSeen
}

type healthSeen struct {
	changed time.Time
	rules   bool
	h       extractionHealth
}

func newHealthCache() *healthCache { return &healthCache{seen: make(map[string]healthSeen)} }

// sourceHealth returns the extraction health of src's recent articles.
func (s *Server) sourceHealth(ctx context.Context, src SourceInfo, changed time.Time) (extractionHealth, error) {
	c := s.health
	c.mu.Lock()
	hs, ok := c.seen[src.Name]
	c.mu.Unlock()
	if ok && hs.changed.Equal(changed) && hs.rules == src.RulesConfigured {
		return hs.h, nil
	}
	var h extractionHealth
	if hs, ok := s.opts.Store.(healthStore); ok {
		sh, err := hs.Health(ctx, src.Name)
		if err != nil {
			return extractionHealth{}, err
		}
		h = fromStore(sh, src.RulesConfigured)
	} else {
		arts, err := s.opts.Store.Articles(ctx, store.Query{Source: src.Name, Limit: healthSample})
		if err != nil {
			return extractionHealth{}, err
		}
		h = measureHealth(arts, src.RulesConfigured)
	}
	c.mu.Lock()
	c.seen[src.Name] = healthSeen{changed: changed, rules: src.RulesConfigured, h: h}
	c.mu.Unlock()
	return h, nil
}

// handleHealth serves /healthz: 200 while the store answers.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	if _, err := s.opts.Store.LastChange(ctx, ""); err != nil {
		s.log.Warn("health check", "error", err)
		plainError(w, http.StatusServiceUnavailable, "unhealthy: the store does not answer")
		return
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
