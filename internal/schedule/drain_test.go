package schedule

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func TestDrainWaitsThenCancels(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, Options{DrainTimeout: 30 * time.Second, MaxConcurrent: 2})
		var stuckEnd, quickEnd time.Time
		var quickErr error
		h.mustSet(t,
			Job{Name: "a-stuck", Spec: "@hourly", Run: func(ctx context.Context) error {
				<-ctx.Done()
				stuckEnd = time.Now()
				return ctx.Err()
			}},
			Job{Name: "b-finishing", Spec: "@hourly", Run: func(ctx context.Context) error {
				time.Sleep(5 * time.Second)
				quickEnd, quickErr = time.Now(), ctx.Err()
				return nil
			}},
			Job{Name: "c-queued", Spec: "@hourly", Run: quick},
		)
		stop := h.start(t)
		time.Sleep(3 * time.Second) // a-stuck started at 0s, b-finishing at 1s, c-queued waits since 2s
		stopAt := time.Now()
		if err := stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
		returned := time.Now()
		if got := quickEnd.Sub(epoch); got != 6*time.Second || quickErr != nil {
			t.Errorf("finishing run ended at %v with ctx err %v; want 6s, not cancelled", got, quickErr)
		}
		if got := stuckEnd.Sub(stopAt); got != 30*time.Second {
			t.Errorf("stuck run cancelled %v after stop, want the 30s drain deadline", got)
		}
		if !returned.Equal(stuckEnd) {
			t.Errorf("Run returned at %v, want as soon as the cancelled run ended (%v)", returned, stuckEnd)
		}
		if res := h.rec.get("c-queued"); len(res) != 1 || !res[0].Skipped {
			t.Errorf("queued job results = %+v, want one skip", res)
		}
		if res := h.rec.get("a-stuck"); len(res) != 1 || res[0].ConsecutiveFailures != 0 {
			t.Errorf("cancelled run results = %+v, want one result not counted as a failure", res)
		}
		if err := h.Set(nil); !errors.Is(err, ErrStopped) {
			t.Errorf("Set after stop = %v, want ErrStopped", err)
		}
		if err := h.Run(context.Background()); !errors.Is(err, ErrStopped) {
			t.Errorf("second Run = %v, want ErrStopped", err)
		}
	})
}

func TestDrainGivesUpOnRunIgnoringCancellation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, Options{DrainTimeout: -1})
		release := make(chan struct{})
		h.mustSet(t, Job{Name: "deaf", Spec: "@hourly", Run: func(context.Context) error {
			<-release
			return nil
		}})
		stop := h.start(t)
		time.Sleep(time.Second)
		err := stop()
		close(release)
		if err == nil || !strings.Contains(err.Error(), "deaf") {
			t.Errorf("Run = %v, want an error naming the run that ignored cancellation", err)
		}
	})
}

// TestRunLeavesNoGoroutines uses the real clock and runtime: every
// goroutine the scheduler started has ended when Run returns.
func TestRunLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	h := newHarness(t, Options{Stagger: time.Millisecond, MaxConcurrent: 2})
	var jobs []Job
	for i := range 5 {
		jobs = append(jobs, Job{Name: fmt.Sprintf("job-%d", i), Spec: "@every 1s", Run: func(ctx context.Context) error {
			select {
			case <-time.After(20 * time.Millisecond):
			case <-ctx.Done():
			}
			return nil
		}})
	}
	h.mustSet(t, jobs...)
	stop := h.start(t)
	deadline := time.Now().Add(5 * time.Second)
	for h.rec.count("job-4", "ok") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("job-4 never ran")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	var after int
	for range 100 {
		if after = runtime.NumGoroutine(); after <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Errorf("goroutines: %d before, %d after Run returned:\n%s", before, after, buf[:runtime.Stack(buf, true)])
}

// TestSkipResultsCarryJobState: a skipped tick must not report a failing
// job as healthy (OnResult drives the failing gauge).
func TestRunWithDoneContextStartsNothing(t *testing.T) {
	h := newHarness(t, Options{})
	var runs atomic.Int32
	h.mustSet(t, Job{Name: "never-ran", Spec: "@hourly", Run: func(context.Context) error { runs.Add(1); return nil }})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := h.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if runs.Load() != 0 {
		t.Error("a catch-up run started after the context was done")
	}
}
