package feeds

import (
	"encoding/xml"
	"strconv"
	"strings"

	gfeeds "github.com/gorilla/feeds"
)

// Namespaces of the RSS extensions kabar uses.
const (
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsMedia   = "http://search.yahoo.com/mrss/"
)

// rssDoc is gorilla's RssFeedXml with the namespaces of the extensions
// gorilla leaves out (atom:link, dc:creator, media:content).
type rssDoc struct {
	XMLName   xml.Name `xml:"rss"`
	Version   string   `xml:"version,attr"`
	NSContent string   `xml:"xmlns:content,attr"`
	NSDC      string   `xml:"xmlns:dc,attr"`
	NSAtom    string   `xml:"xmlns:atom,attr"`
	NSMedia   string   `xml:"xmlns:media,attr"`
	Channel   rssChannel
}

type rssChannel struct {
	XMLName       xml.Name      `xml:"channel"`
	Title         string        `xml:"title"`
	Link          string        `xml:"link"`
	Description   string        `xml:"description"`
	AtomLinks     []rssAtomLink // rel="self", rel="hub"
	Language      string        `xml:"language,omitempty"`
	PubDate       string        `xml:"pubDate,omitempty"`
	LastBuildDate string        `xml:"lastBuildDate,omitempty"`
	Generator     string        `xml:"generator"`
	Docs          string        `xml:"docs"`
	Image         *gfeeds.RssImage
	Items         []rssItem `xml:"item"`
}

type rssAtomLink struct {
	XMLName xml.Name `xml:"atom:link"`
	Href    string   `xml:"href,attr"`
	Rel     string   `xml:"rel,attr"`
	Type    string   `xml:"type,attr,omitempty"`
}

// rssItem replaces gorilla's RssItem: names go to dc:creator (RSS <author>
// must be an e-mail address), categories repeat, media:content is added.
type rssItem struct {
	XMLName     xml.Name `xml:"item"`
	Title       string   `xml:"title"`
	Link        string   `xml:"link,omitempty"`
	Description string   `xml:"description,omitempty"`
	Content     *gfeeds.RssContent
	Creator     string   `xml:"dc:creator,omitempty"`
	Categories  []string `xml:"category"`
	Enclosure   *gfeeds.RssEnclosure
	GUID        *gfeeds.RssGuid
	PubDate     string `xml:"pubDate,omitempty"`
	Media       *rssMedia
}

type rssMedia struct {
	XMLName  xml.Name `xml:"media:content"`
	URL      string   `xml:"url,attr"`
	Type     string   `xml:"type,attr"`
	Medium   string   `xml:"medium,attr"`
	FileSize int64    `xml:"fileSize,attr,omitempty"`
}

func renderRSS(d *doc) ([]byte, error) {
	ch := rssChannel{
		Title:         d.title,
		Link:          firstNonEmpty(d.home, d.self),
		Description:   escapeHTMLText(d.description),
		Language:      d.lang,
		PubDate:       formatRFC1123(d.updated),
		LastBuildDate: formatRFC1123(d.updated),
		Generator:     generator,
		Docs:          "https://www.rssboard.org/rss-specification",
		Items:         make([]rssItem, len(d.entries)),
	}
	if d.self != "" {
		ch.AtomLinks = append(ch.AtomLinks, rssAtomLink{Href: d.self, Rel: "self", Type: "application/rss+xml"})
	}
	if d.hub != "" {
		ch.AtomLinks = append(ch.AtomLinks, rssAtomLink{Href: d.hub, Rel: "hub"})
	}
	if d.logo != "" && ch.Link != "" {
		// The image's title and link must equal the channel's.
		ch.Image = &gfeeds.RssImage{Url: d.logo, Title: ch.Title, Link: ch.Link}
	}
	for i := range d.entries {
		ch.Items[i] = newRSSItem(&d.entries[i])
	}
	return marshalXML(rssDoc{
		Version:   "2.0",
		NSContent: nsContent,
		NSDC:      nsDC,
		NSAtom:    nsAtom,
		NSMedia:   nsMedia,
		Channel:   ch,
	}, d.sizeHint())
}

func newRSSItem(e *entry) rssItem {
	it := rssItem{
		Title: e.title,
		Link:  e.link,
		// RSS description is HTML: escape the plain-text summary so that
		// "a < b" stays text.
		Description: escapeHTMLText(e.summary),
		Creator:     strings.Join(e.authors, ", "),
		Categories:  e.tags,
		PubDate:     formatRFC1123(e.published),
	}
	if e.content != "" {
		// encoding/xml splits "]]>" inside CDATA sections.
		it.Content = &gfeeds.RssContent{Content: e.content}
	}
	permalink := "false"
	if e.permalink {
		permalink = "true"
	}
	it.GUID = &gfeeds.RssGuid{Id: e.id, IsPermaLink: permalink}
	if e.image != nil {
		it.Enclosure = &gfeeds.RssEnclosure{
			Url:    e.image.URL,
			Length: strconv.FormatInt(e.image.Length, 10),
			Type:   e.image.Type,
		}
		it.Media = &rssMedia{URL: e.image.URL, Type: e.image.Type, Medium: "image", FileSize: e.image.Length}
	}
	return it
}

// escapeHTMLText escapes the characters that would make plain text markup.
func escapeHTMLText(s string) string {
	if !strings.ContainsAny(s, "<>&") {
		return s
	}
	return htmlTextEscaper.Replace(s)
}

var htmlTextEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// generator names kabar in the documents it writes.
const generator = "kabar"

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
