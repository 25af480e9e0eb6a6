package feeds

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// hostileFeed carries everything a hostile or broken page could put into
// an item.
func hostileFeed() *Feed {
	return &Feed{
		Title:    "Evil <script>alert(1)</script>\x00feed",
		HomeURL:  "https://evil.example/",
		SelfURL:  "https://kabar.example/feeds/evil.atom",
		HubURL:   "javascript:alert(1)",
		Language: "id\"><x",
		Items: []Item{{
			ID:      "evil-1\x0b",
			URL:     "javascript:alert(document.cookie)",
			Title:   "<b>Breaking</b>\x0b news &amp; <script>alert('t')</script>more\xff\xfe ]]>",
			Summary: "<img src=x onerror=alert(1)>Sum\x1fmary ]]> with\x00 nul",
			Content: "<p onclick=\"steal()\">Hi ]]> there</p><script>alert(1)</script>" +
				"<img src=\"/a.png\" onerror=\"alert(1)\" srcset=\"javascript:alert(1) 1x, /b.png 2x\">" +
				"<a href=\"javascript:alert(1)\">j</a><a href=\"JaVaScRiPt:alert(1)\">k</a>" +
				"<a href=\"&#106;avascript:alert(1)\">l</a><a href=\" javascript:alert(1)\">m</a>" +
				"<iframe src=\"https://evil.example/frame\"></iframe><style>body{display:none}</style>" +
				"<p style=\"background:url(javascript:alert(1))\">\x0b&#11;&#0;\xc3\x28 bad bytes \uFFFE</p>" +
				"<svg onload=alert(1)><circle/></svg><form action=\"/steal\"><input name=p></form>" +
				"<![CDATA[x]]><!-- ]]> --><object data=\"x.swf\"></object><math><mi>x</mi></math>",
			Authors: []string{"<i>Evil</i>\x01 Name", "\xff"},
			Tags:    []string{"<b>tag</b>", "\x00"},
			Image:   &Image{URL: "javascript:alert(1)", Type: "text/html"},
		}},
	}
}

// assertSafeHTML fails when s, parsed as HTML, holds an element or
// attribute that could run script or restyle the reader's page.
func assertSafeHTML(t *testing.T, where, s string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "style", "iframe", "object", "embed", "form", "input", "svg", "math", "link", "meta", "base":
			t.Errorf("%s: element <%s> survived: %q", where, tok.Data, s)
		}
		for _, a := range tok.Attr {
			v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
			switch {
			case strings.HasPrefix(a.Key, "on"), a.Key == "style":
				t.Errorf("%s: attribute %s survived on <%s>", where, a.Key, tok.Data)
			case strings.Contains(v, "javascript:"), strings.Contains(v, "vbscript:"), strings.HasPrefix(v, "data:"):
				t.Errorf("%s: dangerous URL %q in %s", where, a.Val, a.Key)
			}
		}
	}
}

// tagLike matches what an HTML parser would take for a tag or a
// character reference.
var tagLike = regexp.MustCompile(`<[a-zA-Z/!?][^<]*>|&[a-zA-Z]+;|&#`)

// assertPlain fails when s is not one line of plain text.
func assertPlain(t *testing.T, where, s string) {
	t.Helper()
	if tagLike.MatchString(s) || strings.ContainsAny(s, "\x00\x0b\x1f\n\t") || s != strings.TrimSpace(s) {
		t.Errorf("%s is not plain text: %q", where, s)
	}
}

