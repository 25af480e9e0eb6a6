package extract

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// Hostile pages end with an error or an article; they never hang or panic.
// The time bound is go test's own timeout: this is not a timed test.
func TestHostileInput(t *testing.T) {
	deep := strings.Repeat("<div>", 600) + "<p>" + longPara + "</p><p>" + longPara + "</p>" + strings.Repeat("</div>", 600)
	var links strings.Builder
	links.WriteString("<html><body><article><p>" + longPara + "</p><p>" + longPara + "</p></article><div>")
	for i := range 100000 {
		links.WriteString(`<a href="/l` + string(rune('a'+i%26)) + `">link</a> `)
	}
	links.WriteString("</div></body></html>")
	cases := map[string]string{
		"empty":        "",
		"binary":       "\x00\x01\x02\x03\x00\x00\xff\xfe\x00\x00" + strings.Repeat("\x00", 100),
		"5MB text":     "<html><body><p>" + strings.Repeat("kata ", 1<<20) + "</p></body></html>",
		"600 deep":     deep,
		"100k links":   links.String(),
		"unclosed":     "<html><body><article><p>" + longPara + "<p>" + longPara + "<div><span><b><i>",
		"only comment": "<!-- nothing here -->",
	}
	for name, page := range cases {
		t.Run(name, func(t *testing.T) {
			a, err := FromReader(strings.NewReader(page), "https://example.com/", Options{})
			if err != nil {
				if a != nil && !errors.Is(err, ErrNoContent) {
					t.Errorf("article with error %v", err)
				}
				return
			}
			if a == nil || !utf8.ValidString(a.Text) {
				t.Fatal("no article or invalid text")
			}
			checkSafeHTML(t, a.HTML)
		})
	}
}

// The 600-deep page still yields its paragraphs.
func TestDeepNestingKeepsText(t *testing.T) {
	deep := strings.Repeat("<div>", 600) + "<p>" + longPara + "</p><p>" + longPara + "</p>" + strings.Repeat("</div>", 600)
	a, err := FromReader(strings.NewReader(deep), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "Pemerintah daerah menyiapkan") {
		t.Errorf("text %q", a.Text)
	}
}

func TestTooLarge(t *testing.T) {
	r := strings.NewReader(strings.Repeat("a", MaxInput+1))
	if _, err := FromReader(r, "", Options{}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}
