package server

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// FuzzParseQuery checks that any query string is either refused with an
// error or normalised to a fixed point: encoding the normalised query and
// parsing it again gives the same query, with a limit within bounds.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "q=banjir+jakarta&exclude=bola", "tag=Ekonomi&limit=10", "q=%C3%A9&q=%00", "limit=99999", "q=a&q=A&q=+a+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		fq, err := parseQuery(v, 100)
		if err != nil {
			return
		}
		if fq.Limit < 0 || fq.Limit > 100 {
			t.Fatalf("limit %d out of bounds", fq.Limit)
		}
		enc := fq.Encode()
		v2, err := url.ParseQuery(enc)
		if err != nil {
			t.Fatalf("encoded query %q does not parse: %v", enc, err)
		}
		fq2, err := parseQuery(v2, 100)
		if err != nil || !reflect.DeepEqual(fq, fq2) || fq2.Encode() != enc {
			t.Fatalf("not a fixed point: %+v -> %q -> %+v (%v)", fq, enc, fq2, err)
		}
	})
}

// FuzzETagMatch checks that the If-None-Match parser never panics or
// loops, finds a tag listed first whatever follows, and never matches a
// list that does not contain the tag (or "*"). After malformed input a
// later tag may be missed: that only costs a 200 instead of a 304.
func FuzzETagMatch(f *testing.F) {
	for _, s := range []string{`"a"`, `W/"a", "b"`, `*`, `"`, `W/`, `,,,"x`, `W/, x`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		acceptsGzip(list)
		if !etagMatch(`"tag", `+list, `"tag"`) || !etagMatch(`W/"tag",`+list, `"tag"`) {
			t.Fatalf("the tag followed by %q does not match", list)
		}
		if etagMatch(list, `"tag"`) && !strings.Contains(list, `"tag"`) && !strings.Contains(list, "*") {
			t.Fatalf("%q matches without the tag", list)
		}
	})
}
