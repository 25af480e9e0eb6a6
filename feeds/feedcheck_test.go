package feeds

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// debianPython is Debian's own interpreter, where python3-feedparser lives.
const debianPython = "/usr/bin/python3"

// TestFeedparser checks the RSS and Atom output with the Universal Feed
// Parser through testdata/feedcheck.py: no bozo error, and every entry has
// id, link, title, published and content.
func TestFeedparser(t *testing.T) {
	if _, err := os.Stat(debianPython); err != nil {
		t.Skipf("%s not found: install python3-feedparser (Debian) to run the Universal Feed Parser check", debianPython)
	}
	dir := t.TempDir()
	var files []string
	for name, f := range map[string]*Feed{"fixture": fixtureFeed(RSS), "bench": benchFeed(5, true), "hostile": hostileWithRequired()} {
		for _, format := range []Format{RSS, Atom} {
			path := filepath.Join(dir, name+"."+string(format))
			if err := os.WriteFile(path, mustRender(t, format, f), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, path)
		}
	}
	out, err := exec.Command(debianPython, append([]string{filepath.Join("testdata", "feedcheck.py")}, files...)...).CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 3 {
		t.Skipf("feedparser missing: %s", strings.TrimSpace(string(out)))
	}
	if err != nil {
		t.Errorf("feedcheck.py: %v\n%s", err, out)
	}
}

// hostileWithRequired is the hostile feed with the fields feedcheck.py
// requires (a link and a date), so that it checks the hostile strings and
// not their absence.
func hostileWithRequired() *Feed {
	f := hostileFeed()
	f.Items[0].URL = "https://evil.example/2026/11/25/a"
	f.Items[0].Published = fixtureFeed(RSS).Items[0].Published
	return f
}
