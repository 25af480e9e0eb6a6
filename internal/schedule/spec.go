package schedule

import (
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// MinInterval is the shortest interval an @every spec may ask for.
const MinInterval = time.Second

// DefaultMaxSpread bounds the per-job offset of cron specs when
// Options.MaxSpread is zero.
const DefaultMaxSpread = 5 * time.Minute

// specParser accepts standard 5-field cron specs and the descriptors
// @yearly, @annually, @monthly, @weekly, @daily, @midnight and @hourly.
// @every is handled by parseSpec itself, aligned to the epoch.
var specParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// timing is a parsed spec shifted by a per-job offset.
//
// An "@every d" spec ticks at the instants t where t-offset is a multiple of
// d since the Unix epoch, so the ticks do not depend on when the daemon
// started and jobs sharing the spec fire at different phases. A cron spec
// ticks at its wall-clock times in its zone, each shifted by offset.
type timing struct {
	spec     string
	every    time.Duration // > 0 for @every specs
	cron     cron.Schedule // nil for @every specs
	interval time.Duration // @every duration, or the shortest gap between cron ticks
	offset   time.Duration // in [0, interval)
}

// Validate reports whether spec is a schedule the scheduler accepts: a
// standard 5-field cron spec, a descriptor such as @hourly, or
// "@every <duration>" of at least MinInterval, optionally prefixed by
// "CRON_TZ=<zone> " to override the scheduler's time zone.
//
// Its errors are meant for the person who wrote the spec: they say what is
// wrong in their terms and, for a malformed cron spec, what a valid one
// looks like.
func Validate(spec string) error {
	_, err := parseSpec(spec, time.UTC, time.Now())
	return err
}

// Interval returns the interval the scheduler gives spec in loc (nil means
// UTC): the @every duration, or the shortest gap between successive ticks
// of a cron spec ("*/15 * * * *" → 15m, "0 9 * * 1-5" → 24h). Catch-up,
// spread and backoff are measured in it. A spec Validate rejects returns
// Validate's error.
func Interval(spec string, loc *time.Location) (time.Duration, error) {
	if loc == nil {
		loc = time.UTC
	}
	t, err := parseSpec(spec, loc, time.Now())
	if err != nil {
		return 0, err
	}
	return t.interval, nil
}

// specHint is what a valid spec looks like, added to the cron parser's
// errors.
const specHint = `want 5 fields: minute hour day-of-month month day-of-week, such as "*/15 * * * *", ` +
	`or a descriptor such as "@every 30m" or "@hourly"`

// parseSpec parses spec in loc. now is the reference for measuring the
// interval of cron specs whose gaps vary.
func parseSpec(spec string, loc *time.Location, now time.Time) (t timing, err error) {
	t.spec = spec
	s := strings.TrimSpace(spec)
	if s == "" {
		return t, errors.New("empty schedule")
	}
	// The time zone prefix is parsed here: cron v3 panics on "TZ=X"
	// without a schedule after it.
	if strings.HasPrefix(s, "TZ=") || strings.HasPrefix(s, "CRON_TZ=") {
		name, rest, ok := strings.Cut(s[strings.IndexByte(s, '=')+1:], " ")
		rest = strings.TrimSpace(rest)
		if !ok || rest == "" {
			return t, errors.New("a time zone prefix must be followed by a schedule")
		}
		if loc, err = time.LoadLocation(name); err != nil {
			return t, fmt.Errorf("unknown time zone %q", name)
		}
		s = rest
	}
	// "@every" takes any run of blanks before its duration (cron v3 wants
	// exactly one space); "@everyday" is left to the cron parser, which
	// calls it an unrecognized descriptor.
	if d, ok := strings.CutPrefix(s, "@every"); ok && (d == "" || d[0] == ' ' || d[0] == '\t') {
		arg := strings.TrimSpace(d)
		every, err := time.ParseDuration(arg)
		if err != nil {
			return t, fmt.Errorf("@every needs a duration such as 15m or 1h30m: %w", err)
		}
		if every < MinInterval {
			return t, fmt.Errorf("@every %s is shorter than %v", arg, MinInterval)
		}
		t.every, t.interval = every, every
		return t, nil
	}
	sched, err := parseCron(s)
	if err != nil {
		return t, err
	}
	if ss, ok := sched.(*cron.SpecSchedule); ok {
		ss.Location = loc
	}
	t.cron = sched
	if t.interval, err = shortestGap(sched, now); err != nil {
		return t, err
	}
	return t, nil
}

// parseCron guards the cron parser, which is not written for hostile input,
// and rewords its errors: Go internals such as ": strconv.Atoi: parsing
// ..." are cut and specHint is added.
func parseCron(s string) (sched cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("invalid schedule: %v (%s)", r, specHint)
		}
	}()
	sched, err = specParser.Parse(s)
	if err != nil {
		msg := err.Error()
		if i := strings.Index(msg, ": strconv."); i >= 0 {
			msg = msg[:i]
		}
		return nil, fmt.Errorf("%s (%s)", msg, specHint)
	}
	return sched, nil
}

// gapSamples is how many successive cron ticks shortestGap looks at: enough
// to see the short gaps of specs like "0 9 * * 1-5" and a February.
const gapSamples = 40

// shortestGap is the shortest time between successive ticks of sched after
// now: the interval used for catch-up, spread and backoff.
func shortestGap(sched cron.Schedule, now time.Time) (time.Duration, error) {
	prev := sched.Next(now)
	if prev.IsZero() {
		return 0, errors.New("never fires (no date matches)")
	}
	var gap time.Duration
	for range gapSamples {
		next := sched.Next(prev)
		if next.IsZero() {
			break
		}
		if d := next.Sub(prev); gap == 0 || d < gap {
			gap = d
		}
		prev = next
	}
	if gap == 0 {
		return 0, errors.New("schedule fires only once")
	}
	return gap, nil
}

// spreadOffset is the deterministic offset of the job called name: a hash
// of the name scaled into [0, window).
func spreadOffset(name string, window time.Duration) time.Duration {
	if window <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	return time.Duration(h.Sum64() % uint64(window))
}

// spreadWindow is the range over which jobs with this timing are spread:
// the whole interval for @every, at most maxSpread for cron specs, whose
// users expect ticks near the wall-clock times they wrote.
func (t timing) spreadWindow(maxSpread time.Duration) time.Duration {
	switch {
	case maxSpread < 0:
		return 0
	case t.every > 0:
		return t.interval
	default:
		return min(t.interval, maxSpread)
	}
}

// next returns the first tick strictly after after.
func (t timing) next(after time.Time) time.Time {
	if t.every > 0 {
		d := int64(t.every)
		n := after.UnixNano() - int64(t.offset)
		k := n / d
		if n < 0 && n%d != 0 {
			k-- // floor division
		}
		return time.Unix(0, (k+1)*d+int64(t.offset)).In(after.Location())
	}
	n := t.cron.Next(after.Add(-t.offset))
	if n.IsZero() {
		return n
	}
	return n.Add(t.offset)
}

// atOrAfter returns the first tick at or after at.
func (t timing) atOrAfter(at time.Time) time.Time {
	return t.next(at.Add(-time.Nanosecond))
}
