package schedule

import (
	"strings"
	"testing"
	"time"
)

func TestTimingNext(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		spec   string
		offset time.Duration
		after  string
		want   string
	}{
		{"@every 10m", 0, "2026-03-02T10:00:00Z", "2026-03-02T10:10:00Z"},
		{"@every 10m", 0, "2026-03-02T10:03:00Z", "2026-03-02T10:10:00Z"},
		{"@every 10m", 90 * time.Second, "2026-03-02T10:00:00Z", "2026-03-02T10:01:30Z"},
		{"@every 10m", 90 * time.Second, "2026-03-02T10:01:30Z", "2026-03-02T10:11:30Z"},
		{"@every 7m", 0, "1969-12-31T23:59:00Z", "1970-01-01T00:00:00Z"}, // before the epoch: floor division
		{"*/15 * * * *", 0, "2026-03-02T10:00:00Z", "2026-03-02T10:15:00Z"},
		{"*/15 * * * *", 0, "2026-03-02T09:59:59.5Z", "2026-03-02T10:00:00Z"},
		{"*/15 * * * *", 2 * time.Minute, "2026-03-02T10:01:00Z", "2026-03-02T10:02:00Z"},
		{"*/15 * * * *", 2 * time.Minute, "2026-03-02T10:02:00Z", "2026-03-02T10:17:00Z"},
		{"0 9 * * 1-5", 0, "2026-03-06T10:00:00Z", "2026-03-09T02:00:00Z"}, // Friday → Monday 09:00 WIB
		{"@daily", 0, "2026-03-02T12:00:00Z", "2026-03-02T17:00:00Z"},      // midnight WIB
		{"*/15 * * * *", 0, "2026-03-04T10:01:00Z", "2026-03-04T10:15:00Z"},
		{"0 9 * * *", 0, "2026-03-04T02:00:00Z", "2026-03-05T02:00:00Z"}, // at 09:00 WIB: the next is tomorrow's
		{"0 9 * * *", 0, "2026-03-04T01:59:00Z", "2026-03-04T02:00:00Z"},
		{"@every 30m", 0, "2026-03-04T10:00:00Z", "2026-03-04T10:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.spec+" "+tt.after, func(t *testing.T) {
			tm, err := parseSpec(tt.spec, wib, at(tt.after))
			if err != nil {
				t.Fatal(err)
			}
			tm.offset = tt.offset
			got := tm.next(at(tt.after))
			if !got.Equal(at(tt.want)) {
				t.Errorf("next(%s) = %v, want %s", tt.after, got.UTC(), tt.want)
			}
			if a := tm.atOrAfter(got); !a.Equal(got) {
				t.Errorf("atOrAfter(tick %v) = %v, want the tick itself", got, a)
			}
		})
	}
}

func TestTimingInterval(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		spec string
		want time.Duration
	}{
		{"@every 90s", 90 * time.Second},
		{"@every 1h30m", 90 * time.Minute},
		{"5-59/20 * * * *", 20 * time.Minute},
		{"0 6,18 * * *", 12 * time.Hour},
		{"*/15 * * * *", 15 * time.Minute},
		{"*/15 9-17 * * *", 15 * time.Minute},
		{"0 9 * * 1-5", 24 * time.Hour},
		{"@hourly", time.Hour},
		{"@weekly", 7 * 24 * time.Hour},
		{"@monthly", 28 * 24 * time.Hour},
	}
	for _, tt := range tests {
		tm, err := parseSpec(tt.spec, time.UTC, now)
		if err != nil {
			t.Fatalf("%s: %v", tt.spec, err)
		}
		if tm.interval != tt.want {
			t.Errorf("%s: interval %v, want %v", tt.spec, tm.interval, tt.want)
		}
	}
}

