package feeds

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

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
