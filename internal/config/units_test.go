package config

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{in: "1s", want: time.Second},
		{in: "10m", want: 10 * time.Minute},
		{in: "1h30m", want: 90 * time.Minute},
		{in: "1.5h", want: 90 * time.Minute},
		{in: " 250ms ", want: 250 * time.Millisecond},
		{in: "7d", want: 7 * 24 * time.Hour},
		{in: "2w", want: 14 * 24 * time.Hour},
		{in: "1d12h", want: 36 * time.Hour},
		{in: "0", want: 0},
		{in: "0s", want: 0},
		{in: "-5s", want: -5 * time.Second},
		{in: "5", wantErr: `duration "5" has no unit`},
		{in: "1.5", wantErr: "has no unit"},
		{in: "", wantErr: "empty duration"},
		{in: "5x", wantErr: `unknown unit "x"`},
		{in: "10 m", want: 10 * time.Minute},
		{in: "1h 30m", want: 90 * time.Minute},
		{in: "m", wantErr: "invalid duration"},
		{in: "1h30", wantErr: `missing unit after "30"`},
		{in: "9999999999999999999h", wantErr: "out of range"},
		{in: "3000000h", wantErr: "out of range"},
		{in: "106751d1d", wantErr: "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseDuration(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr string
	}{
		{in: "1048576", want: 1 << 20},
		{in: "0", want: 0},
		{in: "10MB", want: 10_000_000},
		{in: "10mb", want: 10_000_000},
		{in: "10 MB", want: 10_000_000},
		{in: "512KiB", want: 512 << 10},
		{in: "1GB", want: 1_000_000_000},
		{in: "2GiB", want: 2 << 30},
		{in: "1.5MB", want: 1_500_000},
		{in: "1.1MB", want: 1_100_000},
		{in: "0.5KiB", want: 512},
		{in: "100B", want: 100},
		{in: "64k", want: 64_000},
		{in: "1_000_000", want: 1_000_000},
		{in: "-1MB", wantErr: "must not be negative"},
		{in: "10XB", wantErr: `unknown unit "XB"`},
		{in: "MB", wantErr: "invalid size"},
		{in: "", wantErr: "invalid size"},
		{in: "1.5B", wantErr: "not a whole number of bytes"},
		{in: "1.2.3MB", wantErr: "invalid size"},
		{in: "99999999999TB", wantErr: "out of range"},
		{in: "99999999999999999999", wantErr: "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSize(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseSize(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseSize(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestUnitsStringRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{0, time.Second, 10 * time.Minute, 90 * time.Minute, 36 * time.Hour, 1500 * time.Millisecond} {
		s := Duration(d).String()
		back, err := ParseDuration(s)
		if err != nil || back != d {
			t.Errorf("Duration(%v).String() = %q, parses back to %v, %v", d, s, back, err)
		}
	}
	if got := Duration(10 * time.Minute).String(); got != "10m" {
		t.Errorf("Duration(10m).String() = %q, want 10m", got)
	}
	if got := Duration(time.Hour).String(); got != "1h" {
		t.Errorf("Duration(1h).String() = %q, want 1h", got)
	}
	for _, n := range []int64{0, 1, 1500, 10_000_000, 512 << 10, 1 << 30, 3 << 20, 123457} {
		s := Size(n).String()
		back, err := ParseSize(s)
		if err != nil || back != n {
			t.Errorf("Size(%d).String() = %q, parses back to %d, %v", n, s, back, err)
		}
	}
	if got := Size(10_000_000).String(); got != "10MB" {
		t.Errorf("Size(10000000).String() = %q, want 10MB", got)
	}
}

func TestUnitsYAML(t *testing.T) {
	var v struct {
		D Duration `yaml:"d"`
		S Size     `yaml:"s"`
	}
	if err := yaml.Unmarshal([]byte("d: 90s\ns: 4096\n"), &v); err != nil {
		t.Fatal(err)
	}
	if v.D.D() != 90*time.Second || v.S.Int64() != 4096 {
		t.Fatalf("got %v, %v", v.D, v.S)
	}
	out, err := yaml.Marshal(v)
	if err != nil || string(out) != "d: 1m30s\ns: 4KiB\n" {
		t.Fatalf("Marshal = %q, %v", out, err)
	}
	for _, in := range []string{"d: [1s]\n", "s: {a: 1}\n", "d: 30\n"} {
		if err := yaml.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("Unmarshal(%q) succeeded, want error", in)
		}
	}
}
