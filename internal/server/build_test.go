package server

import (
	"errors"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kabar-news/kabar/feeds"
	"github.com/kabar-news/kabar/internal/store"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		raw     string
		want    feedQuery
		encoded string
		err     bool
	}{
		{"", feedQuery{}, "", false},
		{"q=Banjir&q=jakarta+banjir", feedQuery{Include: []string{"banjir", "jakarta"}}, "q=banjir+jakarta", false},
		{"exclude=sepak+bola&exclude=", feedQuery{Exclude: []string{"bola", "sepak"}}, "exclude=bola+sepak", false},
		{"tag=+Ekonomi++Bisnis&tag=x", feedQuery{Tag: "ekonomi bisnis"}, "tag=ekonomi+bisnis", false},
		{"limit=5", feedQuery{Limit: 5}, "limit=5", false},
		{"limit=100000", feedQuery{Limit: 1000}, "limit=1000", false},
		{"limit=0", feedQuery{}, "", true},
		{"limit=-3", feedQuery{}, "", true},
		{"limit=1e3", feedQuery{}, "", true},
		{"utm_source=x&fbclid=y", feedQuery{}, "", false},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.raw)
		got, err := parseQuery(v, 1000)
		if (err != nil) != tt.err {
			t.Errorf("%q: error %v, want error %v", tt.raw, err, tt.err)
			continue
		}
		if tt.err {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: %+v, want %+v", tt.raw, got, tt.want)
		}
		if e := got.Encode(); e != tt.encoded {
			t.Errorf("%q: encoded %q, want %q", tt.raw, e, tt.encoded)
		}
	}
}

