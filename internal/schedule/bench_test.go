package schedule

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// BenchmarkNext compares the spread schedules with cron's own as the
// baseline: the offset and epoch alignment must cost next to nothing.
func BenchmarkNext(b *testing.B) {
	now := time.Date(2026, 3, 2, 10, 7, 13, 0, time.UTC)
	raw, err := specParser.Parse("*/15 * * * *")
	if err != nil {
		b.Fatal(err)
	}
	shifted, err := parseSpec("*/15 * * * *", time.UTC, now)
	if err != nil {
		b.Fatal(err)
	}
	shifted.offset = 97 * time.Second
	every, err := parseSpec("@every 10m", time.UTC, now)
	if err != nil {
		b.Fatal(err)
	}
	every.offset = 97 * time.Second
	cases := []struct {
		name string
		next func(time.Time) time.Time
	}{
		{"cron/baseline", raw.Next},
		{"cron/spread", shifted.next},
		{"every/baseline", cron.Every(10 * time.Minute).Next},
		{"every/aligned", every.next},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			t := now
			for b.Loop() {
				t = c.next(t)
			}
		})
	}
}

// BenchmarkDispatch is the cost of one wake of the loop with many jobs of
// which none is due: the scheduler's idle overhead.
func BenchmarkDispatch(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s := New(Options{Location: time.UTC})
			now := time.Now()
			jobs := make([]Job, n)
			for i := range jobs {
				jobs[i] = Job{Name: fmt.Sprintf("sumber-%d", i), Spec: "@yearly", LastRun: now, Run: quick}
			}
			if err := s.Set(jobs); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				s.dispatch(context.Background())
			}
		})
	}
}
