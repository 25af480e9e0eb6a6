package store

import (
	"testing"

	"github.com/kabar-news/kabar/extract"
)

func FuzzMeta(f *testing.F) {
	f.Add("sub", "desc", "Andi", "", "Nasional", "politik", "https://x/2")
	f.Add("", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, sub, desc, author1, author2, section, tag, next string) {
		in := extract.Article{Subtitle: sub, Description: desc, Authors: []string{author1, author2},
			Section: section, Tags: []string{tag}, NextPage: next}
		b := encodeMeta(&in, "hash", 1, 2)
		var out Article
		if err := decodeMeta(b, &out); err != nil {
			t.Fatal(err)
		}
		if out.ContentHash != "hash" || out.FirstSeen.UnixNano() != 1 || out.Updated.UnixNano() != 2 {
			t.Fatalf("bookkeeping: %+v", out)
		}
		if d := diffArticle(out.Article, in); d != "" {
			t.Fatalf("round trip: %s", d)
		}
		// Truncated or garbled bytes are an error or a value, never a panic.
		for i := range b {
			var x Article
			decodeMeta(b[:i], &x)
		}
	})
}
