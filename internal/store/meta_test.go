package store

import (
	"encoding/binary"
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

func TestUvarint(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 300, 1<<32 + 5, 1<<63 + 7, ^uint64(0)} {
		b := binary.AppendUvarint(nil, v)
		got, n := uvarint(string(b))
		if got != v || n != len(b) {
			t.Errorf("uvarint(%x) = %d, %d", b, got, n)
		}
		if _, n := uvarint(string(b[:len(b)-1])); n > 0 {
			t.Errorf("truncated %x decoded", b)
		}
	}
	if _, n := uvarint("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f"); n >= 0 {
		t.Error("overflow accepted")
	}
}
