package feeds

import (
	"crypto/sha256"
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
	max int

	mu        sync.Mutex
	cur, prev map[[sha256.Size]byte]string
}

// NewRenderer returns a Renderer remembering about max articles; max <= 0
// means 4096.
func NewRenderer(max int) *Renderer {
	if max <= 0 {
		max = 4096
	}
	return &Renderer{max: max}
}

// Render is Render with the Renderer's memo.
func (r *Renderer) Render(format Format, f *Feed) ([]byte, error) {
	return render(format, f, r)
}

// sanitize is sanitizeHTML through the memo; r may be nil (no memo).
func (r *Renderer) sanitize(p *bluemonday.Policy, s string, base *url.URL) string {
	if r == nil || s == "" {
		return sanitizeHTML(p, s, base)
	}
	h := sha256.New()
	if base != nil {
		h.Write([]byte(base.String()))
	}
	h.Write([]byte{0})
	h.Write([]byte(s))
	var key [sha256.Size]byte
	h.Sum(key[:0])

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

func (r *Renderer) putLocked(key [sha256.Size]byte, v string) {
	if r.cur == nil || len(r.cur) >= (r.max+1)/2 {
		r.prev, r.cur = r.cur, make(map[[sha256.Size]byte]string, (r.max+1)/2)
	}
	r.cur[key] = v
}
