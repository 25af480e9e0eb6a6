package extract

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// nodeStat sums the text under one element.
type nodeStat struct {
	text   int32 // characters of text, whitespace collapsed
	link   int32 // of which inside links
	commas int32
	paras  int32 // <p> and paragraph-like blocks with prose
	imgs   int32
	lis    int32
	inputs int32
	own    int32 // text not inside a block-level child (inline text of this element)
	prose  int32 // text of the paragraphs (<p>, <pre>) of 60 or more characters outside links
}

// plus adds the stats of child c to n's (own text only when c is inline).
func (s *nodeStat) plus(c nodeStat, inline bool) {
	s.text += c.text
	s.link += c.link
	s.commas += c.commas
	s.paras += c.paras
	s.imgs += c.imgs
	s.lis += c.lis
	s.inputs += c.inputs
	s.prose += c.prose
	if inline {
		s.own += c.own
	}
}

// addText counts a text child of l characters (see measure).
func (s *nodeStat) addText(l, commas int) {
	s.text += int32(l)
	s.own += int32(l)
	s.commas += int32(commas)
}

// sub removes the stats of a removed child c from n's.
func (s *nodeStat) sub(c nodeStat, inline bool) {
	s.text -= c.text
	s.link -= c.link
	s.commas -= c.commas
	s.paras -= c.paras
	s.imgs -= c.imgs
	s.lis -= c.lis
	s.inputs -= c.inputs
	s.prose -= c.prose
	if inline {
		s.own -= c.own
	}
}

// add sets the stats of a new container from those of its children.
func (st *stats) add(n *html.Node) {
	var s nodeStat
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			s.addText(measure(c.Data))
		case html.ElementNode:
			cs, ok := st.m[c]
			if !ok {
				cs = st.walk(c, c.DataAtom == atom.A)
			}
			s.plus(cs, false)
		}
	}
	st.m[n] = s
}

// remove detaches n from the tree and takes its stats out of its ancestors'.
func (st *stats) remove(n *html.Node) {
	c := st.m[n]
	inline := !isBlock(n)
	for p := n.Parent; p != nil; p = p.Parent {
		ps, ok := st.m[p]
		if !ok {
			break
		}
		ps.sub(c, inline)
		st.m[p] = ps
		inline = inline && !isBlock(p)
	}
	removeNode(n)
}

func (s nodeStat) plain() int { return int(s.text - s.link) }

func (s nodeStat) linkDensity() float64 {
	if s.text == 0 {
		return 0
	}
	return float64(s.link) / float64(s.text)
}

// stats holds the nodeStat of every element of a tree.
type stats struct {
	m map[*html.Node]nodeStat
}

func (st *stats) get(n *html.Node) nodeStat { return st.m[n] }

// computeStatsSized walks root once, bottom-up; elements is a hint of the
// number of elements.
func computeStatsSized(root *html.Node, elements int) *stats {
	st := &stats{m: make(map[*html.Node]nodeStat, elements)}
	st.walk(root, false)
	return st
}

func (st *stats) walk(n *html.Node, inLink bool) nodeStat {
	var s nodeStat
	if n.Type == html.ElementNode && n.DataAtom == atom.A {
		inLink = true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			l, commas := measure(c.Data)
			s.addText(l, commas)
			if inLink {
				s.link += int32(l)
			}
		case html.ElementNode:
			s.plus(st.walk(c, inLink), !isBlock(c))
		}
	}
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.P, atom.Pre:
			s.paras++
			if p := s.plain(); p >= 60 {
				s.prose = int32(p) // a paragraph inside a paragraph counts once
			}
		case atom.Img:
			s.imgs++
		case atom.Li:
			s.lis++
		case atom.Input, atom.Textarea, atom.Select, atom.Button:
			s.inputs++
		case atom.Div, atom.Section, atom.Td, atom.Blockquote:
			if s.own >= 80 {
				s.paras++
			}
		}
		st.m[n] = s
	}
	return s
}

// measure returns the length of s with whitespace runs counted as one
// character (leading/trailing runs as one too) and its commas.
func measure(s string) (n, commas int) {
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' {
				space = true
				continue
			}
			if c == ',' {
				commas++
			}
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if unicode.IsSpace(r) {
				space = true
				continue
			}
			if r == '，' || r == '、' || r == '،' {
				commas++
			}
		}
		if space && n > 0 {
			n++
		}
		space = false
		n++
	}
	return n, commas
}
