package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/kabar-news/kabar/extract"
)

func TestOpenSetsUpFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "kabar.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	s := openAt(t, path, nil)
	for pragma, want := range map[string]string{
		"journal_mode":   "wal",
		"auto_vacuum":    "2", // incremental
		"page_size":      fmt.Sprint(pageSize),
		"user_version":   fmt.Sprint(SchemaVersion()),
		"application_id": fmt.Sprint(applicationID),
		"foreign_keys":   "1",
	} {
		var got string
		if err := s.write.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
	var timeout int
	if err := s.read.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&timeout); err != nil || timeout < 1000 {
		t.Errorf("read busy_timeout = %d, %v", timeout, err)
	}
	// The read pool must refuse writes.
	if _, err := s.read.ExecContext(ctx, "DELETE FROM leases"); err == nil {
		t.Error("read pool accepted a write")
	}
	if SchemaVersion() < 1 {
		t.Fatal("no migrations embedded")
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kabar.db")
	s := openAt(t, path, nil)
	mustSave(t, s, "a", article(1, "https://a.example/1"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openAt(t, path, nil)
	if ok, err := s2.Known(context.Background(), "https://a.example/1"); err != nil || !ok {
		t.Fatalf("after reopen Known = %v, %v", ok, err)
	}
	if r := mustSave(t, s2, "a", article(1, "https://a.example/1")); r != Unchanged {
		t.Errorf("re-save after reopen = %v, want unchanged", r)
	}
	// The duplicate index is rebuilt from the file.
	cp := article(1, "https://b.example/salinan")
	cp.Text = "Jakarta (ANTARA) - " + edit(cp.Text, 40)
	mustSave(t, s2, "b", cp)
	if got := mustQuery(t, s2, Query{Source: "b"}); len(got) != 1 || got[0].DuplicateOf == 0 {
		t.Errorf("copy of an article stored before reopening not recognised: %+v", got)
	}
}

// TestOpenBadFiles: every bad file is a clear error naming the file, never
// a panic, and the file is left as it was.
func TestOpenBadFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	newer := filepath.Join(dir, "newer.db")
	s := openAt(t, newer, nil)
	if _, err := s.write.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	s.Close()

	foreign := filepath.Join(dir, "foreign.db")
	db, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("this is not a database\n", 500)), 0o644); err != nil {
		t.Fatal(err)
	}

	// A kabar file whose pages were overwritten in the middle.
	corrupt := filepath.Join(dir, "corrupt.db")
	s = openAt(t, corrupt, nil)
	for i := range 50 {
		mustSave(t, s, "a", article(uint64(i), fmt.Sprintf("https://a.example/%d", i)))
	}
	s.Close()
	f, err := os.OpenFile(corrupt, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte(strings.Repeat("\xde\xad\xbe\xef", 4096)), pageSize); err != nil {
		t.Fatal(err)
	}
	f.Close()

	for _, tc := range []struct {
		path string
		is   error
		want string
	}{
		{newer, ErrNewerSchema, "upgrade kabar"},
		{foreign, ErrNotKabar, "not a kabar database"},
		{garbage, nil, "not an SQLite database"},
		{corrupt, nil, "corrupt"},
		{filepath.Join(dir, "missing", "dir", "kabar.db"), nil, "cannot open"},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			before, _ := os.ReadFile(tc.path)
			s, err := Open(ctx, tc.path)
			if err == nil {
				// Corruption deep in the file may only show on use.
				_, err = s.Articles(ctx, Query{Source: "a"})
				if err == nil {
					err = s.IntegrityCheck(ctx)
				}
				s.Close()
			}
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.path) {
				t.Errorf("error does not name the file: %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to say %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error = %v, want errors.Is %v", err, tc.is)
			}
			if tc.is == ErrNotKabar {
				after, _ := os.ReadFile(tc.path)
				if string(after) != string(before) {
					t.Error("foreign database was modified")
				}
			}
		})
	}
}

// TestOpenReadOnly: a file that cannot be written is refused at Open with
// a clear error naming it, rather than failing at the first crawl. Root
// ignores file modes, so as root the check runs in a child as nobody.
func TestOpenReadOnly(t *testing.T) {
	if path := os.Getenv("KABAR_STORE_READONLY_CHILD"); path != "" {
		_, err := Open(context.Background(), path)
		fmt.Printf("ERR:%v\n", err)
		fmt.Printf("READONLY:%v\n", errors.Is(err, ErrReadOnly))
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "kabar.db")
	s := openAt(t, path, nil)
	mustSave(t, s, "a", article(1, "https://a.example/1"))
	s.Close()
	for _, p := range []string{path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })

	var out string
	if os.Geteuid() != 0 {
		_, err := Open(context.Background(), path)
		out = fmt.Sprintf("ERR:%v\nREADONLY:%v\n", err, errors.Is(err, ErrReadOnly))
	} else {
		// The temp dir's parents must be searchable by nobody.
		if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
			t.Fatal(err)
		}
		for d := filepath.Dir(dir); d != "/" && d != "."; d = filepath.Dir(d) {
			if fi, err := os.Stat(d); err == nil && fi.Mode().Perm()&0o001 == 0 {
				t.Skipf("%s is not searchable by other users", d)
			}
		}
		// So must the test binary, which lives in a private build directory.
		bin := filepath.Join(filepath.Dir(dir), "store.test")
		b, err := os.ReadFile(os.Args[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, b, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "-test.run=^TestOpenReadOnly$", "-test.v")
		cmd.Env = append(os.Environ(), "KABAR_STORE_READONLY_CHILD="+path)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		b, err = cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, b)
		}
		out = string(b)
	}
	if !strings.Contains(out, "READONLY:true") || !strings.Contains(out, path) || !strings.Contains(out, "read-only") {
		t.Errorf("want a read-only error naming %s, got:\n%s", path, out)
	}
}

// TestDiskFull: a write that finds no space fails with an error naming the
// file; what was stored before is intact and writing resumes with space.
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, nil)
	mustSave(t, s, "a", article(1, "https://a.example/1"))
	var pages int
	if err := s.write.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	// The write pool has one connection: the limit applies to every write.
	if _, err := s.write.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
	batch := []*extract.Article{article(2, "https://a.example/2"), article(3, "https://a.example/3")}
	_, err := s.SaveArticles(ctx, "a", batch)
	if err == nil {
		t.Fatal("save on a full disk succeeded")
	}
	if !strings.Contains(err.Error(), s.Path()) || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error = %v, want disk full naming the file", err)
	}
	for u, want := range map[string]bool{"https://a.example/1": true, "https://a.example/2": false} {
		if ok, err := s.Known(ctx, u); err != nil || ok != want {
			t.Errorf("Known(%s) = %v, %v; want %v", u, ok, err, want)
		}
	}
	if _, err := s.write.ExecContext(ctx, "PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	res, err := s.SaveArticles(ctx, "a", batch)
	if err != nil || res[0] != Inserted || res[1] != Inserted {
		t.Fatalf("after space came back: %v, %v", res, err)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}
