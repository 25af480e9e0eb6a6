package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

// migrationFiles are the schema changes, applied in name order; the schema
// version of a file is the number of migrations applied (PRAGMA user_version).
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, name := range names {
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out[i] = string(b)
	}
	return out, nil
}

// SchemaVersion is the schema version this code writes.
func SchemaVersion() int {
	m, _ := migrations()
	return len(m)
}

// checkSchema returns the schema version of the file on conn and the
// migrations; it refuses a file of a newer version or of another program.
func checkSchema(ctx context.Context, conn *sql.Conn) (int, []string, error) {
	steps, err := migrations()
	if err != nil {
		return 0, nil, fmt.Errorf("read migrations: %w", err)
	}
	var version, appID, objects int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, nil, err
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return 0, nil, err
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
		return 0, nil, err
	}
	if appID != applicationID && (appID != 0 || objects > 0) {
		return 0, nil, fmt.Errorf("%w (application id %#x, %d schema objects)", ErrNotKabar, appID, objects)
	}
	if version > len(steps) {
		return 0, nil, fmt.Errorf("%w: file has schema version %d, this kabar knows up to %d; upgrade kabar",
			ErrNewerSchema, version, len(steps))
	}
	return version, steps, nil
}

// migrate brings the file on conn from schema version from to the current
// one, one transaction per migration.
func migrate(ctx context.Context, conn *sql.Conn, from int, steps []string) error {
	for v := from; v < len(steps); v++ {
		if err := apply(ctx, conn, v+1, steps[v]); err != nil {
			return fmt.Errorf("migrate to schema version %d: %w", v+1, err)
		}
	}
	return nil
}

func apply(ctx context.Context, conn *sql.Conn, version int, script string) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, script); err != nil {
		return err
	}
	// Both pragmas are part of the transaction: a crash leaves the old version.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		return err
	}
	return tx.Commit()
}
