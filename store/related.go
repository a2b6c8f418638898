package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// PreviousRun returns the newest run before r of the same command on the
// same device, or ErrNotFound.
func (s *Store) PreviousRun(ctx context.Context, r Run) (Run, error) {
	p, err := scanRun(s.rdb.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs
		WHERE device = ? AND command = ? AND id < ? ORDER BY id DESC LIMIT 1`, r.Device, r.Command, r.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("run before %d of %q on %s: %w", r.ID, r.Command, r.Device, ErrNotFound)
	}
	if err != nil {
		return Run{}, fmt.Errorf("run before %d: %w", r.ID, err)
	}
	return p, nil
}

// DevicePlatform returns the platform recorded for a device by the last
// SyncInventory ("" when unknown).
func (s *Store) DevicePlatform(ctx context.Context, device string) (string, error) {
	var p string
	err := s.rdb.QueryRowContext(ctx, `SELECT platform FROM devices WHERE name = ?`, device).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return p, err
}
