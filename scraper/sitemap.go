package scraper

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"time"
)

// sitemap is a parsed sitemap: an index of sitemaps or a list of pages.
type sitemap struct {
	index   bool
	entries []sitemapEntry
}

// sitemapEntry is a <url> or <sitemap>: its location and newest date (a
// Google News publication_date, else lastmod).
type sitemapEntry struct {
	loc  string
	date time.Time
}

var errNotSitemap = errors.New("not a sitemap")

// parseSitemap reads a sitemaps.org urlset or sitemapindex (Google News and
// image extensions included, namespaces ignored) or a plain-text sitemap of
// one URL per line. Gzip has been decoded by the transport.
func parseSitemap(body []byte) (*sitemap, error) {
	trimmed := trimDoc(body)
	if len(trimmed) > 0 && trimmed[0] != '<' {
		return parseTextSitemap(trimmed)
	}
	d := lenientDecoder(trimmed)
	var (
		sm      sitemap
		root    bool
		cur     *sitemapEntry
		news    time.Time
		field   string
		text    strings.Builder
		inImage bool
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if root {
				break // keep the entries read before the damage
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			switch name {
			case "sitemapindex":
				root, sm.index = true, true
			case "urlset":
				root = true
			case "url", "sitemap":
				cur, news = &sitemapEntry{}, time.Time{}
			case "image", "video":
				inImage = true
			}
			field = name
			text.Reset()
		case xml.CharData:
			if field != "" && text.Len() < 2048 {
				text.Write(t)
			}
		case xml.EndElement:
			name := strings.ToLower(t.Name.Local)
			v := strings.TrimSpace(text.String())
			switch name {
			case "loc":
				if cur != nil && !inImage {
					cur.loc = v
				}
			case "lastmod":
				if cur != nil {
					if dt, ok := parseFeedDate(v); ok {
						cur.date = dt
					}
				}
			case "publication_date":
				if dt, ok := parseFeedDate(v); ok {
					news = dt
				}
			case "image", "video":
				inImage = false
			case "url", "sitemap":
				if cur != nil && cur.loc != "" {
					if !news.IsZero() {
						cur.date = news
					}
					sm.entries = append(sm.entries, *cur)
				}
				cur = nil
			}
			field = ""
			text.Reset()
		}
	}
	if !root {
		return nil, errNotSitemap
	}
	return &sm, nil
}

func parseTextSitemap(b []byte) (*sitemap, error) {
	var sm sitemap
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if isHTTP(line) {
			sm.entries = append(sm.entries, sitemapEntry{loc: line})
		}
	}
	if len(sm.entries) == 0 {
		return nil, errNotSitemap
	}
	return &sm, nil
}
