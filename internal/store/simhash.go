package store

import (
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// Near-duplicate detection: a 64-bit SimHash over word 3-shingles of the
// body text. Two bodies whose hashes differ in at most maxDistance bits are
// the same story. With maxDistance+1 = 4 bands of 16 bits, two such hashes
// agree exactly on at least one band (pigeonhole), so candidates are found
// by four index lookups instead of a scan.
const (
	maxDistance = 3
	bandBits    = 16
	// minShingles is the least number of shingles a text needs to be
	// fingerprinted: shorter texts (briefs, captions, teasers) collide too
	// easily to be called duplicates.
	minShingles = 40
)

// simhash returns the SimHash of text and whether the text was long enough.
func simhash(text string) (uint64, bool) {
	var counts [64]int32
	var w0, w1 uint64 // hashes of the two previous words
	words, n := 0, int32(0)
	for i := 0; i < len(text); {
		// Skip to the next word.
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		// FNV-1a of the lower-cased word.
		h := uint64(14695981039346656037)
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				break
			}
			i += size
			if r < utf8.RuneSelf {
				if 'A' <= r && r <= 'Z' {
					r += 'a' - 'A'
				}
			} else {
				r = unicode.ToLower(r)
			}
			h = (h ^ uint64(r)) * 1099511628211
		}
		words++
		if words >= 3 {
			f := mix(w0*0x9e3779b97f4a7c15 ^ w1*0xc2b2ae3d27d4eb4f ^ h)
			for b := range counts {
				counts[b] += int32(f>>b) & 1
			}
			n++
		}
		w0, w1 = w1, h
	}
	if n < minShingles {
		return 0, false
	}
	var out uint64
	for b, c := range counts {
		if 2*c > n {
			out |= 1 << b
		}
	}
	return out, true
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// mix is the splitmix64 finaliser: it spreads the shingle hash over all bits.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// bands splits h into its four 16-bit bands.
func bands(h uint64) [4]int64 {
	var b [4]int64
	for i := range b {
		b[i] = int64(h >> (i * bandBits) & (1<<bandBits - 1))
	}
	return b
}

func distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }
