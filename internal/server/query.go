package server

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// feedQuery is the normalized form of a feed's query string: the words of
// every q and exclude parameter (repeated and/or space-separated), lowercased,
// sorted and deduplicated; the tag; the limit. Unknown parameters (cache
// busters, tracking) are ignored, so they neither change the feed nor grow
// the cache.
type feedQuery struct {
	Include []string
	Exclude []string
	Tag     string
	Limit   int // 0: the default feed size
}

// parseQuery normalizes q; maxLimit caps limit.
func parseQuery(q url.Values, maxLimit int) (feedQuery, error) {
	var fq feedQuery
	fq.Include = words(q["q"])
	fq.Exclude = words(q["exclude"])
	for _, t := range q["tag"] {
		if t = strings.Join(strings.Fields(t), " "); t != "" {
			fq.Tag = strings.ToLower(t)
			break
		}
	}
	if v := strings.TrimSpace(q.Get("limit")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return feedQuery{}, fmt.Errorf("limit must be a whole number of at least 1, not %q", v)
		}
		fq.Limit = min(n, maxLimit)
	}
	return fq, nil
}

// words splits values into lowercased, sorted, distinct words.
func words(values []string) []string {
	var out []string
	for _, v := range values {
		for _, w := range strings.Fields(v) {
			out = append(out, strings.ToLower(w))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Encode returns the canonical query string ("" when there is no filter):
// the cache key part and the query of self links.
func (fq feedQuery) Encode() string {
	if !fq.filtered() && fq.Limit == 0 {
		return ""
	}
	v := url.Values{}
	if len(fq.Include) > 0 {
		v.Set("q", strings.Join(fq.Include, " "))
	}
	if len(fq.Exclude) > 0 {
		v.Set("exclude", strings.Join(fq.Exclude, " "))
	}
	if fq.Tag != "" {
		v.Set("tag", fq.Tag)
	}
	if fq.Limit > 0 {
		v.Set("limit", strconv.Itoa(fq.Limit))
	}
	return v.Encode()
}

// filtered reports whether the query narrows the feed's content.
func (fq feedQuery) filtered() bool {
	return len(fq.Include) > 0 || len(fq.Exclude) > 0 || fq.Tag != ""
}
