package feeds

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
)

// tagDate is the date part of the tag: URIs kabar mints (RFC 4151). It is a
// constant so that ids never change.
const tagDate = "2026"

// summaryRunes is the length of a summary derived from the content.
const summaryRunes = 280

// doc is a Feed after hygiene and defaults: every string is safe to
// serialise and every required value is present.
type doc struct {
	id, title, description string
	home, self, hub, logo  string
	lang                   string
	author                 string // fallback author name
	updated                time.Time
	entries                []entry
}

// entry is an Item after hygiene and defaults.
type entry struct {
	id        string
	permalink bool // id is the item's http(s) URL
	link      string
	title     string
	summary   string // plain text
	content   string // sanitised HTML with absolute URLs
	authors   []string
	tags      []string
	published time.Time // zero when undated
	updated   time.Time // zero when undated
	image     *Image    // absolute http(s) URL and an image MIME type
}

// sizeHint estimates the length of a rendered document: the text of the
// entries, with room for escaping, and the markup around them.
func (d *doc) sizeHint() int {
	n := 2048
	for i := range d.entries {
		e := &d.entries[i]
		n += 1024 + len(e.content) + len(e.content)/16 + 2*len(e.summary)
	}
	return n
}

func prepare(f *Feed, memo *Renderer) *doc {
	d := &doc{
		title:       plainText(f.Title),
		description: plainText(f.Description),
		home:        httpURL(nil, f.HomeURL),
		self:        httpURL(nil, f.SelfURL),
		hub:         httpURL(nil, f.HubURL),
		lang:        normLanguage(f.Language),
		author:      plainText(f.Author),
		updated:     Updated(f),
	}
	base, baseKey := parseBase(d.home), d.home
	if base == nil {
		base, baseKey = parseBase(d.self), d.self
	}
	if base == nil {
		baseKey = ""
	}
	d.logo = httpURL(base, f.LogoURL)
	if d.title == "" {
		d.title = hostOf(d.home, d.self)
	}
	if d.title == "" {
		d.title = "kabar"
	}
	if d.description == "" {
		d.description = d.title
	}
	if d.author == "" {
		d.author = d.title
	}
	// tag: URIs are minted under the site's host when there is one: it
	// outlives the address kabar happens to be served from.
	authority := hostOf(d.home, f.ID, d.self)
	if authority == "" {
		authority = "kabar.invalid"
	}
	switch id := strings.TrimSpace(cleanText(f.ID)); {
	case id != "":
		d.id = asIRI(authority, id)
	case d.self != "":
		d.id = d.self
	default:
		d.id = tagURI(authority, "feed/"+d.title)
	}

	p := contentPolicy()
	d.entries = make([]entry, 0, len(f.Items))
	seen := make(map[string]bool, len(f.Items))
	for i := range f.Items {
		e := prepareEntry(&f.Items[i], base, baseKey, authority, p, memo)
		if seen[e.id] {
			// One article twice (say, under two sources of a merged
			// feed): readers would see duplicate ids; the first wins.
			continue
		}
		seen[e.id] = true
		d.entries = append(d.entries, e)
	}
	return d
}

// prepareEntry cleans an item; feedBaseKey is the string feedBase was
// parsed from.
func prepareEntry(it *Item, feedBase *url.URL, feedBaseKey, authority string, p *bluemonday.Policy, memo *Renderer) entry {
	var e entry
	e.link = httpURL(feedBase, it.URL)
	rawID := strings.TrimSpace(cleanText(it.ID))
	// The id is most often the link itself, which httpURL returns as is
	// (an absolute http(s) URL, ASCII, clean): no need to parse it again.
	idIsLink := rawID != "" && rawID == e.link
	if !idIsLink {
		if u := httpURL(nil, rawID); u != "" {
			rawID = u
		}
	}
	idHTTP := idIsLink || isHTTPURL(rawID)
	if e.link == "" && idHTTP {
		e.link = rawID
	}
	// e.link is empty or an http(s) URL: parseBase without checking again.
	var base *url.URL
	if e.link != "" {
		base, _ = url.Parse(e.link)
	}
	baseKey := e.link
	if base == nil {
		base, baseKey = feedBase, feedBaseKey
	} else {
		authority = strings.ToLower(base.Hostname())
	}
	e.published, e.updated = itemDates(it)
	e.content = memo.sanitize(p, it.Content, base, baseKey)
	e.summary = plainText(it.Summary)
	if e.summary == "" && e.content != "" {
		e.summary = truncateText(plainText(e.content), summaryRunes)
	}
	e.title = plainText(it.Title)
	if e.title == "" {
		e.title = truncateText(e.summary, 80)
	}
	if e.title == "" {
		e.title = e.link
	}
	if e.title == "" {
		e.title = "Untitled"
	}
	e.authors = plainList(it.Authors)
	e.tags = plainList(it.Tags)
	e.image = prepareImage(it.Image, base)

	switch {
	case idHTTP:
		e.id, e.permalink = rawID, true
	case rawID != "":
		e.id = asIRI(authority, rawID)
	case e.link != "":
		e.id, e.permalink = e.link, true
	default:
		// Nothing stable but what the item says about itself.
		h := sha256.Sum256([]byte(e.title + "\x00" + formatRFC3339(e.published)))
		e.id = tagURI(authority, "item/"+hex.EncodeToString(h[:12]))
	}
	return e
}

