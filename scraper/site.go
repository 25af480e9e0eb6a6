package scraper

import (
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/kabar-news/kabar/extract"
)

// siteOf returns the site of a URL: its registrable domain (eTLD+1, so
// www.example.co.id and news.example.co.id are one site), or for IP
// addresses and single-label hosts the host with its port.
func siteOf(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return ""
	}
	if net.ParseIP(host) != nil || !strings.Contains(host, ".") {
		return strings.ToLower(u.Host)
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

// sessionParams are query parameters that only carry a session.
var sessionParams = map[string]bool{
	"jsessionid": true, "phpsessid": true, "sessionid": true, "session_id": true, "aspsessionid": true,
	"cfid": true, "cftoken": true, "zenid": true, "oscsid": true,
}

// urlKey is the identity of a URL within a crawl: extract.CanonicalURL
// (tracking parameters and fragment stripped, host and port normalised)
// with session ids removed too, so session-id URLs do not multiply pages.
func urlKey(raw string) string {
	k := extract.CanonicalURL(raw)
	if i := strings.Index(strings.ToLower(k), ";jsessionid="); i >= 0 {
		end := strings.IndexAny(k[i+1:], "?#")
		if end < 0 {
			k = k[:i]
		} else {
			k = k[:i] + k[i+1+end:]
		}
	}
	q := strings.IndexByte(k, '?')
	if q < 0 {
		return k
	}
	parts := strings.Split(k[q+1:], "&")
	kept := parts[:0]
	for _, p := range parts {
		name, _, _ := strings.Cut(p, "=")
		if sessionParams[strings.ToLower(name)] {
			continue
		}
		kept = append(kept, p)
	}
	if len(kept) == 0 {
		return k[:q]
	}
	return k[:q+1] + strings.Join(kept, "&")
}

// resolve parses ref against base and returns an absolute http(s) URL
// without fragment, or nil for mailto:, javascript:, data: and the like.
func resolve(base *url.URL, ref string) *url.URL {
	ref = strings.TrimSpace(ref)
	if ref == "" || ref[0] == '#' {
		return nil
	}
	if i := strings.IndexByte(ref, ':'); i > 0 {
		switch strings.ToLower(ref[:i]) {
		case "http", "https":
		default:
			if !strings.ContainsAny(ref[:i], "/?#") {
				return nil // another scheme
			}
		}
	}
	u, err := url.Parse(ref)
	if err != nil {
		return nil
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	u.Fragment, u.RawFragment = "", ""
	return u
}
