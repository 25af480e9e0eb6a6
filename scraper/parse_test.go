package scraper

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kabar-news/kabar/extract"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestParseListing(t *testing.T) {
	const page = `<html><head><base href="https://www.contoh.id/berita/">
<link rel="alternate" type="application/rss+xml" title="Komentar" href="/comments/feed">
<link rel="alternate" type="application/rss+xml" title="Berita" href="/feed"></head><body>
<header class="site-header"><nav><a href="/">Beranda</a><a href="/kategori/ekonomi">Ekonomi</a></nav></header>
<div class="breaking-news"><a href="/2026/11/26/gempa-guncang-kota-pagi-ini">Gempa guncang kota pagi ini</a></div>
<main>
 <article><header><h2><a href="2026/11/26/harga-beras-turun-menjelang-akhir-tahun?utm_source=x">Harga beras turun menjelang akhir tahun</a></h2></header>
  <footer class="entry-footer"><a href="/tag/beras">beras</a></footer></article>
 <div class="list"><a href="https://m.contoh.id/read/d-7654321/presiden-resmikan-bendungan">Presiden resmikan bendungan baru</a></div>
 <a href="/news/12345678"><img alt="Foto: banjir besar melanda desa di pinggir kota"></a>
 <a href="/2026/11/">November 2026</a>
 <a href="/penulis/budi-santoso-wartawan-senior">Budi Santoso</a>
 <a href="https://www.facebook.com/sharer/sharer.php?u=https://www.contoh.id/x">Bagikan ke Facebook sekarang juga</a>
 <a href="mailto:redaksi@contoh.id">Kirim surat ke redaksi kami</a>
 <a href="javascript:void(0)">Muat lebih banyak berita lagi</a>
 <a href="/laporan/tahunan-2026-lengkap-final.pdf">Unduh laporan tahunan lengkap</a>
</main>
<aside class="sidebar"><a href="/2026/11/20/berita-populer-pekan-lalu">Populer</a></aside>
<div class="pagination"><a href="?page=1">1</a><a href="?page=3">3</a><a class="next page-numbers" href="?page=2">Berikutnya »</a></div>
<footer><a href="/tentang-kami">Tentang kami</a></footer></body></html>`
	pageURL := mustURL(t, "https://www.contoh.id/berita/")
	l := parseListing([]byte(page), pageURL)
	allowed := func(u *url.URL) bool { return siteOf(u) == "contoh.id" }
	var got []string
	for _, al := range articleLinks(l, pageURL, allowed, nil) {
		got = append(got, al.url.String())
	}
	want := []string{
		"https://www.contoh.id/2026/11/26/gempa-guncang-kota-pagi-ini",
		"https://www.contoh.id/berita/2026/11/26/harga-beras-turun-menjelang-akhir-tahun?utm_source=x",
		"https://m.contoh.id/read/d-7654321/presiden-resmikan-bendungan",
		"https://www.contoh.id/news/12345678",
	}
	if !slices.Equal(got, want) {
		t.Errorf("article links:\n got %q\nwant %q", got, want)
	}
	if l.next == nil || l.next.String() != "https://www.contoh.id/berita/?page=2" {
		t.Errorf("next = %v, want ?page=2", l.next)
	}
	if f := pickFeed(l.feeds, pageURL, allowed); f == nil || f.String() != "https://www.contoh.id/feed" {
		t.Errorf("feed = %v, want /feed (not the comments feed)", f)
	}

	// With a pattern, the pattern decides (navigation included), hard exclusions still apply.
	got = got[:0]
	for _, al := range articleLinks(l, pageURL, allowed, regexp.MustCompile(`/20\d\d/\d\d/`)) {
		got = append(got, al.url.Path)
	}
	want = []string{"/2026/11/26/gempa-guncang-kota-pagi-ini", "/berita/2026/11/26/harga-beras-turun-menjelang-akhir-tahun", "/2026/11/", "/2026/11/20/berita-populer-pekan-lalu"}
	if !slices.Equal(got, want) {
		t.Errorf("pattern links:\n got %q\nwant %q", got, want)
	}
}

