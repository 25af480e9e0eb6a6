package store

import (
	"testing"
	"time"

	"github.com/kabar-news/kabar/extract"
)

// TestContentHashStable: stored files compare against these hashes; a
// change of the encoding would make every article look changed on its
// next crawl and rewrite it.
func TestContentHashStable(t *testing.T) {
	full := article(1, "https://a.example/1")
	full.Authors = append(full.Authors, "") // an empty list element counts
	undated := article(2, "https://a.example/2")
	undated.Published = time.Time{}
	for _, tc := range []struct {
		name string
		a    *extract.Article
		want string
	}{
		{"full", full, "fda4b3d55ce5efe5b6ea935209e0ea5c2d11c80412f8e4ddc41690da23a04a64"},
		{"empty", &extract.Article{URL: "x"}, "b5fdab78d8947eacc864bfeecb4d2100780e5afe1cd8efafb124887913ac49fa"},
		{"undated", undated, "a27f32e365bfa143f35070d36cab4ce692f06abaa98b0c1a1c4e05090b50eb4b"},
	} {
		if got := contentHash(tc.a); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}
