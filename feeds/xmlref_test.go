package feeds

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
	"time"

	gfeeds "github.com/gorilla/feeds"
)

// The reference renderers: RSS and Atom as kabar wrote them with
// encoding/xml and gorilla's types before the hand-written writer. The
// writer must produce exactly their bytes (TestWriterMatchesReference, and
// FuzzRender), so the documents keep every property those types gave them.

// refAtomFeed replaces gorilla's AtomFeed: a feed id of its own, xml:lang,
// several links (self, alternate, hub) and entries with published dates and
// category terms.
type refAtomFeed struct {
	XMLName   xml.Name          `xml:"feed"`
	Xmlns     string            `xml:"xmlns,attr"`
	Lang      string            `xml:"xml:lang,attr,omitempty"`
	ID        string            `xml:"id"`
	Title     string            `xml:"title"`
	Subtitle  string            `xml:"subtitle,omitempty"`
	Updated   string            `xml:"updated"`
	Links     []gfeeds.AtomLink `xml:"link"`
	Author    *gfeeds.AtomAuthor
	Generator string `xml:"generator"`
	Logo      string `xml:"logo,omitempty"`
	Entries   []refAtomEntry
}

type refAtomEntry struct {
	XMLName    xml.Name            `xml:"entry"`
	ID         string              `xml:"id"`
	Title      string              `xml:"title"`
	Links      []gfeeds.AtomLink   `xml:"link"`
	Published  string              `xml:"published,omitempty"`
	Updated    string              `xml:"updated"`
	Authors    []gfeeds.AtomAuthor `xml:"author"`
	Categories []refAtomCategory
	Summary    *gfeeds.AtomSummary
	Content    *refAtomContent
}

// refAtomContent carries the HTML in a CDATA section: equivalent to escaped
// text for every parser and far cheaper to write than encoding/xml's
// character-by-character escaping. encoding/xml splits "]]>".
type refAtomContent struct {
	XMLName xml.Name `xml:"content"`
	Type    string   `xml:"type,attr"`
	Content string   `xml:",cdata"`
}

type refAtomCategory struct {
	XMLName xml.Name `xml:"category"`
	Term    string   `xml:"term,attr"`
}

// undatedAtom stands in for the updated time Atom requires of an entry or
// feed that has no date at all: fixed, so output stays deterministic.

func refRenderAtom(d *doc) ([]byte, error) {
	f := refAtomFeed{
		Xmlns:     nsAtom,
		Lang:      d.lang,
		ID:        d.id,
		Title:     d.title,
		Subtitle:  d.description,
		Updated:   atomTime(d.updated),
		Generator: generator,
		Logo:      d.logo,
		Entries:   make([]refAtomEntry, len(d.entries)),
	}
	if f.Subtitle == f.Title {
		f.Subtitle = ""
	}
	if d.self != "" {
		f.Links = append(f.Links, gfeeds.AtomLink{Href: d.self, Rel: "self", Type: "application/atom+xml"})
	}
	if d.home != "" {
		f.Links = append(f.Links, gfeeds.AtomLink{Href: d.home, Rel: "alternate", Type: "text/html"})
	}
	if d.hub != "" {
		f.Links = append(f.Links, gfeeds.AtomLink{Href: d.hub, Rel: "hub"})
	}
	needAuthor := false
	for i := range d.entries {
		e := &d.entries[i]
		f.Entries[i] = refNewAtomEntry(e)
		needAuthor = needAuthor || len(e.authors) == 0
	}
	if needAuthor {
		// Entries without an author inherit the feed's (RFC 4287 4.2.1).
		f.Author = &gfeeds.AtomAuthor{AtomPerson: gfeeds.AtomPerson{Name: d.author}}
	}
	return marshalXML(f, d.sizeHint())
}

