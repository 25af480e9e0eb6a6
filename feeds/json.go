package feeds

import (
	"bytes"
	"encoding/json"

	gfeeds "github.com/gorilla/feeds"
)

// jsonFeed is gorilla's JSONFeed (version, feed_url, language, hubs...) with
// items of kabar's own; the top-level author and authors stay empty because
// readers prepend them to every item's authors.
type jsonFeed struct {
	gfeeds.JSONFeed
	Items []jsonItem `json:"items"` // shadows JSONFeed.Items; always present
}

// jsonItem replaces gorilla's JSONItem (whose banner image key is
// "banner_" and whose attachment size key is not the spec's).
type jsonItem struct {
	ID            string              `json:"id"`
	URL           string              `json:"url,omitempty"`
	Title         string              `json:"title,omitempty"`
	ContentHTML   string              `json:"content_html,omitempty"`
	ContentText   string              `json:"content_text,omitempty"`
	Summary       string              `json:"summary,omitempty"`
	Image         string              `json:"image,omitempty"`
	BannerImage   string              `json:"banner_image,omitempty"`
	DatePublished string              `json:"date_published,omitempty"`
	DateModified  string              `json:"date_modified,omitempty"`
	Authors       []gfeeds.JSONAuthor `json:"authors,omitempty"`
	Tags          []string            `json:"tags,omitempty"`
	Language      string              `json:"language,omitempty"`
	Attachments   []jsonAttachment    `json:"attachments,omitempty"`
}

type jsonAttachment struct {
	URL      string `json:"url"`
	MIMEType string `json:"mime_type"`
	Size     int64  `json:"size_in_bytes,omitempty"`
}

const jsonFeedVersion = "https://jsonfeed.org/version/1.1"

func renderJSON(d *doc) ([]byte, error) {
	f := jsonFeed{
		JSONFeed: gfeeds.JSONFeed{
			Version:     jsonFeedVersion,
			Title:       d.title,
			Language:    d.lang,
			HomePageUrl: d.home,
			FeedUrl:     d.self,
			Description: d.description,
			Icon:        d.logo,
		},
		Items: make([]jsonItem, len(d.entries)),
	}
	if d.hub != "" {
		f.Hubs = []*gfeeds.JSONHub{{Type: "WebSub", Url: d.hub}}
	}
	for i := range d.entries {
		f.Items[i] = newJSONItem(&d.entries[i])
	}
	// Compact: indenting re-scans every byte of the content and doubles
	// the cost of a render.
	buf := bytes.NewBuffer(make([]byte, 0, d.sizeHint()))
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func newJSONItem(e *entry) jsonItem {
	it := jsonItem{
		ID:            e.id,
		URL:           e.link,
		Title:         e.title,
		ContentHTML:   e.content,
		Summary:       e.summary,
		DatePublished: formatRFC3339(e.published),
		DateModified:  formatRFC3339(e.updated),
		Tags:          e.tags,
	}
	if it.ContentHTML == "" {
		// An item must have content_html or content_text.
		it.ContentText = firstNonEmpty(e.summary, e.title)
	}
	for _, name := range e.authors {
		it.Authors = append(it.Authors, gfeeds.JSONAuthor{Name: name})
	}
	if e.image != nil {
		it.Image = e.image.URL
		it.Attachments = []jsonAttachment{{URL: e.image.URL, MIMEType: e.image.Type, Size: e.image.Length}}
	}
	return it
}
