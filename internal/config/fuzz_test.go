package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kabar-news/kabar/internal/schedule"
)

// FuzzParse checks that Parse never panics, and that what it returns is
// coherent: a config that validates again, or problems that each name the
// file, a line inside it and a message.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile(shippedConfig); err == nil {
		f.Add(data)
	}
	seeds, _ := filepath.Glob("testdata/*.yaml")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("sources:\n  - name: a\n    feed_url: https://a.example/f\n    schedule: \"CRON_TZ=UTC\"\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("sources:\n  - <<: [*x]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "f.yaml")
		if err != nil {
			if c != nil {
				t.Fatal("Parse returned a config with an error")
			}
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error %T %v is not Problems", err, err)
			}
			lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 2
			for _, p := range ps {
				if p.File != "f.yaml" || p.Msg == "" || p.Line < 0 || p.Line > lines {
					t.Fatalf("incoherent problem %+v (file has %d lines)", p, lines)
				}
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse succeeded but Validate fails: %v", err)
		}
		names := map[string]bool{}
		for _, s := range c.Sources {
			if names[s.Name] || !nameRE.MatchString(s.Name) || s.Title == "" {
				t.Fatalf("bad source passed: %+v", s)
			}
			names[s.Name] = true
			if iv, err := schedule.Interval(s.Schedule, nil); err != nil || iv <= 0 {
				t.Fatalf("source %s: schedule %q has no interval: %v, %v", s.Name, s.Schedule, iv, err)
			}
		}
	})
}
