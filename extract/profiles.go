package extract

import (
	"strings"
	"sync"

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
	detect    []string          // class or id names
	content   []contentSel      // body candidates, best first
	remove    cascadia.Selector // furniture inside the body
}

func sel(s string) cascadia.Selector { return cascadia.MustCompile(s) }

// contentSel is a body selector and the class or id name a page must carry
// for it to match (its first one), so that absent selectors cost nothing.
type contentSel struct {
	sel  cascadia.Selector
	need string
}

var reFirstName = lazyRegexp(`[.#]([\w-]+)`)

func csel(s string) contentSel {
	c := contentSel{sel: sel(s)}
	if !strings.Contains(s, ",") {
		if m := reFirstName().FindStringSubmatch(s); m != nil {
			c.need = m[1]
		}
	}
	return c
}

// profiles, most specific first, with their selectors compiled on first
// use (see lazyRegexp); the slice is never modified.
var profiles = sync.OnceValue(func() []profile {
	return []profile{
		{
			name:      "tagdiv-newspaper",
			bodyClass: []string{"td-standard-pack", "tdb-template", "td-theme-newspaper"},
			detect:    []string{"td-post-content", "tdb_single_content", "td-ss-main-content", "td-main-content-wrap"},
			content:   []contentSel{csel(".tdb_single_content .tdb-block-inner"), csel(".td-post-content .tdb-block-inner"), csel(".td-post-content")},
			remove:    sel(".td-post-sharing, .td-a-rec, .td-g-rec, .td-a-ad, .tdb_single_tags, .td-post-source-tags, .td-author-box, .td_block_related_posts, .tdb_single_related, .td-post-next-prev, .tdb-author-box, .td-fix-index > .tdb-block-inner:empty, .irp-wrap, .td-social-sharing"),
		},
		{
			name:      "jnews",
			bodyClass: []string{"jnews"},
			detect:    []string{"jeg_post_content", "jeg_viewport", "jeg_main"},
			content:   []contentSel{csel(".jeg_post_content .content-inner"), csel(".jeg_inner_content .content-inner"), csel(".jeg_post_content")},
			remove:    sel(".jeg_post_tags, .jeg_share_button, .jeg_share_top_container, .jnews_inline_related_post_wrapper, .jnews_inline_related_post, .jeg_ad, .jnews_prev_next_container, .jnews_author_box_container, .jnews_related_post_container, .jeg_post_subtitle, .jeg_meta_container, .jnews_comment_container"),
		},
		{
			name:      "jannah",
			bodyClass: []string{"jannah", "tie-no-js"},
			detect:    []string{"tie-wrapper", "tie-container"},
			content:   []contentSel{csel("#the-post .entry-content"), csel(".entry-content.entry"), csel(".entry-content")},
			remove:    sel(".post-bottom-meta, .share-buttons, .stream-item, .post-shortlink, #related-posts, .check-also-box, .post-components, .tie-alert, .entry-header, .post-footer-on-bottom, .share-links"),
		},
		{
			name:      "generatepress",
			bodyClass: []string{"wp-theme-generatepress", "generatepress"},
			detect:    []string{"generate-slideout-menu", "generate-columns-container", "inside-article"},
			content:   []contentSel{csel(".inside-article .entry-content"), csel(".entry-content")},
			remove:    sel(".entry-meta, .post-navigation, .gb-button-wrapper"),
		},
		{
			name:      "blogger",
			generator: []string{"blogger"},
			detect:    []string{"post-outer", "blog-posts", "post-body"},
			content:   []contentSel{csel(".post-body.entry-content"), csel(".post-body"), csel(".entry-content")},
			remove:    sel(".post-share-buttons, .post-footer, .blog-pager, .jump-link, .post-header, .post-labels, .share-button"),
		},
		{
			name:    "amp",
			content: []contentSel{csel("[itemprop=articleBody]"), csel(".amp-wp-article-content"), csel(".article-body, .article-content, .post-content, .entry-content")},
			remove:  sel("amp-ad, amp-embed, amp-social-share, amp-sticky-ad, .amp-wp-meta, .amp-ad-wrapper"),
		},
		{
			name:      "wordpress",
			generator: []string{"wordpress"},
			detect:    []string{"wp-block-post-content", "hentry", "entry-content"},
			content:   []contentSel{csel(".wp-block-post-content"), csel("article .entry-content"), csel(".hentry .entry-content"), csel(".entry-content"), csel(".post-content")},
			remove:    sel(".sharedaddy, .jp-relatedposts, .yarpp-related, .wp-block-buttons, .addtoany_share_save_container, .post-tags, .wp-block-social-links, .entry-meta, .crp_related, .ez-toc-container"),
		},
	}
})

// fingerprintNames is every class or id name some profile detects.
var fingerprintNames = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool)
	for _, p := range profiles() {
		for _, n := range p.detect {
			m[n] = true
		}
		for _, c := range p.content {
			if c.need != "" {
				m[c.need] = true
			}
		}
	}
	return m
})

// matchProfile returns the profile whose fingerprint the page carries.
func matchProfile(pi *pageInfo) *profile {
	ps := profiles()
	for i := range ps {
		p := &ps[i]
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
			if strings.Contains(pi.bodyClass, bc) { // a body class token or part of one
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
func selectContent(root *html.Node, sels []contentSel, names map[string]bool, minText int, st *stats) *html.Node {
	for _, s := range sels {
		if s.need != "" && names != nil && !names[s.need] {
			continue
		}
		var best *html.Node
		bestLen := 0
		for _, n := range cascadia.QueryAll(root, s.sel) {
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
