package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir is trafilatura's evaluation set as the extract bench ships it.
const corpusDir = "../../shared/datasets/trafilatura-eval"

// TestCorpusTrafilaturaEval scores the body text on trafilatura's evaluation
// pages ("with" snippets must be found, "without" snippets must not) and
// fails below a floor. Slow: skipped under -short and when the data is
// absent.
func TestCorpusTrafilaturaEval(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus run skipped under -short")
	}
	raw, err := os.ReadFile(filepath.Join(corpusDir, "expectations.json"))
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	var exp struct {
		Items []struct {
			File    string   `json:"file"`
			With    []string `json:"with"`
			Without []string `json:"without"`
		} `json:"items"`
	}
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	var tp, fn, fp int
	for _, it := range exp.Items {
		b, err := os.ReadFile(filepath.Join(corpusDir, it.File))
		if err != nil {
			t.Fatal(err)
		}
		text := ""
		if a, err := FromReader(strings.NewReader(string(b)), "", Options{}); err == nil {
			text = collapse(a.Text)
		}
		for _, w := range it.With {
			if strings.Contains(text, collapse(w)) {
				tp++
			} else {
				fn++
			}
		}
		for _, w := range it.Without {
			if strings.Contains(text, collapse(w)) {
				fp++
			}
		}
	}
	f1 := 2 * float64(tp) / float64(2*tp+fp+fn)
	t.Logf("pages %d tp %d fn %d fp %d F1 %.3f", len(exp.Items), tp, fn, fp, f1)
	if f1 < 0.91 {
		t.Errorf("F1 %.3f below the floor 0.91", f1)
	}
}
