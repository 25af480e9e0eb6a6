package feeds

import (
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// contentPolicy is the one allowlist article HTML is reduced to, built on
// first use by newPolicy and never changed afterwards (bluemonday policies
// are safe for concurrent use once built). Building it costs about as much
// as sanitising twenty articles, so it is not rebuilt per render.
var contentPolicy = sync.OnceValue(newPolicy)

// newPolicy returns the allowlist that article HTML is reduced to: the
// user-generated-content policy of bluemonday (no script, style, on*
// attributes, forms, iframes or embeds; http, https and mailto URLs only)
// plus responsive image attributes.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	// srcset URLs are checked and made absolute by absolutizeURLs, which
	// runs first; bluemonday does not look inside srcset itself.
	p.AllowAttrs("srcset").Matching(regexp.MustCompile(`^[^<>"']*$`)).OnElements("img")
	p.AllowAttrs("sizes").Matching(regexp.MustCompile(`^[\w\s(),.:%-]*$`)).OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^(lazy|eager)$`)).OnElements("img")
	return p
}

// sanitizeHTML makes article HTML safe to publish: clean characters,
// URLs made absolute against base (when base is absolute), then the
// allowlist, then clean characters again (character references such as
// &#11; are decoded by the sanitiser's parser).
func sanitizeHTML(p *bluemonday.Policy, s string, base *url.URL) string {
	s = cleanText(s)
	if strings.TrimSpace(s) == "" {
		return ""
	}
	s = absolutizeURLs(s, base)
	s = p.Sanitize(s)
	return strings.TrimSpace(cleanText(s))
}

// isURLAttr reports whether the attribute key holds one URL.
func isURLAttr(key string) bool {
	switch key {
	case "href", "src", "cite", "poster", "longdesc", "action", "background":
		return true
	}
	return false
}

// absolutizeURLs rewrites every URL attribute of s to an absolute URL
// resolved against base; it drops srcset candidates that are not http(s).
// Markup is re-serialised token by token; the sanitiser has the last word.
func absolutizeURLs(s string, base *url.URL) string {
	if urlsAreAbsolute(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String()
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			b.Write(z.Raw())
			continue
		}
		t := z.Token()
		changed := false
		for i := range t.Attr {
			a := &t.Attr[i]
			if a.Namespace != "" {
				continue
			}
			switch {
			case isURLAttr(a.Key):
				if v := resolveURL(base, a.Val); v != a.Val {
					a.Val, changed = v, true
				}
			case a.Key == "srcset":
				if v := resolveSrcset(base, a.Val); v != a.Val {
					a.Val, changed = v, true
				}
			}
		}
		if changed {
			b.WriteString(t.String())
		} else {
			b.Write(z.Raw())
		}
	}
}

// resolveURL resolves ref against base. A reference that does not parse is
// returned unchanged (the sanitiser removes it); so is every reference
// when base is nil.
func resolveURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if base == nil || ref == "" || strings.HasPrefix(ref, "#") ||
		strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://") {
		// Parsing an absolute URL (or failing to) gives back ref: skip it.
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil || u.IsAbs() {
		return ref
	}
	return base.ResolveReference(u).String()
}

// resolveSrcset resolves every candidate of a srcset value and keeps only
// the http(s) ones. Candidates are split as the HTML standard says: a URL
// is a run of non-space characters (commas inside it, as in
// "w_300,h_200/a.jpg", belong to it; trailing commas end the candidate),
// then descriptors up to the next comma.
func resolveSrcset(base *url.URL, v string) string {
	var out []string
	for v != "" {
		v = strings.TrimLeft(v, " \t\n\r\f,")
		if v == "" {
			break
		}
		end := strings.IndexAny(v, " \t\n\r\f")
		if end < 0 {
			end = len(v)
		}
		u, rest := v[:end], v[end:]
		descriptors := ""
		if trimmed := strings.TrimRight(u, ","); trimmed != u {
			u = trimmed // the candidate ends here, without descriptors
		} else {
			c := strings.IndexByte(rest, ',')
			if c < 0 {
				c = len(rest)
			}
			descriptors, rest = strings.Join(strings.Fields(rest[:c]), " "), rest[c:]
		}
		v = rest
		abs := resolveURL(base, u)
		if !isHTTPURL(abs) {
			continue
		}
		if descriptors != "" {
			abs += " " + descriptors
		}
		out = append(out, abs)
	}
	return strings.Join(out, ", ")
}

// isHTTPURL reports whether s is an absolute http or https URL with a host
// and nothing a URL may not hold literally (white space, quotes, brackets).
func isHTTPURL(s string) bool {
	if strings.ContainsAny(s, " \t\n\r<>\"{}|\\^`") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// httpURL returns s resolved against base when it is (or becomes) an
// absolute http(s) URL, else "". Non-ASCII characters are percent-encoded,
// as validators want of links and ids.
func httpURL(base *url.URL, s string) string {
	s = strings.TrimSpace(cleanText(s))
	if s == "" {
		return ""
	}
	s = asciiURL(resolveURL(base, s))
	if !isHTTPURL(s) {
		return ""
	}
	return s
}

// asciiURL percent-encodes the non-ASCII characters of a URL (an IRI);
// ASCII input is returned unchanged.
func asciiURL(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			if u, err := url.Parse(s); err == nil {
				return u.String()
			}
			return s
		}
	}
	return s
}

