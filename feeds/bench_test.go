package feeds

import (
	"fmt"
	"strings"
	"testing"
	"time"

	gfeeds "github.com/gorilla/feeds"
)

// benchParagraphs is the body of a typical news article: about 4 KB of
// HTML with links, a figure and emphasis. Its URLs are relative, as on the
// page; benchFeed makes them absolute, as extract stores them.
var benchParagraphs = []string{
	`<p><strong>JAKARTA</strong> - Hujan deras yang mengguyur wilayah Jabodetabek sejak Selasa pagi membuat sejumlah ruas jalan dan permukiman warga terendam banjir. Badan Penanggulangan Bencana Daerah (BPBD) mencatat ketinggian air mencapai 80 sentimeter di beberapa titik.</p>`,
	`<p>"Kami sudah menyiagakan pompa air dan perahu karet di wilayah rawan," kata Kepala Pusat Data dan Informasi BPBD, <a href="/tag/bpbd">Mohamad Yohan</a>, kepada wartawan di Jakarta.</p>`,
	`<figure><img src="/img/2026/11/banjir-kampung-melayu.jpg" srcset="/img/2026/11/banjir-640.jpg 640w, /img/2026/11/banjir-1280.jpg 1280w" alt="Warga melintasi banjir di Kampung Melayu" width="1280" height="720"><figcaption>Warga melintasi genangan di Kampung Melayu, Jakarta Timur.</figcaption></figure>`,
	`<p>Menurut data BMKG, curah hujan tertinggi tercatat di stasiun pengamatan Kemayoran dengan intensitas 150 milimeter per hari. BMKG memperkirakan hujan dengan intensitas sedang hingga lebat masih akan terjadi hingga akhir pekan.</p>`,
	`<h2>Pengungsian</h2><p>Sebanyak 1.250 warga dari tiga kelurahan terpaksa mengungsi ke masjid, sekolah dan kantor kelurahan terdekat. Dinas Sosial menyalurkan makanan siap saji, selimut dan obat-obatan.</p>`,
	`<ul><li>Kampung Melayu: 420 jiwa</li><li>Bidara Cina: 380 jiwa</li><li>Cawang: 450 jiwa</li></ul>`,
	`<p>Pemerintah Provinsi DKI Jakarta meminta warga yang tinggal di bantaran sungai untuk tetap waspada dan segera melapor melalui layanan darurat <a href="https://www.contoh.id/darurat">112</a> jika membutuhkan bantuan evakuasi.</p>`,
	`<blockquote><p>Kami mengimbau masyarakat tidak membuang sampah ke saluran air agar aliran tidak tersumbat.</p></blockquote><p>Banjir juga sempat mengganggu perjalanan KRL Commuter Line lintas Bogor yang tertahan hampir satu jam di Stasiun Manggarai.</p>`,
}

// benchFeed returns a feed of n distinct articles whose content has
// absolute URLs (as stored by extract) or, with relative, the page's own.
func benchFeed(n int, relative bool) *Feed {
	body := strings.Join(benchParagraphs, "\n")
	if !relative {
		body = strings.NewReplacer(`="/`, `="https://www.contoh.id/`, `, /`, `, https://www.contoh.id/`).Replace(body)
	}
	f := &Feed{
		Title:    "Berita Contoh",
		HomeURL:  "https://www.contoh.id/",
		SelfURL:  "https://kabar.example/feeds/contoh.atom",
		Language: "id",
	}
	start := time.Date(2026, 11, 25, 12, 0, 0, 0, wib)
	for i := range n {
		u := fmt.Sprintf("https://www.contoh.id/2026/11/%d/berita-banjir-%d", 1+i%28, i)
		f.Items = append(f.Items, Item{
			ID:        u,
			URL:       u,
			Title:     fmt.Sprintf("Banjir Rendam Ratusan Rumah di Jakarta Timur, Bagian %d", i),
			Summary:   "Hujan deras sejak pagi membuat ratusan rumah di Jakarta Timur terendam banjir.",
			Content:   body,
			Authors:   []string{"Siti Rahma"},
			Tags:      []string{"Megapolitan", "Banjir"},
			Published: start.Add(-time.Duration(i) * time.Hour),
			Updated:   start.Add(-time.Duration(i)*time.Hour + 10*time.Minute),
			Image:     &Image{URL: "/img/2026/11/banjir.jpg", Length: 48213},
		})
	}
	return f
}

// gorillaFeed is the same feed in gorilla's high-level model: the peer,
// which serialises without any hygiene.
func gorillaFeed(f *Feed) *gfeeds.Feed {
	g := &gfeeds.Feed{Title: f.Title, Link: &gfeeds.Link{Href: f.HomeURL}, Updated: Updated(f)}
	for _, it := range f.Items {
		g.Items = append(g.Items, &gfeeds.Item{
			Id: it.ID, Title: it.Title, Link: &gfeeds.Link{Href: it.URL}, Description: it.Summary,
			Content: it.Content, Author: &gfeeds.Author{Name: strings.Join(it.Authors, ", ")},
			Created: it.Published, Updated: it.Updated,
		})
	}
	return g
}

// loop runs fn b.N times and reports, besides wall time, the process CPU
// time per operation (cpu-ns/op), steadier on a shared machine.
func loop(b *testing.B, fn func() error) {
	b.Helper()
	cpu := cpuTime()
	for b.Loop() {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
	}
	if used := cpuTime() - cpu; used > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkRender renders Atom feeds of 50 and 1,000 articles (about 4 KB
// of HTML each) cold, with a warm Renderer, and against two peers:
// bluemonday alone on the same HTML (the floor of any render that
// sanitises) and gorilla/feeds, which serialises without any hygiene.
func BenchmarkRender(b *testing.B) {
	for _, n := range []int{50, 1000} {
		f := benchFeed(n, false)
		b.Run(fmt.Sprintf("atom/%d", n), func(b *testing.B) {
			loop(b, func() error { _, err := Render(Atom, f); return err })
		})
		b.Run(fmt.Sprintf("atom-renderer-warm/%d", n), func(b *testing.B) {
			r := NewRenderer(2 * n)
			if _, err := r.Render(RSS, f); err != nil { // another format saw the items first
				b.Fatal(err)
			}
			loop(b, func() error { _, err := r.Render(Atom, f); return err })
		})
		b.Run(fmt.Sprintf("bluemonday-only/%d", n), func(b *testing.B) {
			p := contentPolicy()
			loop(b, func() error {
				for i := range f.Items {
					p.Sanitize(f.Items[i].Content)
				}
				return nil
			})
		})
		b.Run(fmt.Sprintf("gorilla-atom/%d", n), func(b *testing.B) {
			g := gorillaFeed(f)
			loop(b, func() error { _, err := g.ToAtom(); return err })
		})
	}
	b.Run("atom-relative-urls/50", func(b *testing.B) {
		f := benchFeed(50, true)
		loop(b, func() error { _, err := Render(Atom, f); return err })
	})
	f := benchFeed(50, false)
	for _, format := range []Format{RSS, JSON} {
		b.Run(fmt.Sprintf("%s/50", format), func(b *testing.B) {
			loop(b, func() error { _, err := Render(format, f); return err })
		})
	}
}

func BenchmarkNewPolicy(b *testing.B) {
	loop(b, func() error { newPolicy(); return nil })
}