func TestPageNumberNext(t *testing.T) {
	page := `<a href="/indeks/page/3">3</a><a href="/indeks/page/2">2</a><a href="/lain/page/3">x</a>`
	l := parseListing([]byte(page), mustURL(t, "https://contoh.id/indeks/page/2"))
	if l.next == nil || l.next.Path != "/indeks/page/3" {
		t.Errorf("next = %v, want /indeks/page/3", l.next)
	}
}

func TestURLKey(t *testing.T) {
	for raw, want := range map[string]string{
		"HTTPS://WWW.Contoh.ID:443/a/b?utm_source=x&id=3&fbclid=y#top": "https://www.contoh.id/a/b?id=3",
		"http://contoh.id/a;jsessionid=ABC123?x=1":                     "http://contoh.id/a?x=1",
		"http://contoh.id/a?PHPSESSID=1&gclid=2":                       "http://contoh.id/a",
		"http://contoh.id":                                             "http://contoh.id/",
	} {
		if got := urlKey(raw); got != want {
			t.Errorf("urlKey(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestSiteOf(t *testing.T) {
	for raw, want := range map[string]string{
		"https://www.detik.com/x":        "detik.com",
		"https://news.detik.com/x":       "detik.com",
		"https://www.contoh.co.id/":      "contoh.co.id",
		"http://127.0.0.1:8080/":         "127.0.0.1:8080",
		"http://localhost:9/":            "localhost:9",
		"https://contoh.blogspot.com/x/": "contoh.blogspot.com",
	} {
		if got := siteOf(mustURL(t, raw)); got != want {
			t.Errorf("siteOf(%s) = %q, want %q", raw, got, want)
		}
	}
}

func TestParseFeed(t *testing.T) {
	tests := []struct {
		name, body string
		home       string
		links      []string
	}{
		{"rss", `<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><link>https://contoh.id/</link>
<item><link>https://contoh.id/a</link><pubDate>Thu, 26 Nov 2026 08:00:00 +0700</pubDate></item>
<item><guid>https://contoh.id/b</guid><pubDate>26 Nov 2026 09:00:00 +0700</pubDate></item>
<item><guid isPermaLink="false">123</guid></item></channel></rss>`, "https://contoh.id/", []string{"https://contoh.id/a", "https://contoh.id/b"}},
		{"atom", `<feed xmlns="http://www.w3.org/2005/Atom"><link href="https://contoh.id/"/><link rel="self" href="https://contoh.id/feed"/>
<entry><id>tag:x</id><link rel="alternate" href="https://contoh.id/c"/><link rel="replies" href="https://contoh.id/c#comments"/><published>2026-11-26T08:00:00+07:00</published></entry></feed>`,
			"https://contoh.id/", []string{"https://contoh.id/c"}},
		{"rdf", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://contoh.id/"><link>https://contoh.id/</link></channel>
<item rdf:about="https://contoh.id/d"><title>d</title><dc:date>2026-11-26</dc:date></item></rdf:RDF>`, "https://contoh.id/", []string{"https://contoh.id/d"}},
		{"json", `{"version":"https://jsonfeed.org/version/1.1","home_page_url":"https://contoh.id/","items":[{"id":"1","url":"https://contoh.id/e","date_published":"2026-11-26T08:00:00+07:00"},{"id":"https://contoh.id/f"}]}`,
			"https://contoh.id/", []string{"https://contoh.id/e", "https://contoh.id/f"}},
		{"feedburner", `<rss xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel><link>https://contoh.id/</link>
<item><link>https://feedproxy.google.com/~r/contoh/~3/abc/</link><feedburner:origLink>https://contoh.id/asli</feedburner:origLink></item></channel></rss>`,
			"https://contoh.id/", []string{"https://contoh.id/asli"}},
		{"broken tail", `<rss><channel><item><link>https://contoh.id/g</link></item><item><link>https://contoh.id/h`, "", []string{"https://contoh.id/g"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseFeed([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			var links []string
			for _, it := range f.items {
				links = append(links, it.link)
			}
			if f.home != tt.home || !slices.Equal(links, tt.links) {
				t.Errorf("home %q links %q, want %q %q", f.home, links, tt.home, tt.links)
			}
		})
	}
	if _, err := parseFeed([]byte("<html><body>not a feed</body></html>")); err == nil {
		t.Error("an HTML page parsed as a feed")
	}
	f, _ := parseFeed([]byte(tests[0].body))
	if want := time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC); !f.items[0].date.Equal(want) {
		t.Errorf("date %v, want %v", f.items[0].date, want)
	}
}

func TestParseSitemap(t *testing.T) {
	sm, err := parseSitemap([]byte(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc> https://contoh.id/a </loc><lastmod>2026-11-20</lastmod><news:news><news:publication_date>2026-11-26T08:00:00+07:00</news:publication_date></news:news>
<image:image><image:loc>https://cdn.contoh.id/a.jpg</image:loc></image:image></url>
<url><loc>https://contoh.id/b</loc></url></urlset>`))
	if err != nil {
		t.Fatal(err)
	}
	if sm.index || len(sm.entries) != 2 || sm.entries[0].loc != "https://contoh.id/a" || sm.entries[0].date.Day() != 26 {
		t.Errorf("urlset: %+v", sm)
	}
	sm, err = parseSitemap([]byte(`<sitemapindex><sitemap><loc>https://contoh.id/s1.xml.gz</loc><lastmod>2026-11-26</lastmod></sitemap></sitemapindex>`))
	if err != nil || !sm.index || len(sm.entries) != 1 {
		t.Errorf("index: %+v %v", sm, err)
	}
	sm, err = parseSitemap([]byte("https://contoh.id/x\nhttps://contoh.id/y\n"))
	if err != nil || len(sm.entries) != 2 {
		t.Errorf("text sitemap: %+v %v", sm, err)
	}
	if _, err := parseSitemap([]byte("<html></html>")); err == nil {
		t.Error("HTML parsed as a sitemap")
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"120":                           2 * time.Minute,
		"0":                             0,
		"Thu, 26 Nov 2026 08:00:30 GMT": 30 * time.Second,
		"Thu, 26 Nov 2026 07:00:00 GMT": 0,
	} {
		if got, ok := retryAfter(v, now); !ok || got != want {
			t.Errorf("retryAfter(%q) = %v %v, want %v", v, got, ok, want)
		}
	}
	for _, v := range []string{"", "soon", "-5"} {
		if _, ok := retryAfter(v, now); ok {
			t.Errorf("retryAfter(%q) accepted", v)
		}
	}
}

func TestBackoff(t *testing.T) {
	p := withDefaults(Policy{RetryBase: 100 * time.Millisecond, RetryMax: time.Second})
	for attempt, hi := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		hi *= time.Millisecond
		if hi > time.Second {
			hi = time.Second
		}
		for range 20 {
			if d := backoff(p, attempt); d < hi/2 || d > hi {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", attempt, d, hi/2, hi)
			}
		}
	}
	if d := backoff(p, 200); d > time.Second {
		t.Errorf("backoff overflowed: %v", d)
	}
}

func TestSamePiece(t *testing.T) {
	first := &extract.Article{URL: "https://contoh.id/read/2026/berita-panjang", PageURL: "https://contoh.id/read/2026/berita-panjang", Title: "Berita panjang sekali tentang kota"}
	tests := []struct {
		page *extract.Article
		want bool
	}{
		{&extract.Article{URL: first.URL, PageURL: "https://contoh.id/x?p=2", Title: "lain"}, true},
		{&extract.Article{URL: "https://contoh.id/read/2026/berita-panjang/2", PageURL: "https://contoh.id/read/2026/berita-panjang/2", Title: "lain"}, true},
		{&extract.Article{URL: "https://contoh.id/read/2026/berita-panjang?page=2", PageURL: "https://contoh.id/read/2026/berita-panjang?page=2"}, true},
		{&extract.Article{URL: "https://contoh.id/z", PageURL: "https://contoh.id/z", Title: "Berita panjang sekali tentang kota - Halaman 2"}, true},
		{&extract.Article{URL: "https://contoh.id/read/2026/berita-lain", PageURL: "https://contoh.id/read/2026/berita-lain", Title: "Berita lain"}, false},
	}
	for i, tt := range tests {
		if got := samePiece(first, tt.page); got != tt.want {
			t.Errorf("%d: samePiece = %v, want %v", i, got, tt.want)
		}
	}
}

func FuzzParseFeed(f *testing.F) {
	f.Add([]byte(`<rss><channel><item><link>https://a/b</link><pubDate>Thu, 26 Nov 2026 08:00:00 +0700</pubDate></item></channel></rss>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"url":"https://a/b"}]}`))
	f.Add([]byte(`<feed><entry><link href="https://a/c"/></entry></feed>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fd, err := parseFeed(b)
		if err != nil {
			return
		}
		for _, it := range fd.items {
			if it.link == "" {
				t.Error("item without link")
			}
		}
	})
}

func FuzzParseSitemap(f *testing.F) {
	f.Add([]byte(`<urlset><url><loc>https://a/b</loc><lastmod>2026-11-26</lastmod></url></urlset>`))
	f.Add([]byte(`<sitemapindex><sitemap><loc>https://a/s.xml</loc></sitemap></sitemapindex>`))
	f.Add([]byte("https://a/b\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sm, err := parseSitemap(b)
		if err != nil {
			return
		}
		for _, e := range sm.entries {
			if e.loc == "" {
				t.Error("entry without loc")
			}
		}
	})
}

func FuzzParseListing(f *testing.F) {
	f.Add([]byte(`<nav><a href="/a">x</a></nav><article><a href="/2026/11/26/judul-berita-ini">Judul berita yang cukup panjang</a></article><a rel="next" href="?page=2">2</a>`))
	f.Add([]byte(`<base href="//evil/"><a href="javascript:x">`))
	base := mustURL(f, "https://contoh.id/berita")
	f.Fuzz(func(t *testing.T, b []byte) {
		l := parseListing(b, base)
		for _, a := range l.links {
			if a.url.Scheme != "http" && a.url.Scheme != "https" || a.url.Fragment != "" {
				t.Errorf("bad link %v", a.url)
			}
		}
		for _, al := range articleLinks(l, base, func(u *url.URL) bool { return siteOf(u) == "contoh.id" }, nil) {
			if siteOf(al.url) != "contoh.id" {
				t.Errorf("off-site article link %v", al.url)
			}
		}
	})
}

func TestStatsAdd(t *testing.T) {
	var sum Stats
	sum.Add(Stats{Pages: 2, Articles: 1, Errors: 1, ErrorKinds: map[string]int{"timeout": 1}})
	sum.Add(Stats{Pages: 3, Skipped: 4, Errors: 2, ErrorKinds: map[string]int{"timeout": 1, "status": 1}})
	if sum.Pages != 5 || sum.Articles != 1 || sum.Skipped != 4 || sum.Errors != 3 || sum.ErrorKinds["timeout"] != 2 || sum.ErrorKinds["status"] != 1 {
		t.Errorf("sum %+v", sum)
	}
}

func BenchmarkParseListing(b *testing.B) {
	var page strings.Builder
	page.WriteString(`<html><body><header><nav>`)
	for i := range 60 {
		fmt.Fprintf(&page, `<a href="/kanal/rubrik-%d">Rubrik %d</a>`, i, i)
	}
	page.WriteString(`</nav></header><main>`)
	for i := range 100 {
		fmt.Fprintf(&page, `<article><h2><a href="/2026/11/26/%d/judul-berita-nomor-%d?utm_source=x">Judul berita nomor %d hari ini</a></h2><p>Ringkasan</p></article>`, 100000+i, i, i)
	}
	page.WriteString(`</main></body></html>`)
	body := []byte(page.String())
	base := mustURL(b, "https://www.contoh.id/indeks")
	allowed := func(u *url.URL) bool { return siteOf(u) == "contoh.id" }
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if n := len(articleLinks(parseListing(body, base), base, allowed, nil)); n != 100 {
			b.Fatalf("%d links", n)
		}
	}
}

func TestASCIIHost(t *testing.T) {
	for in, want := range map[string]string{
		"WWW.Contoh.ID:8080": "www.contoh.id:8080",
		"berita.bücher.de":   "berita.xn--bcher-kva.de",
		"bücher.de:443":      "xn--bcher-kva.de:443",
	} {
		if got := asciiHost(in); got != want {
			t.Errorf("asciiHost(%q) = %q, want %q", in, got, want)
		}
	}
}
