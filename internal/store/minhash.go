package store

import (
	"encoding/binary"
	"math"
	"unicode"
	"unicode/utf8"
)

// Near-duplicate detection: a MinHash signature of the set of word
// 3-shingles of the body text, estimating the Jaccard similarity of two
// bodies, and LSH bands of it for candidate lookup.
//
// The signature is one-permutation MinHash: each shingle hash falls into
// one of sigBins bins by its top bits and each bin keeps its smallest value;
// empty bins borrow from the next filled one (densification). The share of
// equal bins estimates the Jaccard similarity.
//
// A 64-bit SimHash was tried first: on ~550-word articles with 0.5% of the
// words changed its Hamming distance already spread over 0..9, and over 1%
// most copies fell outside any bucketable threshold, so wire stories
// republished with a new dateline were missed.
const (
	sigBins   = 64
	bandSize  = 4                  // bins per LSH band
	numBands  = sigBins / bandSize // 16 band keys per article
	sigBytes  = sigBins * 4        // stored signature size
	emptyBin  = math.MaxUint32     // marker before densification
	binShift  = 64 - 6             // top 6 bits pick the bin
	sameStory = 0.6                // least estimated Jaccard similarity of a near-duplicate
)

// minShingles is the least number of shingles a text needs to be
// fingerprinted: shorter texts (briefs, captions, teasers) collide too
// easily to be called duplicates.
const minShingles = 40

// signature is a MinHash signature.
type signature [sigBins]uint32

// fingerprint returns the signature of text and whether the text was long
// enough to have one.
func fingerprint(text string) (signature, bool) {
	var sig signature
	for i := range sig {
		sig[i] = emptyBin
	}
	var w0, w1 uint64 // hashes of the two previous words
	words, n := 0, 0
	for i := 0; i < len(text); {
		// Skip to the next word; ASCII bytes without decoding.
		if c := text[i]; c < utf8.RuneSelf {
			if !asciiWord[c] {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(text[i:]); !isWordRune(r) {
			i += size
			continue
		}
		// FNV-1a of the lower-cased word.
		h := uint64(14695981039346656037)
		for i < len(text) {
			r := rune(text[i])
			if r < utf8.RuneSelf {
				if !asciiWord[r] {
					break
				}
				i++
				if 'A' <= r && r <= 'Z' {
					r += 'a' - 'A'
				}
			} else {
				var size int
				r, size = utf8.DecodeRuneInString(text[i:])
				if !isWordRune(r) {
					break
				}
				i += size
				r = unicode.ToLower(r)
			}
			h = (h ^ uint64(r)) * 1099511628211
		}
		words++
		if words >= 3 {
			f := mix(w0*0x9e3779b97f4a7c15 ^ w1*0xc2b2ae3d27d4eb4f ^ h)
			bin, v := f>>binShift, uint32(f)
			if v == emptyBin {
				v--
			}
			if v < sig[bin] {
				sig[bin] = v
			}
			n++
		}
		w0, w1 = w1, h
	}
	if n < minShingles {
		return sig, false
	}
	// Densify: an empty bin takes the value of the next filled bin,
	// re-hashed with the distance so that equal sets stay equal.
	for i := range sig {
		if sig[i] != emptyBin {
			continue
		}
		for d := 1; d < sigBins; d++ {
			if v := sig[(i+d)%sigBins]; v != emptyBin {
				sig[i] = uint32(mix(uint64(v)<<8 | uint64(d)))
				break
			}
		}
	}
	// b-bit MinHash: keep 16 bits of each minimum. Two different minima
	// then agree by chance once in 65536, which moves a similarity estimate
	// by nothing measurable, and the stored signature halves to 128 bytes.
	for i := range sig {
		sig[i] &= 0xffff
	}
	return sig, true
}

// asciiWord marks the ASCII bytes that belong to words.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// mix is the splitmix64 finaliser: it spreads a hash over all bits.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// similarity estimates the Jaccard similarity of the shingle sets.
func similarity(a, b *signature) float64 {
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / sigBins
}

// bandKeys are the LSH keys of sig: two bodies with Jaccard similarity s
// share at least one with probability 1-(1-s^4)^8 (0.99 at s=0.8, 0.89 at
// s=0.7, 0.41 at s=0.5, nil for unrelated texts). Each key costs an index
// entry per article, so 8 bands, not 16.
func bandKeys(sig *signature) [numBands]int64 {
	var keys [numBands]int64
	for b := range keys {
		h := uint64(b) + 1
		for _, v := range sig[b*bandSize : (b+1)*bandSize] {
			h = mix(h*0x9e3779b97f4a7c15 ^ uint64(v))
		}
		keys[b] = int64(h)
	}
	return keys
}

func (sig *signature) bytes() []byte {
	b := make([]byte, sigBytes)
	for i, v := range sig {
		binary.LittleEndian.PutUint16(b[i*2:], uint16(v))
	}
	return b
}

func parseSignature(b []byte) (signature, bool) {
	var sig signature
	if len(b) != sigBytes {
		return sig, false
	}
	for i := range sig {
		sig[i] = uint32(binary.LittleEndian.Uint16(b[i*2:]))
	}
	return sig, true
}
