package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// writeEntry writes e as the answer to r: validators, caching headers, a
// 304 when r's conditions say the client has it, the gzip variant when the
// client accepts it, no body for HEAD. It returns the status code written.
func writeEntry(w http.ResponseWriter, r *http.Request, e *entry, cacheControl []string) int {
	h := w.Header()
	h["Vary"] = varyAcceptEncoding
	if cacheControl != nil {
		h["Cache-Control"] = cacheControl
	}
	if e.hLastModified != nil {
		h["Last-Modified"] = e.hLastModified
	}
	body, etag, length := e.body, e.hETag, e.hContentLen
	gz := false
	if ae := r.Header["Accept-Encoding"]; len(ae) > 0 && acceptsGzip(strings.Join(ae, ",")) {
		if b, _, _, ok := e.gzipped(); ok {
			body, etag, length, gz = b, e.hGzETag, e.hGzLen, true
		}
	}
	h["Etag"] = etag

	if notModified(r, e) {
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified
	}
	h["Content-Type"] = e.hContentType
	h["Content-Length"] = length
	if gz {
		h["Content-Encoding"] = contentEncodingGzip
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return http.StatusOK
}

// Header values shared by all responses; net/http only reads them.
var (
	varyAcceptEncoding  = []string{"Accept-Encoding"}
	contentEncodingGzip = []string{"gzip"}
)

// notModified evaluates If-None-Match (which takes precedence, RFC 9110
// 13.2.2) or else If-Modified-Since against e.
func notModified(r *http.Request, e *entry) bool {
	if inm := headerValue(r.Header, "If-None-Match"); inm != "" {
		return etagMatch(inm, e.etag, e.gzETag)
	}
	ims := headerValue(r.Header, "If-Modified-Since")
	if ims == "" || e.lastModified == "" {
		return false
	}
	t, err := http.ParseTime(ims)
	if err != nil {
		return false
	}
	return !e.modTime.After(t)
}

// headerValue is h.Get(key) for a key already in canonical form, without
// checking and canonicalising it again on every request: net/http stores the
// request headers it reads under canonical keys.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// etagMatch reports whether the If-None-Match list matches one of tags,
// using the weak comparison the header calls for.
func etagMatch(list string, tags ...string) bool {
	for list != "" {
		list = strings.TrimLeft(list, " \t,")
		if list == "" {
			break
		}
		if list[0] == '*' {
			return true
		}
		list = strings.TrimPrefix(list, "W/")
		if list == "" || list[0] != '"' {
			// Not an entity tag: skip past the next comma.
			i := strings.IndexByte(list, ',')
			if i < 0 {
				break
			}
			list = list[i+1:]
			continue
		}
		end := strings.IndexByte(list[1:], '"')
		if end < 0 {
			break
		}
		tag := list[:end+2]
		list = list[end+2:]
		for _, t := range tags {
			if tag == t {
				return true
			}
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip.
func acceptsGzip(header string) bool {
	if header == "" {
		return false
	}
	star, gzip := -1.0, -1.0
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					f = 0
				}
				q = f
			}
		}
		switch name {
		case "gzip", "x-gzip":
			gzip = max(gzip, q)
		case "*":
			star = q
		}
	}
	if gzip >= 0 {
		return gzip > 0
	}
	return star > 0
}

// cacheControl returns the Cache-Control header value for documents that
// may be cached for maxAge.
func cacheControl(maxAge time.Duration) []string {
	return []string{"public, max-age=" + strconv.Itoa(int(maxAge/time.Second))}
}
