package schedule

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"time"
)

// maxSleep bounds how long the loop sleeps between looks at the wall
// clock: the runtime's timers follow the monotonic clock, which stands still
// while a machine is suspended and ignores wall-clock steps.
const maxSleep = time.Minute

// cancelGrace is how long Run waits for cancelled runs to return after the
// drain deadline before it gives up on them.
const cancelGrace = 10 * time.Second

// Run schedules the jobs until ctx is done. Then it stops scheduling (runs
// waiting for a slot are dropped), waits up to DrainTimeout for runs in
// progress, cancels the contexts of those still going and waits for them
// to return. It returns nil on a clean stop, an error if a run ignored
// cancellation for cancelGrace, and ErrStopped (or an error) if called
// more than once.
func (s *Scheduler) Run(ctx context.Context) error {
	s.mu.Lock()
	switch {
	case s.stopped || s.stopping:
		s.mu.Unlock()
		return ErrStopped
	case s.started:
		s.mu.Unlock()
		return errors.New("schedule: run called twice")
	}
	s.started = true
	// Catch-up runs planned by Set before Run are staggered from now.
	now := s.now()
	var soon []*entry
	for _, e := range s.jobs {
		if e.soon {
			soon = append(soon, e)
		}
	}
	s.staggerLocked(soon, now)
	s.mu.Unlock()

	runCtx, cancelRuns := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRuns()

	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		if ctx.Err() != nil {
			return s.drain(cancelRuns)
		}
		wait := s.dispatch(runCtx)
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return s.drain(cancelRuns)
		case <-timer.C:
		case <-s.kick:
		}
	}
}

// dispatch starts (or skips) every job that is due and returns how long to
// sleep until the next one.
func (s *Scheduler) dispatch(runCtx context.Context) time.Duration {
	s.mu.Lock()
	now := s.now()
	var skipped []skip
	wake := now.Add(maxSleep)
	for name, e := range s.jobs {
		if e.removed || e.next.IsZero() {
			continue
		}
		if !e.next.After(now) {
			tick := e.next
			e.next, e.soon = e.timing.next(now), false
			if e.running {
				r := Result{Start: now, Err: ErrInProgress, Skipped: true}
				s.stateLocked(e, &r)
				skipped = append(skipped, skip{name, r})
			} else {
				s.startLocked(runCtx, name, e, tick)
			}
		}
		if !e.next.IsZero() && e.next.Before(wake) {
			wake = e.next
		}
	}
	s.mu.Unlock()

	slices.SortFunc(skipped, func(a, b skip) int { return strings.Compare(a.name, b.name) })
	for _, sk := range skipped {
		s.log.Info("skipped: previous run still in progress", "source", sk.name)
		s.report(sk.name, sk.r)
	}
	return max(wake.Sub(s.now()), 0)
}

// skip is a tick that came while its job was running.
type skip struct {
	name string
	r    Result
}

// stateLocked copies e's failure state into r.
func (s *Scheduler) stateLocked(e *entry, r *Result) {
	r.ConsecutiveFailures, r.BackoffUntil = e.failures, e.backoffUntil
	r.Failing = e.failures >= s.opts.FailingAfter
}

// startLocked launches one run of e in a goroutine owned by s (counted in
// inflight, waited for by drain).
func (s *Scheduler) startLocked(runCtx context.Context, name string, e *entry, tick time.Time) {
	e.running = true
	s.inflight++
	job := e.job
	timeout := s.opts.RunTimeout
	if job.Timeout > 0 {
		timeout = job.Timeout
	}
	go s.execute(runCtx, name, e, job.Run, timeout, tick)
}

// execute waits for a slot, runs the job once with its timeout and panic
// recovery, and records the result.
func (s *Scheduler) execute(runCtx context.Context, name string, e *entry, run func(context.Context) error, timeout time.Duration, tick time.Time) {
	defer s.done()

	if s.sem != nil {
		s.setQueued(e, true)
		select {
		case s.sem <- struct{}{}:
			defer func() { <-s.sem }()
			s.setQueued(e, false)
		case <-s.stopCh:
			s.finish(name, e, tick, Result{Start: tick, Err: fmt.Errorf("%w: scheduler stopping", ErrSkipped), Skipped: true}, false)
			return
		}
	}

	start := s.now()
	s.mu.Lock()
	e.lastStart = start
	s.mu.Unlock()

	err := s.call(runCtx, run, timeout)
	r := Result{Start: start, Duration: s.now().Sub(start), Err: err}
	var pe *PanicError
	switch {
	case errors.As(err, &pe):
		r.Panicked = true
		s.log.Error("run panicked", "source", name, "duration", r.Duration, "error", err, "stack", string(pe.Stack))
	case errors.Is(err, ErrSkipped):
		r.Skipped = true
		s.log.Info("skipped", "source", name, "error", err)
	}
	// A run cut short by the drain deadline says nothing about the job.
	s.finish(name, e, tick, r, err != nil && !r.Skipped && runCtx.Err() == nil)
}

