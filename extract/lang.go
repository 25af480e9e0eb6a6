package extract

import "strings"

// stopwords of the languages kabar meets most, for guessing the language of
// a page that does not declare it.
var stopwords = map[string]map[string]bool{
	"id": set("yang", "dan", "di", "dengan", "untuk", "dari", "ini", "itu", "tidak", "akan", "pada", "juga", "dalam", "adalah", "karena", "oleh", "sudah", "telah", "kata", "bahwa"),
	"en": set("the", "and", "of", "to", "in", "is", "that", "for", "it", "with", "was", "on", "as", "are", "this", "by", "be", "from", "have", "said"),
	"de": set("der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für", "ist", "im", "nicht", "ein", "eine", "als", "auch"),
	"ms": set("yang", "dan", "di", "untuk", "dengan", "ini", "tidak", "akan", "kepada", "telah", "itu", "boleh", "dalam", "oleh", "ialah", "tersebut", "bagi", "mereka", "kerana", "beliau"),
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// guessLang returns the language whose stopwords are most frequent in text.
func guessLang(text string) string {
	if len(text) > 20000 {
		text = text[:20000]
	}
	counts := map[string]int{}
	for _, w := range strings.Fields(strings.ToLower(text)) {
		w = strings.Trim(w, ".,;:!?\"'()[]“”")
		for lang, sw := range stopwords {
			if sw[w] {
				counts[lang]++
			}
		}
	}
	best, bestN := "", 4
	for _, lang := range []string{"id", "en", "de", "ms"} {
		if counts[lang] > bestN {
			best, bestN = lang, counts[lang]
		}
	}
	return best
}
