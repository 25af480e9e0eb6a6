package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Merge joins the pages of one multi-page article, in order: the metadata is
// the first page's, the bodies are joined, and blocks that an earlier page
// already had (repeated promos, pagers, chrome) are dropped. Nil pages are
// skipped; Merge of no pages is nil.
func Merge(pages []*Article) *Article {
	var first *Article
	for _, p := range pages {
		if p != nil {
			first = p
			break
		}
	}
	if first == nil {
		return nil
	}
	out := *first
	out.Authors = append([]string(nil), first.Authors...)
	out.Tags = append([]string(nil), first.Tags...)
	out.NextPage = ""
	seen := make(map[string]bool)
	var texts []string
	var htmls []string
	for _, p := range pages {
		if p == nil {
			continue
		}
		// this page's paragraphs are checked against the earlier pages
		// only, so they join seen after its HTML is filtered
		paras := strings.Split(p.Text, "\n\n")
		keys := make([]string, len(paras))
		for i, para := range paras {
			keys[i] = strings.ToLower(collapse(para))
			if keys[i] != "" && !seen[keys[i]] {
				texts = append(texts, para)
			}
		}
		htmls = append(htmls, dropSeenBlocks(p.HTML, seen))
		for _, key := range keys {
			if key != "" {
				seen[key] = true
			}
		}
		if p.Confidence < out.Confidence {
			out.Confidence = p.Confidence
		}
		if out.LeadImage == "" {
			out.LeadImage = p.LeadImage
		}
		if len(out.Authors) == 0 {
			out.Authors = append(out.Authors, p.Authors...)
		}
		if out.Published.IsZero() {
			out.Published = p.Published
		}
	}
	out.Text = strings.Join(texts, "\n\n")
	out.HTML = strings.Join(htmls, "\n")
	return &out
}

// dropSeenBlocks removes the top-level blocks of a body whose text an
// earlier page already had.
func dropSeenBlocks(body string, seen map[string]bool) string {
	if len(seen) == 0 || body == "" {
		return body
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(body), ctx)
	if err != nil {
		return body
	}
	var b strings.Builder
	for _, n := range nodes {
		if t := strings.ToLower(textOf(n)); t != "" && seen[t] && n.DataAtom != atom.Figure {
			continue
		}
		_ = html.Render(&b, n)
	}
	return b.String()
}