// call runs fn with a deadline, turning a panic into a *PanicError.
func (s *Scheduler) call(runCtx context.Context, fn func(context.Context) error, timeout time.Duration) (err error) {
	ctx, cancel := context.WithTimeout(runCtx, timeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	return fn(ctx)
}

func (s *Scheduler) setQueued(e *entry, q bool) {
	s.mu.Lock()
	e.queued = q
	s.mu.Unlock()
}

// finish records r in e, applies backoff when failed, logs state changes
// and reports r. Backoff counts from tick, the scheduled time of the run,
// so that latency does not push the job past one more tick.
func (s *Scheduler) finish(name string, e *entry, tick time.Time, r Result, failed bool) {
	s.mu.Lock()
	e.running, e.queued = false, false
	if !r.Skipped {
		e.lastDuration, e.lastErr = r.Duration, r.Err
	}
	prevFailures := e.failures
	switch {
	case failed:
		e.failures++
		if e.failures > 1 {
			e.backoffUntil = tick.Add(s.backoff(e.timing.interval, e.failures))
			if n := e.timing.atOrAfter(e.backoffUntil); n.After(e.next) {
				e.next = n
			}
		}
	case r.Err == nil:
		e.failures, e.backoffUntil, e.lastSuccess = 0, time.Time{}, r.Start
	}
	s.stateLocked(e, &r)
	next := e.next
	if e.removed {
		delete(s.jobs, name)
	}
	s.mu.Unlock()
	s.wake()

	switch {
	case failed && r.Failing:
		s.log.Warn("run failed; backing off", "source", name, "duration", r.Duration, "error", r.Err,
			"consecutive_failures", r.ConsecutiveFailures, "next", next)
	case failed:
		s.log.Warn("run failed", "source", name, "duration", r.Duration, "error", r.Err, "next", next)
	case r.Err == nil && prevFailures > 0:
		s.log.Info("recovered", "source", name, "duration", r.Duration, "failures", prevFailures)
	case r.Err == nil:
		s.log.Debug("run finished", "source", name, "duration", r.Duration, "next", next)
	}
	s.report(name, r)
}

// backoff is the wait after n ≥ 2 consecutive failures: interval·2^(n-1),
// capped by MaxBackoff but never below the interval.
func (s *Scheduler) backoff(interval time.Duration, n int) time.Duration {
	limit := max(s.opts.MaxBackoff, interval)
	d := interval
	for i := 1; i < n && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

func (s *Scheduler) report(name string, r Result) {
	if s.opts.OnResult != nil {
		s.opts.OnResult(name, r)
	}
}

// done ends the bookkeeping of one run goroutine.
func (s *Scheduler) done() {
	s.mu.Lock()
	s.inflight--
	if s.inflight == 0 && s.idle != nil {
		close(s.idle)
		s.idle = nil
	}
	s.mu.Unlock()
}

// drain stops scheduling and waits for the runs in progress, cancelling
// them at the drain deadline.
func (s *Scheduler) drain(cancelRuns context.CancelFunc) error {
	s.mu.Lock()
	s.stopping = true
	close(s.stopCh)
	idle := s.idleLocked()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.stopped = true
		s.mu.Unlock()
	}()
	if idle == nil {
		return nil
	}
	s.log.Info("waiting for runs in progress", "sources", s.runningNames(), "deadline", s.opts.DrainTimeout)
	if s.opts.DrainTimeout > 0 && waitFor(idle, s.opts.DrainTimeout) {
		return nil
	}
	s.log.Warn("drain deadline reached; cancelling runs", "sources", s.runningNames())
	cancelRuns()
	if waitFor(idle, cancelGrace) {
		return nil
	}
	stuck := s.runningNames()
	return fmt.Errorf("schedule: runs ignored cancellation: %s", strings.Join(stuck, ", "))
}

// idleLocked returns a channel closed when no run is in flight, or nil if
// none is.
func (s *Scheduler) idleLocked() chan struct{} {
	if s.inflight == 0 {
		return nil
	}
	if s.idle == nil {
		s.idle = make(chan struct{})
	}
	return s.idle
}

func (s *Scheduler) runningNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for name, e := range s.jobs {
		if e.running {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// waitFor reports whether ch closed within d.
func waitFor(ch <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ch:
		return true
	case <-t.C:
		return false
	}
}
