package feeds

import (
	"encoding/xml"
	"strconv"
	"time"

	gfeeds "github.com/gorilla/feeds"
)

// atomFeed replaces gorilla's AtomFeed: a feed id of its own, xml:lang,
// several links (self, alternate, hub) and entries with published dates and
// category terms.
type atomFeed struct {
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
	Entries   []atomEntry
}

type atomEntry struct {
	XMLName    xml.Name            `xml:"entry"`
	ID         string              `xml:"id"`
	Title      string              `xml:"title"`
	Links      []gfeeds.AtomLink   `xml:"link"`
	Published  string              `xml:"published,omitempty"`
	Updated    string              `xml:"updated"`
	Authors    []gfeeds.AtomAuthor `xml:"author"`
	Categories []atomCategory
	Summary    *gfeeds.AtomSummary
	Content    *atomContent
}

// atomContent carries the HTML in a CDATA section: equivalent to escaped
// text for every parser and far cheaper to write than encoding/xml's
// character-by-character escaping. encoding/xml splits "]]>".
type atomContent struct {
	XMLName xml.Name `xml:"content"`
	Type    string   `xml:"type,attr"`
	Content string   `xml:",cdata"`
}

type atomCategory struct {
	XMLName xml.Name `xml:"category"`
	Term    string   `xml:"term,attr"`
}

// undatedAtom stands in for the updated time Atom requires of an entry or
// feed that has no date at all: fixed, so output stays deterministic.
const undatedAtom = "1970-01-01T00:00:00Z"

func renderAtom(d *doc) ([]byte, error) {
	f := atomFeed{
		Xmlns:     nsAtom,
		Lang:      d.lang,
		ID:        d.id,
		Title:     d.title,
		Subtitle:  d.description,
		Updated:   atomTime(d.updated),
		Generator: generator,
		Logo:      d.logo,
		Entries:   make([]atomEntry, len(d.entries)),
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
		f.Entries[i] = newAtomEntry(e)
		needAuthor = needAuthor || len(e.authors) == 0
	}
	if needAuthor {
		// Entries without an author inherit the feed's (RFC 4287 4.2.1).
		f.Author = &gfeeds.AtomAuthor{AtomPerson: gfeeds.AtomPerson{Name: d.author}}
	}
	return marshalXML(f, d.sizeHint())
}

func newAtomEntry(e *entry) atomEntry {
	a := atomEntry{
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
		a.Categories = append(a.Categories, atomCategory{Term: t})
	}
	if e.summary != "" {
		a.Summary = &gfeeds.AtomSummary{Content: e.summary, Type: "text"}
	}
	switch {
	case e.content != "":
		a.Content = &atomContent{Type: "html", Content: e.content}
	case e.link == "":
		// An entry needs content or an alternate link (RFC 4287 4.1.1).
		a.Content = &atomContent{Type: "text", Content: firstNonEmpty(e.summary, e.title)}
	}
	return a
}

func atomTime(t time.Time) string {
	if t.IsZero() {
		return undatedAtom
	}
	return t.Format(time.RFC3339)
}
