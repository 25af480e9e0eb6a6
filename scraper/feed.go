package scraper

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// feed is what discovery needs of a feed: its items' links and dates, and
// the site it belongs to.
type feed struct {
	home  string
	items []feedItem
}

type feedItem struct {
	link string
	date time.Time
}

var errNotFeed = errors.New("not an RSS, Atom or JSON feed")

// parseFeed reads RSS 0.9x/1.0/2.0, Atom 1.0 and JSON Feed 1.x, leniently:
// unknown elements are skipped, namespaces ignored, any declared charset
// decoded.
func parseFeed(body []byte) (*feed, error) {
	trimmed := trimDoc(body)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return parseJSONFeed(trimmed)
	}
	d := lenientDecoder(trimmed)
	var (
		f        feed
		isFeed   bool
		item     *feedItem
		itemGUID string
		field    string
		text     strings.Builder
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if isFeed {
				break // keep what was read before the damage
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			switch name {
			case "rss", "feed", "rdf", "channel":
				isFeed = true
			case "item", "entry":
				item, itemGUID = &feedItem{}, ""
				if about := attr(t, "about"); about != "" {
					itemGUID = about
				}
			case "link":
				href := attr(t, "href")
				rel := strings.ToLower(attr(t, "rel"))
				if href != "" && (rel == "" || rel == "alternate") {
					if item != nil {
						if item.link == "" {
							item.link = href
						}
					} else if f.home == "" {
						f.home = href
					}
					continue
				}
			}
			field = name
			text.Reset()
		case xml.CharData:
			if field != "" && text.Len() < 4096 {
				text.Write(t)
			}
		case xml.EndElement:
			name := strings.ToLower(t.Name.Local)
			v := strings.TrimSpace(text.String())
			switch {
			case name == "item" || name == "entry":
				if item != nil {
					if item.link == "" && isHTTP(itemGUID) {
						item.link = itemGUID
					}
					if item.link != "" {
						f.items = append(f.items, *item)
					}
				}
				item = nil
			case name == "link" && v != "":
				if item != nil && item.link == "" {
					item.link = v
				} else if item == nil && f.home == "" {
					f.home = v
				}
			case name == "origlink" && isHTTP(v): // FeedBurner's copy of the proxied link
				if item != nil {
					item.link = v
				}
			case name == "guid" || name == "id":
				if item != nil && itemGUID == "" {
					itemGUID = v
				}
			case name == "pubdate" || name == "published" || name == "date" || name == "issued" || name == "updated" || name == "modified":
				if item != nil {
					if dt, ok := parseFeedDate(v); ok && (item.date.IsZero() || name != "updated" && name != "modified") {
						item.date = dt
					}
				}
			}
			field = ""
			text.Reset()
		}
	}
	if !isFeed {
		return nil, errNotFeed
	}
	return &f, nil
}

func parseJSONFeed(b []byte) (*feed, error) {
	var jf struct {
		Version     string `json:"version"`
		HomePageURL string `json:"home_page_url"`
		Items       []struct {
			ID            string `json:"id"`
			URL           string `json:"url"`
			ExternalURL   string `json:"external_url"`
			DatePublished string `json:"date_published"`
			DateModified  string `json:"date_modified"`
		} `json:"items"`
	}
	if err := json.Unmarshal(b, &jf); err != nil {
		return nil, err
	}
	if !strings.Contains(jf.Version, "jsonfeed") && jf.Items == nil {
		return nil, errNotFeed
	}
	f := &feed{home: jf.HomePageURL}
	for _, it := range jf.Items {
		link := it.URL
		if link == "" && isHTTP(it.ID) {
			link = it.ID
		}
		if link == "" {
			continue
		}
		dt, ok := parseFeedDate(it.DatePublished)
		if !ok {
			dt, _ = parseFeedDate(it.DateModified)
		}
		f.items = append(f.items, feedItem{link: link, date: dt})
	}
	return f, nil
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if strings.EqualFold(a.Name.Local, local) {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

func isHTTP(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

var feedDateLayouts = []string{
	time.RFC1123Z, time.RFC1123, time.RFC3339Nano, time.RFC3339,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 MST", "Mon, 02 Jan 06 15:04:05 -0700",
	time.RFC822Z, time.RFC822, "2006-01-02T15:04:05-0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02",
}

// parseFeedDate parses the dates of feeds and sitemaps (RFC 822/1123 with
// their common deviations, RFC 3339 and W3C datetime forms).
func parseFeedDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range feedDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// trimDoc drops a UTF-8 byte order mark and leading white space, so the
// first byte tells XML from JSON or plain text.
func trimDoc(b []byte) []byte {
	return bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
}

// lenientDecoder reads XML as feeds and sitemaps are found in the wild: not
// strict, HTML entities known, any declared charset decoded.
func lenientDecoder(b []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	return d
}
