package extract

import (
	"net/url"
	"strings"
)

// trackingParams are query parameters that only identify a campaign or a
// click, never the page. Keys are lower case; see isTrackingParam for prefixes.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "igshid": true, "li_fat_id": true,
	"mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true, "_hsenc": true, "_hsmsg": true,
	"hsctatracking": true, "mkt_tok": true, "oly_anon_id": true, "oly_enc_id": true, "vero_id": true,
	"vero_conv": true, "rb_clickid": true, "s_cid": true, "wickedid": true, "__twitter_impression": true,
	"ga_source": true, "ga_medium": true, "ga_campaign": true, "ga_content": true, "ga_term": true,
	"spm": true, "share_source": true, "amp_js_v": true, "amp_gsa": true, "usqp": true,
}

var trackingPrefixes = []string{"utm_", "pk_", "mtm_", "matomo_"}

func isTrackingParam(key string) bool {
	k := strings.ToLower(key)
	if trackingParams[k] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// CanonicalURL normalises a page URL for identity: tracking parameters
// (utm_*, fbclid, gclid, mc_cid, ...) and the fragment are stripped, the
// scheme and host are lower-cased and a default port is dropped. The order of
// the remaining query parameters is kept. A string that is not an absolute
// URL is returned trimmed but otherwise unchanged.
func CanonicalURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	switch {
	case u.Scheme == "http" && strings.HasSuffix(host, ":80"):
		host = strings.TrimSuffix(host, ":80")
	case u.Scheme == "https" && strings.HasSuffix(host, ":443"):
		host = strings.TrimSuffix(host, ":443")
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" && u.Opaque == "" {
		u.Path = "/"
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		kept := parts[:0]
		for _, p := range parts {
			if p == "" {
				continue
			}
			key, _, _ := strings.Cut(p, "=")
			if k, err := url.QueryUnescape(key); err == nil {
				key = k
			}
			if !isTrackingParam(key) {
				kept = append(kept, p)
			}
		}
		u.RawQuery = strings.Join(kept, "&")
	}
	u.ForceQuery = false
	return u.String()
}

// absURL resolves ref against base and returns an absolute http(s) URL, or
// "" when ref is empty, unparsable or of another scheme (javascript:, data:).
func absURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.HasPrefix(ref, "#") {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		if u.Scheme == "" && base == nil {
			return ref
		}
		return ""
	}
	return u.String()
}

// isAbsHTTP reports whether s is an absolute http(s) URL.
func isAbsHTTP(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
