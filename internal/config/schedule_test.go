package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		spec    string
		wantErr string
	}{
		{spec: "*/15 * * * *"},
		{spec: "0 6,18 * * 1-5"},
		{spec: "0 0 * * SUN"},
		{spec: "@hourly"},
		{spec: "@daily"},
		{spec: "@every 10m"},
		{spec: "@every 1s"},
		{spec: "@every 1h30m"},
		{spec: "@every  2m "},
		{spec: "CRON_TZ=Asia/Jakarta 0 6 * * *"},
		{spec: "TZ=UTC @hourly"},
		{spec: "", wantErr: "empty schedule"},
		{spec: "*/x * * * *", wantErr: "failed to parse int from x (want 5 fields"},
		{spec: "* * * * * *", wantErr: "expected exactly 5 fields"},
		{spec: "60 * * * *", wantErr: "above maximum"},
		{spec: "@every 0s", wantErr: "shorter than one second"},
		{spec: "@every -5m", wantErr: "shorter than one second"},
		{spec: "@every 10", wantErr: "@every needs a duration"},
		{spec: "@sometimes", wantErr: "unrecognized descriptor"},
		{spec: "0 0 31 2 *", wantErr: "never fires"},
		{spec: "CRON_TZ=UTC", wantErr: "a time zone prefix must be followed by a schedule"},
		{spec: "TZ=Nowhere/City * * * *", wantErr: `unknown time zone "Nowhere/City"`},
		{spec: "CRON_TZ=Nowhere/City @every 5m", wantErr: `unknown time zone "Nowhere/City"`},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			s, err := ParseSchedule(tt.spec)
			if tt.wantErr == "" {
				if err != nil || s == nil {
					t.Fatalf("ParseSchedule(%q) = %v, %v", tt.spec, s, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ParseSchedule(%q) error = %v, want %q", tt.spec, err, tt.wantErr)
			}
		})
	}
}

func TestScheduleParserDescriptors(t *testing.T) {
	p := ScheduleParser()
	for _, spec := range []string{"@weekly", "@monthly", "@yearly", "*/5 * * * *"} {
		if _, err := p.Parse(spec); err != nil {
			t.Errorf("ScheduleParser().Parse(%q): %v", spec, err)
		}
	}
	if _, err := p.Parse("0 */5 * * * *"); err == nil {
		t.Error("six fields (seconds) accepted; the parser must be the standard 5-field one")
	}
}

func TestInterval(t *testing.T) {
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	tests := []struct {
		spec string
		want time.Duration
	}{
		{"@every 10m", 10 * time.Minute},
		{"@every 1h30m", 90 * time.Minute},
		{"*/15 * * * *", 15 * time.Minute},
		{"5-59/20 * * * *", 20 * time.Minute},
		{"@hourly", time.Hour},
		{"0 9 * * 1-5", 24 * time.Hour},
		{"0 6,18 * * *", 12 * time.Hour},
		{"@weekly", 7 * 24 * time.Hour},
		{"not a spec", 0},
	}
	for _, tt := range tests {
		if got := (Source{Schedule: tt.spec}).Interval(jakarta); got != tt.want {
			t.Errorf("Interval(%q) = %v, want %v", tt.spec, got, tt.want)
		}
	}
}

func TestDue(t *testing.T) {
	utc := time.UTC
	at := func(h, m int) time.Time { return time.Date(2025, 3, 4, h, m, 0, 0, utc) }
	tests := []struct {
		spec      string
		last, now time.Time
		want      bool
	}{
		{"*/15 * * * *", time.Time{}, at(10, 0), true},
		{"*/15 * * * *", at(10, 1), at(10, 14), false},
		{"*/15 * * * *", at(10, 1), at(10, 15), true},
		{"0 9 * * *", at(9, 0), at(23, 59), false},
		{"0 9 * * *", at(8, 59), at(9, 0), true},
		{"@every 30m", at(10, 0), at(10, 29), false},
		{"@every 30m", at(10, 0), at(10, 30), true},
		{"bogus", at(10, 0), at(23, 0), false},
	}
	for _, tt := range tests {
		if got := (Source{Schedule: tt.spec}).Due(tt.last, tt.now, utc); got != tt.want {
			t.Errorf("Due(%q, %v, %v) = %v, want %v", tt.spec, tt.last, tt.now, got, tt.want)
		}
	}
}
