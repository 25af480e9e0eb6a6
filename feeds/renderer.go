package feeds

import (
	"hash/maphash"
	"net/url"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// Renderer renders feeds exactly like Render and remembers the sanitised
// HTML of the articles it has seen, so that a server rendering the same
// articles in three formats, several feeds (per source and merged) and
// many queries sanitises each article once instead of on every render.
// Sanitising is most of the cost of a render. Output is byte-identical to
// Render's: the memo only skips recomputing a pure function of the HTML and
// its base URL.
//
// A Renderer is safe for concurrent use. It holds at most about max
// articles' HTML (two generations: when the newer fills up, the older is
// dropped), so memory stays bounded however many articles pass through.
type Renderer struct {
	max  int
	seed [2]maphash.Seed

	mu        sync.Mutex
	cur, prev map[memoKey]string
}

// memoKey identifies an article's HTML and base URL: two 64-bit hashes
// with random seeds of their own, and the length. Unlike a cryptographic
// digest it costs a fraction of sanitising cached text, and no one can aim
// for a collision without the process's seeds.
type memoKey struct {
	h1, h2 uint64
	n      int
}

// NewRenderer returns a Renderer remembering about max articles; max <= 0
// means 4096.
func NewRenderer(max int) *Renderer {
	if max <= 0 {
		max = 4096
	}
	return &Renderer{max: max, seed: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// Render is Render with the Renderer's memo.
func (r *Renderer) Render(format Format, f *Feed) ([]byte, error) {
	return render(format, f, r)
}

// sanitize is sanitizeHTML through the memo; r may be nil (no memo).
// baseKey is the string base was parsed from ("" for none): the same
// string always gives the same base.
func (r *Renderer) sanitize(p *bluemonday.Policy, s string, base *url.URL, baseKey string) string {
	if r == nil || r.max == 0 || s == "" {
		// No memo (a zero Renderer has no seeds either: it renders
		// correctly, only without remembering).
		return sanitizeHTML(p, s, base)
	}
	key := memoKey{r.hash(0, baseKey, s), r.hash(1, baseKey, s), len(baseKey) + len(s)}

	r.mu.Lock()
	out, ok := r.cur[key]
	if !ok {
		if out, ok = r.prev[key]; ok {
			r.putLocked(key, out)
		}
	}
	r.mu.Unlock()
	if ok {
		return out
	}
	out = sanitizeHTML(p, s, base)
	r.mu.Lock()
	r.putLocked(key, out)
	r.mu.Unlock()
	return out
}

func (r *Renderer) hash(i int, baseKey, s string) uint64 {
	var h maphash.Hash
	h.SetSeed(r.seed[i])
	h.WriteString(baseKey)
	h.WriteByte(0)
	h.WriteString(s)
	return h.Sum64()
}

func (r *Renderer) putLocked(key memoKey, v string) {
	if r.cur == nil || len(r.cur) >= (r.max+1)/2 {
		r.prev, r.cur = r.cur, make(map[memoKey]string, (r.max+1)/2)
	}
	r.cur[key] = v
}
