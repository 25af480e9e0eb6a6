package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Defaults for zero Options fields.
const (
	DefaultRunTimeout   = 30 * time.Minute
	DefaultMaxBackoff   = time.Hour
	DefaultDrainTimeout = 30 * time.Second
	DefaultStagger      = time.Second
	DefaultFailingAfter = 2
)

var (
	// ErrSkipped is returned by a Job's Run when the run could not start,
	// for example because another process holds the source's lease. Wrap it
	// to say why. A skipped run is neither a success nor a failure.
	ErrSkipped = errors.New("skipped")

	// ErrInProgress is the error of the Result of a tick that came while the
	// job's previous run was still going (or waiting for a slot). It wraps
	// ErrSkipped.
	ErrInProgress = fmt.Errorf("%w: previous run still in progress", ErrSkipped)

	// ErrStopped is returned by Set and Run once Run has returned.
	ErrStopped = errors.New("scheduler stopped")
)

// Job is one named unit of scheduled work, such as the crawl of one source.
type Job struct {
	Name string
	// Spec is a 5-field cron spec ("*/15 * * * *"), a descriptor (@hourly,
	// @daily, ...) or "@every 10m", optionally prefixed by "CRON_TZ=<zone> ".
	Spec string
	// Run does the work once. It must return when ctx is done. It returns
	// an error wrapping ErrSkipped when it could not start.
	Run func(ctx context.Context) error
	// LastRun is when the job last started before this process knew of it
	// (from the store); zero if never. It decides the catch-up run.
	LastRun time.Time
	// Timeout overrides Options.RunTimeout for this job when positive.
	Timeout time.Duration
}

// Options configure a Scheduler. The zero value is usable.
type Options struct {
	// Location is the time zone of cron specs; nil means time.Local.
	Location *time.Location
	// RunTimeout bounds each run (its context deadline); 0 means
	// DefaultRunTimeout.
	RunTimeout time.Duration
	// MaxBackoff caps the backoff of a failing job; 0 means
	// DefaultMaxBackoff. A single failure only waits for the next tick;
	// after n ≥ 2 consecutive failures the job waits for its first tick at
	// least interval·2^(n-1) after the failed run's scheduled time. A job
	// whose interval exceeds the cap keeps its schedule.
	MaxBackoff time.Duration
	// FailingAfter is how many consecutive failures make a job Failing;
	// 0 means DefaultFailingAfter.
	FailingAfter int
	// DrainTimeout is how long Run waits, once its context is done, for
	// runs in progress to finish before it cancels them; 0 means
	// DefaultDrainTimeout, negative cancels them at once.
	DrainTimeout time.Duration
	// MaxSpread bounds the deterministic per-job offset of cron specs,
	// which spreads jobs that share a spec; 0 means DefaultMaxSpread,
	// negative disables spreading. @every specs are spread over their
	// whole interval.
	MaxSpread time.Duration
	// Stagger separates the catch-up runs that become due together (at
	// start, after a reload); 0 means DefaultStagger.
	Stagger time.Duration
	// MaxConcurrent limits how many runs execute at once; a due job waits
	// for a slot. 0 means no limit.
	MaxConcurrent int
	// Logger receives the scheduler's logs; nil discards them.
	Logger *slog.Logger
	// OnResult, if set, is called after every run and every skipped tick,
	// from the goroutine that produced the result. It must be safe for
	// concurrent use and return quickly.
	OnResult func(name string, r Result)
	// Now is the wall clock; nil means time.Now. Waiting still uses the
	// runtime's timers, for durations computed from Now.
	Now func() time.Time
}

// Result is the outcome of one run or one skipped tick.
type Result struct {
	Start    time.Time
	Duration time.Duration
	// Err is nil on success; it wraps ErrSkipped for a skip, and is a
	// *PanicError when the run panicked.
	Err      error
	Skipped  bool
	Panicked bool
	// The job's state after this result.
	ConsecutiveFailures int
	Failing             bool
	BackoffUntil        time.Time
}

// Outcome is the result as a metrics label: "ok", "failed" or "skipped".
func (r Result) Outcome() string {
	switch {
	case r.Skipped:
		return "skipped"
	case r.Err != nil:
		return "failed"
	default:
		return "ok"
	}
}

// JobStatus is a snapshot of one job, for an index page or health check.
type JobStatus struct {
	Name string
	Spec string
	// Next is when the job runs next: its next tick, a catch-up or
	// triggered run, or the end of its backoff.
	Next time.Time
	// Interval is the job's interval (for cron specs, the shortest gap).
	Interval time.Duration
	Running  bool // a run is in progress or waiting for a slot
	Queued   bool // the run is waiting for a slot (MaxConcurrent)

	LastStart           time.Time // includes Job.LastRun
	LastDuration        time.Duration
	LastErr             error
	LastSuccess         time.Time
	ConsecutiveFailures int
	Failing             bool
	BackoffUntil        time.Time // zero unless backed off
}

// PanicError is the error of a run that panicked.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }
