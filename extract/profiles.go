package extract

import (
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// profile is a built-in rule set for a CMS or theme, recognised by a
// fingerprint, so that the many small sites built on it need no site rules.
type profile struct {
	name string
	// fingerprint: any generator substring, body class token or selector match
	generator []string
	bodyClass []string
	detect    []string            // class or id names
	content   []cascadia.Selector // body candidates, best first
	remove    cascadia.Selector   // furniture inside the body
}

func sel(s string) cascadia.Selector { return cascadia.MustCompile(s) }

// profiles, most specific first.
var profiles = []profile{
	{
		name:      "tagdiv-newspaper",
		bodyClass: []string{"td-standard-pack", "tdb-template", "td-theme-newspaper"},
		detect:    []string{"td-post-content", "tdb_single_content", "td-ss-main-content", "td-main-content-wrap"},
		content:   []cascadia.Selector{sel(".tdb_single_content .tdb-block-inner"), sel(".td-post-content .tdb-block-inner"), sel(".td-post-content")},
		remove:    sel(".td-post-sharing, .td-a-rec, .td-g-rec, .td-a-ad, .tdb_single_tags, .td-post-source-tags, .td-author-box, .td_block_related_posts, .tdb_single_related, .td-post-next-prev, .tdb-author-box, .td-fix-index > .tdb-block-inner:empty, .irp-wrap, .td-social-sharing"),
	},
	{
		name:      "jnews",
		bodyClass: []string{"jnews"},
		detect:    []string{"jeg_post_content", "jeg_viewport", "jeg_main"},
		content:   []cascadia.Selector{sel(".jeg_post_content .content-inner"), sel(".jeg_inner_content .content-inner"), sel(".jeg_post_content")},
		remove:    sel(".jeg_post_tags, .jeg_share_button, .jeg_share_top_container, .jnews_inline_related_post_wrapper, .jnews_inline_related_post, .jeg_ad, .jnews_prev_next_container, .jnews_author_box_container, .jnews_related_post_container, .jeg_post_subtitle, .jeg_meta_container, .jnews_comment_container"),
	},
	{
		name:      "jannah",
		bodyClass: []string{"jannah", "tie-no-js"},
		detect:    []string{"tie-wrapper", "tie-container"},
		content:   []cascadia.Selector{sel("#the-post .entry-content"), sel(".entry-content.entry"), sel(".entry-content")},
		remove:    sel(".post-bottom-meta, .share-buttons, .stream-item, .post-shortlink, #related-posts, .check-also-box, .post-components, .tie-alert, .entry-header, .post-footer-on-bottom, .share-links"),
	},
	{
		name:      "generatepress",
		bodyClass: []string{"wp-theme-generatepress", "generatepress"},
		detect:    []string{"generate-slideout-menu", "generate-columns-container", "inside-article"},
		content:   []cascadia.Selector{sel(".inside-article .entry-content"), sel(".entry-content")},
		remove:    sel(".entry-meta, .post-navigation, .gb-button-wrapper"),
	},
	{
		name:      "blogger",
		generator: []string{"blogger"},
		detect:    []string{"post-outer", "blog-posts", "post-body"},
		content:   []cascadia.Selector{sel(".post-body.entry-content"), sel(".post-body"), sel(".entry-content")},
		remove:    sel(".post-share-buttons, .post-footer, .blog-pager, .jump-link, .post-header, .post-labels, .share-button"),
	},
	{
		name:    "amp",
		content: []cascadia.Selector{sel("[itemprop=articleBody]"), sel(".amp-wp-article-content"), sel(".article-body, .article-content, .post-content, .entry-content")},
		remove:  sel("amp-ad, amp-embed, amp-social-share, amp-sticky-ad, .amp-wp-meta, .amp-ad-wrapper"),
	},
	{
		name:      "wordpress",
		generator: []string{"wordpress"},
		detect:    []string{"wp-block-post-content", "hentry", "entry-content"},
		content:   []cascadia.Selector{sel(".wp-block-post-content"), sel("article .entry-content"), sel(".hentry .entry-content"), sel(".entry-content"), sel(".post-content")},
		remove:    sel(".sharedaddy, .jp-relatedposts, .yarpp-related, .wp-block-buttons, .addtoany_share_save_container, .post-tags, .wp-block-social-links, .entry-meta, .crp_related, .ez-toc-container"),
	},
}

// fingerprintNames is every class or id name some profile detects.
var fingerprintNames = func() map[string]bool {
	m := make(map[string]bool)
	for _, p := range profiles {
		for _, n := range p.detect {
			m[n] = true
		}
	}
	return m
}()

// matchProfile returns the profile whose fingerprint the page carries.
func matchProfile(pi *pageInfo) *profile {
	for i := range profiles {
		p := &profiles[i]
		if p.name == "amp" {
			if pi.amp {
				return p
			}
			continue
		}
		for _, g := range p.generator {
			if strings.Contains(pi.generator, g) {
				return p
			}
		}
		for _, bc := range p.bodyClass {
			if hasToken(pi.bodyClass, bc) || strings.Contains(pi.bodyClass, bc) {
				return p
			}
		}
		for _, name := range p.detect {
			if pi.names[name] {
				return p
			}
		}
	}
	return nil
}

// selectContent returns the element of the largest text matched by the
// first selector that matches anything with text.
func selectContent(root *html.Node, sels []cascadia.Selector, minText int, st *stats) *html.Node {
	for _, s := range sels {
		var best *html.Node
		bestLen := 0
		for _, n := range cascadia.QueryAll(root, s) {
			if l := int(st.get(n).text); l > bestLen {
				best, bestLen = n, l
			}
		}
		if best != nil && bestLen >= minText {
			return best
		}
	}
	return nil
}

// removeMatching removes the elements under root that s matches, keeping
// st (when not nil) up to date.
func removeMatching(root *html.Node, s cascadia.Selector, st *stats) {
	if s == nil {
		return
	}
	for _, n := range cascadia.QueryAll(root, s) {
		if n == root || n.Parent == nil {
			continue
		}
		if st != nil {
			st.remove(n)
		} else {
			removeNode(n)
		}
	}
}
