package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kabar-news/kabar/extract"
)

const crashBatch = 25

func crashURL(batch, i int) string { return fmt.Sprintf("https://crash.example/%d/%d", batch, i) }

func crashArticles(batch int) []*extract.Article {
	as := make([]*extract.Article, crashBatch)
	for i := range as {
		as[i] = article(uint64(batch*crashBatch+i), crashURL(batch, i))
	}
	return as
}

// crashChild saves batches from batch start on until killed, printing
// "ack N" after batch N was committed.
func crashChild(path string, start int) {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	for b := start; ; b++ {
		if _, err := s.SaveArticles(ctx, "crash", crashArticles(b)); err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Printf("ack %d\n", b)
	}
}

func startChild(t *testing.T, env ...string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out)
}

// TestCrashMidBatch kills a real child process with SIGKILL while it writes
// batches, three times over: afterwards the file is sound, every batch the
// child acknowledged is there, no batch is there in part, nothing twice.
func TestCrashMidBatch(t *testing.T) {
	if path := os.Getenv("KABAR_STORE_CRASH_CHILD"); path != "" {
		start, _ := strconv.Atoi(os.Getenv("KABAR_STORE_CRASH_START"))
		crashChild(path, start)
		return
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kabar.db")
	acked := -1
	for round := range 3 {
		cmd, lines := startChild(t, "KABAR_STORE_CRASH_CHILD="+path, fmt.Sprint("KABAR_STORE_CRASH_START=", acked+1))
		// Let it commit a few batches, then kill it at a random moment of the next.
		stopAfter := acked + 3 + rand.IntN(5)
		for lines.Scan() {
			line := lines.Text()
			if !strings.HasPrefix(line, "ack ") {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("child: %s", line)
			}
			acked, _ = strconv.Atoi(strings.TrimPrefix(line, "ack "))
			if acked >= stopAfter {
				break
			}
		}
		time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		// Acknowledgements the child printed before it died are still in the pipe.
		for lines.Scan() {
			if n, err := strconv.Atoi(strings.TrimPrefix(lines.Text(), "ack ")); err == nil {
				acked = n
			}
		}
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child did not die of SIGKILL: %v", round, err)
		}

		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		if err := s.IntegrityCheck(ctx); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		for b := 0; b <= acked; b++ {
			for i := range crashBatch {
				if ok, err := s.Known(ctx, crashURL(b, i)); err != nil || !ok {
					t.Fatalf("round %d: acknowledged article %s lost (%v)", round, crashURL(b, i), err)
				}
			}
		}
		var rows, distinct int
		if err := s.read.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT url) FROM articles`).Scan(&rows, &distinct); err != nil {
			t.Fatal(err)
		}
		if rows != distinct {
			t.Fatalf("round %d: %d rows for %d urls", round, rows, distinct)
		}
		// Batches are atomic: the one being written is there whole or not at all.
		if rows%crashBatch != 0 || rows < (acked+1)*crashBatch || rows > (acked+2)*crashBatch {
			t.Fatalf("round %d: %d rows after %d acknowledged batches of %d", round, rows, acked+1, crashBatch)
		}
		// Saving an acknowledged batch again changes nothing.
		res, err := s.SaveArticles(ctx, "crash", crashArticles(acked))
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r != Unchanged {
				t.Fatalf("round %d: re-save of article %d = %v", round, i, r)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLeaseAcrossProcesses: a lease held by another process keeps this one
// out; when that process dies the lease expires after its TTL.
func TestLeaseAcrossProcesses(t *testing.T) {
	const ttl = 400 * time.Millisecond
	ctx := context.Background()
	if path := os.Getenv("KABAR_STORE_LEASE_CHILD"); path != "" {
		s, err := Open(ctx, path)
		if err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		ok, err := s.AcquireLease(ctx, "contoh", "child", ttl)
		fmt.Println("held", ok, err)
		time.Sleep(time.Minute) // until killed
		return
	}
	path := filepath.Join(t.TempDir(), "kabar.db")
	s := openAt(t, path, nil)
	cmd, lines := startChild(t, "KABAR_STORE_LEASE_CHILD="+path)
	defer cmd.Process.Kill()
	if !lines.Scan() || lines.Text() != "held true <nil>" {
		t.Fatalf("child: %q", lines.Text())
	}
	if ok, err := s.AcquireLease(ctx, "contoh", "parent", ttl); err != nil || ok {
		t.Fatalf("acquired a lease another process holds: %v, %v", ok, err)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ok, err := s.AcquireLease(ctx, "contoh", "parent", ttl)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("lease of a killed process never expired")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
