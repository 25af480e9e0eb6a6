package server

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/kabar-news/kabar/feeds"
	"github.com/kabar-news/kabar/internal/store"
)

//go:embed index.html
var indexHTML string

// indexTemplate is parsed once; it is read-only after that.
var indexTemplate = template.Must(template.New("index").Funcs(template.FuncMap{
	"pct": func(f float64) string {
		if f < 0 {
			return "—"
		}
		return strconv.Itoa(int(math.Round(f*100))) + "%"
	},
	"warn": func(f float64, sample int) bool { return f >= healthWarnAt && sample >= healthMinItems },
	"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"rel":  relTime,
}).Parse(indexHTML))

// indexPage is the data of the index page.
type indexPage struct {
	Title   string
	Now     time.Time
	All     feedLinks
	OPML    string
	Sources []sourceRow
	Failing int
	Suspect int
}

// feedLinks are the three formats of one feed, as paths of this server.
type feedLinks struct {
	Title           string
	RSS, Atom, JSON string
}

// sourceRow is one source on the index page.
type sourceRow struct {
	SourceInfo
	Links     feedLinks
	Status    store.SourceStatus
	StatusErr bool
	Health    extractionHealth
	HealthErr bool
}

func links(name, title string) feedLinks {
	p := "/feeds/" + name + "."
	return feedLinks{Title: title, RSS: p + string(feeds.RSS), Atom: p + string(feeds.Atom), JSON: p + string(feeds.JSON)}
}

// handleIndex serves the HTML index page.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	page := s.indexData(r.Context())
	var buf bytes.Buffer
	if err := indexTemplate.Execute(&buf, page); err != nil {
		s.log.Error("render index", "error", err)
		plainError(w, http.StatusInternalServerError, "the index page could not be rendered; the server log says why")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// indexData gathers the status of every source. A source whose status
// cannot be read is shown as such; the page is still served.
func (s *Server) indexData(ctx context.Context) indexPage {
	srcs := s.opts.Sources()
	page := indexPage{
		Title:   s.opts.Title,
		Now:     s.now(),
		All:     links(allName, "All sources"),
		OPML:    "/opml",
		Sources: make([]sourceRow, 0, len(srcs)),
	}
	for _, src := range srcs {
		row := sourceRow{SourceInfo: src, Links: links(src.Name, src.Title)}
		if row.Title == "" {
			row.Title = src.Name
			row.Links.Title = src.Name
		}
		st, err := s.opts.Store.Status(ctx, src.Name)
		if err != nil {
			s.log.Warn("source status", "source", src.Name, "error", err)
			row.StatusErr = true
		}
		row.Status = st
		changed, err := s.changes.get(ctx, src.Name, s.opts.Store.LastChange)
		if err == nil {
			row.Health, err = s.sourceHealth(ctx, src, changed)
		}
		if err != nil {
			s.log.Warn("extraction health", "source", src.Name, "error", err)
			row.HealthErr = true
		}
		if src.Failing {
			page.Failing++
		}
		if row.Health.Suspect() {
			page.Suspect++
		}
		page.Sources = append(page.Sources, row)
	}
	return page
}

// relTime says how far t is from now in words: "5 min ago", "in 2 h".
func relTime(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	suffix := " ago"
	if d < 0 {
		d, suffix = -d, ""
	}
	var s string
	switch {
	case d < time.Minute:
		if suffix == "" {
			return "now"
		}
		return "just now"
	case d < time.Hour:
		s = fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		s = fmt.Sprintf("%d h", int(d/time.Hour))
		if m := int(d % time.Hour / time.Minute); m > 0 {
			s += fmt.Sprintf(" %d min", m)
		}
	default:
		s = fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	}
	if suffix == "" {
		return "in " + s
	}
	return s + suffix
}

// handleNotFound answers paths no route serves.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	plainError(w, http.StatusNotFound, fmt.Sprintf(
		"nothing at %s: feeds are at /feeds/{source}.rss, .atom or .json, the index at /", r.URL.Path))
}
