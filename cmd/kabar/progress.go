package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/kabar-news/kabar/internal/config"
	"github.com/kabar-news/kabar/scraper"
)

// progress is the live per-source table `kabar crawl` draws on a terminal.
// It is also an io.Writer for log lines, which it prints above the table.
type progress struct {
	w       io.Writer
	mu      sync.Mutex
	order   []string
	rows    map[string]*progressRow
	drawn   int // lines of the table currently on screen
	last    time.Time
	stopped bool // the final table is drawn; log lines now just pass through
}

type progressRow struct {
	stats scraper.Stats
	state string
}

func newProgress(w io.Writer, sources []config.Source) *progress {
	p := &progress{w: w, rows: map[string]*progressRow{}}
	for _, s := range sources {
		p.order = append(p.order, s.Name)
		p.rows[s.Name] = &progressRow{state: "crawling"}
	}
	return p
}

// update is the scraper's progress callback.
func (p *progress) update(source string, s scraper.Stats) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.rows[source]; ok {
		r.stats = s
	}
	if !p.stopped && time.Since(p.last) > 100*time.Millisecond {
		p.redraw()
	}
}

func (p *progress) done(source string, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.rows[source]; ok {
		r.state = "done"
		if err != nil {
			r.state = "failed"
		}
	}
	if !p.stopped {
		p.redraw()
	}
}

// Write prints log output above the table.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return p.w.Write(b)
	}
	p.clear()
	n, err := p.w.Write(b)
	p.redraw()
	return n, err
}

func (p *progress) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.redraw()
	p.drawn = 0
	p.stopped = true
}

func (p *progress) clear() {
	if p.drawn > 0 {
		fmt.Fprintf(p.w, "\x1b[%dA\x1b[J", p.drawn)
		p.drawn = 0
	}
}

func (p *progress) redraw() {
	p.clear()
	var b strings.Builder
	fmt.Fprintf(&b, "%-20s %-9s %6s %8s %7s %6s\n", "source", "state", "pages", "articles", "skipped", "errors")
	for _, name := range p.order {
		r := p.rows[name]
		fmt.Fprintf(&b, "%-20s %-9s %6d %8d %7d %6d\n", name, r.state, r.stats.Pages, r.stats.Articles, r.stats.Skipped, r.stats.Errors)
	}
	io.WriteString(p.w, b.String())
	p.drawn = len(p.order) + 1
	p.last = time.Now()
}
