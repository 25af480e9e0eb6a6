package server

import (
	"testing"
	"time"
)

// TestCoarseClock: readings stay within the resolution of the real time,
// never run backwards, and move on once the resolution has passed.
func TestCoarseClock(t *testing.T) {
	const res = 20 * time.Millisecond
	c := newCoarseClock(res)
	prev := c.now()
	for range 1000 {
		before := time.Now()
		got := c.now()
		if got.Before(prev) {
			t.Fatalf("clock ran backwards: %v after %v", got, prev)
		}
		// Timers may fire late on a busy machine: allow a generous margin.
		if lag := before.Sub(got); lag > res+500*time.Millisecond {
			t.Fatalf("reading %v behind the real time", lag)
		}
		if after := time.Now(); got.After(after) {
			t.Fatalf("reading %v ahead of the real time", got.Sub(after))
		}
		prev = got
	}
	first := c.now()
	deadline := time.Now().Add(5 * time.Second)
	for c.now().Equal(first) {
		if time.Now().After(deadline) {
			t.Fatal("the clock never moved on")
		}
		time.Sleep(res / 4)
	}
}
