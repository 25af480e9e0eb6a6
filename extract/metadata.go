package extract

import (
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageInfo is what one walk over the whole document collects for metadata.
type pageInfo struct {
	metas     map[string][]string // meta name/property/itemprop (lower case) -> contents
	canonical string
	baseHref  string
	title     string
	lang      string
	jsonld    []string
	h1s       []*html.Node
	heads     []*html.Node // h1 and title-classed h2/h3, in order
	times     []*html.Node
	relTags   []string
	imageSrc  string
	amp       bool
	generator string
	bodyClass string
	names     map[string]bool // every class word and id of the page, for CMS fingerprints
	elements  int             // number of elements, to size per-element tables
	links     []*html.Node    // <a> and <link> elements, for pagination
}

// collectPageInfo walks the document once: it collects what metadata needs
// and strips the junk (see stripChild) behind itself.
func collectPageInfo(root *html.Node) *pageInfo {
	pi := &pageInfo{metas: make(map[string][]string), names: make(map[string]bool)}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			pi.elements++
			for _, at := range n.Attr {
				if at.Key == "class" || at.Key == "id" {
					recordFingerprints(pi.names, at.Val)
				}
			}
			switch n.DataAtom {
			case atom.Html:
				pi.lang = getAttr(n, "lang")
				if pi.lang == "" {
					pi.lang = getAttr(n, "xml:lang")
				}
				pi.amp = hasAttr(n, "amp") || hasAttr(n, "⚡")
			case atom.Body:
				pi.bodyClass = strings.ToLower(getAttr(n, "class"))
			case atom.Meta:
				content := getAttr(n, "content")
				if content == "" {
					content = getAttr(n, "value")
				}
				for _, k := range []string{"property", "name", "itemprop", "http-equiv"} {
					if key := strings.ToLower(strings.TrimSpace(getAttr(n, k))); key != "" && strings.TrimSpace(content) != "" {
						pi.metas[key] = append(pi.metas[key], strings.TrimSpace(content))
					}
				}
			case atom.Link:
				pi.links = append(pi.links, n)
				rel := strings.ToLower(getAttr(n, "rel"))
				href := getAttr(n, "href")
				switch {
				case hasToken(rel, "canonical") && pi.canonical == "":
					pi.canonical = href
				case hasToken(rel, "image_src") && pi.imageSrc == "":
					pi.imageSrc = href
				}
			case atom.Base:
				if pi.baseHref == "" {
					pi.baseHref = getAttr(n, "href")
				}
			case atom.Title:
				if pi.title == "" && !inSVG(n) {
					pi.title = textOf(n)
				}
			case atom.Script:
				if strings.Contains(strings.ToLower(getAttr(n, "type")), "ld+json") && n.FirstChild != nil {
					pi.jsonld = append(pi.jsonld, n.FirstChild.Data)
				}
				return
			case atom.Style, atom.Svg, atom.Template:
				return
			case atom.H1:
				pi.h1s = append(pi.h1s, n)
				pi.heads = append(pi.heads, n)
			case atom.H2, atom.H3:
				if ip := getAttr(n, "itemprop"); ip == "headline" || ip == "name" || hasTokenIn(n, titleTokens) {
					pi.heads = append(pi.heads, n)
				}
			case atom.Time:
				pi.times = append(pi.times, n)
			case atom.A:
				pi.links = append(pi.links, n)
				if hasToken(strings.ToLower(getAttr(n, "rel")), "tag") {
					if t := textOf(n); t != "" && runeLen(t) < 60 {
						pi.relTags = append(pi.relTags, strings.TrimPrefix(t, "#"))
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			walk(c)
			stripChild(n, c)
			c = next
		}
	}
	walk(root)
	if g := pi.metas["generator"]; len(g) > 0 {
		pi.generator = strings.ToLower(strings.Join(g, " "))
	}
	return pi
}

// recordFingerprints notes the class words of v that some profile's
// fingerprint names.
func recordFingerprints(names map[string]bool, v string) {
	known := fingerprintNames()
	for len(v) > 0 {
		i := strings.IndexAny(v, " \t\n")
		w := v
		if i >= 0 {
			w, v = v[:i], v[i+1:]
		} else {
			v = ""
		}
		if w != "" && known[w] {
			names[w] = true
		}
	}
}

func inSVG(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Svg {
			return true
		}
	}
	return false
}

func hasToken(list, tok string) bool {
	for f := range strings.FieldsSeq(list) {
		if f == tok {
			return true
		}
	}
	return false
}

// meta returns the first non-empty value among keys.
func (pi *pageInfo) meta(keys ...string) string {
	for _, k := range keys {
		if v := pi.metas[k]; len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

var titleTokens = tokenSet(map[string][]string{"title": {"title", "headline", "judul", "heading"}})

// Meta keys by field, best source first.
var (
	metaTitle       = []string{"og:title", "twitter:title", "dc.title", "dcterms.title", "parsely-title", "sailthru.title", "title", "headline"}
	metaDescription = []string{"og:description", "description", "twitter:description", "dc.description", "dcterms.description", "sailthru.description"}
	metaPublished   = []string{"article:published_time", "og:article:published_time", "article:published", "datepublished", "parsely-pub-date", "sailthru.date", "dtk:publishdate", "publishdate", "publish-date", "publish_date", "pubdate", "date", "dc.date", "dc.date.issued", "dcterms.issued", "dcterms.created", "dc.date.created", "article.published", "content_publishdate", "cxenseparse:recs:publishtime", "datecreated", "release_date", "original-publish-date", "og:published_time", "published_time"}
	metaModified    = []string{"article:modified_time", "og:updated_time", "datemodified", "dc.date.modified", "dcterms.modified", "last-modified", "article:updated_time", "modified_time"}
	metaAuthor      = []string{"author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "dtk:author", "content_author", "byl", "twitter:creator:name"}
	metaImage       = []string{"og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src", "image", "thumbnailurl", "parsely-image-url", "sailthru.image.full"}
	metaSiteName    = []string{"og:site_name", "application-name", "apple-mobile-web-app-title", "dc.publisher", "publisher", "twitter:site"}
	metaSection     = []string{"article:section", "parsely-section", "dtk:kanalname", "section", "sailthru.section", "articlesection", "category"}
	metaTags        = []string{"article:tag", "news_keywords", "parsely-tags", "sailthru.tags", "dtk:keywords", "keywords"}
	metaLang        = []string{"og:locale", "content-language", "language", "dc.language", "inlanguage"}
)

// resolveBase picks the base URL for relative links: the page URL, else
// <base href>, else the canonical or og:url of the page.
func resolveBase(pi *pageInfo, pageURL string) *url.URL {
	var base *url.URL
	if u, err := url.Parse(strings.TrimSpace(pageURL)); err == nil && u.Scheme != "" && u.Host != "" {
		base = u
	}
	for _, cand := range []string{pi.canonical, pi.meta("og:url")} {
		if base != nil {
			break
		}
		if isAbsHTTP(cand) {
			base, _ = url.Parse(strings.TrimSpace(cand))
		}
	}
	if pi.baseHref != "" {
		if b, err := url.Parse(strings.TrimSpace(pi.baseHref)); err == nil {
			if base != nil {
				b = base.ResolveReference(b)
			}
			if b.Scheme == "http" || b.Scheme == "https" {
				base = b
			}
		}
	}
	return base
}

// fillMetadata sets the metadata fields of a from the page's head and
// JSON-LD (SiteName and Language are set before, by extract). Visible-text
// fallbacks are applied later, in fillVisibleMeta.
func fillMetadata(a *Article, pi *pageInfo, ld ldInfo, base *url.URL, opts Options, loc *time.Location) {
	a.Title = pickTitle(pi, ld, a.SiteName)
	a.Description = firstNonEmpty(pi.meta(metaDescription...), ld.description, ld.pageDescription)
	a.Description = collapse(a.Description)

	now := opts.Now
	a.Published = pickDate(now, loc, ld.published, pi.meta(metaPublished...), ld.pagePublished)
	a.Modified = pickDate(now, loc, ld.modified, pi.meta(metaModified...))

	authors := ld.authors
	if len(authors) == 0 {
		for _, v := range pi.metas["author"] {
			authors = append(authors, v)
		}
	}
	if len(authors) == 0 {
		if v := pi.meta(metaAuthor...); v != "" && !isAbsHTTP(v) {
			authors = []string{v}
		}
	}
	a.Authors = cleanAuthors(authors)
	if len(ld.editors) > 0 {
		a.Editor = strings.Join(cleanAuthors(ld.editors), ", ")
	}

	for _, cand := range []string{pi.meta(metaImage...), ld.image, ld.pageImage, pi.imageSrc} {
		if u := absURL(base, cand); u != "" {
			a.LeadImage = u
			break
		}
	}
	a.Section = collapse(firstNonEmpty(pi.meta(metaSection...), ld.section))
	switch {
	case len(pi.relTags) > 0:
		a.Tags = dedupe(pi.relTags)
	case len(pi.metas["article:tag"]) > 0:
		var tags []string
		for _, v := range pi.metas["article:tag"] {
			tags = append(tags, splitList(v)...)
		}
		a.Tags = dedupe(tags)
	case len(ld.keywords) > 0 && len(ld.keywords) <= 30:
		a.Tags = dedupe(ld.keywords)
	default:
		if kw := splitList(pi.meta(metaTags...)); len(kw) <= 20 {
			a.Tags = dedupe(kw)
		}
	}
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func dedupe(list []string) []string {
	seen := make(map[string]bool, len(list))
	var out []string
	for _, v := range list {
		v = collapse(v)
		k := strings.ToLower(v)
		if v == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, v)
	}
	return out
}

// normLang turns "id-ID", "en_US", "in" into an ISO 639-1 code.
func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_ ,;"); i >= 0 {
		s = s[:i]
	}
	if s == "in" {
		return "id"
	}
	if len(s) != 2 {
		return ""
	}
	return s
}

// pickDate parses the candidates in order and returns the best: the first
// with a clock time and zone, else the first with a time, else the first.
func pickDate(now time.Time, loc *time.Location, cands ...string) time.Time {
	var withTime, any dateResult
	for _, c := range cands {
		if c == "" {
			continue
		}
		r, ok := parseDate(c, now, loc)
		if !ok {
			continue
		}
		if r.hasTime && r.hasZone {
			return r.t
		}
		if r.hasTime && withTime.t.IsZero() {
			withTime = r
		}
		if any.t.IsZero() {
			any = r
		}
	}
	if !withTime.t.IsZero() {
		return withTime.t
	}
	return any.t
}

// cleanAuthors trims labels ("By", "Oleh", "Penulis:"), splits lists and
// drops URLs and duplicates.
func cleanAuthors(list []string) []string {
	var out []string
	for _, a := range list {
		a = collapse(a)
		a = reAuthorLabel().ReplaceAllString(a, "")
		a = strings.Trim(a, " ,|-–—:")
		if a == "" || isAbsHTTP(a) || runeLen(a) > 80 {
			continue
		}
		for _, p := range reAuthorSplit().Split(a, -1) {
			if p = strings.Trim(collapse(p), " ,|-–—:."); p != "" && runeLen(p) > 1 {
				out = append(out, p)
			}
		}
	}
	return dedupe(out)
}
