package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
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

type jsonCheck struct {
	Version  string `json:"version"`
	Title    string `json:"title"`
	HomePage string `json:"home_page_url"`
	FeedURL  string `json:"feed_url"`
	Language string `json:"language"`
	Hubs     []struct {
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
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode: %v", err)
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

func TestRSSStructure(t *testing.T) {
	var got rssCheck
	decodeStrict(t, mustRender(t, RSS, fixtureFeed(RSS)), &got)
	ch := got.Channel
	if got.Version != "2.0" || ch.Language != "id" || ch.LastBuild != "Wed, 25 Nov 2026 10:05:00 +0700" {
		t.Errorf("channel: version %q language %q lastBuildDate %q", got.Version, ch.Language, ch.LastBuild)
	}
	if len(ch.AtomLinks) != 2 || ch.AtomLinks[0].Rel != "self" || ch.AtomLinks[0].Href != "https://kabar.example/feeds/contoh.rss" || ch.AtomLinks[1].Rel != "hub" {
		t.Errorf("atom:links = %+v, want self then hub", ch.AtomLinks)
	}
	if ch.Image.Title != ch.Title || ch.Image.Link != ch.Link {
		t.Errorf("image title/link %q %q must equal the channel's %q %q", ch.Image.Title, ch.Image.Link, ch.Title, ch.Link)
	}
	if len(ch.Items) != 2 {
		t.Fatalf("%d items, want 2", len(ch.Items))
	}
	it := ch.Items[0]
	if it.Author != "" || it.Creator != "Siti Rahma, Budi Santoso" {
		t.Errorf("author %q creator %q: names belong in dc:creator only", it.Author, it.Creator)
	}
	if strings.Join(it.Categories, "|") != "Megapolitan|Banjir" {
		t.Errorf("categories = %q", it.Categories)
	}
	if it.GUID.PermaLink != "true" || it.GUID.Value != "https://www.contoh.id/2026/11/25/banjir-jakarta" {
		t.Errorf("guid = %+v", it.GUID)
	}
	if it.Enclosure == nil || it.Enclosure.Length != "48213" || it.Enclosure.Type != "image/jpeg" {
		t.Errorf("enclosure = %+v", it.Enclosure)
	}
	if it.Media == nil || it.Media.Medium != "image" || it.Media.URL != "https://cdn.contoh.id/img/banjir.jpg" {
		t.Errorf("media:content = %+v", it.Media)
	}
	if !strings.Contains(it.Content, `<a href="https://www.contoh.id/tag/banjir"`) {
		t.Errorf("content:encoded lacks the absolute link:\n%s", it.Content)
	}
	it = ch.Items[1]
	if it.GUID.PermaLink != "false" || !strings.HasPrefix(it.GUID.Value, "tag:") {
		t.Errorf("non-URL id: guid = %+v, want a tag: URI with isPermaLink=false", it.GUID)
	}
	if it.Enclosure == nil || it.Enclosure.Length != "0" || it.Enclosure.Type != "image/webp" ||
		it.Enclosure.URL != "https://www.contoh.id/2026/11/img/cabai.webp" {
		t.Errorf("enclosure of unknown length = %+v", it.Enclosure)
	}
	if it.Description == "" {
		t.Error("an item without summary gets no description; want one derived from the content")
	}
}

func TestAtomStructure(t *testing.T) {
	var got atomCheck
	decodeStrict(t, mustRender(t, Atom, fixtureFeed(Atom)), &got)
	if got.ID != "https://kabar.example/feeds/contoh.atom" || got.Lang != "id" || got.Updated != "2026-11-25T10:05:00+07:00" {
		t.Errorf("feed id %q lang %q updated %q", got.ID, got.Lang, got.Updated)
	}
	rels := map[string]string{}
	for _, l := range got.Links {
		rels[l.Rel] = l.Href
	}
	if rels["self"] != "https://kabar.example/feeds/contoh.atom" || rels["hub"] != "https://hub.example/" || rels["alternate"] != "https://www.contoh.id/" {
		t.Errorf("feed links = %+v", got.Links)
	}
	if got.Author == nil || got.Author.Name != "Berita Contoh" {
		t.Errorf("feed author = %+v, want the feed title for the entry without an author", got.Author)
	}
	if len(got.Entries) != 2 {
		t.Fatalf("%d entries, want 2", len(got.Entries))
	}
	e := got.Entries[0]
	if e.Published != "2026-11-25T08:30:00+07:00" || e.Updated != "2026-11-25T10:05:00+07:00" {
		t.Errorf("published %q updated %q", e.Published, e.Updated)
	}
	if len(e.Authors) != 2 || e.Authors[1].Name != "Budi Santoso" {
		t.Errorf("authors = %+v", e.Authors)
	}
	if len(e.Categories) != 2 || e.Categories[0].Term != "Megapolitan" {
		t.Errorf("categories = %+v", e.Categories)
	}
	if e.Content.Type != "html" || !strings.Contains(e.Content.Value, `<figcaption>Warga mengungsi.</figcaption>`) {
		t.Errorf("content (%s) = %q", e.Content.Type, e.Content.Value)
	}
	if e.Title != "Banjir Rendam Jakarta & Bekasi" {
		t.Errorf("title = %q, want entities decoded once", e.Title)
	}
	var enclosure bool
	for _, l := range e.Links {
		enclosure = enclosure || (l.Rel == "enclosure" && l.Length == "48213" && l.Type == "image/jpeg")
	}
	if !enclosure {
		t.Errorf("no enclosure link with length and type: %+v", e.Links)
	}
	if e2 := got.Entries[1]; e2.Published != e2.Updated || e2.Published == "" {
		t.Errorf("entry with only a published date: published %q updated %q, want both equal", e2.Published, e2.Updated)
	}
}

func TestJSONStructure(t *testing.T) {
	b := mustRender(t, JSON, fixtureFeed(JSON))
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"author", "authors"} {
		if _, ok := top[key]; ok {
			t.Errorf("top-level %q present; readers prepend it to every item's authors", key)
		}
	}
	if bytes.Contains(b, []byte(`"banner_"`)) {
		t.Error(`gorilla's "banner_" key leaked into the output`)
	}
	var got jsonCheck
	decodeJSONStrict(t, b, &got)
	if got.Version != "https://jsonfeed.org/version/1.1" || got.FeedURL != "https://kabar.example/feeds/contoh.json" || got.Language != "id" {
		t.Errorf("version %q feed_url %q language %q", got.Version, got.FeedURL, got.Language)
	}
	if len(got.Hubs) != 1 || got.Hubs[0].Type != "WebSub" {
		t.Errorf("hubs = %+v", got.Hubs)
	}
	it := got.Items[0]
	if len(it.Authors) != 2 || strings.Join(it.Tags, "|") != "Megapolitan|Banjir" || it.Image != "https://cdn.contoh.id/img/banjir.jpg" {
		t.Errorf("item authors %+v tags %q image %q", it.Authors, it.Tags, it.Image)
	}
	if len(it.Attachments) != 1 || it.Attachments[0].Size != 48213 || it.Attachments[0].MIMEType != "image/jpeg" {
		t.Errorf("attachments = %+v", it.Attachments)
	}
	if it.DatePublished != "2026-11-25T08:30:00+07:00" || it.DateModified != "2026-11-25T10:05:00+07:00" {
		t.Errorf("dates %q %q", it.DatePublished, it.DateModified)
	}
}

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

// tagLike matches what an HTML parser would take for markup.
var tagLike = regexp.MustCompile(`<[a-zA-Z/!?]|&[a-zA-Z]+;|&#`)

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
