package feeds

import (
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzRender feeds hostile strings into every field a page controls and
// checks the properties readers rely on: RSS and Atom are well-formed XML
// (strict decoder), JSON is valid, everything is UTF-8, and the content
// parses to HTML without script, handlers or dangerous URLs.
func FuzzRender(f *testing.F) {
	h := hostileFeed().Items[0]
	f.Add(h.Title, h.Summary, h.Content, h.Authors[0], h.Tags[0], h.ID, h.URL, "/img.png")
	f.Add("Judul", "Ringkasan", `<p>isi <a href="/a">a</a></p>`, "Siti", "Banjir", "https://x.id/a", "https://x.id/a", "https://x.id/i.jpg")
	f.Add("]]>", "]]>", "<![CDATA[]]>]]>", "\x00", "\uFFFE", "tag:x,2026:a", "//x.id", "")
	f.Add("<a href='javascript:x'>t</a>", "&#0;&#x1;", `<img src="x" srcset="a 1x,, ,b" onerror=x>`, "&amp;amp;", "<", " ", "\xff", "javascript:alert(1)")
	f.Add("&amp;amp;lt;b&amp;amp;gt;x &amp;#8211; <Rp5", "&lt;i&gt;", "<p>&amp;lt;script&amp;gt;</p>", "&amp;", "&lt;", "&#38;", "https://x.id/a?b=1&amp;c=2", "a.jpg")
	f.Fuzz(func(t *testing.T, title, summary, content, author, tag, id, link, image string) {
		feed := &Feed{
			ID: id, Title: title, Description: summary, HomeURL: link, SelfURL: link, HubURL: image,
			Language: tag, LogoURL: image, Author: author,
			Items: []Item{{
				ID: id, URL: link, Title: title, Summary: summary, Content: content,
				Authors: []string{author}, Tags: []string{tag, title},
				Published: time.Date(2026, 11, 25, 8, 0, 0, 0, wib), Image: &Image{URL: image, Type: tag},
			}},
		}
		assertMatchesReference(t, feed)
		for _, format := range []Format{RSS, Atom, JSON} {
			b, err := Render(format, feed)
			if err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if !utf8.Valid(b) {
				t.Fatalf("%s: invalid UTF-8", format)
			}
			switch format {
			case RSS:
				var got rssCheck
				decodeStrict(t, b, &got)
				assertSafeHTML(t, "rss content", got.Channel.Items[0].Content)
				assertSafeHTML(t, "rss description", got.Channel.Items[0].Description)
				assertPlain(t, "rss title", got.Channel.Items[0].Title)
			case Atom:
				var got atomCheck
				decodeStrict(t, b, &got)
				assertSafeHTML(t, "atom content", got.Entries[0].Content.Value)
				assertPlain(t, "atom title", got.Entries[0].Title)
			case JSON:
				var got jsonCheck
				decodeJSONStrict(t, b, &got)
				assertSafeHTML(t, "json content", got.Items[0].ContentHTML)
			}
		}
	})
}
