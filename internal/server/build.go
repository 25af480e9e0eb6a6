package server

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kabar-news/kabar/feeds"
	"github.com/kabar-news/kabar/internal/store"
)

// ErrUnknownFeed is returned by BuildFeed for a name that is neither a
// configured source nor "all".
var ErrUnknownFeed = errors.New("unknown feed")

// ErrBadQuery wraps a query string that cannot be honoured.
var ErrBadQuery = errors.New("bad feed query")

// summaryLength is the length, in characters, of a summary cut from the text.
const summaryLength = 300

// BuildFeed queries the store and returns the feed called name (a source or
// "all") in format, filtered by q (q, exclude, tag, limit).
func (s *Server) BuildFeed(ctx context.Context, name string, format feeds.Format, q url.Values) (*feeds.Feed, error) {
	fq, err := parseQuery(q, s.opts.MaxLimit)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadQuery, err)
	}
	if !validFormat(format) {
		return nil, fmt.Errorf("%w: format %q", ErrUnknownFeed, format)
	}
	desc, ok := s.describe(name)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownFeed, name)
	}
	return s.buildFeed(ctx, desc, format, fq)
}

// feedDesc is what a feed is about, independent of its items.
type feedDesc struct {
	Name     string // source name or "all"
	Source   string // store source: "" for all
	Title    string
	HomeURL  string
	Language string
}

// describe returns the description of the feed called name.
func (s *Server) describe(name string) (feedDesc, bool) {
	d, ok := s.snapshot(s.now()).describe(name)
	if !ok {
		return feedDesc{}, false
	}
	return d.feedDesc, true
}

func validFormat(f feeds.Format) bool {
	return f == feeds.RSS || f == feeds.Atom || f == feeds.JSON
}

// buildFeed queries the store for d filtered by fq.
func (s *Server) buildFeed(ctx context.Context, d feedDesc, format feeds.Format, fq feedQuery) (*feeds.Feed, error) {
	limit := fq.Limit
	if limit == 0 {
		limit = s.opts.MaxItems
	}
	q := store.Query{
		Source:    d.Source,
		Tag:       fq.Tag,
		Include:   fq.Include,
		Exclude:   fq.Exclude,
		Limit:     limit,
		TextLimit: summaryTextLimit,
	}
	arts, err := s.opts.Store.Articles(ctx, q)
	if err == nil && slices.ContainsFunc(arts, needsFullText) {
		// A body that starts with a lot of white space: read it whole.
		q.TextLimit = 0
		arts, err = s.opts.Store.Articles(ctx, q)
	}
	if err != nil {
		return nil, fmt.Errorf("query articles of %s: %w", d.Name, err)
	}
	if len(arts) > limit {
		arts = arts[:limit]
	}
	f := &feeds.Feed{
		ID:          s.feedID(d.Name, fq),
		Title:       d.Title,
		Description: feedDescription(d, fq),
		HomeURL:     d.HomeURL,
		SelfURL:     s.feedURL(d.Name, format, fq),
		HubURL:      s.opts.HubURL,
		Language:    d.Language,
		Items:       make([]feeds.Item, 0, len(arts)),
	}
	for i := range arts {
		f.Items = append(f.Items, item(&arts[i]))
	}
	return f, nil
}

// feedURL is the absolute URL of a feed document.
func (s *Server) feedURL(name string, format feeds.Format, fq feedQuery) string {
	u := s.base + "/feeds/" + name + "." + string(format)
	if q := fq.Encode(); q != "" {
		u += "?" + q
	}
	return u
}

// feedID is a feed's id, the same in every format: its URL without the
// extension. Filtered feeds are feeds of their own and get ids of their own.
func (s *Server) feedID(name string, fq feedQuery) string {
	u := s.base + "/feeds/" + name
	if q := fq.Encode(); q != "" {
		u += "?" + q
	}
	return u
}

func feedDescription(d feedDesc, fq feedQuery) string {
	var b strings.Builder
	if d.Source == "" {
		b.WriteString("Latest articles from all sources")
	} else {
		b.WriteString("Latest articles from " + d.Title)
	}
	if fq.Tag != "" {
		b.WriteString(", tagged " + fq.Tag)
	}
	if len(fq.Include) > 0 {
		b.WriteString(", containing " + strings.Join(fq.Include, ", "))
	}
	if len(fq.Exclude) > 0 {
		b.WriteString(", without " + strings.Join(fq.Exclude, ", "))
	}
	return b.String()
}

// item maps a stored article to a feed item.
func item(a *store.Article) feeds.Item {
	it := feeds.Item{
		ID:        a.URL,
		URL:       a.URL,
		Title:     a.Title,
		Summary:   summary(a.Description, a.Text),
		Content:   a.HTML,
		Authors:   a.Authors,
		Tags:      tags(a.Tags, a.Section),
		Published: a.Published,
		Fetched:   a.FirstSeen,
	}
	// Updated is the site's own modification time, or the time we saw the
	// content change after first storing it, whichever is later. feeds fills
	// in missing dates (and never lets Updated precede Published); Fetched is
	// the date of last resort for a page that carried none.
	it.Updated = a.Modified
	if a.Updated.After(a.FirstSeen) && a.Updated.After(it.Updated) {
		it.Updated = a.Updated
	}
	if a.LeadImage != "" {
		it.Image = &feeds.Image{URL: a.LeadImage}
	}
	return it
}

// summaryTextLimit is how much of an article's text a feed query reads:
// the text is only there for a summary of summaryLength characters after
// white space is collapsed, and reading every body whole would copy most
// of the bytes of a feed for nothing.
const summaryTextLimit = 4 * summaryLength

// needsFullText reports whether a's summary could differ from the one its
// whole text gives: it has no description, its text may have been cut at
// summaryTextLimit characters, and what was read holds no more than
// summaryLength characters once white space is collapsed.
func needsFullText(a store.Article) bool {
	if strings.TrimSpace(a.Description) != "" || utf8.RuneCountInString(a.Text) < summaryTextLimit {
		return false
	}
	collapsed, inWord := 0, false // length of strings.Join(strings.Fields(text), " ")
	for _, r := range a.Text {
		if unicode.IsSpace(r) {
			inWord = false
			continue
		}
		if !inWord && collapsed > 0 {
			collapsed++ // the space joining two words
		}
		inWord = true
		if collapsed++; collapsed > summaryLength {
			return false
		}
	}
	return true
}

// summary is the description, or else the start of text cut at a word
// boundary near summaryLength characters.
func summary(description, text string) string {
	if d := strings.TrimSpace(description); d != "" {
		return d
	}
	return feeds.Excerpt(text, summaryLength)
}

// tags are the article's tags followed by its section (most often one of
// them again): feeds drops blanks and case-insensitive duplicates, as it
// does for every item.
func tags(list []string, section string) []string {
	if section == "" {
		return list
	}
	return append(list[:len(list):len(list)], section)
}
