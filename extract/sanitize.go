package extract

import (
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// policy is the allowlist for body HTML: structure, text formatting, links,
// images, figures and tables; no script, style, iframe, forms, event
// handlers or non-http(s) URLs. Built once; bluemonday policies are safe for
// concurrent use once built.
var policy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
		"blockquote", "pre", "code", "em", "strong", "b", "i", "u", "s", "sub", "sup", "mark", "small",
		"q", "cite", "abbr", "hr", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th",
		"td", "caption", "picture", "del", "ins", "kbd", "var", "time")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("src", "alt", "title", "width", "height", "srcset").OnElements("img")
	p.AllowAttrs("srcset", "media", "type").OnElements("source")
	p.AllowElements("source")
	p.AllowAttrs("colspan", "rowspan").Matching(bluemonday.Integer).OnElements("td", "th")
	p.AllowAttrs("datetime").OnElements("time")
	p.AllowAttrs("cite").OnElements("blockquote", "q")
	p.AllowAttrs("title").OnElements("abbr")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	p.RequireNoFollowOnLinks(false)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
})

func sanitize(s string) string { return policy().Sanitize(s) }
