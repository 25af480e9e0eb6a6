package scraper

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestBodyTransport(t *testing.T) {
	const limit = 64 << 10
	small := []byte("<html>" + strings.Repeat("kabar ", 100) + "</html>")
	bomb := gzipBytes(t, bytes.Repeat([]byte("0"), 10<<20))
	truncatedGz := gzipBytes(t, bytes.Repeat([]byte("abc"), 10000))
	truncatedGz = truncatedGz[:len(truncatedGz)/2]
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    []byte
		err     error
	}{
		{"plain", func(w http.ResponseWriter, r *http.Request) { w.Write(small) }, small, nil},
		{"gzip encoding", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipBytes(t, small))
		}, small, nil},
		{"gzip file, no encoding", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/x-gzip")
			w.Write(gzipBytes(t, small))
		}, small, nil},
		{"declared too large", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000000")
			w.Write(make([]byte, 1000000))
		}, nil, ErrBodyTooLarge},
		{"streamed too large", func(w http.ResponseWriter, r *http.Request) {
			for range 20 {
				w.Write(make([]byte, 8<<10))
				w.(http.Flusher).Flush()
			}
		}, nil, ErrBodyTooLarge},
		{"gzip bomb, encoding", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		}, nil, ErrBodyTooLarge},
		{"gzip bomb, sniffed", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			w.Write(bomb)
		}, nil, ErrBodyTooLarge},
		{"truncated", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "5000")
			w.Write(small)
		}, nil, ErrTruncated},
		{"truncated gzip", func(w http.ResponseWriter, r *http.Request) {
			w.Write(truncatedGz)
		}, nil, ErrTruncated},
		{"brotli", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "br")
			w.Write(small)
		}, nil, ErrContentType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c := &http.Client{Transport: &bodyTransport{base: http.DefaultTransport.(*http.Transport).Clone(), max: limit}}
			resp, err := c.Get(srv.URL + "/x")
			var body []byte
			if err == nil {
				body, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				if len(body) > limit {
					t.Errorf("read %d bytes past the %d limit", len(body), limit)
				}
				return
			}
			if err != nil || !bytes.Equal(body, tt.want) {
				t.Fatalf("body %d bytes, err %v", len(body), err)
			}
			if resp.Header.Get("Content-Encoding") != "" || !resp.Uncompressed {
				t.Errorf("decoded response still marked encoded: %v", resp.Header)
			}
		})
	}
}

func TestBodyTransportHidesCharsetFromColly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		w.Write([]byte("caf\xe9"))
	}))
	defer srv.Close()
	c := &http.Client{Transport: &bodyTransport{base: http.DefaultTransport, max: 1 << 20}}
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/html" {
		t.Errorf("Content-Type seen by Colly %q, want the bare media type", ct)
	}
	if ct := resp.Header.Get(origContentType); ct != "text/html; charset=windows-1252" {
		t.Errorf("original Content-Type %q lost", ct)
	}
}
