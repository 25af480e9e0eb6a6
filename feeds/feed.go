// Package feeds renders feed items as RSS 2.0, Atom 1.0, JSON Feed 1.1 and
// OPML 2.0 documents that validators and feed readers accept. It is a leaf:
// it imports nothing of kabar's.
package feeds

import "time"

// Format is a feed format.
type Format string

// The feed formats kabar serves; the values are also the file extensions.
const (
	RSS  Format = "rss"
	Atom Format = "atom"
	JSON Format = "json"
)

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
}

// Item is one feed entry.
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
}

// Image is an item's lead image.
type Image struct {
	URL    string
	Type   string // MIME type; guessed from the URL when empty
	Length int64  // bytes, 0 when unknown
}

// Outline is one feed in an OPML document.
type Outline struct {
	Title   string
	HTMLURL string
	XMLURL  string
}
