package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func benchPages(b *testing.B) [][]byte {
	b.Helper()
	files, _ := filepath.Glob("testdata/pages/*.html")
	more, _ := filepath.Glob("testdata/rules/*.html")
	files = append(files, more...)
	var pages [][]byte
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, d)
	}
	return pages
}

// BenchmarkParse is the baseline: a bare goquery document build of the
// testdata pages. Compare BenchmarkExtract with it (aim: at most 2x).
func BenchmarkParse(b *testing.B) {
	pages := benchPages(b)
	for b.Loop() {
		for _, p := range pages {
			if _, err := goquery.NewDocumentFromReader(bytes.NewReader(p)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkExtract is the whole of FromReader over the same pages: decode,
// parse, metadata, body, cleaning, text and sanitised HTML.
func BenchmarkExtract(b *testing.B) {
	pages := benchPages(b)
	for b.Loop() {
		for _, p := range pages {
			if _, err := FromReader(bytes.NewReader(p), "https://example.com/a", Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
