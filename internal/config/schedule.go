package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// ScheduleParser returns the one cron parser kabar uses everywhere: the
// standard five fields (minute hour day-of-month month day-of-week) and the
// descriptors @yearly, @monthly, @weekly, @daily, @hourly and @every <d>.
// A spec may start with "CRON_TZ=Zone " to run in a zone of its own.
//
// Prefer ParseSchedule, which also rejects specs this parser accepts but
// that never or too often fire.
func ScheduleParser() cron.Parser {
	return cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
}

// ParseSchedule parses a source's schedule with ScheduleParser and checks
// what the parser lets through: "@every" must be at least one second (the
// cron library silently rounds shorter ones up) and a spec must fire at
// all ("0 0 30 2 *" never does).
func ParseSchedule(spec string) (sched cron.Schedule, err error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, errors.New("empty schedule")
	}
	rest := spec
	if strings.HasPrefix(rest, "TZ=") || strings.HasPrefix(rest, "CRON_TZ=") {
		// The library slices up to the first space without checking there
		// is one.
		zone, after, ok := strings.Cut(rest[strings.IndexByte(rest, '=')+1:], " ")
		if !ok || strings.TrimSpace(after) == "" {
			return nil, errors.New("a time zone prefix must be followed by a schedule")
		}
		if _, err := time.LoadLocation(zone); err != nil {
			return nil, fmt.Errorf("unknown time zone %q", zone)
		}
		rest = strings.TrimSpace(after)
	}
	if every, ok := strings.CutPrefix(rest, "@every"); ok {
		// Parsed here rather than by the library, which requires exactly
		// one space and rounds anything under a second up to a second.
		d, err := time.ParseDuration(strings.TrimSpace(every))
		if err != nil {
			return nil, fmt.Errorf("@every needs a duration such as 15m or 1h30m: %w", err)
		}
		if d < time.Second {
			return nil, fmt.Errorf("@every %s is shorter than one second", strings.TrimSpace(every))
		}
		return cron.Every(d), nil
	}
	defer func() {
		// Guard against panics in the third-party parser: a spec from a
		// config file is untrusted input.
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("unparsable: %v", r)
		}
	}()
	sched, err = ScheduleParser().Parse(spec)
	if err != nil {
		return nil, cronError(err)
	}
	ref := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if sched.Next(ref).IsZero() {
		return nil, errors.New("never fires (no date matches)")
	}
	return sched, nil
}

// Interval returns the nominal interval of the source's schedule in loc:
// the @every duration, or the median gap between consecutive activations of
// a cron spec ("*/15 * * * *" → 15m, "0 9 * * 1-5" → 24h). It returns 0 when
// the schedule does not parse. It is meant for "the last crawl is older
// than the interval"; Due answers "was a run missed" exactly.
func (s Source) Interval(loc *time.Location) time.Duration {
	sched, err := ParseSchedule(s.Schedule)
	if err != nil {
		return 0
	}
	if e, ok := sched.(cron.ConstantDelaySchedule); ok {
		return e.Delay
	}
	if loc == nil {
		loc = time.Local
	}
	// A fixed reference keeps the answer independent of the current date.
	t := time.Date(2025, 1, 6, 0, 0, 0, 0, loc)
	const samples = 33
	gaps := make([]time.Duration, 0, samples-1)
	prev := sched.Next(t)
	for range samples - 1 {
		next := sched.Next(prev)
		if next.IsZero() {
			break
		}
		gaps = append(gaps, next.Sub(prev))
		prev = next
	}
	if len(gaps) == 0 {
		return 0
	}
	slices.Sort(gaps)
	return gaps[len(gaps)/2]
}

// Due reports whether the source's schedule had an activation after last
// and no later than now, that is whether a crawl since last was missed.
// A zero last (never crawled) is always due; an invalid schedule never is.
func (s Source) Due(last, now time.Time, loc *time.Location) bool {
	if last.IsZero() {
		return true
	}
	sched, err := ParseSchedule(s.Schedule)
	if err != nil {
		return false
	}
	if loc == nil {
		loc = time.Local
	}
	next := sched.Next(last.In(loc))
	return !next.IsZero() && !next.After(now)
}

// cronError rewords the cron library's errors where they leak Go internals
// ("failed to parse int from x: strconv.Atoi: parsing ...") and adds what
// a valid spec looks like.
func cronError(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, ": strconv."); i >= 0 {
		msg = msg[:i]
	}
	return fmt.Errorf("%s (want 5 fields: minute hour day-of-month month day-of-week, such as \"*/15 * * * *\", or a descriptor such as \"@every 30m\" or \"@hourly\")", msg)
}
