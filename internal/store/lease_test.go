package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLease(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openTest(t, c)
	const ttl = time.Minute
	steps := []struct {
		name    string
		do      func() (bool, error)
		want    bool
		advance time.Duration // after the step
	}{
		{"a takes it", func() (bool, error) { return s.AcquireLease(ctx, "src", "a", ttl) }, true, 50 * time.Second},
		{"b is refused", func() (bool, error) { return s.AcquireLease(ctx, "src", "b", ttl) }, false, 0},
		{"other source is free", func() (bool, error) { return s.AcquireLease(ctx, "other", "b", ttl) }, true, 0},
		{"a renews", func() (bool, error) { return s.RenewLease(ctx, "src", "a", ttl) }, true, 30 * time.Second},
		{"renewal kept b out", func() (bool, error) { return s.AcquireLease(ctx, "src", "b", ttl) }, false, 0},
		{"b cannot renew a's", func() (bool, error) { return s.RenewLease(ctx, "src", "b", ttl) }, false, 0},
		{"a re-acquires its own", func() (bool, error) { return s.AcquireLease(ctx, "src", "a", ttl) }, true, 2 * ttl},
		{"expired: b takes it", func() (bool, error) { return s.AcquireLease(ctx, "src", "b", ttl) }, true, 0},
		{"a lost it", func() (bool, error) { return s.RenewLease(ctx, "src", "a", ttl) }, false, 0},
		{"a's release does nothing", func() (bool, error) { return true, s.ReleaseLease(ctx, "src", "a") }, true, 0},
		{"still b's", func() (bool, error) { return s.AcquireLease(ctx, "src", "a", ttl) }, false, 0},
		{"b releases", func() (bool, error) { return true, s.ReleaseLease(ctx, "src", "b") }, true, 0},
		{"b cannot renew a released lease", func() (bool, error) { return s.RenewLease(ctx, "src", "b", ttl) }, false, 0},
		{"free for a", func() (bool, error) { return s.AcquireLease(ctx, "src", "a", ttl) }, true, 0},
	}
	for _, st := range steps {
		got, err := st.do()
		if err != nil || got != st.want {
			t.Fatalf("%s: %v, %v; want %v", st.name, got, err, st.want)
		}
		c.Advance(st.advance)
	}
	for _, bad := range []struct {
		source, owner string
		ttl           time.Duration
	}{{"", "a", ttl}, {"src", "", ttl}, {"src", "a", 0}} {
		if _, err := s.AcquireLease(ctx, bad.source, bad.owner, bad.ttl); err == nil {
			t.Errorf("AcquireLease(%q, %q, %v) accepted", bad.source, bad.owner, bad.ttl)
		}
	}
}

// TestLeaseRace: many stores on one file race for a lease; exactly one wins.
func TestLeaseRace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kabar.db")
	openAt(t, path, nil)
	const n = 8
	stores := make([]*Store, n)
	for i := range stores {
		stores[i] = openAt(t, path, nil)
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Go(func() {
			ok, err := s.AcquireLease(ctx, "src", fmt.Sprint("owner-", i), time.Minute)
			if err != nil {
				t.Error(err)
			}
			if ok {
				wins.Add(1)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d owners got the lease", wins.Load())
	}
}