func TestHostileItem(t *testing.T) {
	const wantTitle = "Breaking news & more\uFFFD ]]>"
	t.Run("rss", func(t *testing.T) {
		b := mustRender(t, RSS, hostileFeed())
		var got rssCheck
		decodeStrict(t, b, &got)
		it := got.Channel.Items[0]
		assertSafeHTML(t, "content:encoded", it.Content)
		assertSafeHTML(t, "description", it.Description)
		assertPlain(t, "title", it.Title)
		if it.Title != wantTitle {
			t.Errorf("title = %q, want %q", it.Title, wantTitle)
		}
		if it.Link != "" || it.Enclosure != nil || it.Media != nil {
			t.Errorf("javascript: link or image kept: link %q enclosure %+v", it.Link, it.Enclosure)
		}
		if len(got.Channel.AtomLinks) != 1 {
			t.Errorf("javascript: hub kept: %+v", got.Channel.AtomLinks)
		}
		if got.Channel.Language != "" {
			t.Errorf("language = %q, want a malformed tag dropped", got.Channel.Language)
		}
		if !strings.Contains(it.Content, "Hi ]]&gt; there") {
			t.Errorf(`"]]>" in the text did not survive as text: %q`, it.Content)
		}
	})
	t.Run("atom", func(t *testing.T) {
		var got atomCheck
		decodeStrict(t, mustRender(t, Atom, hostileFeed()), &got)
		e := got.Entries[0]
		assertSafeHTML(t, "content", e.Content.Value)
		assertPlain(t, "title", e.Title)
		assertPlain(t, "feed title", got.Title)
		assertPlain(t, "summary", e.Summary)
		for _, a := range e.Authors {
			assertPlain(t, "author", a.Name)
		}
		for _, c := range e.Categories {
			assertPlain(t, "category", c.Term)
		}
		if !strings.HasPrefix(e.ID, "tag:evil.example,2026:") {
			t.Errorf("id = %q, want a tag: URI", e.ID)
		}
		for _, l := range e.Links {
			t.Errorf("link kept: %+v", l)
		}
		if !strings.Contains(e.Content.Value, `src="https://evil.example/a.png"`) || !strings.Contains(e.Content.Value, `srcset="https://evil.example/b.png 2x"`) {
			t.Errorf("relative image URLs not resolved against the feed's home: %q", e.Content.Value)
		}
	})
	t.Run("json", func(t *testing.T) {
		var got jsonCheck
		decodeJSONStrict(t, mustRender(t, JSON, hostileFeed()), &got)
		it := got.Items[0]
		assertSafeHTML(t, "content_html", it.ContentHTML)
		assertPlain(t, "title", it.Title)
		if it.URL != "" || it.Image != "" || len(it.Attachments) != 0 {
			t.Errorf("javascript: url or image kept: %q %q %+v", it.URL, it.Image, it.Attachments)
		}
		if len(it.Authors) != 1 || it.Authors[0].Name != "Evil Name" {
			t.Errorf("authors = %+v", it.Authors)
		}
	})
}

func TestDeterministic(t *testing.T) {
	for _, format := range []Format{RSS, Atom, JSON} {
		for name, f := range map[string]func() *Feed{
			"fixture": func() *Feed { return fixtureFeed(format) },
			"hostile": hostileFeed,
			"undated": undatedFeed,
		} {
			t.Run(string(format)+"/"+name, func(t *testing.T) {
				a, b := mustRender(t, format, f()), mustRender(t, format, f())
				if !bytes.Equal(a, b) {
					t.Errorf("two renders differ:\n%s\n---\n%s", a, b)
				}
			})
		}
	}
}

// undatedFeed has an item without any date and one without an id or URL.
func undatedFeed() *Feed {
	return &Feed{
		Title:   "Tanpa Tanggal",
		HomeURL: "https://www.contoh.id/",
		SelfURL: "https://kabar.example/feeds/contoh.atom",
		Items: []Item{
			{URL: "https://www.contoh.id/a", Title: "A", Content: "<p>a</p>"},
			{Title: "B", Content: "<p>b</p>"},
		},
	}
}

func TestUndatedItems(t *testing.T) {
	var got atomCheck
	decodeStrict(t, mustRender(t, Atom, undatedFeed()), &got)
	const epoch = "1970-01-01T00:00:00Z"
	if got.Updated != epoch {
		t.Errorf("feed updated = %q, want the fixed %s when nothing is dated", got.Updated, epoch)
	}
	for _, e := range got.Entries {
		if e.Updated != epoch || e.Published != "" {
			t.Errorf("undated entry: updated %q published %q", e.Updated, e.Published)
		}
	}
	if got.Entries[0].ID != "https://www.contoh.id/a" {
		t.Errorf("id without ID field = %q, want the URL", got.Entries[0].ID)
	}
	if id := got.Entries[1].ID; !strings.HasPrefix(id, "tag:www.contoh.id,2026:item/") {
		t.Errorf("id without ID or URL = %q, want a tag: URI", id)
	}
	var rss rssCheck
	decodeStrict(t, mustRender(t, RSS, undatedFeed()), &rss)
	if d := rss.Channel.LastBuild + rss.Channel.Items[0].PubDate; d != "" {
		t.Errorf("undated RSS carries dates %q", d)
	}
}
