package extract

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func mustDoc(t testing.TB, s string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func outerHTML(t testing.TB, doc *goquery.Document) string {
	t.Helper()
	s, err := goquery.OuterHtml(doc.Selection)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const longPara = "Pemerintah daerah menyiapkan anggaran tambahan untuk memperbaiki jalan rusak di sejumlah kecamatan, " +
	"terutama ruas yang menjadi jalur utama distribusi hasil pertanian warga menuju pasar kabupaten."
