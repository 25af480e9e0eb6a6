package store

import (
	"strings"
	"testing"
)

// TestFingerprintSeparates: copies with a new dateline and scattered edits
// are near-duplicates and share an LSH band; unrelated texts are neither.
func TestFingerprintSeparates(t *testing.T) {
	const n = 200
	for _, every := range []int{200, 100, 50, 30} {
		found := 0
		for seed := range n {
			a := body(uint64(seed), 4000)
			s1, ok1 := fingerprint(a)
			s2, ok2 := fingerprint("JAKARTA, KOMPAS.com - " + edit(a, every) + " Baca juga: berita lain.")
			if !ok1 || !ok2 {
				t.Fatal("no fingerprint for a long text")
			}
			if similarity(&s1, &s2) >= sameStory && shareBand(&s1, &s2) {
				found++
			}
		}
		// Changing every 30th word changes 10% of the shingles.
		if want := n * 95 / 100; found < want {
			t.Errorf("edit every %d words: %d of %d copies found, want >= %d", every, found, n, want)
		}
	}
	var sigs []signature
	for seed := range 400 {
		s, _ := fingerprint(body(uint64(1000+seed), 3000))
		sigs = append(sigs, s)
	}
	for i := range sigs {
		for j := i + 1; j < len(sigs); j++ {
			if sim := similarity(&sigs[i], &sigs[j]); sim >= sameStory/2 {
				t.Fatalf("unrelated texts %d and %d: similarity %.2f", i, j, sim)
			}
		}
	}
}

func shareBand(a, b *signature) bool {
	ka, kb := bandKeys(a), bandKeys(b)
	for i := range ka {
		if ka[i] == kb[i] {
			return true
		}
	}
	return false
}

func TestFingerprintNormalises(t *testing.T) {
	text := body(3, 2000)
	a, _ := fingerprint(text)
	for _, variant := range []string{
		strings.ToUpper(text),
		strings.NewReplacer(". ", " ... ", " ", "\n  ").Replace(text),
	} {
		b, ok := fingerprint(variant)
		if !ok || similarity(&a, &b) != 1 {
			t.Errorf("case or punctuation changed the fingerprint (similarity %.2f)", similarity(&a, &b))
		}
	}
	if _, ok := fingerprint("Singkat saja."); ok {
		t.Error("a short text got a fingerprint")
	}
	sig, _ := fingerprint(text)
	back, ok := parseSignature(sig.bytes())
	if !ok || back != sig {
		t.Error("signature does not round-trip")
	}
	if _, ok := parseSignature([]byte("short")); ok {
		t.Error("bad signature blob accepted")
	}
}

func FuzzFingerprint(f *testing.F) {
	f.Add("Jakarta (ANTARA) - Presiden meresmikan jalan tol baru hari ini.")
	f.Add(body(1, 600))
	f.Add("\xff\xfe İSTANBUL Ķ ſ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢")
	f.Fuzz(func(t *testing.T, text string) {
		a, okA := fingerprint(text)
		b, okB := fingerprint(text)
		if a != b || okA != okB {
			t.Fatal("fingerprint is not deterministic")
		}
		if okA {
			for _, v := range a {
				if v == emptyBin {
					t.Fatal("empty bin left after densification")
				}
			}
		}
	})
}

func BenchmarkFingerprint(b *testing.B) {
	text := body(1, 2400)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		fingerprint(text)
	}
}
