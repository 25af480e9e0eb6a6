package server

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFiles writes every feed as a static file into dir (created if
// needed): dir/{source}.rss|.atom|.json, dir/all.rss|.atom|.json and
// dir/feeds.opml, with the bytes the server would serve for them. Each file
// is replaced atomically; a failing feed does not stop the others, and all
// failures are returned joined.
func WriteFiles(ctx context.Context, dir string, opts Options) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create feed directory: %w", err)
	}
	s := New(opts)
	sn := s.snapshot(s.now())
	names := []string{allName}
	for _, src := range sn.list {
		names = append(names, src.Name)
	}
	var errs []error
	for _, name := range names {
		d, ok := sn.describe(name)
		if !ok {
			continue
		}
		for _, format := range formats {
			if err := ctx.Err(); err != nil {
				return errors.Join(append(errs, err)...)
			}
			e, err := s.feedEntry(ctx, s.now(), d, format, feedQuery{})
			if err == nil {
				err = writeFileAtomic(filepath.Join(dir, name+"."+string(format)), e.body)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("write %s feed %s: %w", format, name, err))
			}
		}
	}
	e, err := s.opmlEntry(sn)
	if err == nil {
		err = writeFileAtomic(filepath.Join(dir, "feeds.opml"), e.body)
	}
	if err != nil {
		errs = append(errs, fmt.Errorf("write opml: %w", err))
	}
	return errors.Join(errs...)
}

// writeFileAtomic replaces path with data: a reader sees the old file or
// the new one, never a part.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
