package main

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// toMarkdown renders clean article HTML (as extract makes it) as Markdown:
// headings, paragraphs, emphasis, links, images, lists, quotes, code,
// figures with captions and simple tables.
func toMarkdown(src string) string {
	nodes, err := html.ParseFragment(strings.NewReader(src), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return mdEscape(src)
	}
	var m mdWriter
	for _, n := range nodes {
		m.block(n, "")
	}
	return strings.TrimSpace(multiBlank.ReplaceAllString(m.b.String(), "\n\n"))
}

var multiBlank = regexp.MustCompile(`\n{3,}`)

type mdWriter struct{ b strings.Builder }

// block writes a block-level node; prefix is prepended to each line (quotes, lists).
func (m *mdWriter) block(n *html.Node, prefix string) {
	if n.Type == html.TextNode {
		if t := strings.TrimSpace(n.Data); t != "" {
			m.para(prefix, mdEscape(collapse(t)))
		}
		return
	}
	if n.Type != html.ElementNode {
		return
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		level := int(n.Data[1] - '0')
		m.para(prefix, strings.Repeat("#", level)+" "+m.inline(n))
	case atom.P:
		m.para(prefix, m.inline(n))
	case atom.Blockquote:
		m.children(n, prefix+"> ")
	case atom.Ul, atom.Ol:
		i := 1
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom != atom.Li {
				continue
			}
			marker := "- "
			if n.DataAtom == atom.Ol {
				marker = fmt.Sprintf("%d. ", i)
				i++
			}
			fmt.Fprintf(&m.b, "%s%s%s\n", prefix, marker, m.inline(c))
		}
		m.b.WriteString("\n")
	case atom.Pre:
		fmt.Fprintf(&m.b, "%s```\n%s\n%s```\n\n", prefix, strings.TrimRight(textOf(n), "\n"), prefix)
	case atom.Figure:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom == atom.Figcaption {
				m.para(prefix, "*"+m.inline(c)+"*")
			} else {
				m.block(c, prefix)
			}
		}
	case atom.Img:
		if src := attr(n, "src"); src != "" {
			m.para(prefix, "!["+mdEscape(attr(n, "alt"))+"]("+src+")")
		}
	case atom.Table:
		m.table(n, prefix)
	case atom.Hr:
		m.para(prefix, "---")
	case atom.Div, atom.Section, atom.Article, atom.Main, atom.Header, atom.Footer, atom.Aside, atom.Picture, atom.Tbody:
		m.children(n, prefix)
	default:
		if t := m.inline(n); t != "" {
			m.para(prefix, t)
		}
	}
}

func (m *mdWriter) children(n *html.Node, prefix string) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		m.block(c, prefix)
	}
}

func (m *mdWriter) para(prefix, s string) {
	if s = strings.TrimSpace(s); s == "" {
		return
	}
	m.b.WriteString(prefix + s + "\n" + strings.TrimRight(prefix, " ") + "\n")
}

// inline renders the inline content of n.
func (m *mdWriter) inline(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(mdEscape(collapse(c.Data)))
			case c.Type != html.ElementNode:
			case c.DataAtom == atom.Br:
				b.WriteString("  \n")
			case c.DataAtom == atom.Strong || c.DataAtom == atom.B:
				b.WriteString("**" + strings.TrimSpace(m.inline(c)) + "**")
			case c.DataAtom == atom.Em || c.DataAtom == atom.I:
				b.WriteString("*" + strings.TrimSpace(m.inline(c)) + "*")
			case c.DataAtom == atom.Code:
				b.WriteString("`" + textOf(c) + "`")
			case c.DataAtom == atom.A:
				if href := attr(c, "href"); href != "" {
					b.WriteString("[" + strings.TrimSpace(m.inline(c)) + "](" + href + ")")
				} else {
					walk(c)
				}
			case c.DataAtom == atom.Img:
				if src := attr(c, "src"); src != "" {
					b.WriteString("![" + mdEscape(attr(c, "alt")) + "](" + src + ")")
				}
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

func (m *mdWriter) table(n *html.Node, prefix string) {
	var rows [][]string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom == atom.Tr {
				var row []string
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.DataAtom == atom.Td || td.DataAtom == atom.Th {
						row = append(row, strings.ReplaceAll(m.inline(td), "|", `\|`))
					}
				}
				rows = append(rows, row)
			} else {
				walk(c)
			}
		}
	}
	walk(n)
	if len(rows) == 0 {
		return
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	for i, r := range rows {
		for len(r) < width {
			r = append(r, "")
		}
		m.b.WriteString(prefix + "| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			m.b.WriteString(prefix + "|" + strings.Repeat(" --- |", width) + "\n")
		}
	}
	m.b.WriteString("\n")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

var spaces = regexp.MustCompile(`\s+`)

func collapse(s string) string { return spaces.ReplaceAllString(s, " ") }

var mdSpecial = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `\<`)

// mdEscape escapes the characters Markdown would take as markup.
func mdEscape(s string) string { return mdSpecial.Replace(s) }