func refNewAtomEntry(e *entry) refAtomEntry {
	a := refAtomEntry{
		ID:        e.id,
		Title:     e.title,
		Published: formatRFC3339(e.published),
		Updated:   atomTime(e.updated),
	}
	if e.link != "" {
		a.Links = append(a.Links, gfeeds.AtomLink{Href: e.link, Rel: "alternate", Type: "text/html"})
	}
	if e.image != nil {
		l := gfeeds.AtomLink{Href: e.image.URL, Rel: "enclosure", Type: e.image.Type}
		if e.image.Length > 0 {
			l.Length = strconv.FormatInt(e.image.Length, 10)
		}
		a.Links = append(a.Links, l)
	}
	for _, name := range e.authors {
		a.Authors = append(a.Authors, gfeeds.AtomAuthor{AtomPerson: gfeeds.AtomPerson{Name: name}})
	}
	for _, t := range e.tags {
		a.Categories = append(a.Categories, refAtomCategory{Term: t})
	}
	if e.summary != "" {
		a.Summary = &gfeeds.AtomSummary{Content: e.summary, Type: "text"}
	}
	switch {
	case e.content != "":
		a.Content = &refAtomContent{Type: "html", Content: e.content}
	case e.link == "":
		// An entry needs content or an alternate link (RFC 4287 4.1.1).
		a.Content = &refAtomContent{Type: "text", Content: firstNonEmpty(e.summary, e.title)}
	}
	return a
}

// refRSSDoc is gorilla's RssFeedXml with the namespaces of the extensions
// gorilla leaves out (atom:link, dc:creator, media:content).
type refRSSDoc struct {
	XMLName   xml.Name `xml:"rss"`
	Version   string   `xml:"version,attr"`
	NSContent string   `xml:"xmlns:content,attr"`
	NSDC      string   `xml:"xmlns:dc,attr"`
	NSAtom    string   `xml:"xmlns:atom,attr"`
	NSMedia   string   `xml:"xmlns:media,attr"`
	Channel   refRSSChannel
}

type refRSSChannel struct {
	XMLName       xml.Name         `xml:"channel"`
	Title         string           `xml:"title"`
	Link          string           `xml:"link"`
	Description   string           `xml:"description"`
	AtomLinks     []refRSSAtomLink // rel="self", rel="hub"
	Language      string           `xml:"language,omitempty"`
	PubDate       string           `xml:"pubDate,omitempty"`
	LastBuildDate string           `xml:"lastBuildDate,omitempty"`
	Generator     string           `xml:"generator"`
	Docs          string           `xml:"docs"`
	Image         *gfeeds.RssImage
	Items         []refRSSItem `xml:"item"`
}

type refRSSAtomLink struct {
	XMLName xml.Name `xml:"atom:link"`
	Href    string   `xml:"href,attr"`
	Rel     string   `xml:"rel,attr"`
	Type    string   `xml:"type,attr,omitempty"`
}

// refRSSItem replaces gorilla's RssItem: names go to dc:creator (RSS <author>
// must be an e-mail address), categories repeat, media:content is added.
type refRSSItem struct {
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
	Media       *refRSSMedia
}

type refRSSMedia struct {
	XMLName  xml.Name `xml:"media:content"`
	URL      string   `xml:"url,attr"`
	Type     string   `xml:"type,attr"`
	Medium   string   `xml:"medium,attr"`
	FileSize int64    `xml:"fileSize,attr,omitempty"`
}

func refRenderRSS(d *doc) ([]byte, error) {
	ch := refRSSChannel{
		Title:         d.title,
		Link:          firstNonEmpty(d.home, d.self),
		Description:   escapeHTMLText(d.description),
		Language:      d.lang,
		PubDate:       formatRFC1123(d.updated),
		LastBuildDate: formatRFC1123(d.updated),
		Generator:     generator,
		Docs:          "https://www.rssboard.org/rss-specification",
		Items:         make([]refRSSItem, len(d.entries)),
	}
	if d.self != "" {
		ch.AtomLinks = append(ch.AtomLinks, refRSSAtomLink{Href: d.self, Rel: "self", Type: "application/rss+xml"})
	}
	if d.hub != "" {
		ch.AtomLinks = append(ch.AtomLinks, refRSSAtomLink{Href: d.hub, Rel: "hub"})
	}
	if d.logo != "" && ch.Link != "" {
		// The image's title and link must equal the channel's.
		ch.Image = &gfeeds.RssImage{Url: d.logo, Title: ch.Title, Link: ch.Link}
	}
	for i := range d.entries {
		ch.Items[i] = refNewRSSItem(&d.entries[i])
	}
	return marshalXML(refRSSDoc{
		Version:   "2.0",
		NSContent: nsContent,
		NSDC:      nsDC,
		NSAtom:    nsAtom,
		NSMedia:   nsMedia,
		Channel:   ch,
	}, d.sizeHint())
}

