package store

import (
	"context"
	"errors"
	"time"
)

// Leases keep two crawls of one source from running at once, also across
// processes sharing the file: a row per source with its owner and expiry,
// changed only by conditional writes under SQLite's write lock. Owners
// should be unique per process and crawl (host, pid and a random part).

// AcquireLease takes the crawl lease of source for owner for ttl; false if
// another owner holds an unexpired lease. Acquiring a lease one already
// holds extends it.
func (s *Store) AcquireLease(ctx context.Context, source, owner string, ttl time.Duration) (bool, error) {
	if err := checkLease(source, owner, ttl); err != nil {
		return false, err
	}
	now := s.now()
	return s.changedOne(ctx, "acquire lease of "+source, `INSERT INTO leases (source, owner, expires) VALUES (?1, ?2, ?3)
		ON CONFLICT (source) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
		WHERE leases.owner = excluded.owner OR leases.expires <= ?4`,
		source, owner, nanos(now.Add(ttl)), nanos(now))
}

// RenewLease extends a held lease; false if it was lost (released, or
// expired and taken by another owner).
func (s *Store) RenewLease(ctx context.Context, source, owner string, ttl time.Duration) (bool, error) {
	if err := checkLease(source, owner, ttl); err != nil {
		return false, err
	}
	return s.changedOne(ctx, "renew lease of "+source, `UPDATE leases SET expires = ? WHERE source = ? AND owner = ?`,
		nanos(s.now().Add(ttl)), source, owner)
}

// changedOne runs a conditional write of one row and reports whether the
// row was written.
func (s *Store) changedOne(ctx context.Context, what, q string, args ...any) (bool, error) {
	res, err := s.write.ExecContext(ctx, q, args...)
	if err != nil {
		return false, s.fail(what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, s.fail(what, err)
	}
	return n == 1, nil
}

// ReleaseLease releases a held lease; releasing a lease one does not hold
// does nothing.
func (s *Store) ReleaseLease(ctx context.Context, source, owner string) error {
	if _, err := s.write.ExecContext(ctx, `DELETE FROM leases WHERE source = ? AND owner = ?`, source, owner); err != nil {
		return s.fail("release lease of "+source, err)
	}
	return nil
}

func checkLease(source, owner string, ttl time.Duration) error {
	switch {
	case source == "":
		return errors.New("lease: empty source")
	case owner == "":
		return errors.New("lease: empty owner")
	case ttl <= 0:
		return errors.New("lease: ttl must be positive")
	}
	return nil
}