// parseBase returns s as a base URL for resolution, or nil when it is not
// an absolute http(s) URL.
func parseBase(s string) *url.URL {
	if !isHTTPURL(s) {
		return nil
	}
	u, _ := url.Parse(s)
	return u
}

// urlsAreAbsolute is a conservative quick scan: it reports true only when
// every attribute of s that may hold a URL visibly starts with http:// or
// https:// (every candidate, for srcset), so that tokenising s to resolve
// URLs would change nothing. Stored articles usually pass, since extract
// already made their URLs absolute. Anything unusual (entities, unquoted or
// odd values) answers false and takes the full path.
func urlsAreAbsolute(s string) bool {
	for i := strings.IndexByte(s, '='); i >= 0; {
		if attr := attrNameBefore(s, i); attr != "" {
			v, ok := quotedValueAfter(s, i+1)
			if !ok {
				return false
			}
			if attr == "srcset" {
				for _, c := range strings.Split(v, ",") {
					if !hasHTTPPrefix(strings.TrimLeft(c, " \t\n\r\f")) {
						return false
					}
				}
			} else if !hasHTTPPrefix(v) {
				return false
			}
		}
		j := strings.IndexByte(s[i+1:], '=')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return true
}

// attrNameBefore returns the URL attribute name (lower case) that ends just
// before the '=' at s[i], allowing white space in between; "" when the word
// there is not one of urlAttrNames.
func attrNameBefore(s string, i int) string {
	end := i
	for end > 0 && isSpace(s[end-1]) {
		end--
	}
	start := end
	for start > 0 && isAttrNameByte(s[start-1]) {
		start--
	}
	if start == end || end-start > 10 {
		return ""
	}
	name := strings.ToLower(s[start:end])
	if name == "srcset" || isURLAttr(name) {
		return name
	}
	return ""
}

func isAttrNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_' || c == ':'
}

// quotedValueAfter returns the quoted value starting after optional white
// space at s[i:]; ok is false for unquoted values or values holding '&'
// (a character reference could hide the scheme).
func quotedValueAfter(s string, i int) (string, bool) {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i >= len(s) || (s[i] != '"' && s[i] != '\'') {
		return "", false
	}
	q := s[i]
	end := strings.IndexByte(s[i+1:], q)
	if end < 0 {
		return "", false
	}
	v := s[i+1 : i+1+end]
	if strings.IndexByte(v, '&') >= 0 {
		return "", false
	}
	return v, true
}

func hasHTTPPrefix(v string) bool {
	return len(v) > 8 && (strings.EqualFold(v[:7], "http://") || strings.EqualFold(v[:8], "https://"))
}
