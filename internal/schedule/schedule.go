// Package schedule runs named jobs on cron schedules for a long-lived
// daemon: spread start times, catch-up after downtime, no overlapping runs,
// per-run timeouts and panic recovery, exponential backoff of failing jobs,
// reloads without dropping a run in progress, and a graceful drain on stop.
//
// It knows nothing of sources or crawls: a Job is a name, a spec and a func.
package schedule

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
)

// Scheduler runs jobs on their schedules. Its methods are safe for
// concurrent use.
type Scheduler struct {
	opts Options
	log  *slog.Logger
	sem  chan struct{} // nil without MaxConcurrent
	kick chan struct{} // wakes the loop after a change

	mu       sync.Mutex
	jobs     map[string]*entry
	started  bool
	stopping bool
	stopped  bool
	stopCh   chan struct{} // closed when Run stops scheduling
	inflight int
	idle     chan struct{} // closed when inflight reaches 0 while stopping
}

// entry is a job and its state; guarded by Scheduler.mu.
type entry struct {
	job    Job
	timing timing
	next   time.Time
	soon   bool // next is a catch-up: restaggered when Run starts

	running, queued, removed bool

	lastStart    time.Time
	lastDuration time.Duration
	lastErr      error
	lastSuccess  time.Time
	failures     int
	backoffUntil time.Time
}

