package feeds

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// newPolicy returns the allowlist that article HTML is reduced to: the
// user-generated-content policy of bluemonday (no script, style, on*
// attributes, forms, iframes or embeds; http, https and mailto URLs only)
// plus responsive image attributes. Render builds one per call; the policy
// is never shared or changed after it is built.
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

// urlAttrs are the attributes that hold one URL.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "cite": true, "poster": true, "longdesc": true, "action": true, "background": true,
}

// absolutizeURLs rewrites every URL attribute of s to an absolute URL
// resolved against base; it drops srcset candidates that are not http(s).
// Markup is re-serialised token by token; the sanitiser has the last word.
func absolutizeURLs(s string, base *url.URL) string {
	if !strings.Contains(s, "=") { // no attributes at all
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
			case urlAttrs[a.Key]:
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
	if base == nil || ref == "" || strings.HasPrefix(ref, "#") {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil || u.IsAbs() {
		return ref
	}
	return base.ResolveReference(u).String()
}

// resolveSrcset resolves every candidate of a srcset value and keeps only
// the http(s) ones.
func resolveSrcset(base *url.URL, v string) string {
	var out []string
	for _, cand := range strings.Split(v, ",") {
		f := strings.Fields(cand)
		if len(f) == 0 {
			continue
		}
		abs := resolveURL(base, f[0])
		if !isHTTPURL(abs) {
			continue
		}
		f[0] = abs
		out = append(out, strings.Join(f, " "))
	}
	return strings.Join(out, ", ")
}

// isHTTPURL reports whether s is an absolute http or https URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && s == strings.TrimSpace(s)
}

// httpURL returns s resolved against base when it is (or becomes) an
// absolute http(s) URL, else "".
func httpURL(base *url.URL, s string) string {
	s = strings.TrimSpace(cleanText(s))
	if s == "" {
		return ""
	}
	s = resolveURL(base, s)
	if !isHTTPURL(s) || strings.ContainsAny(s, " \t\n\r<>\"") {
		return ""
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
