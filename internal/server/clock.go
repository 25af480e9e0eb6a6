package server

import (
	"sync/atomic"
	"time"
)

// coarseClock is a clock read at most once per resolution while it is in
// use. Reading the system clock costs a quarter of serving a cached feed on
// some virtual machines, while everything the server times (a one-second
// freshness, a ten-minute cache age) needs only millisecond accuracy.
//
// The reading is kept until a timer, armed when the clock is read, drops
// it; an idle clock arms no timer and holds no goroutine.
type coarseClock struct {
	resolution time.Duration
	t          atomic.Pointer[time.Time] // nil: stale, read the clock
}

func newCoarseClock(resolution time.Duration) *coarseClock {
	return &coarseClock{resolution: resolution}
}

// now returns the time, at most about resolution old.
func (c *coarseClock) now() time.Time {
	if p := c.t.Load(); p != nil {
		return *p
	}
	t := time.Now()
	if c.t.CompareAndSwap(nil, &t) {
		time.AfterFunc(c.resolution, func() { c.t.Store(nil) })
	} else if p := c.t.Load(); p != nil {
		return *p // another reader won: agree with it
	}
	return t
}