func TestBuildFeed(t *testing.T) {
	fs := seeded(30)
	dup := article("warta", 29) // the same story, seen on another source
	dup.Source, dup.ID, dup.DuplicateOf = "kabar-kota", 999, 30
	fs.add(dup)
	s, _ := newTestServer(t, fs, func(o *Options) { o.HubURL = "https://hub.example.test/" })
	ctx := t.Context()

	f, err := s.BuildFeed(ctx, "warta", feeds.Atom, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "Warta Contoh" || f.HomeURL != "https://warta.example.id/" || f.Language != "id" ||
		f.SelfURL != "http://feeds.example.test/feeds/warta.atom" || f.HubURL != "https://hub.example.test/" ||
		f.ID != "http://feeds.example.test/feeds/warta" {
		t.Errorf("feed metadata: %+v", *f)
	}
	if len(f.Items) != 20 {
		t.Errorf("%d items, want MaxItems 20", len(f.Items))
	}
	if f.Items[0].Title != "Berita warta nomor 29" {
		t.Errorf("first item %q, want the newest", f.Items[0].Title)
	}

	f, err = s.BuildFeed(ctx, "all", feeds.RSS, url.Values{"limit": {"500"}, "q": {"NOMOR 29"}})
	if err != nil {
		t.Fatal(err)
	}
	// Every word is required: article 29 of each source, the duplicate
	// collapsed.
	for _, it := range f.Items {
		if !strings.Contains(it.Title, "nomor 29") {
			t.Errorf("item %q does not match q", it.Title)
		}
	}
	if len(f.Items) != 2 || f.SelfURL != "http://feeds.example.test/feeds/all.rss?limit=500&q=29+nomor" {
		t.Errorf("all feed: %d items, self %q", len(f.Items), f.SelfURL)
	}
	if f.Title != "kabar: all sources" || f.Language != "id" {
		t.Errorf("all feed title %q language %q", f.Title, f.Language)
	}

	f, err = s.BuildFeed(ctx, "warta", feeds.JSON, url.Values{"exclude": {"nomor"}})
	if err != nil || len(f.Items) != 0 {
		t.Errorf("exclude matching everything: %d items, %v", len(f.Items), err)
	}

	if _, err := s.BuildFeed(ctx, "nope", feeds.RSS, nil); !errors.Is(err, ErrUnknownFeed) {
		t.Errorf("unknown source: %v", err)
	}
	if _, err := s.BuildFeed(ctx, "warta", feeds.Format("xml"), nil); !errors.Is(err, ErrUnknownFeed) {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := s.BuildFeed(ctx, "warta", feeds.RSS, url.Values{"limit": {"x"}}); !errors.Is(err, ErrBadQuery) {
		t.Errorf("bad limit: %v", err)
	}
}

func TestItemMapping(t *testing.T) {
	a := article("warta", 3)
	a.Tags = []string{"Politik", " politik ", "", "Pemilu 2029"}
	a.Section = "POLITIK"
	a.Modified = a.Published.Add(time.Hour)
	it := item(&a)
	want := feeds.Item{
		ID: a.URL, URL: a.URL, Title: a.Title, Summary: a.Description, Content: a.HTML,
		Authors: a.Authors, Tags: []string{"Politik", " politik ", "", "Pemilu 2029", "POLITIK"},
		Published: a.Published, Updated: a.Modified, Fetched: a.FirstSeen,
		Image: &feeds.Image{URL: a.LeadImage},
	}
	if !reflect.DeepEqual(it, want) {
		t.Errorf("item:\n got %+v\nwant %+v", it, want)
	}
	// The feed carries each tag once, in its first spelling, without blanks.
	doc, err := feeds.Render(feeds.RSS, &feeds.Feed{Items: []feeds.Item{it}})
	if err != nil {
		t.Fatal(err)
	}
	if got := regexp.MustCompile(`<category>([^<]*)</category>`).FindAllStringSubmatch(string(doc), -1); len(got) != 2 ||
		got[0][1] != "Politik" || got[1][1] != "Pemilu 2029" {
		t.Errorf("rendered categories: %q", got)
	}

	// Content changed after we first stored it, later than the site says.
	a.Updated = a.Modified.Add(2 * time.Hour)
	if it := item(&a); !it.Updated.Equal(a.Updated) {
		t.Errorf("updated %v, want the store's change time %v", it.Updated, a.Updated)
	}
	// No dates from the page: feeds falls back to Fetched.
	b := article("warta", 4)
	b.Published, b.Modified, b.Description, b.LeadImage, b.Tags, b.Section = time.Time{}, time.Time{}, "", "", nil, ""
	it = item(&b)
	if !it.Published.IsZero() || !it.Updated.IsZero() || !it.Fetched.Equal(b.FirstSeen) || it.Image != nil || it.Tags != nil {
		t.Errorf("undated item: %+v", it)
	}
	if it.Summary == "" || !strings.HasPrefix(b.Text, strings.TrimSuffix(it.Summary, "…")) {
		t.Errorf("summary %q is not the start of the text", it.Summary)
	}
}

func TestSummary(t *testing.T) {
	long := strings.Repeat("kata ", 100)
	tests := []struct {
		desc, text, want string
	}{
		{" Deskripsi. ", "teks", "Deskripsi."},
		{"", "Paragraf satu.\n\nParagraf  dua.", "Paragraf satu. Paragraf dua."},
		{"", "", ""},
		{"", long, strings.TrimSpace(strings.Repeat("kata ", 59)) + " kata…"},
	}
	for _, tt := range tests {
		if got := summary(tt.desc, tt.text); got != tt.want {
			t.Errorf("summary(%q, %.20q) = %q, want %q", tt.desc, tt.text, got, tt.want)
		}
	}
	// Multibyte text is cut on a rune boundary, near the target length.
	got := summary("", strings.Repeat("berita ", 10)+strings.Repeat("é", 500))
	if !utf8.ValidString(got) || utf8.RuneCountInString(got) > summaryLength+1 || utf8.RuneCountInString(got) < summaryLength/2 {
		t.Errorf("summary of %d runes, valid %v", utf8.RuneCountInString(got), utf8.ValidString(got))
	}
}

func TestFeedTitleFollowsSources(t *testing.T) {
	fs := seeded(2)
	srcs := []SourceInfo{{Name: "warta", Title: "Lama"}}
	s, clock := newTestServer(t, fs, func(o *Options) { o.Sources = func() []SourceInfo { return srcs } })
	h := s.Handler()
	if w := do(h, "GET", "/feeds/warta.atom"); !strings.Contains(w.Body.String(), "<title>Lama</title>") {
		t.Fatalf("title: %.300s", w.Body.String())
	}
	if w := do(h, "GET", "/opml"); !strings.Contains(w.Body.String(), `title="Lama"`) {
		t.Fatalf("opml: %.600s", w.Body.String())
	}
	srcs = []SourceInfo{{Name: "warta", Title: "Baru"}, {Name: "lain", Title: "Lain"}} // a config reload
	clock.advance(time.Second)
	if w := do(h, "GET", "/feeds/warta.atom"); !strings.Contains(w.Body.String(), "<title>Baru</title>") {
		t.Error("cached feed kept the old title after a reload")
	}
	if w := do(h, "GET", "/feeds/lain.rss"); w.Code != 200 {
		t.Errorf("source added by reload: %d", w.Code)
	}
	// The OPML document is rendered once per snapshot of the sources, and
	// the next snapshot has the reload.
	if w := do(h, "GET", "/opml"); !strings.Contains(w.Body.String(), `title="Baru"`) ||
		!strings.Contains(w.Body.String(), "/feeds/lain.rss") {
		t.Errorf("opml after a reload: %.600s", w.Body.String())
	}
}

var _ Store = (*store.Store)(nil) // the real store is a Store

// TestSummaryFromCutText: feed queries read only the start of each text,
// yet every summary is the one the whole text gives, even for a text that
// starts with more white space than the part read.
func TestSummaryFromCutText(t *testing.T) {
	words := strings.Repeat("kata panjang sekali ", 200)
	texts := map[string]string{
		"long":           words,
		"short":          "Hanya satu kalimat pendek.",
		"exactly cut":    strings.Repeat("x", summaryTextLimit),
		"leading blanks": strings.Repeat(" \n", summaryTextLimit) + words,
		"blank lines":    strings.Repeat("a\n\n\n\n\n\n\n\n\n\n", summaryTextLimit/5),
		"multibyte":      strings.Repeat("berita\u00a0terkini ", 300),
	}
	for name, text := range texts {
		t.Run(name, func(t *testing.T) {
			st := openStore(t, 0)
			a := benchArticle("warta", 1).Article
			a.Description, a.Text = "", text
			if _, err := st.SaveArticle(t.Context(), "warta", &a); err != nil {
				t.Fatal(err)
			}
			s, _ := newTestServer(t, nil, func(o *Options) { o.Store = st })
			f, err := s.BuildFeed(t.Context(), "warta", feeds.Atom, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Items) != 1 {
				t.Fatalf("%d items", len(f.Items))
			}
			if want := summary("", text); f.Items[0].Summary != want {
				t.Errorf("summary %q,\nwant %q", f.Items[0].Summary, want)
			}
		})
	}
}
