package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestValidateSchedule: a source's schedule is checked by the scheduler's
// own parser (schedule.Validate), so `kabar check` accepts exactly what
// `kabar serve` runs; a rejected spec is one problem on the schedule's
// line that says why.
func TestValidateSchedule(t *testing.T) {
	tests := []struct {
		spec    string
		wantErr string // substring of the reason; "" means accepted
	}{
		{spec: "*/15 * * * *"},
		{spec: "*/5 * * * *"},
		{spec: "5-59/20 * * * *"},
		{spec: "0 6,18 * * 1-5"},
		{spec: "0 6,18 * * *"},
		{spec: "0 9 * * 1-5"},
		{spec: "0 9 * * *"},
		{spec: "0 0 * * SUN"},
		{spec: "@hourly"},
		{spec: "@daily"},
		{spec: "@weekly"},
		{spec: "@monthly"},
		{spec: "@yearly"},
		{spec: "@every 10m"},
		{spec: "@every 30m"},
		{spec: "@every 1s"},
		{spec: "@every 1h30m"},
		{spec: "@every  2m "},
		{spec: "CRON_TZ=Asia/Jakarta 0 6 * * *"},
		{spec: "TZ=UTC @hourly"},
		{spec: ""},  // left out: the default schedule applies
		{spec: " "}, // blank: likewise
		{spec: "*/x * * * *", wantErr: "failed to parse int from x (want 5 fields"},
		{spec: "* * * * * *", wantErr: "expected exactly 5 fields"},
		{spec: "0 */5 * * * *", wantErr: "expected exactly 5 fields"}, // no seconds field
		{spec: "not a spec", wantErr: "expected exactly 5 fields"},
		{spec: "bogus", wantErr: "expected exactly 5 fields"},
		{spec: "60 * * * *", wantErr: "above maximum (59): 60 (want 5 fields"},
		{spec: "@every 0s", wantErr: "@every 0s is shorter than 1s"},
		{spec: "@every -5m", wantErr: "@every -5m is shorter than 1s"},
		{spec: "@every 10", wantErr: "@every needs a duration such as 15m"},
		{spec: "@sometimes", wantErr: "unrecognized descriptor"},
		{spec: "0 0 31 2 *", wantErr: "never fires"},
		{spec: "CRON_TZ=UTC", wantErr: "a time zone prefix must be followed by a schedule"},
		{spec: "TZ=Nowhere/City * * * *", wantErr: `unknown time zone "Nowhere/City"`},
		{spec: "CRON_TZ=Nowhere/City @every 5m", wantErr: `unknown time zone "Nowhere/City"`},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			src := fmt.Sprintf("sources:\n  - name: a\n    feed_url: https://a.example/feed\n    schedule: %q\n", tt.spec)
			got := problemsOf(t, src)
			if tt.wantErr == "" {
				if len(got) != 0 {
					t.Fatalf("schedule %q rejected: %v", tt.spec, got)
				}
				return
			}
			prefix := fmt.Sprintf("config.yaml:4: sources[0].schedule: invalid cron spec %q: ", tt.spec)
			if len(got) != 1 || !strings.HasPrefix(got[0], prefix) || !strings.Contains(got[0], tt.wantErr) {
				t.Fatalf("schedule %q: problems %q, want one starting %q and containing %q", tt.spec, got, prefix, tt.wantErr)
			}
			if strings.Contains(got[0], "strconv") {
				t.Errorf("schedule %q: %q leaks Go internals", tt.spec, got[0])
			}
		})
	}

	// Only a config built in code reaches Validate with an empty schedule:
	// ApplyDefaults fills a blank one in.
	c := Default()
	src := DefaultSource()
	src.Name, src.FeedURL = "x", "https://x.example/feed"
	c.Sources = append(c.Sources, src)
	c.ApplyDefaults()
	c.Sources[0].Schedule = ""
	var ps Problems
	if err := c.Validate(); !errors.As(err, &ps) || len(ps) != 1 ||
		ps[0].Path != "sources[0].schedule" || ps[0].Msg != `invalid cron spec "": empty schedule` {
		t.Errorf("Validate with an empty schedule = %v", err)
	}
}
