package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var wib = time.FixedZone("WIB", 7*3600)

// fixtureFeed is a small, realistic feed: two articles of an Indonesian
// news site, one with everything, one with a relative image, no author and
// only a published date.
func fixtureFeed(format Format) *Feed {
	return &Feed{
		ID:          "https://kabar.example/feeds/contoh." + string(format),
		Title:       "Berita Contoh",
		Description: "Berita terbaru dari <b>Contoh</b>",
		HomeURL:     "https://www.contoh.id/",
		SelfURL:     "https://kabar.example/feeds/contoh." + string(format),
		HubURL:      "https://hub.example/",
		Language:    "id",
		LogoURL:     "/logo.png",
		Items: []Item{
			{
				ID:        "https://www.contoh.id/2026/11/25/banjir-jakarta",
				URL:       "https://www.contoh.id/2026/11/25/banjir-jakarta",
				Title:     "Banjir Rendam Jakarta &amp; Bekasi",
				Summary:   "Hujan deras sejak pagi membuat ratusan rumah terendam.",
				Content:   `<p>Hujan deras sejak <em>pagi</em> membuat <a href="/tag/banjir">ratusan rumah</a> terendam.</p><figure><img src="/img/banjir.jpg" srcset="/img/banjir-640.jpg 640w, /img/banjir-1280.jpg 1280w" alt="Banjir"><figcaption>Warga mengungsi.</figcaption></figure>`,
				Authors:   []string{"Siti Rahma", "Budi Santoso"},
				Tags:      []string{"Megapolitan", "Banjir", "banjir"},
				Published: time.Date(2026, 11, 25, 8, 30, 0, 0, wib),
				Updated:   time.Date(2026, 11, 25, 10, 5, 0, 0, wib),
				Image:     &Image{URL: "https://cdn.contoh.id/img/banjir.jpg", Length: 48213},
			},
			{
				ID:        "contoh-98765",
				URL:       "https://www.contoh.id/2026/11/24/harga-cabai?page=1",
				Title:     "Harga Cabai Naik Jelang Akhir Tahun",
				Content:   `<p>Harga cabai rawit di pasar induk naik menjadi Rp 80.000 per kilogram.</p><p>Pedagang menyebut pasokan berkurang.</p>`,
				Tags:      []string{"Ekonomi"},
				Published: time.Date(2026, 11, 24, 14, 0, 0, 0, wib),
				Image:     &Image{URL: "../img/cabai.webp"},
			},
		},
	}
}

func TestGolden(t *testing.T) {
	for _, format := range []Format{RSS, Atom, JSON} {
		t.Run(string(format), func(t *testing.T) {
			got, err := Render(format, fixtureFeed(format))
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "contoh."+string(format), readable(t, format, got))
		})
	}
	for _, format := range []Format{RSS, Atom, JSON} {
		t.Run("hostile/"+string(format), func(t *testing.T) {
			checkGolden(t, "hostile."+string(format), readable(t, format, mustRender(t, format, hostileFeed())))
		})
	}
	t.Run("opml", func(t *testing.T) {
		got, err := OPML("kabar feeds", fixtureOutlines())
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "feeds.opml", got)
	})
}

// readable returns b as stored in a golden file: JSON (written compact)
// indented, so that a golden diff points at one field; XML as is.
func readable(t *testing.T, format Format, b []byte) []byte {
	t.Helper()
	if format != JSON {
		return b
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	return out.Bytes()
}

func fixtureOutlines() []Outline {
	return []Outline{
		{Title: "Berita Contoh", HTMLURL: "https://www.contoh.id/", XMLURL: "https://kabar.example/feeds/contoh.atom", Description: "Berita terbaru", Language: "id"},
		{Title: "Semua <i>sumber</i>", XMLURL: "https://kabar.example/feeds/all.atom"},
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
		line := 0
		for line < len(g) && line < len(w) && bytes.Equal(g[line], w[line]) {
			line++
		}
		var gl, wl []byte
		if line < len(g) {
			gl = g[line]
		}
		if line < len(w) {
			wl = w[line]
		}
		t.Errorf("%s differs at line %d (go test -update rewrites it)\n got: %s\nwant: %s", path, line+1, gl, wl)
	}
}

// decodeXMLStrict reads every token of b with a strict decoder and returns
// the first error.
func decodeXMLStrict(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestRendererMatchesRender(t *testing.T) {
	r := NewRenderer(3) // small: exercises the generation swap
	docs := []*Feed{fixtureFeed(Atom), hostileFeed(), undatedFeed(), benchFeed(7, true), fixtureFeed(Atom)}
	for round := range 2 {
		for i, f := range docs {
			for _, format := range []Format{RSS, Atom, JSON} {
				want := mustRender(t, format, f)
				got, err := r.Render(format, f)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("round %d feed %d %s: Renderer output differs from Render", round, i, format)
				}
			}
		}
	}
	if n := len(r.cur) + len(r.prev); n > 4 {
		t.Errorf("memo holds %d entries, want at most about 3", n)
	}
}

func TestDuplicateIDs(t *testing.T) {
	f := &Feed{Items: []Item{
		{ID: "https://x.id/a", Title: "first"},
		{ID: "https://x.id/b", Title: "other"},
		{ID: "https://x.id/a", Title: "again"},
	}}
	var got atomCheck
	decodeStrict(t, mustRender(t, Atom, f), &got)
	if len(got.Entries) != 2 || got.Entries[0].Title != "first" || got.Entries[1].Title != "other" {
		t.Errorf("entries = %+v, want the first of each id, in order", got.Entries)
	}
}

func TestRendererKeysOnBase(t *testing.T) {
	r := NewRenderer(0)
	mk := func(u string) *Feed {
		return &Feed{Items: []Item{{URL: u, Title: "t", Content: `<img src="foto.jpg">`}}}
	}
	a, _ := r.Render(JSON, mk("https://a.example/x/"))
	b, _ := r.Render(JSON, mk("https://b.example/y/"))
	if !bytes.Contains(a, []byte("https://a.example/x/foto.jpg")) || !bytes.Contains(b, []byte("https://b.example/y/foto.jpg")) {
		t.Errorf("same HTML under two page URLs must resolve differently:\n%s\n%s", a, b)
	}
}

func TestRendererConcurrent(t *testing.T) {
	r := NewRenderer(8)
	docs := []*Feed{fixtureFeed(Atom), hostileFeed(), benchFeed(6, true)}
	want := make([][]byte, len(docs))
	for i, f := range docs {
		want[i] = mustRender(t, Atom, f)
	}
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 20 {
				i := (g + k) % len(docs)
				got, err := r.Render(Atom, docs[i])
				if err == nil && !bytes.Equal(got, want[i]) {
					err = fmt.Errorf("goroutine %d: feed %d differs", g, i)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestLargeFeedDeterministic(t *testing.T) {
	f := benchFeed(200, true)
	a, b := mustRender(t, Atom, f), mustRender(t, Atom, f)
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of a large feed differ")
	}
	var got atomCheck
	decodeStrict(t, a, &got)
	for i, e := range got.Entries {
		if want := f.Items[i].ID; e.ID != want {
			t.Fatalf("entry %d is %s, want %s: order must follow the items", i, e.ID, want)
		}
	}
}
