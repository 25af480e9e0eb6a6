package scraper

import (
	"net/url"
	"regexp"
	"strings"
)

// excludedSegments are path segments of pages that are never articles.
var excludedSegments = map[string]bool{
	"tag": true, "tags": true, "topic": true, "topics": true, "topik": true, "category": true, "categories": true,
	"kategori": true, "author": true, "authors": true, "penulis": true, "user": true, "users": true, "profile": true,
	"profil": true, "login": true, "masuk": true, "logout": true, "keluar": true, "register": true, "daftar": true,
	"signin": true, "signup": true, "search": true, "cari": true, "pencarian": true, "share": true, "print": true,
	"feed": true, "rss": true, "amp": true, "wp-admin": true, "wp-login.php": true, "wp-content": true, "cdn-cgi": true,
	"comment": true, "comments": true, "about": true, "about-us": true, "tentang": true, "tentang-kami": true,
	"contact": true, "contact-us": true, "kontak": true, "hubungi-kami": true, "privacy": true, "privacy-policy": true,
	"kebijakan-privasi": true, "pedoman-media-siber": true, "redaksi": true, "karir": true, "career": true, "careers": true,
	"advertise": true, "iklan": true, "disclaimer": true, "terms": true, "syarat-ketentuan": true, "sitemap": true,
	"indeks": true, "index": true, "subscribe": true, "langganan": true, "cart": true, "account": true, "akun": true,
	"page": true, "halaman": true, "arsip": true, "archive": true, "archives": true, "calendar": true, "kalender": true,
}

// excludedQueryKeys are query keys of searches, shares and actions.
var excludedQueryKeys = []string{"s", "q", "query", "replytocom", "share", "print", "action", "login", "redirect", "return", "month", "date", "year"}

var (
	longNumberRe = regexp.MustCompile(`\d{5,}`)
	yearRe       = regexp.MustCompile(`^(?:19|20)\d\d$`)
)

// excluded reports whether u can never be an article: a file that is not a
// page, or a tag, author, login, search, share, archive... page.
func excluded(u *url.URL) bool {
	p := strings.ToLower(u.Path)
	if p == "" || p == "/" {
		return true
	}
	segs := strings.Split(strings.Trim(p, "/"), "/")
	last := segs[len(segs)-1]
	if i := strings.LastIndexByte(last, '.'); i >= 0 {
		switch last[i+1:] {
		case "html", "htm", "shtml", "php", "asp", "aspx", "jsp", "cfm":
		default:
			if len(last)-i <= 5 && !strings.ContainsAny(last[i+1:], "0123456789") {
				return true // .jpg, .pdf, .xml, .css...
			}
		}
	}
	for _, s := range segs {
		if excludedSegments[s] {
			return true
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		for _, k := range excludedQueryKeys {
			if q.Has(k) {
				return true
			}
		}
	}
	return false
}

// articleScore weighs how much a link looks like an article: a slug of
// several words, a long numeric id, a date followed by more path, a
// headline-like anchor text; navigation counts against it.
func articleScore(a anchor) int {
	if excluded(a.url) {
		return -10
	}
	segs := strings.Split(strings.Trim(strings.ToLower(a.url.Path), "/"), "/")
	score := 0
	slug := 0
	for _, s := range segs {
		if i := strings.LastIndexByte(s, '.'); i > 0 {
			s = s[:i]
		}
		words, alpha := 0, 0
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == '+' }) {
			words++
			if strings.IndexFunc(w, func(r rune) bool { return r >= 'a' && r <= 'z' || r > 127 }) >= 0 && len(w) > 1 {
				alpha++
			}
		}
		if words >= 3 && alpha >= 2 {
			slug = 2
		}
	}
	score += slug
	if longNumberRe.MatchString(a.url.Path) {
		score++
	}
	for i := 0; i+1 < len(segs); i++ {
		if yearRe.MatchString(segs[i]) && i+2 < len(segs) {
			score++
			break
		}
	}
	switch n := len(strings.Fields(a.text)); {
	case n >= 4:
		score++
	case n <= 1:
		score--
	}
	if a.nav {
		score -= 2
	}
	return score
}

// articleLink is an article URL of a listing page with its urlKey.
type articleLink struct {
	url *url.URL
	key string
}

// articleLinks returns the article links of a listing page: on the
// source's site, not the page itself, and either matching pattern (when
// set) or looking like an article.
func articleLinks(l listing, pageURL *url.URL, allowed func(*url.URL) bool, pattern *regexp.Regexp) []articleLink {
	self := urlKey(pageURL.String())
	var out []articleLink
	for _, a := range l.links {
		if pattern != nil {
			if !pattern.MatchString(a.url.String()) || excluded(a.url) {
				continue
			}
		} else if articleScore(a) < 2 {
			continue
		}
		if !allowed(a.url) {
			continue
		}
		if key := urlKey(a.url.String()); key != self {
			out = append(out, articleLink{a.url, key})
		}
	}
	return out
}
