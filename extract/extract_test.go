package extract

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func extractFile(t testing.TB, path, pageURL string, opts Options) *Article {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := FromReader(f, pageURL, opts)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return a
}

// norm folds case and whitespace for phrase checks.
func norm(s string) string {
	return strings.ToLower(collapse(strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u2019", "'", "\u2013", "-", "\u2014", "-").Replace(s)))
}

type pageCase struct {
	File        string   `json:"file"`
	URL         string   `json:"url"`
	Title       string   `json:"title"`
	Author      string   `json:"author"`
	Published   string   `json:"published"`
	LeadImage   string   `json:"lead_image"`
	LeadAlts    []string `json:"lead_image_alternates"`
	Body        []string `json:"body_paragraphs"`
	MustNot     []string `json:"must_not_contain"`
	NextPageURL string   `json:"next_page_url"`
}

// TestFixturePages checks the authored news pages in testdata/pages: every
// body paragraph is in the text, no boilerplate string is, and the metadata
// is exact.
func TestFixturePages(t *testing.T) {
	raw, err := os.ReadFile("testdata/pages/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []pageCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		for _, withURL := range []bool{true, false} {
			name := c.File
			if !withURL {
				name += "/no-url"
			}
			t.Run(name, func(t *testing.T) {
				pageURL := ""
				if withURL {
					pageURL = c.URL
				}
				a := extractFile(t, filepath.Join("testdata/pages", c.File), pageURL, Options{Now: time.Date(2025, 8, 14, 9, 0, 0, 0, time.UTC)})
				text := norm(a.Text)
				body := norm(strings.Join(c.Body, " "))
				for _, p := range c.Body {
					if !strings.Contains(text, norm(p)) {
						t.Errorf("missing body paragraph %q", p)
					}
				}
				for _, p := range c.MustNot {
					// strings that the true body contains ("Nasional") do not count
					if !strings.Contains(body, norm(p)) && strings.Contains(text, norm(p)) {
						t.Errorf("leaked %q", p)
					}
				}
				if a.Title != c.Title {
					t.Errorf("title %q, want %q", a.Title, c.Title)
				}
				if !strings.Contains(norm(a.Author()), norm(c.Author)) {
					t.Errorf("author %q, want %q", a.Author(), c.Author)
				}
				want, _ := time.Parse(time.RFC3339, c.Published)
				if !a.Published.Equal(want) {
					t.Errorf("published %v, want %v", a.Published, want)
				}
				if a.LeadImage != c.LeadImage && !slices.Contains(c.LeadAlts, a.LeadImage) {
					t.Errorf("lead image %q, want %q", a.LeadImage, c.LeadImage)
				}
				if c.NextPageURL != "" && a.NextPage != c.NextPageURL {
					t.Errorf("next page %q, want %q", a.NextPage, c.NextPageURL)
				}
				if strings.Contains(a.Text, "\n\n\n") {
					t.Error("text has more than one blank line between paragraphs")
				}
			})
		}
	}
}

// TestRules guards each boilerplate rule with a small page: the phrases in
// with stay in the text, those in without leave it.
func TestRules(t *testing.T) {
	cases := []struct {
		file, url     string
		opts          Options
		with, without []string
		check         func(t *testing.T, a *Article)
	}{
		{
			file: "related-lines.html", url: "https://www.wartacontoh.id/berita/banjir-rob?utm_source=x&fbclid=1",
			with: []string{"SEMARANG - Banjir rob kembali", "Petugas gabungan mengerahkan", "Menurut petugas, pasang air",
				"Ia menyebut baca juga petunjuk evakuasi", "Update Terkini: Air mulai surut",
				"Sebanyak 300 keluarga terdampak dan sebagian memilih bertahan di lantai dua rumah mereka."},
			without: []string{"Baca juga:", "Warga Mengungsi ke Balai Desa", "ADVERTISEMENT", "SCROLL TO CONTINUE",
				"Iklan", "Lihat Juga", "Tanggul Jebol", "Harga Ikan Naik", "Simak juga Video", "Gambas", "Read also",
				"Coastal flooding", "2 dari 3 halaman", "Artikel ini telah tayang", "Grup Telegram", "(nds/krs)",
				"Beranda", "Hak cipta", "Banjir Rob Rendam Pesisir Utara"},
			check: func(t *testing.T, a *Article) {
				if a.URL != "https://www.wartacontoh.id/berita/banjir-rob" {
					t.Errorf("url %q", a.URL)
				}
				if a.SiteName != "Warta Contoh" || a.Language != "id" {
					t.Errorf("site %q lang %q", a.SiteName, a.Language)
				}
				if strings.Join(a.Tags, ",") != "rob,banjir" {
					t.Errorf("tags %q", a.Tags)
				}
			},
		},
		{
			file: "comments.html", url: "https://coastline.example/city/bridge",
			with: []string{"The crews worked through the winter nights", "A slow, careful job",
				"The city council approved the final payment"},
			without: []string{"Home", "Share on Facebook", "Tweet", "Sign up for our morning newsletter",
				"covers infrastructure", "Related stories", "Ferry fares", "3 Comments", "Great work by the crews",
				"LEAVE A REPLY", "Please enter your comment", "Tinggalkan Balasan", "Most popular", "Local bakery",
				"By Jane Miller", "How the Harbour Bridge Was Repainted"},
			check: func(t *testing.T, a *Article) {
				if a.Author() != "Jane Miller, Tom Reyes" {
					t.Errorf("author %q", a.Author())
				}
				if want := time.Date(2025, 3, 4, 15, 15, 0, 0, time.UTC); !a.Published.Equal(want) {
					t.Errorf("published %v", a.Published)
				}
				if _, off := a.Published.Zone(); off != -5*3600 {
					t.Errorf("offset %d, want -5h", off)
				}
				if a.LeadImage != "https://coastline.example/img/bridge.jpg" {
					t.Errorf("lead image %q", a.LeadImage)
				}
				if a.SiteName != "Coastline Daily" || a.Title != "How the Harbour Bridge Was Repainted" {
					t.Errorf("site %q title %q", a.SiteName, a.Title)
				}
				if !strings.Contains(a.HTML, "<h2>A slow, careful job</h2>") {
					t.Errorf("heading lost from HTML: %s", a.HTML)
				}
			},
		},
		{
			file: "byline.html", url: "https://kabardaerah.id/berita/jembatan",
			opts: Options{Now: time.Date(2025, 8, 14, 9, 0, 0, 0, time.UTC)},
			with: []string{"KABARDAERAH.ID - Jembatan gantung", "Warga sebelumnya harus menyeberang", "Kepala desa berharap"},
			without: []string{"Laporan Wartawan", "Penulis", "Editor", "Ani Lestari", "Selasa, 12 Agu 2025",
				"Kamis, 14 Agustus", "Terpopuler", "Harga cabai"},
			check: func(t *testing.T, a *Article) {
				if a.Author() != "Budi Santoso" || a.Editor != "Ani Lestari" {
					t.Errorf("author %q editor %q", a.Author(), a.Editor)
				}
				if want := time.Date(2025, 8, 12, 14, 30, 0, 0, wib); !a.Published.Equal(want) {
					t.Errorf("published %v, want %v", a.Published, want)
				}
			},
		},
		{
			file: "media.html", url: "https://news.example.org/night-market?utm_medium=rss",
			with: []string{"The night market returned", "Vendors sold grilled fish", "Organisers said", "Local shops near the square",
				"market schedule", "who cleaned the square"},
			without: []string{"Stalls line the square", "Photo: Ana Lee", "The brass band on stage", "Hidden promo", "Another hidden", "alert"},
			check: func(t *testing.T, a *Article) {
				for _, want := range []string{
					`src="https://news.example.org/photos/market.jpg"`, `https://news.example.org/photos/market-1200.jpg 1200w`,
					`src="https://news.example.org/photos/band.jpg"`, `src="https://news.example.org/photos/crowd.jpg"`,
					`src="https://news.example.org/photos/lanterns.webp"`,
					`<figcaption>Stalls line the square. Photo: Ana Lee</figcaption>`, `<figcaption>The brass band on stage</figcaption>`,
					`href="https://news.example.org/markets/schedule"`,
				} {
					if !strings.Contains(a.HTML, want) {
						t.Errorf("html lacks %s", want)
					}
				}
				for _, bad := range []string{"<script", "<style", "onclick", "javascript:", "<iframe", "style=", "data:image", "placeholder.gif", "blank.gif"} {
					if strings.Contains(a.HTML, bad) {
						t.Errorf("html has %s", bad)
					}
				}
				if a.LeadImage != "https://news.example.org/photos/market.jpg" {
					t.Errorf("lead image %q", a.LeadImage)
				}
			},
		},
		{
			file: "amp.html", url: "https://m.contoh.id/amp/harga-beras",
			with:    []string{"Harga beras medium di pasar induk turun", "Pedagang menyebut pasokan", "Meski begitu"},
			without: []string{"Logo", "Menu"},
			check: func(t *testing.T, a *Article) {
				if a.Profile != "amp" || a.Method != MethodProfile {
					t.Errorf("method %s profile %q", a.Method, a.Profile)
				}
				if !strings.Contains(a.HTML, `<img src="https://m.contoh.id/foto/beras.jpg"`) {
					t.Errorf("amp-img not kept: %s", a.HTML)
				}
				if a.Title != "Harga Beras Turun di Pasar Induk" {
					t.Errorf("title %q", a.Title)
				}
			},
		},
		{
			file: "siterules.html", url: "https://contoh.id/batik",
			opts:    Options{Rules: Rules{Content: ".kontenku", Remove: []string{".catatan-redaksi"}}},
			with:    []string{"Pameran batik tahunan", "Pengunjung dapat melihat"},
			without: []string{"Promo akhir pekan", "Gratis ongkir", "Catatan redaksi"},
			check: func(t *testing.T, a *Article) {
				if a.Method != MethodRule || a.Confidence <= 0 {
					t.Errorf("method %s confidence %v", a.Method, a.Confidence)
				}
			},
		},
		{
			file: "tail.html", url: "https://townnews.example/river",
			with: []string{"Hundreds of volunteers spent Saturday", "The organisers said", "City officials promised"},
			without: []string{"Advertisement", "copyrighted property", "All rights reserved", "If you enjoyed",
				"Contact:", "More from Town News", "Council approves", "Volunteers at work"},
			check: func(t *testing.T, a *Article) {
				if !strings.Contains(a.HTML, "<figcaption>Volunteers at work. Photo: River Trust</figcaption>") {
					t.Errorf("caption lost from HTML: %s", a.HTML)
				}
			},
		},
		{
			file: "paged.html", url: "https://contoh.id/kisah-nelayan-tua",
			with:    []string{"Pak Darmo sudah melaut", "Ia mengaku laut"},
			without: []string{"Selanjutnya", "Tampilkan semua", "Halaman"},
			check: func(t *testing.T, a *Article) {
				if a.NextPage != "https://contoh.id/kisah-nelayan-tua?page=2" {
					t.Errorf("next %q", a.NextPage)
				}
				if a.SinglePage != "https://contoh.id/kisah-nelayan-tua?page=all" {
					t.Errorf("single %q", a.SinglePage)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			a := extractFile(t, filepath.Join("testdata/rules", c.file), c.url, c.opts)
			text := norm(a.Text)
			for _, p := range c.with {
				if !strings.Contains(text, norm(p)) {
					t.Errorf("missing %q in:\n%s", p, a.Text)
				}
			}
			for _, p := range c.without {
				if strings.Contains(text, norm(p)) {
					t.Errorf("leaked %q in:\n%s", p, a.Text)
				}
			}
			if c.check != nil {
				c.check(t, a)
			}
		})
	}
}

func TestSiteRulesBadSelector(t *testing.T) {
	_, err := FromReader(strings.NewReader("<p>x</p>"), "", Options{Rules: Rules{Content: "div[["}})
	if err == nil || !strings.Contains(err.Error(), "rules.content") {
		t.Fatalf("err = %v, want a rules.content error", err)
	}
}

func TestFromDocumentLeavesDocument(t *testing.T) {
	b, err := os.ReadFile("testdata/rules/comments.html")
	if err != nil {
		t.Fatal(err)
	}
	doc := mustDoc(t, string(b))
	before := outerHTML(t, doc)
	a, err := FromDocument(doc, "https://coastline.example/city/bridge", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "The crews worked") {
		t.Errorf("text %q", a.Text)
	}
	if outerHTML(t, doc) != before {
		t.Error("FromDocument modified the document")
	}
}

func TestNoContent(t *testing.T) {
	for name, page := range map[string]string{
		"empty":       "",
		"blank":       "   \n\t ",
		"nav only":    "<html><body><nav><a href='/'>Home</a></nav></body></html>",
		"script only": "<html><body><script>var a = 1;</script></body></html>",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := FromReader(strings.NewReader(page), "https://example.com/", Options{})
			if !errors.Is(err, ErrNoContent) {
				t.Fatalf("err = %v, want ErrNoContent", err)
			}
		})
	}
}

