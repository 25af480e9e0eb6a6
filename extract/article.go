// Package extract turns one HTML document and its URL into a clean Article:
// metadata (title, authors, dates, lead image, tags...) and a sanitised body
// as HTML and plain text. It does no network and no logging, imports nothing
// of kabar's, and is stateless.
package extract

import (
	"errors"
	"strings"
	"time"
)

// ErrNoContent is returned when no article body could be found in a page.
var ErrNoContent = errors.New("no article content found")

// Rules are optional per-site extraction rules. Zero Rules mean "use the
// built-in CMS profiles and the generic detector".
type Rules struct {
	Content string   // CSS selector of the article body
	Remove  []string // CSS selectors of elements to drop from the body
}

// Options configure one extraction.
type Options struct {
	Rules Rules
	// Now is the reference time for relative dates ("17 menit yang lalu").
	// Zero means time.Now().
	Now time.Time
	// ContentType is the HTTP Content-Type header of the page, if known; it
	// is used to decode FromReader's bytes.
	ContentType string
}

// Method says how the body of an Article was found.
type Method string

// The ways a body can be found, from most to least specific.
const (
	MethodRule    Method = "rule"    // the site's configured rules.content
	MethodProfile Method = "profile" // a built-in CMS profile
	MethodGeneric Method = "generic" // the generic content detector
)

// Article is a clean article record.
type Article struct {
	URL         string // canonical URL (rel=canonical / og:url, else the page URL without tracking params)
	PageURL     string // the URL the page was read from
	Title       string
	Subtitle    string
	Description string
	Authors     []string
	Editor      string
	Published   time.Time
	Modified    time.Time
	LeadImage   string // absolute URL
	Language    string // ISO 639-1, e.g. "id"
	SiteName    string
	Section     string
	Tags        []string
	Text        string // plain-text body, paragraphs separated by one blank line
	HTML        string // clean, sanitised body HTML with absolute URLs

	NextPage   string // next page of a multi-page article, absolute
	SinglePage string // a "show all pages" URL, absolute

	Method     Method
	Profile    string  // name of the CMS profile or rule set used, if any
	Confidence float64 // 0..1: how sure the extractor is that the body is the article
}

// Author returns the authors joined with ", ".
func (a *Article) Author() string { return strings.Join(a.Authors, ", ") }
