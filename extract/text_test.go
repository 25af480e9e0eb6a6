package extract

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// collapseRef is the plain rune-by-rune definition that collapse and textOf
// implement with fewer writes.
func collapseRef(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

var reBlankLinesRef = regexp.MustCompile(`>\s*\n\s*\n\s*<`)

var textCases = []string{
	"", " ", "a", " a ", "a  b", "a\tb", "a\u00a0b", "a\u200b\u200bb", "\ufeffa", "a \n",
	"a\xffb", "\xff", " \xff ", "a\xff \xfeb", "é  ü\u3000x", "a\u0085b", "x\vy", "ab\ufffd c",
	"<p>a</p>\n\n<p>b</p>", "<p>a</p>\n<p>b</p>", "> \n \n <", ">\n\n", ">\n\nx<", ">>\n\n<<", "\n\n<",
	"<a>\r\n\r\n<b> \t\f\n\n\n<c>", "<pre>\n\n</pre>", "<x>\n\v\n<y>",
}

func TestCollapseMatchesDefinition(t *testing.T) {
	for _, s := range textCases {
		if got, want := collapse(s), collapseRef(s); got != want {
			t.Errorf("collapse(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestSqueezeBlankLinesMatchesPattern(t *testing.T) {
	for _, s := range textCases {
		if got, want := squeezeBlankLines(s), reBlankLinesRef.ReplaceAllString(s, ">\n<"); got != want {
			t.Errorf("squeezeBlankLines(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzTextHelpers(f *testing.F) {
	for _, s := range textCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapse(s), collapseRef(s); got != want {
			t.Fatalf("collapse(%q) = %q, want %q", s, got, want)
		}
		if got, want := squeezeBlankLines(s), reBlankLinesRef.ReplaceAllString(s, ">\n<"); got != want {
			t.Fatalf("squeezeBlankLines(%q) = %q, want %q", s, got, want)
		}
	})
}
