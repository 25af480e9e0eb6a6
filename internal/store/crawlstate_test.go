package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/kabar-news/kabar/extract"
)

func TestValidators(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, nil)
	u := "https://a.example/feed"
	if v, err := s.Validators(ctx, u); err != nil || v != (Validators{}) {
		t.Fatalf("unknown url: %+v, %v", v, err)
	}
	want := Validators{ETag: `W/"abc"`, LastModified: "Tue, 10 Mar 2026 08:00:00 GMT"}
	if err := s.SetValidators(ctx, u, want); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Validators(ctx, u); err != nil || v != want {
		t.Errorf("got %+v, %v", v, err)
	}
	want.ETag = `"def"`
	s.SetValidators(ctx, u, want)
	if v, _ := s.Validators(ctx, u); v != want {
		t.Errorf("after update: %+v", v)
	}
	s.SetValidators(ctx, u, Validators{})
	if v, _ := s.Validators(ctx, u); v != (Validators{}) {
		t.Errorf("after clearing: %+v", v)
	}
	// The scraper's view.
	cs := s.CrawlState()
	if err := cs.SetValidators(ctx, u, "e1", "lm1"); err != nil {
		t.Fatal(err)
	}
	if e, lm, err := cs.Validators(ctx, u); e != "e1" || lm != "lm1" || err != nil {
		t.Errorf("CrawlState.Validators = %q, %q, %v", e, lm, err)
	}
	if ok, err := cs.Known(ctx, "https://a.example/x"); ok || err != nil {
		t.Errorf("CrawlState.Known = %v, %v", ok, err)
	}
}

func TestCrawlStatus(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openTest(t, c)
	if st, err := s.Status(ctx, "a"); err != nil || !reflect.DeepEqual(st, SourceStatus{Source: "a"}) {
		t.Fatalf("never crawled: %+v, %v", st, err)
	}
	t0 := c.Now()
	ok := CrawlRun{Source: "a", Started: t0, Duration: 3 * time.Second, Pages: 12, New: 4, Updated: 1, Errors: 2}
	failed := CrawlRun{Source: "a", Started: t0.Add(time.Hour), Duration: time.Second, Pages: 1, Errors: 1, Err: "listing: 503"}
	for _, r := range []CrawlRun{ok, failed, {Source: "b", Started: t0}} {
		if err := s.RecordCrawl(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	mustSave(t, s, "a", article(1, "https://a.example/1"))
	mustSave(t, s, "a", article(2, "https://a.example/2"))
	st, err := s.Status(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(st.LastRun, failed) || !st.LastSuccess.Equal(t0) || st.Items != 2 || !st.LastChange.Equal(c.Now()) {
		t.Errorf("status = %+v", st)
	}
	runs, err := s.CrawlRuns(ctx, "a", 10)
	if err != nil || len(runs) != 2 || !reflect.DeepEqual(runs[1], ok) {
		t.Errorf("runs = %+v, %v", runs, err)
	}
	srcs, err := s.Sources(ctx)
	if err != nil || !reflect.DeepEqual(srcs, []string{"a", "b"}) {
		t.Errorf("sources = %v, %v", srcs, err)
	}
	// Only the newest runs are kept.
	for i := range keepRuns + 20 {
		s.RecordCrawl(ctx, CrawlRun{Source: "c", Started: t0.Add(time.Duration(i) * time.Minute)})
	}
	runs, _ = s.CrawlRuns(ctx, "c", 1000)
	if len(runs) != keepRuns || !runs[0].Started.Equal(t0.Add((keepRuns+19)*time.Minute)) {
		t.Errorf("kept %d runs, newest %v", len(runs), runs[0].Started)
	}
}

func TestHealth(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, nil)
	var batch []*extract.Article
	for i := range 10 {
		a := article(uint64(i), fmt.Sprintf("https://a.example/%d", i))
		switch {
		case i < 2:
			a.Text = "Terlalu pendek."
		case i < 5:
			a.Published = time.Time{}
			a.Authors = nil
		case i < 9:
			a.Method = extract.MethodGeneric
		}
		a.Confidence = 0.5
		batch = append(batch, a)
	}
	if _, err := s.SaveArticles(ctx, "a", batch); err != nil {
		t.Fatal(err)
	}
	h, err := s.Health(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	want := Health{Source: "a", Articles: 10, ShortBody: 2, NoDate: 3, NoAuthor: 3, Generic: 4, AvgConfidence: 0.5}
	if h != want {
		t.Errorf("health = %+v, want %+v", h, want)
	}
	if h.Share(h.Generic) != 0.4 {
		t.Errorf("share = %v", h.Share(h.Generic))
	}
	if h, err := s.Health(ctx, "none"); err != nil || h.Articles != 0 || h.Share(1) != 0 {
		t.Errorf("no articles: %+v, %v", h, err)
	}
}
