package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"time"
)

// PruneOptions say which runs Prune removes. Only finished runs (ok or
// error) are ever removed, whole (the run, its output and its index
// entries, in one transaction); running and pending runs are kept.
type PruneOptions struct {
	// OlderThan removes the runs that ended more than this long ago; 0
	// means no age limit.
	OlderThan time.Duration
	// MaxSize then removes the oldest runs until the database holds at
	// most this many bytes; 0 means no size limit.
	MaxSize int64
	// DryRun counts what would be removed and removes nothing. With
	// MaxSize, the count is an estimate (about twice a run's output bytes
	// per run: the output and its search index).
	DryRun bool
	// Now is the time OlderThan counts back from; zero means now.
	Now time.Time
}

// Enabled reports whether o asks for any pruning.
func (o PruneOptions) Enabled() bool { return o.OlderThan > 0 || o.MaxSize > 0 }

// PruneResult is what Prune removed (or would remove, on a dry run).
type PruneResult struct {
	// Runs is the number of runs removed.
	Runs int
	// Bytes is their output bytes.
	Bytes int64
	// SizeBefore and SizeAfter are the database's size on disk (file and
	// write-ahead log) before and after, VACUUM included.
	SizeBefore, SizeAfter int64
}

// pruneBatch is how many runs one deleting transaction removes at most.
const pruneBatch = 500

// Prune removes old runs as o says, oldest first, then compacts the file
// (VACUUM) when it removed any. It runs in the writer's turn, so it never
// sees half a batch of chunks.
func (s *Store) Prune(ctx context.Context, o PruneOptions) (PruneResult, error) {
	var res PruneResult
	dry := map[int64]int64{} // on a dry run, the runs counted so far and their estimated size
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	var err error
	if res.SizeBefore, err = s.Size(); err != nil {
		return res, fmt.Errorf("prune: %w", err)
	}
	res.SizeAfter = res.SizeBefore
	if o.OlderThan > 0 {
		runs, err := s.pruneCandidates(ctx, o.Now.Add(-o.OlderThan), 0)
		if err != nil {
			return res, fmt.Errorf("prune: %w", err)
		}
		if err := s.removeRuns(ctx, runs, o.DryRun, dry, &res); err != nil {
			return res, err
		}
	}
	if o.MaxSize > 0 {
		if err := s.pruneToSize(ctx, o, dry, &res); err != nil {
			return res, err
		}
	}
	if o.DryRun || res.Runs == 0 {
		return res, nil
	}
	err = s.exclusive(ctx, func(c *sql.Conn) error {
		// Deleting from FTS5 leaves tombstones in its index; merging the
		// index drops them along with the deleted entries.
		if _, err := c.ExecContext(ctx, "INSERT INTO search_fts(search_fts) VALUES ('optimize')"); err != nil {
			return err
		}
		if _, err := c.ExecContext(ctx, "VACUUM"); err != nil {
			return err
		}
		_, err := c.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
		return err
	})
	if err != nil {
		return res, fmt.Errorf("prune: vacuum: %w", err)
	}
	res.SizeAfter, err = s.Size()
	return res, err
}

// prunable is a finished run Prune may remove.
type prunable struct{ id, bytes int64 }

// estimate is roughly what removing the run frees: its output, the
// sanitized copy the search index keeps and the index entries.
func (p prunable) estimate() int64 { return 2*p.bytes + 512 }

// pruneCandidates lists finished runs, oldest first: those that ended
// before cutoff (zero: any), after id after.
func (s *Store) pruneCandidates(ctx context.Context, cutoff time.Time, after int64) ([]prunable, error) {
	q := `SELECT id, bytes FROM runs WHERE status IN ('ok', 'error') AND id > ?`
	args := []any{after}
	if !cutoff.IsZero() {
		q += ` AND COALESCE(finished_at, created_at) < ?`
		args = append(args, cutoff.UnixNano())
	}
	rows, err := s.rdb.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []prunable
	for rows.Next() {
		var p prunable
		if err := rows.Scan(&p.id, &p.bytes); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// pruneToSize removes the oldest runs until the database's used pages
// fit in o.MaxSize.
func (s *Store) pruneToSize(ctx context.Context, o PruneOptions, dry map[int64]int64, res *PruneResult) error {
	used, err := s.usedBytes(ctx)
	if err != nil {
		return fmt.Errorf("prune: %w", err)
	}
	for _, est := range dry {
		used -= est
	}
	var after int64
	for range 1000 { // bounded: each round removes at least one run or stops
		if used <= o.MaxSize {
			return nil
		}
		runs, err := s.pruneCandidates(ctx, time.Time{}, after)
		if err != nil {
			return fmt.Errorf("prune: %w", err)
		}
		runs = slices.DeleteFunc(runs, func(r prunable) bool { _, counted := dry[r.id]; return counted })
		need, take := used-o.MaxSize, 0
		for freed := int64(0); take < len(runs) && freed < need && take < pruneBatch; take++ {
			freed += runs[take].estimate()
			used -= runs[take].estimate()
		}
		if take == 0 {
			return nil // nothing left to remove
		}
		after = runs[take-1].id
		if err := s.removeRuns(ctx, runs[:take], o.DryRun, dry, res); err != nil {
			return err
		}
		if !o.DryRun {
			if used, err = s.usedBytes(ctx); err != nil {
				return fmt.Errorf("prune: %w", err)
			}
		}
	}
	return nil
}

// removeRuns deletes runs (counting them only, on a dry run) in
// transactions of pruneBatch runs.
func (s *Store) removeRuns(ctx context.Context, runs []prunable, dry bool, counted map[int64]int64, res *PruneResult) error {
	for len(runs) > 0 {
		n := min(len(runs), pruneBatch)
		part := runs[:n]
		runs = runs[n:]
		if dry {
			for _, r := range part {
				if _, ok := counted[r.id]; !ok {
					counted[r.id] = r.estimate()
					res.Runs++
					res.Bytes += r.bytes
				}
			}
			continue
		}
		var removed int
		var bytes int64
		err := s.do(ctx, func(w *wtx) error {
			removed, bytes = 0, 0 // the op may run again (see commit)
			for _, r := range part {
				n, err := w.exec(`DELETE FROM runs WHERE id = ? AND status IN ('ok', 'error')`, r.id)
				if err != nil {
					return err
				}
				if k, _ := n.RowsAffected(); k == 1 {
					removed++
					bytes += r.bytes
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("prune: %w", err)
		}
		res.Runs += removed
		res.Bytes += bytes
	}
	return nil
}

// usedBytes is the size of the database's pages in use (free pages left
// by deletions not counted).
func (s *Store) usedBytes(ctx context.Context) (int64, error) {
	var pages, free, size int64
	err := s.rdb.QueryRowContext(ctx,
		`SELECT p.page_count, f.freelist_count, s.page_size FROM pragma_page_count p, pragma_freelist_count f, pragma_page_size s`).
		Scan(&pages, &free, &size)
	return (pages - free) * size, err
}

// Size returns the database's size on disk: the file and its write-ahead
// log.
func (s *Store) Size() (int64, error) {
	st, err := os.Stat(s.path)
	if err != nil {
		return 0, err
	}
	n := st.Size()
	if wal, err := os.Stat(s.path + "-wal"); err == nil {
		n += wal.Size()
	}
	return n, nil
}

// exclusive runs fn on the writer's connection, outside any transaction,
// in the writer's turn (VACUUM cannot run in a transaction).
func (s *Store) exclusive(ctx context.Context, fn func(*sql.Conn) error) error {
	return s.submit(ctx, op{raw: fn})
}
