package scraper

import (
	"testing"
	"time"
)

func TestRobots(t *testing.T) {
	const body = `# example
User-agent: *
Disallow: /

user-agent: KabarTest
User-agent: otherbot
Disallow: /private/
Allow: /private/open
disallow: /*.pdf$
Disallow: /search?
Allow: /search?page=
Disallow: /%7Euser/
Disallow: /berita/ü
Crawl-delay: 2.5

User-agent: kabartest
Disallow: /merged/

Sitemap: https://example.id/sitemap.xml
`
	r := parseRobots([]byte(body), "kabartest")
	tests := []struct {
		path string
		want bool
	}{
		{"/", true}, // the "*" group does not apply: ours is named
		{"/robots.txt", true},
		{"/private/x", false},
		{"/private/open", true},           // longer allow wins
		{"/private/openly", true},         // prefix match
		{"/doc/report.pdf", false},        // * and $
		{"/doc/report.pdf?x=1", true},     // $ anchors the end
		{"/search?q=a", false},            //
		{"/search?page=2", true},          //
		{"/~user/home", false},            // %7E and ~ are the same
		{"/berita/%C3%BCber", false},      // non-ASCII rule percent-encoded
		{"/merged/page", false},           // groups naming the agent are merged
		{"/public", true},                 //
		{"/Private/x", true},              // paths are case-sensitive
		{"/private%2Fx", true},            // an encoded reserved character stays encoded
		{"/private/open%2Fmore", true},    //
		{"/private/OPEN", false},          //
		{"/search", true},                 //
		{"/doc/report.pdfx", true},        //
		{"/doc/a.pdf/b.pdf", false},       //
		{"/doc/report.PDF", true},         //
		{"/private/open?x", true},         //
		{"/berita/u", true},               //
		{"/%7euser/", false},              // lower-case escapes
		{"/search?page", false},           //
		{"/search?page=", true},           //
		{"/private/../open", false},       // no path resolution
		{"/private/open/../../x", true},   //
		{"/merged", true},                 //
		{"/private", true},                //
		{"/x/private/y", true},            //
		{"/search?qpage=1", false},        //
		{"/private/open#frag", true},      //
		{"/private/opeN", false},          //
		{"/priv", true},                   //
		{"/private/", false},              //
		{"/private/open/", true},          //
		{"/doc/.pdf", false},              //
		{"/.pdf", false},                  //
		{"/pdf", true},                    //
		{"/search?page=1&q=2", true},      //
		{"/search?q=2&page=1", false},     //
		{"/search?%70age=1", true},        // %70 is "p": unreserved, decoded
		{"/%73earch?q=1", false},          // %73 is "s"
		{"/merged/%2e%2e", false},         //
		{"/private/open\u00e9", true},     // non-ASCII in the path
		{"/berita/\u00fcber", false},      //
		{"/berita/%c3%bcber", false},      // lower-case escapes of non-ASCII
		{"/berita/%C3%BC", false},         //
		{"/berita/%C3", true},             //
		{"/berita/u%CC%88", true},         // a different normalisation is another path
		{"/private/open/x", true},         //
		{"/robots.txt?x=1", true},         //
		{"/privatex", true},               //
		{"/private/x?open", false},        //
		{"/search/x", true},               //
		{"/doc/x.pdf$", true},             //
		{"/doc/x.pdf%24", true},           //
		{"/merged/", false},               //
		{"/mergedx", true},                //
		{"/%7Euser", true},                //
		{"/~user/", false},                //
		{"/private/open", true},           //
		{"/search?page=%32", true},        //
		{"/search?pag%65=2", true},        //
		{"/search?PAGE=2", false},         //
		{"/search?q=private/open", false}, //
	}
	for _, tt := range tests {
		if got := r.allowed(tt.path); got != tt.want {
			t.Errorf("allowed(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
	if r.crawlDelay != 2500*time.Millisecond {
		t.Errorf("crawl delay %v, want 2.5s", r.crawlDelay)
	}
	if len(r.sitemaps) != 1 || r.sitemaps[0] != "https://example.id/sitemap.xml" {
		t.Errorf("sitemaps %v", r.sitemaps)
	}

	// Another agent gets the "*" group; an equal-length allow beats a disallow.
	other := parseRobots([]byte(body+"\nUser-agent: *\nAllow: /$\n"), "somebot")
	for path, want := range map[string]bool{"/": true, "/x": false, "/private/open": false} {
		if got := other.allowed(path); got != want {
			t.Errorf("somebot allowed(%q) = %v, want %v", path, got, want)
		}
	}
	tie := parseRobots([]byte("User-agent: *\nDisallow: /page\nAllow: /page\n"), "x")
	if !tie.allowed("/page") {
		t.Error("equal-length allow and disallow: allow must win")
	}
	if empty := parseRobots([]byte("User-agent: *\nDisallow:\n"), "x"); !empty.allowed("/anything") {
		t.Error("an empty Disallow disallows nothing")
	}
	if !robotsDisallowAll.allowed("/robots.txt") || robotsDisallowAll.allowed("/") {
		t.Error("disallow-all must disallow everything but /robots.txt")
	}
}

func TestProductToken(t *testing.T) {
	for ua, want := range map[string]string{
		"kabar/1.2 (+https://x)": "kabar",
		"KabarBot":               "kabarbot",
		" Mozilla/5.0 (X11)":     "mozilla",
		"":                       "",
	} {
		if got := productToken(ua); got != want {
			t.Errorf("productToken(%q) = %q, want %q", ua, got, want)
		}
	}
}

func TestRobotsMatchNoBlowup(t *testing.T) {
	pattern := "/" + repeat("*a", 200) + "$"
	path := "/" + repeat("a", 5000) + "b"
	start := time.Now()
	if robotsMatch(normalisePath(pattern), path) {
		t.Error("must not match")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("pathological pattern took %v", d)
	}
}

func repeat(s string, n int) string {
	b := make([]byte, 0, len(s)*n)
	for range n {
		b = append(b, s...)
	}
	return string(b)
}

func FuzzRobots(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /a\nAllow: /a/b$\nCrawl-delay: 3\nSitemap: /s.xml\n"), "/a/b")
	f.Add([]byte("user-agent: kabar\ndisallow: /*?*q=\n"), "/x?q=1")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		r := parseRobots(body, "kabar")
		got := r.allowed(path)
		if path == "/robots.txt" && !got {
			t.Error("/robots.txt must always be allowed")
		}
		if len(r.rules) == 0 && !got {
			t.Errorf("no rules but %q disallowed", path)
		}
		if r.crawlDelay < 0 {
			t.Error("negative crawl delay")
		}
	})
}
