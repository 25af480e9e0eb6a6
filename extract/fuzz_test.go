package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzFromReader checks that extraction never panics and that whatever it
// returns is valid UTF-8 with no script, style, event handler or
// javascript: URL.
func FuzzFromReader(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/rules/*.html")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<p onclick="x()">hi <a href="javascript:alert(1)">x</a><script>bad()</script></p>`))
	f.Add([]byte("<html><body><article><p>\xff\xfe bad bytes \x80</p></article></body></html>"))
	f.Add([]byte(`<img src=x onerror=alert(1)><svg><script>1</script></svg><style>*{}</style>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := FromReader(strings.NewReader(string(b)), "https://example.com/a/b", Options{})
		if err != nil || a == nil {
			return
		}
		for _, s := range []string{a.Text, a.HTML, a.Title, a.Author(), a.Description, a.LeadImage, a.URL} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8: %q", s)
			}
		}
		checkSafeHTML(t, a.HTML)
	})
}

// checkSafeHTML fails on script/style/iframe elements, on* attributes and
// javascript: URLs in HTML.
func checkSafeHTML(t testing.TB, s string) {
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
		case "script", "style", "iframe", "object", "embed", "form", "input":
			t.Fatalf("unsafe element <%s> in %q", tok.Data, s)
		}
		for _, at := range tok.Attr {
			if strings.HasPrefix(strings.ToLower(at.Key), "on") || at.Key == "style" {
				t.Fatalf("unsafe attribute %s in %q", at.Key, s)
			}
			if strings.Contains(strings.ToLower(strings.ReplaceAll(at.Val, " ", "")), "javascript:") {
				t.Fatalf("javascript URL in %q", s)
			}
		}
	}
}
