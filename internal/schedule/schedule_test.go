package schedule

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func fixedNow(t time.Time) func() time.Time { return func() time.Time { return t } }

func TestSetValidatesEverythingFirst(t *testing.T) {
	h := newHarness(t, Options{})
	h.mustSet(t, Job{Name: "keep", Spec: "@hourly", Run: quick})
	before := h.Status()

	bad := []Job{
		{Name: "ok", Spec: "*/15 * * * *", Run: quick},
		{Name: "", Spec: "@hourly", Run: quick},
		{Name: "dup", Spec: "@hourly", Run: quick},
		{Name: "dup", Spec: "@hourly", Run: quick},
		{Name: "norun", Spec: "@hourly"},
		{Name: "fields", Spec: "* * *", Run: quick},
		{Name: "fast", Spec: "@every 500ms", Run: quick},
		{Name: "never", Spec: "0 0 30 2 *", Run: quick},
		{Name: "tz", Spec: "TZ=UTC", Run: quick},
	}
	err := h.Set(bad)
	if err == nil {
		t.Fatal("Set accepted invalid jobs")
	}
	for _, want := range []string{"job 2: empty name", `"dup": duplicate`, `"norun": no run`, `"fields"`, `"fast"`, `"never"`, `"tz"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), `"ok"`) {
		t.Errorf("error blames the valid job:\n%v", err)
	}
	if after := h.Status(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a rejected Set changed the jobs:\nbefore %v\nafter  %v", before, after)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		spec string
		ok   bool
	}{
		{"*/15 * * * *", true},
		{"0 9 * * 1-5", true},
		{"@hourly", true},
		{"@daily", true},
		{"@every 10m", true},
		{"@every 1h30m", true},
		{"CRON_TZ=UTC 0 9 * * *", true},
		{"TZ=UTC @every 5m", true},
		{"  @every 1s ", true},
		{"", false},
		{"   ", false},
		{"* * *", false},
		{"* * * * * *", false}, // seconds are not accepted
		{"61 * * * *", false},
		{"@every", false},
		{"@every x", false},
		{"@every 0s", false},
		{"@every -5m", false},
		{"@every 999ms", false},
		{"@fortnightly", false},
		{"TZ=UTC", false},
		{"CRON_TZ=No/Such_Zone 0 * * * *", false},
		{"0 0 30 2 *", false},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			err := Validate(tt.spec)
			if (err == nil) != tt.ok {
				t.Errorf("Validate(%q) = %v, want ok=%v", tt.spec, err, tt.ok)
			}
		})
	}
}

func TestSpecsUseTheConfiguredZone(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	now := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // 07:00 WIB
	h := newHarness(t, Options{Location: wib, MaxSpread: -1, Now: fixedNow(now)})
	h.mustSet(t,
		Job{Name: "local", Spec: "0 9 * * *", LastRun: now, Run: quick},
		Job{Name: "utc", Spec: "CRON_TZ=UTC 0 9 * * *", LastRun: now, Run: quick},
	)
	for name, want := range map[string]time.Time{
		"local": time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC),
		"utc":   time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
	} {
		if got := h.status(t, name).Next; !got.Equal(want) {
			t.Errorf("%s: next = %v, want %v", name, got, want)
		}
	}
}

func TestSameSpecJobsAreSpread(t *testing.T) {
	tick := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	now := tick.Add(-time.Nanosecond)
	tests := []struct {
		spec      string
		maxSpread time.Duration
		window    time.Duration
	}{
		{"*/15 * * * *", 0, DefaultMaxSpread},
		{"*/2 * * * *", 0, 2 * time.Minute},
		{"@hourly", 20 * time.Minute, 20 * time.Minute},
		// @every is spread over its whole interval.
		{"@every 10m", 0, 10 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			var jobs []Job
			for i := range 40 {
				jobs = append(jobs, Job{Name: fmt.Sprintf("sumber-%02d", i), Spec: tt.spec, LastRun: now, Run: quick})
			}
			next := func() map[string]time.Time {
				h := newHarness(t, Options{MaxSpread: tt.maxSpread, Now: fixedNow(now)})
				h.mustSet(t, jobs...)
				m := map[string]time.Time{}
				for _, st := range h.Status() {
					m[st.Name] = st.Next
				}
				return m
			}
			first := next()
			perSecond := map[int64]int{}
			lo, hi := tick.Add(tt.window), tick
			for name, n := range first {
				if n.Before(tick) || !n.Before(tick.Add(tt.window)) {
					t.Errorf("%s: next %v outside [%v, +%v)", name, n, tick, tt.window)
				}
				perSecond[n.Unix()]++
				if n.Before(lo) {
					lo = n
				}
				if n.After(hi) {
					hi = n
				}
			}
			for sec, n := range perSecond {
				if n > 3 {
					t.Errorf("%d of 40 jobs fire in the second %v", n, time.Unix(sec, 0).UTC())
				}
			}
			if hi.Sub(lo) < tt.window*3/4 {
				t.Errorf("40 jobs span only %v of a %v window", hi.Sub(lo), tt.window)
			}
			if again := next(); fmt.Sprint(again) != fmt.Sprint(first) {
				t.Error("offsets are not deterministic")
			}
		})
	}
	t.Run("disabled", func(t *testing.T) {
		h := newHarness(t, Options{MaxSpread: -1, Now: fixedNow(now)})
		h.mustSet(t, Job{Name: "a", Spec: "*/15 * * * *", LastRun: now, Run: quick},
			Job{Name: "b", Spec: "*/15 * * * *", LastRun: now, Run: quick})
		for _, st := range h.Status() {
			if !st.Next.Equal(tick) {
				t.Errorf("%s: next %v, want %v", st.Name, st.Next, tick)
			}
		}
	})
}

func TestCatchUpOnStartRunsOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(30 * time.Minute) // the bubble's clock: Saturday 2000-01-01 00:30 UTC
		now := time.Now()
		h := newHarness(t, Options{MaxSpread: -1})
		var runs [5]atomic.Int32
		count := func(i int) func(context.Context) error {
			return func(context.Context) error { runs[i].Add(1); return nil }
		}
		h.mustSet(t,
			// Three hourly ticks missed: one catch-up run, not three.
			Job{Name: "stale", Spec: "@hourly", LastRun: now.Add(-3 * time.Hour), Run: count(0)},
			// Ran ten minutes ago: waits for 01:00.
			Job{Name: "fresh", Spec: "@hourly", LastRun: now.Add(-10 * time.Minute), Run: count(1)},
			// Never ran: runs soon.
			Job{Name: "never", Spec: "@hourly", Run: count(2)},
			// Weekdays at 09:00, last run on Friday: no tick missed on Saturday.
			Job{Name: "weekday", Spec: "0 9 * * 1-5", LastRun: time.Date(1999, 12, 31, 9, 0, 0, 0, time.UTC), Run: count(3)},
			// Missed the 00:00 tick, but a run (say, a manual crawl) 40
			// minutes ago is younger than the interval: waits for 01:00.
			Job{Name: "recent", Spec: "@hourly", LastRun: now.Add(-40 * time.Minute), Run: count(4)},
		)
		if err := h.Run(canceledLater(t, 10*time.Second)); err != nil {
			t.Fatalf("Run: %v", err)
		}
		var got [5]int32
		for i := range runs {
			got[i] = runs[i].Load()
		}
		if got != [5]int32{1, 0, 1, 0, 0} {
			t.Errorf("runs in the first 10s (stale, fresh, never, weekday, recent) = %v, want [1 0 1 0 0]", got)
		}
		// The catch-ups are staggered, in name order.
		never, stale := h.rec.get("never"), h.rec.get("stale")
		if len(never) != 1 || len(stale) != 1 || stale[0].Start.Sub(never[0].Start) != DefaultStagger {
			t.Errorf("catch-up starts never=%v stale=%v, want %v apart", never, stale, DefaultStagger)
		}
		if st := h.status(t, "stale"); !st.Next.Equal(epoch.Add(time.Hour)) {
			t.Errorf("stale: next %v after its catch-up, want the 01:00 tick", st.Next)
		}
	})
}

// canceledLater is a context cancelled after d.
func canceledLater(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestMissedTicksAfterClockJumpRunOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// A suspended machine: the wall clock moves on while timers stand.
		var skew atomic.Int64
		clock := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
		h := newHarness(t, Options{MaxSpread: -1, Now: clock})
		var runs atomic.Int32
		h.mustSet(t, Job{Name: "j", Spec: "@every 5m", LastRun: clock(), Run: func(context.Context) error {
			runs.Add(1)
			return nil
		}})
		stop := h.start(t)
		time.Sleep(11 * time.Minute) // runs at 5m and 10m
		skew.Store(int64(3 * time.Hour))
		time.Sleep(90 * time.Second) // the loop looks at the clock within a minute
		if err := stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
		if got := runs.Load(); got != 3 {
			t.Errorf("runs = %d, want 3: two on schedule and one for 36 missed ticks", got)
		}
		if res := h.rec.get("j"); len(res) != 3 {
			t.Errorf("%d results, want 3 runs and no burst of skipped ticks: %+v", len(res), res)
		}
	})
}

func TestSetReloadKeepsRunInProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, Options{MaxSpread: -1})
		release := make(chan struct{})
		var c concurrency
		var ctxErrAtRelease atomic.Value
		slow := func(ctx context.Context) error {
			c.enter()
			defer c.leave()
			select {
			case <-release:
				ctxErrAtRelease.Store(fmt.Sprint(ctx.Err()))
				return nil
			case <-time.After(time.Hour): // later runs
				return nil
			}
		}
		var bRuns, cRuns atomic.Int32
		a := Job{Name: "a", Spec: "@every 1m", Run: slow}
		b := Job{Name: "b", Spec: "@every 1m", Run: func(context.Context) error { bRuns.Add(1); return nil }}
		cJob := Job{Name: "c", Spec: "@every 1m", Run: func(context.Context) error { cRuns.Add(1); return nil }}
		h.mustSet(t, a, b)
		stop := h.start(t)
		time.Sleep(30 * time.Second) // a runs from 0s, b ran at 1s

		// An invalid reload changes nothing.
		before := fmt.Sprint(h.Status())
		if err := h.Set([]Job{a, {Name: "c", Spec: "@every nope", Run: quick}}); err == nil {
			t.Fatal("invalid reload accepted")
		}
		if after := fmt.Sprint(h.Status()); after != before {
			t.Errorf("invalid reload changed jobs:\n%s\n%s", before, after)
		}

		// Reschedule a, remove b, add c.
		a.Spec = "@every 2m"
		h.mustSet(t, a, cJob)
		synctest.Wait()
		if got := cRuns.Load(); got != 1 {
			t.Errorf("new job ran %d times right after the reload, want 1", got)
		}
		st := h.status(t, "a")
		if !st.Running || st.Spec != "@every 2m" || !st.Next.Equal(epoch.Add(2*time.Minute)) {
			t.Errorf("a after reload = %+v, want running, rescheduled to the 2m tick", st)
		}
		if names := fmt.Sprint(statusNames(h.Status())); names != "[a c]" {
			t.Errorf("jobs after reload = %s, want [a c]", names)
		}

		// Removing and re-adding a while it runs neither cancels nor
		// duplicates the run.
		h.mustSet(t, cJob)
		h.mustSet(t, a, cJob)
		time.Sleep(4 * time.Minute) // a's ticks at 2m and 4m are skipped
		close(release)
		synctest.Wait()
		if got := ctxErrAtRelease.Load(); got != "<nil>" {
			t.Errorf("a's first run saw ctx err %v, want it never cancelled", got)
		}
		time.Sleep(2 * time.Minute) // a runs again at 6m
		if err := stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
		if calls, peak := c.stats(); calls != 2 || peak != 1 {
			t.Errorf("a: %d runs, peak %d; want 2, never two at once", calls, peak)
		}
		if got := h.rec.count("a", "skipped"); got != 2 {
			t.Errorf("a: %d skipped ticks, want 2", got)
		}
		if got := bRuns.Load(); got != 1 {
			t.Errorf("removed job b ran %d times, want only its run before the reload", got)
		}
	})
}

func statusNames(sts []JobStatus) []string {
	var names []string
	for _, st := range sts {
		names = append(names, st.Name)
	}
	return names
}

func TestTriggerSoon(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, Options{})
		var runs atomic.Int32
		h.mustSet(t, Job{Name: "daily", Spec: "@daily", LastRun: time.Now(), Run: func(context.Context) error {
			runs.Add(1)
			return nil
		}})
		stop := h.start(t)
		time.Sleep(time.Minute)
		if runs.Load() != 0 {
			t.Fatal("daily job ran before its tick")
		}
		if !h.TriggerSoon("daily") {
			t.Fatal("TriggerSoon(daily) = false")
		}
		if h.TriggerSoon("nope") {
			t.Error("TriggerSoon of an unknown job = true")
		}
		synctest.Wait()
		if err := stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
		if got := runs.Load(); got != 1 {
			t.Errorf("runs after trigger = %d, want 1", got)
		}
	})
}