// New returns a Scheduler with no jobs. Add them with Set; start it with Run.
func New(opts Options) *Scheduler {
	if opts.Location == nil {
		opts.Location = time.Local
	}
	if opts.RunTimeout <= 0 {
		opts.RunTimeout = DefaultRunTimeout
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	if opts.FailingAfter <= 0 {
		opts.FailingAfter = DefaultFailingAfter
	}
	if opts.DrainTimeout == 0 {
		opts.DrainTimeout = DefaultDrainTimeout
	}
	if opts.MaxSpread == 0 {
		opts.MaxSpread = DefaultMaxSpread
	}
	if opts.Stagger <= 0 {
		opts.Stagger = DefaultStagger
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Scheduler{
		opts:   opts,
		log:    opts.Logger,
		kick:   make(chan struct{}, 1),
		jobs:   make(map[string]*entry),
		stopCh: make(chan struct{}),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if opts.MaxConcurrent > 0 {
		s.sem = make(chan struct{}, opts.MaxConcurrent)
	}
	return s
}

// now is the wall clock without its monotonic reading: schedules are wall
// times, and a suspended machine must not delay them further.
func (s *Scheduler) now() time.Time { return s.opts.Now().Round(0) }

// wake nudges the loop to recompute its timer.
func (s *Scheduler) wake() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Set replaces the job set: the initial set, and every reload. Jobs are
// matched by Name: new ones are added (and run soon if their LastRun is
// older than their interval), missing ones removed, changed ones
// rescheduled. A run in progress is neither cancelled nor duplicated, even
// when its job is removed or re-added. Every job is validated first; on any
// error nothing changes and the error lists every problem.
func (s *Scheduler) Set(jobs []Job) error {
	now := s.now()
	timings, err := s.validate(jobs, now)
	if err != nil {
		return err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped || s.stopping {
		return ErrStopped
	}
	keep := make(map[string]bool, len(jobs))
	var soon []*entry
	for i, j := range jobs {
		keep[j.Name] = true
		t := timings[i]
		e, ok := s.jobs[j.Name]
		if !ok {
			e = &entry{}
			s.jobs[j.Name] = e
		}
		changed := !ok || e.removed || e.timing.spec != t.spec || e.timing.offset != t.offset
		e.job, e.removed = j, false
		if j.LastRun.After(e.lastStart) {
			e.lastStart = j.LastRun
			changed = true
		}
		if !changed {
			continue
		}
		e.timing = t
		if s.plan(e, now) {
			soon = append(soon, e)
		}
	}
	s.staggerLocked(soon, now)
	for _, j := range jobs {
		e := s.jobs[j.Name]
		s.log.Debug("scheduled", "source", j.Name, "spec", j.Spec, "next", e.next, "catch_up", e.soon)
	}
	for name, e := range s.jobs {
		if keep[name] {
			continue
		}
		if e.running {
			e.removed = true // forgotten when its run ends
			continue
		}
		delete(s.jobs, name)
	}
	s.wake()
	return nil
}

// validate parses every job's spec, returning all problems at once.
func (s *Scheduler) validate(jobs []Job, now time.Time) ([]timing, error) {
	var errs []error
	timings := make([]timing, len(jobs))
	seen := make(map[string]bool, len(jobs))
	for i, j := range jobs {
		switch {
		case strings.TrimSpace(j.Name) == "":
			errs = append(errs, fmt.Errorf("job %d: empty name", i+1))
			continue
		case seen[j.Name]:
			errs = append(errs, fmt.Errorf("job %q: duplicate name", j.Name))
		}
		seen[j.Name] = true
		if j.Run == nil {
			errs = append(errs, fmt.Errorf("job %q: no run function", j.Name))
		}
		t, err := parseSpec(j.Spec, s.opts.Location, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("job %q: schedule %q: %w", j.Name, j.Spec, err))
			continue
		}
		t.offset = spreadOffset(j.Name, t.spreadWindow(s.opts.MaxSpread))
		timings[i] = t
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("schedule: %w", errors.Join(errs...))
	}
	return timings, nil
}

// plan sets e.next from its schedule, last start and backoff, and reports
// whether the job is overdue and should run soon. Overdue means never run,
// or a tick was missed since the last start and that start is at least an
// interval old (so "0 9 * * 1-5" is not caught up on a Saturday, nor an
// hourly job ten minutes after a manual run).
func (s *Scheduler) plan(e *entry, now time.Time) bool {
	e.soon = false
	if !e.backoffUntil.IsZero() {
		if n := e.timing.atOrAfter(e.backoffUntil); n.After(now) {
			e.next = n
			return false
		}
	}
	last := e.lastStart
	if last.IsZero() || (!e.timing.next(last).After(now) && now.Sub(last) >= e.timing.interval) {
		e.soon = true
		e.next = now
		return true
	}
	e.next = e.timing.next(now)
	return false
}

// staggerLocked spaces the catch-up runs of es by Stagger, in name order.
func (s *Scheduler) staggerLocked(es []*entry, now time.Time) {
	slices.SortFunc(es, func(a, b *entry) int { return strings.Compare(a.job.Name, b.job.Name) })
	for i, e := range es {
		e.next = now.Add(time.Duration(i) * s.opts.Stagger)
	}
}

// TriggerSoon makes the named job run at the next opportunity, ahead of its
// schedule and any backoff; if it is running, that opportunity is skipped
// as an overlap. It reports whether the job exists.
func (s *Scheduler) TriggerSoon(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.jobs[name]
	if !ok || e.removed {
		return false
	}
	e.next, e.soon = s.now(), false
	s.wake()
	return true
}

// Status returns a snapshot of every job, sorted by name.
func (s *Scheduler) Status() []JobStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]JobStatus, 0, len(s.jobs))
	for name, e := range s.jobs {
		if e.removed {
			continue
		}
		out = append(out, JobStatus{
			Name:                name,
			Spec:                e.job.Spec,
			Next:                e.next,
			Interval:            e.timing.interval,
			Running:             e.running,
			Queued:              e.queued,
			LastStart:           e.lastStart,
			LastDuration:        e.lastDuration,
			LastErr:             e.lastErr,
			LastSuccess:         e.lastSuccess,
			ConsecutiveFailures: e.failures,
			Failing:             e.failures >= s.opts.FailingAfter,
			BackoffUntil:        e.backoffUntil,
		})
	}
	slices.SortFunc(out, func(a, b JobStatus) int { return strings.Compare(a.Name, b.Name) })
	return out
}
