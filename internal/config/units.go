package config

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a time.Duration read from strings like "1s", "10m", "36h",
// "1h30m", "7d" or "2w" (d is 24 hours, w is 7 days). A bare number other
// than 0 is rejected: "5" could mean seconds or minutes, so the unit is
// required. Spaces are ignored ("1h 30m").
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String formats d compactly: "10m", "1h30m", "1s", "0s".
func (d Duration) String() string {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// UnmarshalYAML reads a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("expected a duration such as \"30s\" or \"10m\", got %s", describe(n))
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes d in the form UnmarshalYAML reads.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

var durationUnits = map[string]time.Duration{
	"ns": time.Nanosecond,
	"us": time.Microsecond,
	"µs": time.Microsecond, // U+00B5
	"μs": time.Microsecond, // U+03BC
	"ms": time.Millisecond,
	"s":  time.Second,
	"m":  time.Minute,
	"h":  time.Hour,
	"d":  24 * time.Hour,
	"w":  7 * 24 * time.Hour,
}

// ParseDuration parses a duration as Duration.UnmarshalYAML does: Go's
// time.ParseDuration syntax plus the units d (day) and w (week), with a unit
// required on every number except a lone 0.
func ParseDuration(s string) (time.Duration, error) {
	orig := s
	s = strings.Join(strings.Fields(s), "") // "1h 30m", "10 m"
	if s == "" {
		return 0, errors.New("empty duration (want for example \"30s\" or \"10m\")")
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "0" {
		return 0, nil
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return 0, fmt.Errorf("duration %q has no unit (write for example \"%ss\" or \"%sm\")", orig, s, s)
	}
	var total time.Duration
	for s != "" {
		// A number: digits, optionally a fraction.
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		intPart := s[:i]
		frac := ""
		if i < len(s) && s[i] == '.' {
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			frac = s[i+1 : j]
			i = j
		}
		if intPart == "" && frac == "" {
			return 0, fmt.Errorf("invalid duration %q (want for example \"30s\", \"10m\" or \"1h30m\")", orig)
		}
		s = s[i:]
		// A unit: everything up to the next digit or dot.
		j := 0
		for j < len(s) && s[j] != '.' && (s[j] < '0' || s[j] > '9') {
			j++
		}
		unitName := s[:j]
		s = s[j:]
		if unitName == "" {
			return 0, fmt.Errorf("invalid duration %q: missing unit after %q", orig, intPart+dotFrac(frac))
		}
		unit, ok := durationUnits[unitName]
		if !ok {
			return 0, fmt.Errorf("invalid duration %q: unknown unit %q (use ms, s, m, h, d or w)", orig, unitName)
		}
		var whole int64
		if intPart != "" {
			n, err := strconv.ParseInt(intPart, 10, 64)
			if err != nil || n > math.MaxInt64/int64(unit) {
				return 0, fmt.Errorf("invalid duration %q: out of range", orig)
			}
			whole = n * int64(unit)
		}
		if frac != "" {
			f, _ := strconv.ParseFloat("0."+frac, 64)
			whole += int64(math.Round(f * float64(unit)))
		}
		if whole < 0 || total > time.Duration(math.MaxInt64-whole) {
			return 0, fmt.Errorf("invalid duration %q: out of range", orig)
		}
		total += time.Duration(whole)
	}
	if neg {
		total = -total
	}
	return total, nil
}

func dotFrac(frac string) string {
	if frac == "" {
		return ""
	}
	return "." + frac
}

// Size is a byte count read from strings like "10MB", "512KiB", "1.5GB" or
// a plain integer (bytes). Units without "i" are decimal (1 kB = 1000 B,
// 1 MB = 1000 kB), units with "i" binary (1 KiB = 1024 B); case is ignored,
// and a single letter (k, M, G, T) means the decimal unit.
type Size int64

// Int64 returns s as a number of bytes.
func (s Size) Int64() int64 { return int64(s) }

// String formats s with the largest unit that divides it exactly: "10MB",
// "512KiB", "1500B".
func (s Size) String() string {
	n := int64(s)
	if n != 0 {
		for _, u := range sizeFormats {
			if n%u.bytes == 0 {
				return strconv.FormatInt(n/u.bytes, 10) + u.name
			}
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

var sizeFormats = []struct {
	name  string
	bytes int64
}{
	{"TB", 1e12}, {"TiB", 1 << 40}, {"GB", 1e9}, {"GiB", 1 << 30},
	{"MB", 1e6}, {"MiB", 1 << 20}, {"kB", 1e3}, {"KiB", 1 << 10},
}

// UnmarshalYAML reads a size string or a plain byte count.
func (s *Size) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("expected a size such as \"10MB\", got %s", describe(n))
	}
	v, err := ParseSize(n.Value)
	if err != nil {
		return err
	}
	*s = Size(v)
	return nil
}

// MarshalYAML writes s in the form UnmarshalYAML reads.
func (s Size) MarshalYAML() (any, error) { return s.String(), nil }

var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
	"ki": 1 << 10, "mi": 1 << 20, "gi": 1 << 30, "ti": 1 << 40,
}

// ParseSize parses a size as Size.UnmarshalYAML does.
func ParseSize(str string) (int64, error) {
	s := strings.TrimSpace(str)
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("invalid size %q: must not be negative", str)
	}
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == '_') {
		i++
	}
	num := strings.ReplaceAll(s[:i], "_", "")
	unitName := strings.ToLower(strings.TrimSpace(s[i:]))
	if num == "" {
		return 0, fmt.Errorf("invalid size %q (want for example \"10MB\", \"512KiB\" or a number of bytes)", str)
	}
	unit, ok := sizeUnits[unitName]
	if !ok {
		return 0, fmt.Errorf("invalid size %q: unknown unit %q (use B, kB, MB, GB, KiB, MiB or GiB)", str, s[i:])
	}
	whole, frac, hasFrac := strings.Cut(num, ".")
	if strings.Contains(frac, ".") || (whole == "" && frac == "") || len(whole) > 30 || len(frac) > 30 {
		return 0, fmt.Errorf("invalid size %q", str)
	}
	var n int64
	if whole != "" {
		w, err := strconv.ParseInt(whole, 10, 64)
		if err != nil || w > math.MaxInt64/unit {
			return 0, fmt.Errorf("invalid size %q: out of range", str)
		}
		n = w * unit
	}
	if hasFrac && frac != "" {
		// Exact integer arithmetic: frac/10^len(frac) * unit must be whole.
		f, ok := new(big.Int).SetString(frac, 10)
		if !ok {
			return 0, fmt.Errorf("invalid size %q", str)
		}
		f.Mul(f, big.NewInt(unit))
		den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(frac))), nil)
		q, r := new(big.Int).QuoRem(f, den, new(big.Int))
		if r.Sign() != 0 {
			return 0, fmt.Errorf("invalid size %q: not a whole number of bytes", str)
		}
		if !q.IsInt64() || n > math.MaxInt64-q.Int64() {
			return 0, fmt.Errorf("invalid size %q: out of range", str)
		}
		n += q.Int64()
	}
	return n, nil
}
