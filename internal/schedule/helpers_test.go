package schedule

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// recorder collects the results a scheduler reports.
type recorder struct {
	mu      sync.Mutex
	results map[string][]Result
}

func (r *recorder) onResult(name string, res Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.results == nil {
		r.results = make(map[string][]Result)
	}
	r.results[name] = append(r.results[name], res)
}

func (r *recorder) get(name string) []Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Result(nil), r.results[name]...)
}

// count returns how many of name's results have the outcome.
func (r *recorder) count(name, outcome string) int {
	n := 0
	for _, res := range r.get(name) {
		if res.Outcome() == outcome {
			n++
		}
	}
	return n
}

// harness is a scheduler wired to a recorder and a captured log.
type harness struct {
	*Scheduler
	rec *recorder
	log *syncBuffer
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	h := &harness{rec: &recorder{}, log: &syncBuffer{}}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	opts.Logger = slog.New(slog.NewTextHandler(h.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts.OnResult = h.rec.onResult
	h.Scheduler = New(opts)
	return h
}

func (h *harness) mustSet(t *testing.T, jobs ...Job) {
	t.Helper()
	if err := h.Set(jobs); err != nil {
		t.Fatalf("Set: %v", err)
	}
}

// start runs the scheduler in a goroutine; the returned func stops it and
// returns Run's error.
func (h *harness) start(t *testing.T) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			err = <-done
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

func (h *harness) status(t *testing.T, name string) JobStatus {
	t.Helper()
	for _, st := range h.Status() {
		if st.Name == name {
			return st
		}
	}
	t.Fatalf("no status for job %q", name)
	return JobStatus{}
}

// concurrency tracks how many calls of a func run at once.
type concurrency struct {
	mu        sync.Mutex
	cur, peak int
	calls     int
}

func (c *concurrency) enter() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cur++
	c.calls++
	c.peak = max(c.peak, c.cur)
}

func (c *concurrency) leave() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cur--
}

func (c *concurrency) stats() (calls, peak int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls, c.peak
}

// startTimes records when a job's runs start.
type startTimes struct {
	mu    sync.Mutex
	times []time.Time
}

func (s *startTimes) add(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.times = append(s.times, t)
}

func (s *startTimes) get() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.times...)
}

// quick is a job body that succeeds at once.
func quick(context.Context) error { return nil }
