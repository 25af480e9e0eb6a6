package store

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/kabar-news/kabar/extract"
)

// TestBackgroundCheckpoint: with the write connection's own checkpoint
// off, saved articles still reach the database file, copied by the
// background checkpointer; and they are all there after reopening.
func TestBackgroundCheckpoint(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, nil)
	if _, err := s.write.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0"); err != nil {
		t.Fatal(err)
	}
	size := func() int64 {
		fi, err := os.Stat(s.Path())
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	n, bytes := saveBatches(t, s, 2*checkpointEvery)
	deadline := time.Now().Add(10 * time.Second)
	for size() < before+checkpointEvery {
		if time.Now().After(deadline) {
			t.Fatalf("database file %d bytes after saving %d bytes, was %d: no checkpoint", size(), bytes, before)
		}
		time.Sleep(20 * time.Millisecond)
	}
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openAt(t, path, nil)
	var count int
	if err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM articles").Scan(&count); err != nil {
		t.Fatal(err)
	}
	if count != n {
		t.Errorf("%d articles after reopening, want %d", count, n)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

// TestCheckpointRestartsWAL: under a stream of saves with the write
// connection's own checkpoint off, the background checkpointer still
// starts the WAL over, so the WAL file stays far below what was written
// to it.
func TestCheckpointRestartsWAL(t *testing.T) {
	if testing.Short() {
		t.Skip("saves 100 MB")
	}
	ctx := context.Background()
	s := openTest(t, nil)
	if _, err := s.write.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0"); err != nil {
		t.Fatal(err)
	}
	_, bytes := saveBatches(t, s, 12*checkpointEvery)
	fi, err := os.Stat(s.Path() + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	// Without a restart the WAL would hold every page written: more than
	// the articles' bytes.
	if fi.Size() > int64(bytes)/2 {
		t.Errorf("WAL file %d MB after saving %d MB of articles: never started over", fi.Size()>>20, bytes>>20)
	}
}

// saveBatches saves batches of bench articles until their bodies add up to
// size bytes, and returns how many articles and bytes it saved.
func saveBatches(t *testing.T, s *Store, size int) (n, bytes int) {
	t.Helper()
	for bytes < size {
		batch := make([]*extract.Article, benchBatch)
		for i := range batch {
			batch[i] = benchArticle(n)
			bytes += len(batch[i].Text) + len(batch[i].HTML)
			n++
		}
		if _, err := s.SaveArticles(context.Background(), "a", batch); err != nil {
			t.Fatal(err)
		}
	}
	return n, bytes
}
