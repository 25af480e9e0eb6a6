package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// waitFeed polls a JSON feed until it has at least n items.
func waitFeed(t *testing.T, url string, n int, within time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		var j jsonDoc
		if json.Unmarshal(get(t, url), &j) == nil && len(j.Items) >= n {
			return true
		}
		time.Sleep(150 * time.Millisecond)
	}
	return false
}

// TestServeReloadAndOverlap runs the daemon through SIGHUP reloads (a bad
// config that must be refused, then a second source) against a site slow
// enough that one-second ticks overlap.
func TestServeReloadAndOverlap(t *testing.T) {
	site := startNewsSite(t)
	// A second, slow site: every page takes 1.5s, so @every 1s overlaps.
	slow := startSlowNewsSite(t, 1500*time.Millisecond)

	dir := t.TempDir()
	addr := freeAddr(t)
	cfgPath := writeConfig(t, dir, addr, siteSource("lambat", slow.URL))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hup := make(chan os.Signal, 1)
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runEnv(ctx, &env{stdout: io.Discard, stderr: &stderr, hup: hup}, []string{"serve", "-config", cfgPath})
	}()
	base := "http://" + addr

	// Ticks overlap while the slow source crawls: skipped, not stacked.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(strings.ToLower(stderr.String()), "skip") {
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(strings.ToLower(stderr.String()), "skip") {
		t.Errorf("no overlap skip logged with a 1.5s-per-page site on @every 1s:\n%s", stderr.String())
	}

	// A broken config is refused; the old one stays in force.
	if err := os.WriteFile(cfgPath, []byte("sources:\n  - name: Bad Name\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hup <- syscall.SIGHUP
	deadline = time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(stderr.String(), "keeping the old config") {
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(stderr.String(), "keeping the old config") {
		t.Errorf("a broken config on SIGHUP was not reported:\n%s", stderr.String())
	}

	// A second source added by SIGHUP gets its feed without a restart.
	writeConfig(t, dir, addr, siteSource("lambat", slow.URL), siteSource("warta", site.URL))
	hup <- syscall.SIGHUP
	if !waitFeed(t, base+"/feeds/warta.json", len(wantArticles), 30*time.Second) {
		t.Fatalf("the source added by SIGHUP has no feed:\n%s", stderr.String())
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20s of cancellation")
	}
}
