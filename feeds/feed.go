// Package feeds renders feed items as RSS 2.0, Atom 1.0, JSON Feed 1.1 and
// OPML 2.0 documents that validators and feed readers accept. It is a leaf:
// it imports nothing of kabar's.
//
// Rendering is deterministic: the same Feed always gives the same bytes, and
// the feed's own updated time is the newest item's, never the clock. Every
// string is cleaned at this boundary, whatever the caller did before: valid
// UTF-8, no characters XML forbids, sanitised HTML with absolute URLs, and
// plain-text titles, summaries and names.
package feeds

import (
	"errors"
	"fmt"
	"time"
)

// Format is a feed format.
type Format string

// The feed formats kabar serves; the values are also the file extensions.
const (
	RSS  Format = "rss"
	Atom Format = "atom"
	JSON Format = "json"
)

// OPMLContentType is the Content-Type of an OPML document.
const OPMLContentType = "text/x-opml; charset=utf-8"

// ErrUnknownFormat is returned (wrapped) for a Format kabar does not render.
var ErrUnknownFormat = errors.New("unknown feed format")

// Feed is one feed to render.
type Feed struct {
	ID          string // stable feed id (Atom id, base of item ids when they are missing); defaults to SelfURL
	Title       string
	Description string
	HomeURL     string // the site or index page the feed is about
	SelfURL     string // the URL of this very document (format-specific)
	HubURL      string // optional WebSub hub
	Language    string
	Items       []Item

	// Author is the name credited for items that carry no author of their
	// own (Atom requires one); it defaults to Title. It is never put at the
	// top level of a JSON Feed, where readers prepend it to every item.
	Author string
	// LogoURL is an optional image for the feed (RSS image, Atom logo, JSON icon).
	LogoURL string
}

// Item is one feed entry. Items are rendered in the order given; a later
// item with the id of an earlier one is dropped.
//
// The id is ID (else URL): an absolute http(s) URL is used as is (RSS guid
// isPermaLink="true"), anything else becomes a tag: URI under the site's
// host (isPermaLink="false"); with neither, a tag: URI is derived from the
// title and published date. Nothing is ever random or clock-derived.
//
// Missing dates fall back: Published and Updated stand in for each other,
// Fetched for both; an item with none stays undated (no RSS pubDate, no
// Atom published, and the fixed 1970-01-01T00:00:00Z where Atom requires
// an updated time).
type Item struct {
	ID        string // stable id, normally the canonical URL
	URL       string
	Title     string // plain text
	Summary   string // plain text
	Content   string // HTML
	Authors   []string
	Tags      []string
	Published time.Time
	Updated   time.Time
	Image     *Image

	// Fetched is when kabar first stored the item: the date of last resort
	// for an item whose page carried neither a published nor an updated date.
	// Leave it zero to keep such an item undated.
	Fetched time.Time
}

// Image is an item's lead image.
type Image struct {
	URL    string
	Type   string // MIME type; guessed from the URL when empty
	Length int64  // bytes, 0 when unknown
}

// Outline is one feed in an OPML document.
type Outline struct {
	Title       string
	HTMLURL     string
	XMLURL      string
	Description string // optional
	Language    string // optional
}

// ParseFormat returns the Format named by s ("rss", "atom" or "json").
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case RSS, Atom, JSON:
		return f, nil
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownFormat, s)
}

// ContentType returns the HTTP Content-Type of format, or "" for an unknown one.
func ContentType(format Format) string {
	switch format {
	case RSS:
		return "application/rss+xml; charset=utf-8"
	case Atom:
		return "application/atom+xml; charset=utf-8"
	case JSON:
		return "application/feed+json; charset=utf-8"
	}
	return ""
}

// Render returns f as a document of the given format. The bytes depend only
// on f: rendering the same feed twice gives identical output. A server that
// renders the same articles again and again should use a Renderer.
func Render(format Format, f *Feed) ([]byte, error) {
	return render(format, f, nil)
}

// render is Render with an optional memo of sanitised HTML.
func render(format Format, f *Feed, memo *Renderer) ([]byte, error) {
	if f == nil {
		return nil, errors.New("render feed: nil feed")
	}
	var (
		b   []byte
		err error
	)
	switch format {
	case RSS:
		b, err = renderRSS(prepare(f, memo))
	case Atom:
		b, err = renderAtom(prepare(f, memo))
	case JSON:
		b, err = renderJSON(prepare(f, memo))
	default:
		return nil, fmt.Errorf("render feed: %w: %q", ErrUnknownFormat, format)
	}
	if err != nil {
		return nil, fmt.Errorf("render %s feed: %w", format, err)
	}
	return b, nil
}

// Updated returns the feed's updated time: the newest item's updated (or,
// failing that, published or fetched) time; zero when no item is dated. It
// is what the feed documents carry as their own updated time and what a
// server should send as Last-Modified.
func Updated(f *Feed) time.Time {
	var newest time.Time
	if f == nil {
		return newest
	}
	for i := range f.Items {
		if _, u := itemDates(&f.Items[i]); u.After(newest) {
			newest = u
		}
	}
	return newest
}
