package schedule

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// epoch is the start of every synctest bubble's fake clock.
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func TestOverlappingTicksAreSkipped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, Options{MaxSpread: -1})
		var c concurrency
		h.mustSet(t, Job{Name: "slow", Spec: "@every 1m", LastRun: time.Now(), Run: func(ctx context.Context) error {
			c.enter()
			defer c.leave()
			select {
			case <-time.After(150 * time.Second):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}})
		stop := h.start(t)
		// Runs start at 1m, 4m and 7m and last 2m30s; the ticks at 2, 3,
		// 5, 6, 8 and 9 minutes fall inside a run.
		time.Sleep(9*time.Minute + 45*time.Second)
		if err := stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
		calls, peak := c.stats()
		if calls != 3 || peak != 1 {
			t.Errorf("calls = %d, peak concurrency = %d; want 3 runs, never two at once", calls, peak)
		}
		if got := h.rec.count("slow", "ok"); got != 3 {
			t.Errorf("ok results = %d, want 3", got)
		}
		if got := h.rec.count("slow", "skipped"); got != 6 {
			t.Errorf("skipped results = %d, want 6", got)
		}
		for _, r := range h.rec.get("slow") {
			if r.Skipped && !errors.Is(r.Err, ErrInProgress) {
				t.Errorf("skip error = %v, want ErrInProgress", r.Err)
			}
		}
		if n := strings.Count(h.log.String(), "skipped: previous run still in progress"); n != 6 {
			t.Errorf("log has %d skip lines, want 6:\n%s", n, h.log)
		}
	})
}

func TestPanicBecomesFailedResult(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, Options{MaxSpread: -1})
		var mu sync.Mutex
		calls := 0
		h.mustSet(t,
			Job{Name: "bad", Spec: "@every 1m", Run: func(context.Context) error {
				mu.Lock()
				calls++
				n := calls
				mu.Unlock()
				if n == 1 {
					var m map[string]int
					m["boom"]++ // a nil map write: a runtime panic
				}
				return nil
			}},
			Job{Name: "good", Spec: "@every 1m", Run: quick},
		)
		stop := h.start(t)
		time.Sleep(90 * time.Second)
		if err := stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
		res := h.rec.get("bad")
		if len(res) != 2 {
			t.Fatalf("bad: %d results, want 2 (panic, then success): %+v", len(res), res)
		}
		var pe *PanicError
		if !res[0].Panicked || !errors.As(res[0].Err, &pe) || res[0].Outcome() != "failed" {
			t.Fatalf("first result = %+v, want a failed panic", res[0])
		}
		if !strings.Contains(pe.Error(), "nil map") || !strings.Contains(string(pe.Stack), "TestPanicBecomesFailedResult") {
			t.Errorf("panic error %q / stack missing the cause or the panicking frame:\n%s", pe, pe.Stack)
		}
		if res[1].Err != nil || res[1].ConsecutiveFailures != 0 {
			t.Errorf("second result = %+v, want a success that resets failures", res[1])
		}
		if got := h.rec.count("good", "ok"); got != 2 {
			t.Errorf("good: %d ok runs, want 2", got)
		}
		log := h.log.String()
		if !strings.Contains(log, "run panicked") || !strings.Contains(log, "goroutine ") {
			t.Errorf("log lacks the panic and its stack:\n%s", log)
		}
	})
}

func TestFailingJobBacksOffAndRecovers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, Options{MaxSpread: -1, MaxBackoff: 8 * time.Minute})
		var starts startTimes
		fail := errors.New("site down")
		h.mustSet(t, Job{Name: "flaky", Spec: "@every 1m", Run: func(context.Context) error {
			starts.add(time.Now())
			if len(starts.get()) <= 6 {
				return fail
			}
			return nil
		}})
		stop := h.start(t)

		time.Sleep(8 * time.Minute) // failures at 0, 1, 3 and 7 minutes
		st := h.status(t, "flaky")
		if !st.Failing || st.ConsecutiveFailures != 4 || !errors.Is(st.LastErr, fail) {
			t.Errorf("status after 4 failures = %+v, want failing with 4 failures", st)
		}
		if want := epoch.Add(15 * time.Minute); !st.BackoffUntil.Equal(want) || !st.Next.Equal(want) {
			t.Errorf("backoff until %v, next %v; want both %v", st.BackoffUntil, st.Next, want)
		}

		time.Sleep(25*time.Minute + 30*time.Second)
		if err := stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
		// Gaps double from the interval up to the cap; the success at 31m
		// restores the schedule.
		var got []time.Duration
		for _, s := range starts.get() {
			got = append(got, s.Sub(epoch))
		}
		want := []time.Duration{0, 1, 3, 7, 15, 23, 31, 32, 33}
		for i := range want {
			want[i] *= time.Minute
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("run starts = %v, want %v", got, want)
		}
		res := h.rec.get("flaky")
		wantFailing := []bool{false, true, true, true, true, true, false, false, false}
		for i, r := range res {
			if i < len(wantFailing) && r.Failing != wantFailing[i] {
				t.Errorf("result %d: Failing = %v, want %v (%+v)", i, r.Failing, wantFailing[i], r)
			}
		}
		st = h.status(t, "flaky")
		if st.Failing || st.ConsecutiveFailures != 0 || !st.BackoffUntil.IsZero() || st.LastErr != nil {
			t.Errorf("status after recovery = %+v, want healthy", st)
		}
		if !strings.Contains(h.log.String(), "recovered") {
			t.Errorf("log does not report the recovery:\n%s", h.log)
		}
	})
}

