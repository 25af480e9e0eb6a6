package feeds

import (
	"strconv"
	"strings"
)

// Namespaces of the RSS extensions kabar uses.
const (
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsMedia   = "http://search.yahoo.com/mrss/"
)

// renderRSS writes an RSS 2.0 document with the extensions gorilla leaves
// out: atom:link (self, hub), dc:creator (RSS <author> must be an e-mail
// address), repeated categories, content:encoded in a CDATA section and
// media:content beside the enclosure.
func renderRSS(d *doc) ([]byte, error) {
	w := newXMLWriter(d.sizeHint())
	w.start("rss")
	w.attr("version", "2.0")
	w.attr("xmlns:content", nsContent)
	w.attr("xmlns:dc", nsDC)
	w.attr("xmlns:atom", nsAtom)
	w.attr("xmlns:media", nsMedia)
	w.in()
	w.start("channel")
	w.in()
	link := firstNonEmpty(d.home, d.self)
	w.text("title", d.title)
	w.text("link", link)
	w.text("description", escapeHTMLText(d.description))
	if d.self != "" {
		rssAtomLink(w, d.self, "self", "application/rss+xml")
	}
	if d.hub != "" {
		rssAtomLink(w, d.hub, "hub", "")
	}
	w.textOmitEmpty("language", d.lang)
	updated := formatRFC1123(d.updated)
	w.textOmitEmpty("pubDate", updated)
	w.textOmitEmpty("lastBuildDate", updated)
	w.text("generator", generator)
	w.text("docs", "https://www.rssboard.org/rss-specification")
	if d.logo != "" && link != "" {
		// The image's title and link must equal the channel's.
		w.start("image")
		w.in()
		w.text("url", d.logo)
		w.text("title", d.title)
		w.text("link", link)
		w.out("image")
	}
	for i := range d.entries {
		rssItem(w, &d.entries[i])
	}
	w.out("channel")
	w.out("rss")
	return w.bytes(), nil
}

func rssItem(w *xmlWriter, e *entry) {
	w.start("item")
	w.in()
	w.text("title", e.title)
	w.textOmitEmpty("link", e.link)
	// RSS description is HTML: escape the plain-text summary so that
	// "a < b" stays text.
	w.textOmitEmpty("description", escapeHTMLText(e.summary))
	if e.content != "" {
		w.start("content:encoded")
		w.closeCDATA("content:encoded", e.content)
	}
	switch len(e.authors) {
	case 0:
	case 1:
		w.textOmitEmpty("dc:creator", e.authors[0])
	default:
		w.textOmitEmpty("dc:creator", strings.Join(e.authors, ", "))
	}
	for _, t := range e.tags {
		w.text("category", t)
	}
	var length string
	if e.image != nil {
		length = strconv.FormatInt(e.image.Length, 10)
		w.start("enclosure")
		w.attr("url", e.image.URL)
		w.attr("length", length)
		w.attr("type", e.image.Type)
		w.closeEmpty("enclosure")
	}
	w.start("guid")
	if e.permalink {
		w.attr("isPermaLink", "true")
	} else {
		w.attr("isPermaLink", "false")
	}
	w.closeText("guid", e.id)
	if !e.published.IsZero() {
		w.text("pubDate", formatRFC1123(e.published))
	}
	if e.image != nil {
		w.start("media:content")
		w.attr("url", e.image.URL)
		w.attr("type", e.image.Type)
		w.attr("medium", "image")
		if e.image.Length != 0 {
			w.attr("fileSize", length)
		}
		w.closeEmpty("media:content")
	}
	w.out("item")
}

// rssAtomLink writes an atom:link; an empty type is left out.
func rssAtomLink(w *xmlWriter, href, rel, typ string) {
	w.start("atom:link")
	w.attr("href", href)
	w.attr("rel", rel)
	w.attrOmitEmpty("type", typ)
	w.closeEmpty("atom:link")
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
