package extract

import (
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// candidate is an element that collected score from the prose inside it.
type candidate struct {
	node  *html.Node
	score float64
}

// classWeight is +25 per positive and -25 per negative class/id name.
func classWeight(n *html.Node) float64 {
	w := 0.0
	for _, v := range []string{getAttr(n, "class"), getAttr(n, "id")} {
		if v == "" {
			continue
		}
		pos, neg := false, false
		for _, t := range tokens(strings.ToLower(v)) {
			if negativeTokens[t] {
				neg = true
			}
			if positiveTokens[t] {
				pos = true
			}
		}
		if neg {
			w -= 25
		}
		if pos {
			w += 25
		}
	}
	if getAttr(n, "itemprop") == "articleBody" {
		w += 50
	}
	return w
}

func tagWeight(n *html.Node) float64 {
	switch n.DataAtom {
	case atom.Article:
		return 10
	case atom.Div, atom.Main, atom.Section:
		return 5
	case atom.Pre, atom.Td, atom.Blockquote:
		return 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		return -3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		return -5
	}
	return 0
}

// scoreTree gives every ancestor of a prose block a share of its score, the
// readability way, and returns the candidates best first.
func scoreTree(root *html.Node, st *stats) ([]candidate, map[*html.Node]float64) {
	scores := make(map[*html.Node]float64, 256)
	var order []*html.Node // the keys of scores, first scored first
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			walk(c)
			s := st.get(c)
			var l int
			switch c.DataAtom {
			case atom.P, atom.Pre, atom.Td:
				l = s.plain()
			case atom.Div, atom.Section, atom.Article, atom.Blockquote, atom.Li, atom.Center, atom.Dd:
				if s.own < 25 {
					continue
				}
				l = int(s.own - min(s.own, s.link))
			default:
				continue
			}
			if l < 25 {
				continue
			}
			score := 1 + float64(s.commas) + float64(min(l/100, 3))
			level := 0
			for a := c.Parent; a != nil && level < 5; a = a.Parent {
				if a.Type != html.ElementNode || a == root.Parent {
					break
				}
				if _, ok := scores[a]; !ok {
					scores[a] = tagWeight(a) + classWeight(a)
					order = append(order, a)
				}
				div := 1.0
				switch level {
				case 0:
				case 1:
					div = 2
				default:
					div = float64(level * 3)
				}
				scores[a] += score / div
				level++
			}
		}
	}
	walk(root)
	// candidates in a fixed order and a stable sort, so that ties do not
	// go by map order and the result is the same on every run
	cands := make([]candidate, 0, len(scores))
	for _, n := range order {
		sc := scores[n]
		s := st.get(n)
		sc *= 1 - s.linkDensity()
		if p := s.plain(); p < 200 && sc > 0 {
			sc *= float64(p) / 200 // a class name alone makes no article
		}
		scores[n] = sc
		cands = append(cands, candidate{n, sc})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return st.get(cands[i].node).text > st.get(cands[j].node).text
	})
	return cands, scores
}

// altShare is how close to the best score other candidates must come to
// count as parts of one split body.
var altShare = 0.5

// pickTop refines the best candidate: a shared ancestor of several strong
// candidates, or a parent that scores better, wins.
func pickTop(cands []candidate, scores map[*html.Node]float64, root *html.Node) *html.Node {
	if len(cands) == 0 {
		return nil
	}
	top := cands[0].node
	topScore := cands[0].score
	// several strong candidates under one ancestor: the content is split
	var alts []*html.Node
	for _, c := range cands[1:min(len(cands), 6)] {
		if c.score >= topScore*altShare {
			alts = append(alts, c.node)
		}
	}
	if len(alts) >= 2 {
		for p := top.Parent; p != nil && p != root && p.DataAtom != atom.Body; p = p.Parent {
			n := 0
			for _, a := range alts {
				if isAncestor(p, a) {
					n++
				}
			}
			if n >= 2 {
				top = p
				break
			}
		}
	}
	// climb while the parent scores better
	last := scores[top]
	minScore := last / 3
	for p := top.Parent; p != nil && p != root && p.DataAtom != atom.Body && p.Type == html.ElementNode; p = p.Parent {
		ps, ok := scores[p]
		if !ok {
			continue
		}
		if ps < minScore {
			break
		}
		if ps > last {
			top = p
			break
		}
		last = ps
	}
	// a lone child is the same content
	for top.Parent != nil && top.Parent != root && top.Parent.DataAtom != atom.Body && onlyElementChild(top.Parent) == top {
		top = top.Parent
	}
	return top
}

func onlyElementChild(n *html.Node) *html.Node {
	var only *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.ElementNode:
			if only != nil {
				return nil
			}
			only = c
		case html.TextNode:
			if strings.TrimSpace(c.Data) != "" {
				return nil
			}
		}
	}
	return only
}

// gatherSiblings returns top and those of its siblings that belong to the
// article too, in document order.
func gatherSiblings(top *html.Node, scores map[*html.Node]float64, st *stats) []*html.Node {
	if top.Parent == nil {
		return []*html.Node{top}
	}
	topScore := scores[top]
	threshold := max(10, topScore*0.2)
	topClass := getAttr(top, "class")
	var out []*html.Node
	for s := top.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s == top {
			out = append(out, s)
			continue
		}
		if s.Type != html.ElementNode {
			continue
		}
		bonus := 0.0
		if topClass != "" && getAttr(s, "class") == topClass {
			bonus = topScore * 0.2
		}
		if sc, ok := scores[s]; ok && sc+bonus >= threshold {
			out = append(out, s)
			continue
		}
		if s.DataAtom == atom.P || s.DataAtom == atom.Blockquote || s.DataAtom == atom.Pre {
			ss := st.get(s)
			ld := ss.linkDensity()
			t := int(ss.text)
			if t > 80 && ld < 0.25 {
				out = append(out, s)
			} else if t > 0 && t <= 80 && ld == 0 && endsSentence(textOf(s)) {
				out = append(out, s)
			}
		}
	}
	return out
}

func endsSentence(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "\u201d") || strings.HasSuffix(s, "\"")
}
