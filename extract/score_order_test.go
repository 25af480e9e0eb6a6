package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// TestScoreTreeTiesInDocumentOrder: candidates with equal score and text
// come in document order on every run, not in map order.
func TestScoreTreeTiesInDocumentOrder(t *testing.T) {
	para := "<p>" + strings.Repeat("Kalimat yang cukup panjang untuk dinilai, ", 4) + "</p>"
	page := `<html><body><div id="a">` + para + `</div><div id="b">` + para + `</div><div id="c">` + para + `</div></body></html>`
	for range 20 {
		root, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		body := findFirst(root, func(n *html.Node) bool { return n.DataAtom == atom.Body })
		cands, _ := scoreTree(body, computeStatsSized(body, 16))
		var ids []string
		for _, c := range cands {
			if c.node.DataAtom == atom.Div {
				ids = append(ids, getAttr(c.node, "id"))
			}
		}
		if got := strings.Join(ids, ","); got != "a,b,c" {
			t.Fatalf("tied candidates in order %q, want a,b,c", got)
		}
	}
}
