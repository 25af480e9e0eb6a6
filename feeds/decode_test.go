package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"testing"
	"unicode/utf8"
)

// Decoding targets for the strict checks: the structure readers rely on.
type rssCheck struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		// Before Link: encoding/xml gives an element to the first field
		// whose name matches, and "link" alone matches any namespace.
		AtomLinks []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
		Title     string `xml:"title"`
		Link      string `xml:"link"`
		Language  string `xml:"language"`
		LastBuild string `xml:"lastBuildDate"`
		Image     struct {
			Title string `xml:"title"`
			Link  string `xml:"link"`
		} `xml:"image"`
		Items []struct {
			Title       string   `xml:"title"`
			Link        string   `xml:"link"`
			Description string   `xml:"description"`
			Content     string   `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
			Creator     string   `xml:"http://purl.org/dc/elements/1.1/ creator"`
			Author      string   `xml:"author"`
			Categories  []string `xml:"category"`
			GUID        struct {
				Value     string `xml:",chardata"`
				PermaLink string `xml:"isPermaLink,attr"`
			} `xml:"guid"`
			PubDate   string `xml:"pubDate"`
			Enclosure *struct {
				URL    string `xml:"url,attr"`
				Length string `xml:"length,attr"`
				Type   string `xml:"type,attr"`
			} `xml:"enclosure"`
			Media *struct {
				URL    string `xml:"url,attr"`
				Medium string `xml:"medium,attr"`
			} `xml:"http://search.yahoo.com/mrss/ content"`
		} `xml:"item"`
	} `xml:"channel"`
}

type atomCheck struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Author *struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
		Links     []struct {
			Href   string `xml:"href,attr"`
			Rel    string `xml:"rel,attr"`
			Type   string `xml:"type,attr"`
			Length string `xml:"length,attr"`
		} `xml:"link"`
		Authors []struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Categories []struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
		Summary string `xml:"summary"`
		Content struct {
			Type  string `xml:"type,attr"`
			Value string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

// jsonCheck lists every key of JSON Feed 1.1 that kabar writes; decoding
// rejects any other (a typo such as gorilla's "banner_", a top-level
// "authors").
type jsonCheck struct {
	Version     string `json:"version"`
	Title       string `json:"title"`
	HomePage    string `json:"home_page_url"`
	FeedURL     string `json:"feed_url"`
	Description string `json:"description"`
	Icon        string `json:"icon"`
	Language    string `json:"language"`
	Hubs        []struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	} `json:"hubs"`
	Items []struct {
		ID            string   `json:"id"`
		URL           string   `json:"url"`
		Title         string   `json:"title"`
		ContentHTML   string   `json:"content_html"`
		ContentText   string   `json:"content_text"`
		Summary       string   `json:"summary"`
		Image         string   `json:"image"`
		BannerImage   string   `json:"banner_image"`
		Language      string   `json:"language"`
		DatePublished string   `json:"date_published"`
		DateModified  string   `json:"date_modified"`
		Tags          []string `json:"tags"`
		Authors       []struct {
			Name string `json:"name"`
		} `json:"authors"`
		Attachments []struct {
			URL      string `json:"url"`
			MIMEType string `json:"mime_type"`
			Size     int64  `json:"size_in_bytes"`
		} `json:"attachments"`
	} `json:"items"`
}

func decodeStrict(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := decodeXMLStrict(b); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, b)
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode: %v", err)
	}
}

func decodeJSONStrict(t *testing.T, b []byte, v any) {
	t.Helper()
	if !json.Valid(b) {
		t.Fatalf("invalid JSON:\n%s", b)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if dec.More() {
		t.Fatal("data after the JSON document")
	}
}

func mustRender(t *testing.T, format Format, f *Feed) []byte {
	t.Helper()
	b, err := Render(format, f)
	if err != nil {
		t.Fatalf("Render(%s): %v", format, err)
	}
	if !utf8.Valid(b) {
		t.Fatalf("Render(%s): output is not valid UTF-8", format)
	}
	return b
}