func TestMerge(t *testing.T) {
	opts := Options{}
	p1 := extractFile(t, "testdata/pages/04-kompas-like-seed-p1.html", "https://www.hariancontoh.com/global/read/2025/08/12/21304591/putin-telepon-kim-jong-un-jelang-ktt-alaska-dengan-trump", opts)
	p2 := extractFile(t, "testdata/pages/05-kompas-like-seed-p2.html", "https://www.hariancontoh.com/global/read/2025/08/12/21304591/putin-telepon-kim-jong-un-jelang-ktt-alaska-dengan-trump?page=2", opts)
	m := Merge([]*Article{p1, nil, p2})
	if m.Title != p1.Title || m.URL != p1.URL || m.NextPage != "" {
		t.Errorf("merged metadata: title %q url %q next %q", m.Title, m.URL, m.NextPage)
	}
	i1 := strings.Index(m.Text, "HARIANCONTOH.com - Presiden Rusia")
	i2 := strings.Index(m.Text, "Update Terkini:")
	if i1 < 0 || i2 < 0 || i1 > i2 {
		t.Errorf("pages not joined in order: %d %d", i1, i2)
	}
	// a paragraph repeated on both pages appears once
	dup := &Article{Text: "Intro paragraph one.\n\nShared promo line here.", HTML: "<p>Intro paragraph one.</p><p>Shared promo line here.</p>"}
	dup2 := &Article{Text: "Second page body.\n\nShared promo line here.", HTML: "<p>Second page body.</p><p>Shared promo line here.</p>"}
	m = Merge([]*Article{dup, dup2})
	if strings.Count(m.Text, "Shared promo") != 1 || strings.Count(m.HTML, "Shared promo") != 1 {
		t.Errorf("repeated block kept: %q / %q", m.Text, m.HTML)
	}
	if Merge(nil) != nil {
		t.Error("Merge(nil) should be nil")
	}
}

