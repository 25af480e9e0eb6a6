package extract

import (
	"strings"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://Example.COM:443/a/b?utm_source=x&id=3&utm_medium=y#top", "https://example.com/a/b?id=3"},
		{"http://example.com:80/x?fbclid=abc", "http://example.com/x"},
		{"https://example.com/x?b=2&gclid=1&a=1&mc_cid=9&mc_eid=8", "https://example.com/x?b=2&a=1"},
		{"https://example.com", "https://example.com/"},
		{"https://example.com:8443/x", "https://example.com:8443/x"},
		{"https://example.com/x?page=2&_ga=1", "https://example.com/x?page=2"},
		{"  https://example.com/x?UTM_Campaign=z  ", "https://example.com/x"},
		{"/relative/path", "/relative/path"},
		{"not a url", "not a url"},
	}
	for _, c := range cases {
		if got := CanonicalURL(c.in); got != c.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestArticleURL(t *testing.T) {
	cases := []struct {
		name, head, pageURL, want string
	}{
		{"canonical", `<link rel="canonical" href="https://site.example/story">`, "https://site.example/story?utm_source=fb", "https://site.example/story"},
		{"og url", `<meta property="og:url" content="https://site.example/og-story">`, "https://site.example/x", "https://site.example/og-story"},
		{"relative canonical ignored", `<link rel="canonical" href="/story">`, "https://site.example/story?fbclid=1#c", "https://site.example/story"},
		{"none", ``, "https://Site.Example:443/s?gclid=2", "https://site.example/s"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page := "<html><head>" + c.head + "</head><body><article><p>" + longPara + "</p><p>" + longPara + "</p></article></body></html>"
			a, err := FromReader(strings.NewReader(page), c.pageURL, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if a.URL != c.want {
				t.Errorf("URL %q, want %q", a.URL, c.want)
			}
		})
	}
}

func TestHomeCanonicalOfArticleIgnored(t *testing.T) {
	page := `<html><head><link rel="canonical" href="https://warta.example/"><title>Judul</title></head>
<body><article><h1>Judul berita</h1><p>` + strings.Repeat("Kalimat isi berita yang cukup panjang untuk dianggap badan artikel. ", 8) + `</p></article></body></html>`
	for _, tc := range []struct{ pageURL, want string }{
		{"https://warta.example/2026/11/26/judul-berita/", "https://warta.example/2026/11/26/judul-berita/"},
		{"https://warta.example/?p=123", "https://warta.example/?p=123"},
		{"https://warta.example/", "https://warta.example/"}, // the home page itself
		{"", "https://warta.example/"},                       // nothing to compare with
	} {
		a, err := FromReader(strings.NewReader(page), tc.pageURL, Options{})
		if err != nil {
			t.Fatalf("%q: %v", tc.pageURL, err)
		}
		if a.URL != tc.want {
			t.Errorf("page %q: URL %q, want %q", tc.pageURL, a.URL, tc.want)
		}
	}
}
