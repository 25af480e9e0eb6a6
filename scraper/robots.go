package scraper

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// robots are the rules of one host's robots.txt that apply to one user
// agent, per RFC 9309: the groups naming the agent's product token (or, if
// none does, the "*" groups), merged; the longest matching rule wins and an
// allow wins a tie; "*" and a final "$" are supported; paths are compared
// with percent-encoding normalised.
type robots struct {
	disallowAll bool
	rules       []robotsRule
	crawlDelay  time.Duration
	sitemaps    []string
}

type robotsRule struct {
	pattern string // normalised
	allow   bool
}

// robotsAllowAll is what a 4xx robots.txt means.
var robotsAllowAll = &robots{}

// robotsDisallowAll is what a 5xx or unreachable robots.txt means for now.
var robotsDisallowAll = &robots{disallowAll: true}

// maxRobotsSize is how much of a robots.txt is parsed (RFC 9309 asks for at
// least 500 KiB).
const maxRobotsSize = 512 << 10

// productToken returns the product token of a User-Agent string: its first
// word, up to "/", lower-cased ("kabar/1.2 (+url)" → "kabar").
func productToken(ua string) string {
	ua = strings.TrimSpace(ua)
	if i := strings.IndexAny(ua, "/ ;("); i >= 0 {
		ua = ua[:i]
	}
	return strings.ToLower(ua)
}

// parseRobots parses a robots.txt body for the agent whose product token is
// token.
func parseRobots(body []byte, token string) *robots {
	if len(body) > maxRobotsSize {
		body = body[:maxRobotsSize]
	}
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	type group struct {
		agents     []string
		rules      []robotsRule
		crawlDelay time.Duration
	}
	var (
		groups   []*group
		cur      *group
		inAgents bool // the previous line was a user-agent line
		sitemaps []string
	)
	for len(body) > 0 {
		var line []byte
		if i := bytes.IndexAny(body, "\r\n"); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			line, body = body, nil
		}
		if i := bytes.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		key := strings.ToLower(strings.TrimSpace(string(k)))
		val := strings.TrimSpace(string(v))
		switch key {
		case "user-agent", "useragent", "user agent":
			if !inAgents || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(val))
			inAgents = true
			continue
		case "allow", "disallow", "disalow", "dissallow":
			if cur != nil && val != "" {
				cur.rules = append(cur.rules, robotsRule{pattern: normalisePath(val), allow: key == "allow"})
			}
		case "crawl-delay", "crawldelay":
			if cur != nil {
				if f, err := strconv.ParseFloat(val, 64); err == nil && f > 0 && f < 1e6 {
					cur.crawlDelay = max(cur.crawlDelay, time.Duration(f*float64(time.Second)))
				}
			}
		case "sitemap", "site-map":
			if val != "" {
				sitemaps = append(sitemaps, val)
			}
			continue // a global line: does not end a user-agent run
		default:
			continue
		}
		inAgents = false
	}
	r := &robots{sitemaps: sitemaps}
	pick := func(match func(string) bool) bool {
		found := false
		for _, g := range groups {
			for _, a := range g.agents {
				if match(a) {
					found = true
					r.rules = append(r.rules, g.rules...)
					r.crawlDelay = max(r.crawlDelay, g.crawlDelay)
					break
				}
			}
		}
		return found
	}
	if token == "" || !pick(func(a string) bool { return productToken(a) == token }) {
		pick(func(a string) bool { return a == "*" })
	}
	return r
}

// allowed reports whether the path (with query) of a URL may be fetched.
func (r *robots) allowed(pathQuery string) bool {
	if r.disallowAll {
		return pathQuery == "/robots.txt"
	}
	if len(r.rules) == 0 || pathQuery == "/robots.txt" {
		return true
	}
	p := normalisePath(pathQuery)
	best, allow := -1, true
	for _, rule := range r.rules {
		if len(rule.pattern) < best || !robotsMatch(rule.pattern, p) {
			continue
		}
		if len(rule.pattern) > best {
			best, allow = len(rule.pattern), rule.allow
		} else if rule.allow {
			allow = true
		}
	}
	return allow
}

// robotsMatch reports whether pattern matches path: from its start, with
// "*" matching any run of characters and a final "$" anchoring the end.
func robotsMatch(pattern, path string) bool {
	if strings.HasSuffix(pattern, "$") {
		pattern = pattern[:len(pattern)-1]
	} else {
		pattern += "*"
	}
	// Iterative glob matching with backtracking to the last star: linear in
	// practice, never exponential.
	p, s, star, mark := 0, 0, -1, 0
	for s < len(path) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, s
			p++
		case p < len(pattern) && pattern[p] == path[s]:
			p++
			s++
		case star >= 0:
			p = star + 1
			mark++
			s = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// normalisePath percent-encodes non-ASCII and control bytes, upper-cases
// percent escapes and decodes escaped unreserved characters, so that a rule
// and a URL path compare equal whichever way they were written.
func normalisePath(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteByte(hex[v>>4])
				b.WriteByte(hex[v&15])
			}
			i += 2
		case c >= 0x80 || c <= 0x20 || c == 0x7f:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}