// TestProfiles checks that CMS fingerprints pick the built-in rule sets and
// that a page without one falls to the generic detector with a confidence.
func TestProfiles(t *testing.T) {
	cases := []struct {
		file    string
		method  Method
		profile string
	}{
		{"01-tagdiv-newspaper-seed.html", MethodProfile, "tagdiv-newspaper"},
		{"08-blogger-seed.html", MethodProfile, "blogger"},
		{"10-jnews-lazyload-fiction.html", MethodProfile, "jnews"},
		{"12-regional-portal-visible-date-only-fiction.html", MethodGeneric, ""},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			a := extractFile(t, filepath.Join("testdata/pages", c.file), "", Options{})
			if a.Method != c.method || a.Profile != c.profile {
				t.Errorf("method %s profile %q, want %s %q", a.Method, a.Profile, c.method, c.profile)
			}
			if a.Confidence <= 0 || a.Confidence > 1 {
				t.Errorf("confidence %v", a.Confidence)
			}
		})
	}
	a := extractFile(t, "testdata/pages/10-jnews-lazyload-fiction.html", "", Options{})
	if want := "Cuaca kering sejak akhir Juni membuat buah kopi matang serentak; petani masih terkendala sarana pengeringan."; a.Subtitle != want {
		t.Errorf("subtitle %q, want %q", a.Subtitle, want)
	}
	if strings.Contains(a.Text, "petani masih terkendala sarana pengeringan") {
		t.Error("subtitle leaked into the text")
	}
}
