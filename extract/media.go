package extract

import (
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var (
	featuredTokens = tokenSet(map[string][]string{"featured": {"featured", "thumbnail", "thumb", "wp-post-image",
		"attachment", "hero", "cover", "lead", "headline", "main-image", "post-image", "entry-image", "featured-image",
		"photo", "foto", "image", "img", "media", "pic", "gambar", "figure"}})
	notPhotoTokens = tokenSet(map[string][]string{"not": {"logo", "avatar", "icon", "ads", "ad", "banner", "sprite",
		"emoji", "gravatar", "author", "profile", "button", "badge", "pixel", "tracking", "spinner", "loading", "placeholder", "smiley"}})
)

// findLeadImage picks the featured image of a page with no declared one:
// the first real photo in a featured-image container, else the first real
// photo after the headline.
func findLeadImage(root, h1 *html.Node, base *url.URL, vc verdicts) string {
	after := h1 == nil
	var firstAfter, featured string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if featured != "" {
			return
		}
		if n == h1 {
			after = true
		}
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Nav, atom.Footer, atom.Aside:
				return // a <header> is walked: it may hold the featured image
			case atom.Img:
				if src := photoSrc(n, base); src != "" {
					if inFeatured(n) {
						featured = src
						return
					}
					if after && firstAfter == "" {
						firstAfter = src
					}
				}
			}
			if b, _ := boilerplateClass(n, vc); b && n.DataAtom != atom.Body {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return firstNonEmpty(featured, firstAfter)
}

func inFeatured(img *html.Node) bool {
	for p, l := img, 0; p != nil && l < 4; p, l = p.Parent, l+1 {
		if hasTokenIn(p, featuredTokens) {
			return true
		}
	}
	return false
}

// photoSrc returns the absolute source of an image that looks like a photo.
func photoSrc(img *html.Node, base *url.URL) string {
	src := getAttr(img, "src")
	if src == "" || strings.HasPrefix(src, "data:") {
		return ""
	}
	for _, k := range []string{"width", "height"} {
		if v := getAttr(img, k); v != "" {
			if n, err := strconv.Atoi(strings.TrimSuffix(v, "px")); err == nil && n < 100 {
				return ""
			}
		}
	}
	l := strings.ToLower(src + " " + getAttr(img, "class") + " " + getAttr(img, "id") + " " + getAttr(img, "alt"))
	for _, t := range tokens(l) {
		if notPhotoTokens[t] {
			return ""
		}
	}
	if strings.HasSuffix(strings.ToLower(strings.SplitN(src, "?", 2)[0]), ".svg") {
		return ""
	}
	return absURL(base, src)
}