func refNewRSSItem(e *entry) refRSSItem {
	it := refRSSItem{
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
		it.Media = &refRSSMedia{URL: e.image.URL, Type: e.image.Type, Medium: "image", FileSize: e.image.Length}
	}
	return it
}

// assertMatchesReference fails unless the hand-written RSS and Atom of f
// are byte-identical to the reference renderers'.
func assertMatchesReference(t *testing.T, f *Feed) {
	t.Helper()
	for _, c := range []struct {
		format   Format
		got, ref func(*doc) ([]byte, error)
	}{{RSS, renderRSS, refRenderRSS}, {Atom, renderAtom, refRenderAtom}} {
		got, err := c.got(prepare(f, nil))
		if err != nil {
			t.Fatalf("%s: %v", c.format, err)
		}
		want, err := c.ref(prepare(f, nil))
		if err != nil {
			t.Fatalf("%s reference: %v", c.format, err)
		}
		if !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s differs from encoding/xml at byte %d:\n got: %q\nwant: %q",
				c.format, i, got[max(0, i-80):min(len(got), i+80)], want[max(0, i-80):min(len(want), i+80)])
		}
	}
}

func TestWriterMatchesReference(t *testing.T) {
	feeds := map[string]*Feed{
		"fixture rss":  fixtureFeed(RSS),
		"fixture atom": fixtureFeed(Atom),
		"hostile":      hostileFeed(),
		"required":     hostileWithRequired(),
		"undated":      undatedFeed(),
		"bench":        benchFeed(5, true),
		"absolute":     benchFeed(3, false),
		"empty":        {},
		"bare item":    {Items: []Item{{Title: "t"}}},
		"no link":      {Title: "x", Items: []Item{{ID: "a", Summary: "s"}, {ID: "b", Content: "<p>c</p>"}, {ID: "c"}}},
		"logo no home": {Title: "x", SelfURL: "https://k.example/f.rss", LogoURL: "https://k.example/l.png"},
		"odd strings": {
			Title: "a\tb\r\nc \"q\" 'a' <&> \x7f \uFFFD \uFFFE \U0001F600 \xed\xa0\x80 \x01", Description: "a\tb\r\nc",
			HomeURL: "https://x.example/?a=1&b='2'", HubURL: "https://hub.example/\"", Language: "en-US",
			Author: "\"A\" & <B>", LogoURL: "/l.png?x=<1>",
			Items: []Item{{
				ID: "https://x.example/a?b=1&c=2", URL: "/a?b=1&c=\"2\"", Title: "<b>x</b> & y\u2028z",
				Summary: "a < b > c & \"d\" 'e'\t\n", Content: "<p>]]> x ]] > ]]]]>></p>",
				Authors: []string{"Ä & Ö", "x<y"}, Tags: []string{"a\"b", "c'd", "e&f"},
				Published: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
				Image:     &Image{URL: "/i.png?a=1&b=2", Type: "image/png; q=1", Length: 12},
			}},
		},
	}
	for name, f := range feeds {
		t.Run(name, func(t *testing.T) { assertMatchesReference(t, f) })
	}
}

// TestAppendEscaped: text and attribute values are escaped exactly as
// encoding/xml escapes them, whatever the bytes.
func TestAppendEscaped(t *testing.T) {
	for _, s := range []string{
		"", "plain", "a\"b'c&d<e>f", "\t\n\r", "\x00\x01\x1f\x7f", "\xff\xfe", "\xed\xa0\x80",
		"\uFFFD\uFFFE\uFFFF", "\U0001F600\U0010FFFF", "ä\u2028\u0085", "x\xc3", "é&\x00é",
	} {
		var want bytes.Buffer
		if err := xml.EscapeText(&want, []byte(s)); err != nil {
			t.Fatal(err)
		}
		if got := appendEscaped(nil, s); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("appendEscaped(%q) = %q, encoding/xml writes %q", s, got, want.Bytes())
		}
	}
}
