package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	gfeeds "github.com/gorilla/feeds"
)

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain Indonesia: é ü 日本", "plain Indonesia: é ü 日本"},
		{"tab\tnl\ncr\r", "tab\tnl\ncr\r"},
		{"nul\x00 vt\x0b esc\x1b del\x7f", "nul vt esc del"},
		{"c1\u0085\u009f", "c1"},
		{"bad \xff\xfe bytes \xc3\x28", "bad \uFFFD bytes \uFFFD("},
		{"nonchar \uFFFE\uFFFF\uFDD0\U0001FFFE\U0010FFFF kept \uFFFD \U0001F600", "nonchar  kept \uFFFD \U0001F600"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Harga Cabai Naik", "Harga Cabai Naik"},
		{"  spaced \n\t out\u00a0 ", "spaced out"},
		{"<b>Break</b>ing <i>news</i>", "Breaking news"},
		{"Banjir &amp; Longsor &#8211; &quot;Siaga&quot;", "Banjir & Longsor – \"Siaga\""},
		{"<p>one</p><p>two</p>", "one two"},
		{"line<br>break", "line break"},
		{"x <script>alert(1)</script>y<style>p{}</style>", "x y"},
		{"5 < 6 and 7 > 3", "5 < 6 and 7 > 3"},
		{"AT&T", "AT&T"},
		{"vt&#11;ref", "vtref"},
		{"<img src=x onerror=alert(1)>", ""},
		{"Rupiah <Rp15.000, IHSG naik", "Rupiah <Rp15.000, IHSG naik"},
		{"Rupiah <Rp15.000, IHSG <RI tumbuh> naik", "Rupiah <Rp15.000, IHSG naik"},
		{"<B>Tebal</B> <unknown onclick=x>y</unknown>", "Tebal y"},
		{"unterminated <b", "unterminated <b"},
		{"Jokowi &amp;#8211; Prabowo &amp;amp; AT&amp;T", "Jokowi – Prabowo & AT&T"},
		{"&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;judul", "judul"},
		{"a &amp;lt; b", "a < b"},
		{"a <!-- komentar --> b", "a b"},
	}
	for _, tt := range tests {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncateText(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"Hujan deras sejak pagi membuat rumah terendam", 25, "Hujan deras sejak pagi…"},
		{"Hujandereassejakpagimembuat", 10, "Hujanderea…"},
		{"ééééé", 3, "ééé…"},
	}
	for _, tt := range tests {
		if got := truncateText(tt.in, tt.max); got != tt.want {
			t.Errorf("truncateText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestSanitizeHTML(t *testing.T) {
	base, _ := url.Parse("https://www.contoh.id/2026/11/25/berita")
	tests := []struct {
		name, in, want string
		base           *url.URL
	}{
		{"kept", `<p>Teks <strong>tebal</strong> dan <a href="https://x.id/a">tautan</a>.</p>`,
			`<p>Teks <strong>tebal</strong> dan <a href="https://x.id/a" rel="nofollow">tautan</a>.</p>`, base},
		{"relative href and src", `<a href="/tag/banjir">t</a><img src="foto.jpg" alt="f">`,
			`<a href="https://www.contoh.id/tag/banjir" rel="nofollow">t</a><img src="https://www.contoh.id/2026/11/25/foto.jpg" alt="f">`, base},
		{"protocol-relative and dot segments", `<img src="//cdn.id/a.jpg"><img src="../b.png">`,
			`<img src="https://cdn.id/a.jpg"><img src="https://www.contoh.id/2026/11/b.png">`, base},
		{"srcset", `<img src="a.jpg" srcset="a-1.jpg 1x, https://cdn.id/a-2.jpg 2x, javascript:x 3x">`,
			`<img src="https://www.contoh.id/2026/11/25/a.jpg" srcset="https://www.contoh.id/2026/11/25/a-1.jpg 1x, https://cdn.id/a-2.jpg 2x">`, base},
		{"srcset with commas in URLs", `<img srcset="https://res.cdn.id/w_300,h_200/a.jpg 300w,/w_600,h_400/a.jpg 600w, b.jpg, c.jpg,">`,
			`<img srcset="https://res.cdn.id/w_300,h_200/a.jpg 300w, https://www.contoh.id/w_600,h_400/a.jpg 600w, https://www.contoh.id/2026/11/25/b.jpg, https://www.contoh.id/2026/11/25/c.jpg">`, base},
		{"fragment link stays", `<a href="#catatan">1</a>`, `<a href="#catatan" rel="nofollow">1</a>`, base},
		{"no base keeps relative", `<a href="/x">x</a>`, `<a href="/x" rel="nofollow">x</a>`, nil},
		{"script and handlers", `<p onclick="x()">a</p><script>alert(1)</script><img src="https://x.id/i.png" onerror="alert(1)">`,
			`<p>a</p><img src="https://x.id/i.png">`, base},
		{"javascript links", `<a href="javascript:alert(1)">a</a><a href="&#106;avascript:alert(1)">b</a><a href=" JAVASCRIPT:alert(1)">c</a>`,
			`abc`, base},
		{"iframe style form", `<iframe src="https://yt.example/embed/1"></iframe><style>p{}</style><p style="color:red">p</p><form><input></form>`,
			`<p>p</p>`, base},
		{"figure kept", `<figure><img src="https://x.id/i.jpg" alt="i"><figcaption>Foto: Antara</figcaption></figure>`,
			`<figure><img src="https://x.id/i.jpg" alt="i"><figcaption>Foto: Antara</figcaption></figure>`, base},
		{"char refs to forbidden chars", `<p>a&#11;b&#0;c</p>`, "<p>ab\uFFFDc</p>", base},
		{"empty", " \n ", "", base},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sanitizeHTML(contentPolicy(), tt.in, tt.base); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestURLsAreAbsolute(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{`<p>no attributes = none</p>`, true},
		{`<a href="https://x.id/a" title="t">a</a><img src='http://x.id/i.jpg'>`, true},
		{`<img srcset="https://x.id/1.jpg 1x, https://x.id/2.jpg 2x">`, true},
		{`<img srcset="https://x.id/1.jpg 1x, /2.jpg 2x">`, false},
		{`<a href="/relative">a</a>`, false},
		{`<a HREF = "//cdn">a</a>`, false},
		{`<a href=https://x.id/unquoted>a</a>`, false},
		{`<a href="&#104;ttps://x.id/">a</a>`, false},
		{`<a href="#frag">a</a>`, false},
	}
	for _, tt := range tests {
		if got := urlsAreAbsolute(tt.in); got != tt.want {
			t.Errorf("urlsAreAbsolute(%s) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestItemIDs(t *testing.T) {
	feedBase, _ := url.Parse("https://www.contoh.id/")
	tests := []struct {
		name          string
		item          Item
		wantID        string
		wantPermalink bool
		wantLink      string
	}{
		{"canonical URL", Item{ID: "https://www.contoh.id/a", URL: "https://www.contoh.id/a?utm_source=x"},
			"https://www.contoh.id/a", true, "https://www.contoh.id/a?utm_source=x"},
		{"URL only", Item{URL: "https://www.contoh.id/b"}, "https://www.contoh.id/b", true, "https://www.contoh.id/b"},
		{"relative URL", Item{URL: "/c"}, "https://www.contoh.id/c", true, "https://www.contoh.id/c"},
		{"http id, no URL", Item{ID: "http://www.contoh.id/d"}, "http://www.contoh.id/d", true, "http://www.contoh.id/d"},
		{"opaque id", Item{ID: "berita-123", URL: "https://www.contoh.id/e"}, "tag:www.contoh.id,2026:berita-123", false, "https://www.contoh.id/e"},
		{"id with spaces", Item{ID: "a b/ç"}, "tag:kabar.example,2026:a%20b/%C3%A7", false, ""},
		{"urn id kept", Item{ID: "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"}, "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427", false, ""},
		{"ftp id is not a permalink", Item{ID: "ftp://x.id/f"}, "ftp://x.id/f", false, ""},
		{"non-ASCII URL percent-encoded", Item{ID: "https://x.id/berita/café", URL: "https://x.id/berita/café"},
			"https://x.id/berita/caf%C3%A9", true, "https://x.id/berita/caf%C3%A9"},
		{"URL id with a space is no URL", Item{ID: "https://x.id/a b"}, "tag:kabar.example,2026:https://x.id/a%20b", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := prepareEntry(&tt.item, feedBase, "https://www.contoh.id/", "kabar.example", contentPolicy(), nil)
			if e.id != tt.wantID || e.permalink != tt.wantPermalink || e.link != tt.wantLink {
				t.Errorf("id %q permalink %v link %q; want %q %v %q", e.id, e.permalink, e.link, tt.wantID, tt.wantPermalink, tt.wantLink)
			}
		})
	}
	t.Run("no id and no URL: stable, content-derived", func(t *testing.T) {
		it := Item{Title: "Judul", Content: "<p>isi</p>", Published: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
		a := prepareEntry(&it, feedBase, "https://www.contoh.id/", "kabar.example", contentPolicy(), nil)
		it.Content = "<p>isi yang diperbarui</p>"
		b := prepareEntry(&it, feedBase, "https://www.contoh.id/", "kabar.example", contentPolicy(), nil)
		it.Title = "Judul lain"
		c := prepareEntry(&it, feedBase, "https://www.contoh.id/", "kabar.example", contentPolicy(), nil)
		if !strings.HasPrefix(a.id, "tag:kabar.example,2026:item/") || a.id != b.id || a.id == c.id {
			t.Errorf("ids %q %q %q: want a tag: URI that follows title and date only", a.id, b.id, c.id)
		}
	})
}

func TestItemDates(t *testing.T) {
	t1 := time.Date(2026, 11, 24, 8, 0, 0, 500, wib)
	t2 := time.Date(2026, 11, 25, 9, 0, 0, 0, wib)
	t0 := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	sec := func(t time.Time) time.Time { return t.Truncate(time.Second) }
	tests := []struct {
		name           string
		item           Item
		wantPub, wantU time.Time
	}{
		{"both", Item{Published: t1, Updated: t2}, sec(t1), t2},
		{"published only", Item{Published: t1}, sec(t1), sec(t1)},
		{"updated only", Item{Updated: t2}, t2, t2},
		{"updated before published", Item{Published: t2, Updated: t1}, t2, t2},
		{"fetched as last resort", Item{Fetched: t0}, t0, t0},
		{"fetched ignored when dated", Item{Published: t1, Fetched: t0}, sec(t1), sec(t1)},
		{"undated", Item{}, time.Time{}, time.Time{}},
		{"unusable year", Item{Published: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Updated: t2}, t2, t2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, u := itemDates(&tt.item)
			if !p.Equal(tt.wantPub) || !u.Equal(tt.wantU) {
				t.Errorf("got %v / %v, want %v / %v", p, u, tt.wantPub, tt.wantU)
			}
		})
	}
}

func TestUpdated(t *testing.T) {
	f := fixtureFeed(Atom)
	if got, want := Updated(f), time.Date(2026, 11, 25, 10, 5, 0, 0, wib); !got.Equal(want) {
		t.Errorf("Updated = %v, want the newest item's %v", got, want)
	}
	f.Items = append(f.Items, Item{Title: "newest, undated except fetched", Fetched: time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)})
	if got := Updated(f); !got.Equal(time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)) {
		t.Errorf("Updated = %v, want the fetched time of the undated item", got)
	}
	if got := Updated(&Feed{Items: []Item{{Title: "x"}}}); !got.IsZero() {
		t.Errorf("Updated of an undated feed = %v, want zero", got)
	}
	if got := Updated(nil); !got.IsZero() {
		t.Errorf("Updated(nil) = %v", got)
	}
}

func TestPlainListAndImage(t *testing.T) {
	if got := strings.Join(plainList([]string{" Banjir ", "banjir", "<b>Jakarta</b>", "", "-", "\xff", "Jakarta"}), "|"); got != "Banjir|Jakarta" {
		t.Errorf("plainList = %q", got)
	}
	base, _ := url.Parse("https://www.contoh.id/a/b")
	tests := []struct {
		in   *Image
		want *Image
	}{
		{nil, nil},
		{&Image{URL: "data:image/png;base64,AAAA"}, nil},
		{&Image{URL: "c.PNG?w=300"}, &Image{URL: "https://www.contoh.id/a/c.PNG?w=300", Type: "image/png"}},
		{&Image{URL: "https://x.id/foto", Length: -5}, &Image{URL: "https://x.id/foto", Type: "image/jpeg"}},
		{&Image{URL: "https://x.id/f.jpg", Type: "Image/WebP; q=1", Length: 10}, &Image{URL: "https://x.id/f.jpg", Type: "image/webp", Length: 10}},
		{&Image{URL: "https://x.id/f.gif", Type: "text/html"}, &Image{URL: "https://x.id/f.gif", Type: "image/gif"}},
	}
	for _, tt := range tests {
		got := prepareImage(tt.in, base)
		if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
			t.Errorf("prepareImage(%+v) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	if _, err := Render(Atom, nil); err == nil {
		t.Error("Render of a nil feed: no error")
	}
	if _, err := Render("xml", &Feed{}); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("Render of an unknown format: %v, want ErrUnknownFormat", err)
	}
	if _, err := ParseFormat("opml"); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("ParseFormat(opml): %v", err)
	}
	for _, f := range []Format{RSS, Atom, JSON} {
		if got, err := ParseFormat(string(f)); got != f || err != nil {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
}

func TestContentType(t *testing.T) {
	for format, want := range map[Format]string{
		RSS:   "application/rss+xml; charset=utf-8",
		Atom:  "application/atom+xml; charset=utf-8",
		JSON:  "application/feed+json; charset=utf-8",
		"xml": "",
	} {
		if got := ContentType(format); got != want {
			t.Errorf("ContentType(%q) = %q, want %q", format, got, want)
		}
	}
}

func TestBareItem(t *testing.T) {
	// No id, URL, title, summary or content: still a valid entry everywhere.
	f := &Feed{Items: []Item{{}}}
	var a atomCheck
	decodeStrict(t, mustRender(t, Atom, f), &a)
	if e := a.Entries[0]; e.Title != "Untitled" || e.Content.Value != "Untitled" || e.Content.Type != "text" {
		t.Errorf("bare Atom entry: title %q content %q (%s)", e.Title, e.Content.Value, e.Content.Type)
	}
	var j jsonCheck
	decodeJSONStrict(t, mustRender(t, JSON, f), &j)
	if it := j.Items[0]; it.ContentText == "" || it.ID == "" {
		t.Errorf("bare JSON item needs content_text and id: %+v", it)
	}
}

func TestEmptyFeed(t *testing.T) {
	f := &Feed{}
	for _, format := range []Format{RSS, Atom} {
		if err := decodeXMLStrict(mustRender(t, format, f)); err != nil {
			t.Errorf("%s: %v", format, err)
		}
	}
	var got jsonCheck
	b := mustRender(t, JSON, f)
	decodeJSONStrict(t, b, &got)
	if !bytes.Contains(b, []byte(`"items":[]`)) || got.Title != "kabar" {
		t.Errorf("empty JSON feed: items must be an empty array and the title set:\n%s", b)
	}
}

func TestCDATAEnd(t *testing.T) {
	// Sanitised text never holds a raw "]]>", but the CDATA writer must
	// cope if one arrives: it splits it, as encoding/xml does.
	for _, text := range []string{"a]]>b]]>", "]]>", "]]]>", "]]>]]>", "x]]", "]]>>"} {
		w := newXMLWriter(0)
		w.start("content:encoded")
		w.closeCDATA("content:encoded", text)
		b := w.bytes()
		var got struct {
			Content string `xml:",chardata"`
		}
		dec := xml.NewDecoder(bytes.NewReader(b))
		dec.Strict = true
		if err := dec.Decode(&got); err != nil || got.Content != text {
			t.Errorf("round trip of %q = %q, %v\n%s", text, got.Content, err, b)
		}
		ref, err := marshalXML(gfeeds.RssContent{Content: text}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, ref) {
			t.Errorf("CDATA of %q:\n%s\nencoding/xml writes:\n%s", text, b, ref)
		}
	}
}

func TestOPML(t *testing.T) {
	b, err := OPML("t", fixtureOutlines())
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		XMLName  xml.Name `xml:"opml"`
		Version  string   `xml:"version,attr"`
		Outlines []struct {
			Text   string `xml:"text,attr"`
			Type   string `xml:"type,attr"`
			XMLURL string `xml:"xmlUrl,attr"`
		} `xml:"body>outline"`
	}
	decodeStrict(t, b, &got)
	if got.Version != "2.0" || len(got.Outlines) != 2 || got.Outlines[1].Text != "Semua sumber" || got.Outlines[0].Type != "rss" {
		t.Errorf("opml = %+v", got)
	}
	_, err = OPML("t", []Outline{{Title: "ok", XMLURL: "https://x.id/a.rss"}, {Title: "bad", XMLURL: "/relative.rss"}, {Title: "worse"}})
	if err == nil || !strings.Contains(err.Error(), `outline 1 ("bad")`) || !strings.Contains(err.Error(), `outline 2 ("worse")`) {
		t.Errorf("OPML with bad outlines: %v, want every bad one named", err)
	}
}

// TestEqualLower: equalLower agrees with comparing strings.ToLower copies,
// for Unicode and invalid bytes too.
func TestEqualLower(t *testing.T) {
	words := []string{"", "a", "A", "Banjir", "BANJIR", "banjir", "banjirr", "Σ", "σ", "ς", "K", "\u212a", "k",
		"ẞ", "ß", "İ", "i", "I", "\xff", "\xfe", "\uFFFD", "Ä", "ä", "a\u0308"}
	for _, a := range words {
		for _, b := range words {
			if got, want := equalLower(a, b), strings.ToLower(a) == strings.ToLower(b); got != want {
				t.Errorf("equalLower(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

// TestPlainListLong: short and long lists drop the same duplicates.
func TestPlainListLong(t *testing.T) {
	var in []string
	for i := range 40 {
		in = append(in, fmt.Sprintf("Tag %d", i%13), fmt.Sprintf("TAG %d", i%7), "-", " ")
	}
	got := plainList(in)
	var want []string
	for _, s := range in {
		if s = plainText(s); hasLetterOrDigit(s) && !slices.ContainsFunc(want, func(w string) bool {
			return strings.ToLower(w) == strings.ToLower(s)
		}) {
			want = append(want, s)
		}
	}
	if !slices.Equal(got, want) || len(got) != 13 {
		t.Errorf("plainList = %q,\nwant %q", got, want)
	}
	if short := plainList(in[:16]); !slices.Equal(short, want[:len(short)]) {
		t.Errorf("short list: %q", short)
	}
}
