package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kabar-news/kabar/extract"
	"github.com/kabar-news/kabar/internal/store"
)

// fakeStore is an in-memory Store for tests: it filters like the real one
// (source, tag or section, include and exclude words on title and text,
// limit, newest first) and counts its calls.
type fakeStore struct {
	mu       sync.Mutex
	arts     []store.Article
	status   map[string]store.SourceStatus
	err      error         // returned by every method when set
	delay    time.Duration // before answering Articles
	panicMsg string        // Articles panics with it when set

	articlesCalls   atomic.Int64
	lastChangeCalls atomic.Int64
}

func (f *fakeStore) add(a ...store.Article) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.arts = append(f.arts, a...)
}

func (f *fakeStore) Articles(ctx context.Context, q store.Query) ([]store.Article, error) {
	f.articlesCalls.Add(1)
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.panicMsg != "" {
		panic(f.panicMsg)
	}
	if f.err != nil {
		return nil, f.err
	}
	limit := q.Limit
	if limit == 0 {
		limit = 50
	}
	var out []store.Article
	for _, a := range f.arts {
		if q.Source != "" && a.Source != q.Source {
			continue
		}
		if q.Source == "" && a.DuplicateOf != 0 {
			continue
		}
		if q.Tag != "" && !strings.EqualFold(a.Section, q.Tag) &&
			!slices.ContainsFunc(a.Tags, func(t string) bool { return strings.EqualFold(t, q.Tag) }) {
			continue
		}
		if len(q.Include)+len(q.Exclude) == 0 {
			out = append(out, a)
			continue
		}
		hay := strings.ToLower(a.Title + "\n" + a.Text)
		if slices.ContainsFunc(q.Include, func(w string) bool { return !strings.Contains(hay, strings.ToLower(w)) }) ||
			slices.ContainsFunc(q.Exclude, func(w string) bool { return strings.Contains(hay, strings.ToLower(w)) }) {
			continue
		}
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b store.Article) int { return b.Published.Compare(a.Published) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (f *fakeStore) LastChange(ctx context.Context, source string) (time.Time, error) {
	f.lastChangeCalls.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return time.Time{}, f.err
	}
	var t time.Time
	for _, a := range f.arts {
		if (source == "" || a.Source == source) && a.Updated.After(t) {
			t = a.Updated
		}
	}
	return t, nil
}

func (f *fakeStore) Status(ctx context.Context, source string) (store.SourceStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return store.SourceStatus{}, f.err
	}
	st := f.status[source]
	st.Source = source
	for _, a := range f.arts {
		if a.Source == source {
			st.Items++
		}
	}
	return st, nil
}

// testEpoch is the fixed time test articles are dated from.
var testEpoch = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

// article returns a test article of source numbered i: newer for larger i.
func article(source string, i int) store.Article {
	pub := testEpoch.Add(time.Duration(i) * time.Hour)
	url := fmt.Sprintf("https://%s.example.id/berita/2026/03/%d/judul-%d", source, 14+i%10, i)
	text := strings.Repeat(fmt.Sprintf("Kalimat ke-%d tentang berita %s yang cukup panjang. ", i, source), 30)
	return store.Article{
		ID:     int64(i + 1),
		Source: source,
		Article: extract.Article{
			URL:         url,
			PageURL:     url + "?utm_source=x",
			Title:       fmt.Sprintf("Berita %s nomor %d", source, i),
			Description: fmt.Sprintf("Ringkasan berita %d.", i),
			Authors:     []string{"Rina Wulandari"},
			Published:   pub,
			LeadImage:   fmt.Sprintf("https://img.%s.example.id/%d.jpg", source, i),
			Language:    "id",
			SiteName:    source,
			Section:     "Nasional",
			Tags:        []string{"politik", "Jakarta"},
			Text:        text,
			HTML:        "<p>" + strings.TrimSpace(text) + "</p>",
			Method:      extract.MethodRule,
			Confidence:  0.9,
		},
		FirstSeen: pub.Add(5 * time.Minute),
		LastSeen:  pub.Add(5 * time.Minute),
		Updated:   pub.Add(5 * time.Minute),
	}
}