// TestValidateMessages: a rejected spec is explained in the terms of the
// person who wrote it, without Go internals, and a malformed cron spec says
// what a valid one looks like.
func TestValidateMessages(t *testing.T) {
	tests := []struct {
		spec string
		want []string // substrings of the error; none means accepted
	}{
		{spec: "@every\t10m"},
		{spec: "@every  2m "},
		{spec: "CRON_TZ=Asia/Jakarta @every 5m"},
		{"", []string{"empty schedule"}},
		{"*/x * * * *", []string{"failed to parse int from x (" + specHint + ")"}},
		{"60 * * * *", []string{"above maximum", specHint}},
		{"@sometimes", []string{"unrecognized descriptor: @sometimes", specHint}},
		{"@everyday", []string{"unrecognized descriptor: @everyday", specHint}},
		{"@every 10", []string{`@every needs a duration such as 15m or 1h30m: time: missing unit in duration "10"`}},
		{"@every", []string{"@every needs a duration such as 15m"}},
		{"@every -5m", []string{"@every -5m is shorter than 1s"}},
		{"@every 999ms", []string{"@every 999ms is shorter than 1s"}},
		{"0 0 30 2 *", []string{"never fires (no date matches)"}},
		{"TZ=UTC", []string{"a time zone prefix must be followed by a schedule"}},
		{"CRON_TZ=UTC  ", []string{"a time zone prefix must be followed by a schedule"}},
		{"TZ=Nowhere/City * * * *", []string{`unknown time zone "Nowhere/City"`}},
	}
	for _, tt := range tests {
		err := Validate(tt.spec)
		if len(tt.want) == 0 {
			if err != nil {
				t.Errorf("Validate(%q) = %v, want accepted", tt.spec, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("Validate(%q) accepted, want %q", tt.spec, tt.want)
			continue
		}
		msg := err.Error()
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("Validate(%q) = %q, want it to contain %q", tt.spec, msg, w)
			}
		}
		if strings.Contains(msg, "strconv") || strings.Contains(msg, ": time zone") {
			t.Errorf("Validate(%q) = %q leaks Go internals", tt.spec, msg)
		}
	}
}

func TestInterval(t *testing.T) {
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	for _, tt := range []struct {
		spec string
		loc  *time.Location
		want time.Duration
	}{
		{"@every 10m", nil, 10 * time.Minute},
		{"*/15 * * * *", nil, 15 * time.Minute},
		{"0 9 * * 1-5", jakarta, 24 * time.Hour},
		{"CRON_TZ=Asia/Jakarta 0 6,18 * * *", time.UTC, 12 * time.Hour},
	} {
		if got, err := Interval(tt.spec, tt.loc); got != tt.want || err != nil {
			t.Errorf("Interval(%q, %v) = %v, %v; want %v", tt.spec, tt.loc, got, err, tt.want)
		}
	}
	if got, err := Interval("not a spec", nil); err == nil || got != 0 {
		t.Errorf("Interval(not a spec) = %v, %v; want 0 and Validate's error", got, err)
	}
}

// FuzzParseSpec: schedules come from a hand-edited config; no spec may
// crash the daemon, and an accepted one must move forward in time.
func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"*/15 * * * *", "@every 10m", "@hourly", "TZ=UTC", "CRON_TZ=UTC 0 9 * * 1-5",
		"0 0 29 2 *", "@every 1s", "1-59/0 * * * *", "* * * * 8", "5-2 * * * *"} {
		f.Add(s, int64(0))
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, spec string, off int64) {
		tm, err := parseSpec(spec, time.UTC, now)
		if err != nil {
			return
		}
		if tm.interval <= 0 {
			t.Fatalf("%q: interval %v", spec, tm.interval)
		}
		tm.offset = spreadOffset(spec, min(tm.interval, time.Duration(off&0xffffffffff)))
		n := tm.next(now)
		if !n.After(now) {
			t.Fatalf("%q: next(%v) = %v", spec, now, n)
		}
		if a := tm.atOrAfter(n); !a.Equal(n) {
			t.Fatalf("%q: atOrAfter(%v) = %v", spec, n, a)
		}
	})
}