func TestBackoffIsCappedButNeverBelowInterval(t *testing.T) {
	s := New(Options{MaxBackoff: time.Hour})
	tests := []struct {
		interval time.Duration
		failures int
		want     time.Duration
	}{
		{time.Minute, 2, 2 * time.Minute},
		{time.Minute, 5, 16 * time.Minute},
		{time.Minute, 7, time.Hour},
		{time.Minute, 1000, time.Hour},
		{15 * time.Minute, 3, time.Hour},
		{2 * time.Hour, 5, 2 * time.Hour},
	}
	for _, tt := range tests {
		if got := s.backoff(tt.interval, tt.failures); got != tt.want {
			t.Errorf("backoff(%v, %d) = %v, want %v", tt.interval, tt.failures, got, tt.want)
		}
	}
}

func TestRunTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, Options{RunTimeout: time.Minute, MaxSpread: -1})
		h.mustSet(t,
			Job{Name: "hang", Spec: "@hourly", Run: func(ctx context.Context) error {
				<-ctx.Done()
				return ctx.Err()
			}},
			Job{Name: "own", Spec: "@hourly", Timeout: 10 * time.Second, Run: func(ctx context.Context) error {
				<-ctx.Done()
				return ctx.Err()
			}},
		)
		stop := h.start(t)
		time.Sleep(2 * time.Minute)
		if err := stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
		for name, want := range map[string]time.Duration{"hang": time.Minute, "own": 10 * time.Second} {
			res := h.rec.get(name)
			if len(res) != 1 || !errors.Is(res[0].Err, context.DeadlineExceeded) || res[0].Duration != want || res[0].ConsecutiveFailures != 1 {
				t.Errorf("%s: results %+v, want one failure by deadline after %v", name, res, want)
			}
		}
	})
}

func TestErrSkippedIsNeitherSuccessNorFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, Options{MaxSpread: -1})
		var mu sync.Mutex
		calls := 0
		h.mustSet(t, Job{Name: "leased", Spec: "@every 1m", Run: func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			calls++
			if calls == 1 {
				return errors.New("site down")
			}
			return fmt.Errorf("lease held by another process: %w", ErrSkipped)
		}})
		stop := h.start(t)
		time.Sleep(150 * time.Second)
		if err := stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
		res := h.rec.get("leased")
		if len(res) != 3 || res[1].Outcome() != "skipped" || res[2].Outcome() != "skipped" {
			t.Fatalf("results = %+v, want failed, skipped, skipped", res)
		}
		if res[2].ConsecutiveFailures != 1 {
			t.Errorf("failures after skips = %d, want 1 (unchanged)", res[2].ConsecutiveFailures)
		}
		if st := h.status(t, "leased"); st.LastErr == nil || !strings.Contains(st.LastErr.Error(), "site down") {
			t.Errorf("LastErr = %v, want the last real run's error", st.LastErr)
		}
	})
}

func TestMaxConcurrent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, Options{MaxConcurrent: 1})
		var c concurrency
		job := func(ctx context.Context) error {
			c.enter()
			defer c.leave()
			time.Sleep(10 * time.Second)
			return nil
		}
		h.mustSet(t,
			Job{Name: "a", Spec: "@hourly", Run: job},
			Job{Name: "b", Spec: "@hourly", Run: job},
			Job{Name: "c", Spec: "@hourly", Run: job},
		)
		stop := h.start(t)
		time.Sleep(5 * time.Second)
		queued := 0
		for _, st := range h.Status() {
			if st.Queued {
				queued++
			}
		}
		if queued != 2 {
			t.Errorf("%d jobs queued at 5s, want 2", queued)
		}
		time.Sleep(time.Minute)
		if err := stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
		if calls, peak := c.stats(); calls != 3 || peak != 1 {
			t.Errorf("calls = %d, peak = %d; want 3 runs one at a time", calls, peak)
		}
	})
}

func TestSkipResultsCarryJobState(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, Options{MaxSpread: -1})
		var starts startTimes
		h.mustSet(t, Job{Name: "down", Spec: "@every 1m", Run: func(ctx context.Context) error {
			starts.add(time.Now())
			if len(starts.get()) == 3 {
				time.Sleep(150 * time.Second) // 3m to 5m30s: ticks at 4m and 5m are skipped
			}
			return errors.New("site down")
		}})
		stop := h.start(t)
		time.Sleep(6 * time.Minute)
		if err := stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
		var skips []Result
		for _, r := range h.rec.get("down") {
			if r.Skipped {
				skips = append(skips, r)
			}
		}
		if len(skips) != 2 {
			t.Fatalf("%d skipped ticks, want 2: %+v", len(skips), h.rec.get("down"))
		}
		for _, r := range skips {
			if !r.Failing || r.ConsecutiveFailures != 2 || !r.BackoffUntil.Equal(epoch.Add(3*time.Minute)) {
				t.Errorf("skip result = %+v, want the job's failing state (2 failures, backoff until 3m)", r)
			}
		}
	})
}