// itemDates returns an item's published and updated times after the
// fallbacks: each stands in for the other, Fetched for both; updated is
// never before published. Times outside years 1000..9999, which no format
// can carry, count as missing.
func itemDates(it *Item) (published, updated time.Time) {
	published, updated = usableTime(it.Published), usableTime(it.Updated)
	if published.IsZero() {
		published = updated
	}
	if updated.IsZero() {
		updated = published
	}
	if published.IsZero() {
		published = usableTime(it.Fetched)
		updated = published
	}
	if updated.Before(published) {
		updated = published
	}
	return published, updated
}

func usableTime(t time.Time) time.Time {
	if y := t.Year(); y < 1000 || y > 9999 {
		return time.Time{}
	}
	return t.Truncate(time.Second)
}

// plainList cleans names or tags: plain text, no duplicates (ignoring
// case), first spelling kept, order kept; values without a letter or digit
// (empty, "-", a lone U+FFFD left of invalid bytes) are dropped.
func plainList(in []string) []string {
	var out []string
	if len(in) > 16 {
		seen := make(map[string]bool, len(in))
		for _, s := range in {
			s = plainText(s)
			k := strings.ToLower(s)
			if !hasLetterOrDigit(s) || seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, s)
		}
		return out
	}
	// The usual handful of names or tags: compare without a map or
	// lowercased copies.
	for _, s := range in {
		s = plainText(s)
		if !hasLetterOrDigit(s) || slices.ContainsFunc(out, func(o string) bool { return equalLower(o, s) }) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// equalLower reports whether strings.ToLower(a) == strings.ToLower(b),
// rune by rune, without building either.
func equalLower(a, b string) bool {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb && unicode.ToLower(ra) != unicode.ToLower(rb) {
			return false
		}
		a, b = a[na:], b[nb:]
	}
	return a == "" && b == ""
}

func hasLetterOrDigit(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

var mimeRE = regexp.MustCompile(`^image/[a-z0-9][a-z0-9.+-]*$`)

func prepareImage(img *Image, base *url.URL) *Image {
	if img == nil {
		return nil
	}
	u := httpURL(base, img.URL)
	if u == "" {
		return nil
	}
	typ := strings.ToLower(strings.TrimSpace(img.Type))
	if i := strings.IndexByte(typ, ';'); i >= 0 {
		typ = strings.TrimSpace(typ[:i])
	}
	if !mimeRE.MatchString(typ) {
		typ = imageType(u)
	}
	return &Image{URL: u, Type: typ, Length: max(img.Length, 0)}
}

// imageType guesses an image's MIME type from its URL's extension (a fixed
// table, not the system's mime.types, so output is the same everywhere);
// JPEG, the commonest type of news photos, when the URL does not tell.
func imageType(u string) string {
	p := u
	if pu, err := url.Parse(u); err == nil {
		p = pu.Path
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".svg":
		return "image/svg+xml"
	case ".bmp":
		return "image/bmp"
	}
	return "image/jpeg"
}

// normLanguage returns a BCP 47-shaped language tag ("id", "en-US") or "".
func normLanguage(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "_", "-")
	if !langRE.MatchString(s) {
		return ""
	}
	return s
}

var langRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

// hostOf returns the lower-case host of the first of urls that has one.
func hostOf(urls ...string) string {
	for _, s := range urls {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.Hostname() != "" {
			return strings.ToLower(u.Hostname())
		}
	}
	return ""
}

// asIRI returns id when it is already an absolute URI without white space
// (an http URL, urn:, tag:), else a tag: URI built from it.
func asIRI(authority, id string) string {
	if u, err := url.Parse(id); err == nil && u.Scheme != "" && u.Opaque+u.Host+u.Path != "" &&
		!strings.ContainsAny(id, " \t\n\r<>\"{}|\\^`") {
		return id
	}
	return tagURI(authority, id)
}

// tagURI returns an RFC 4151 tag URI for authority and a specific part.
func tagURI(authority, specific string) string {
	return "tag:" + authority + "," + tagDate + ":" + escapeTagSpecific(specific)
}

// escapeTagSpecific percent-encodes what may not appear in a tag URI's
// specific part (pchar, "/" and "?" may).
func escapeTagSpecific(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("-._~!$&'()*+,;=:@/?", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func formatRFC3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func formatRFC1123(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC1123Z)
}
