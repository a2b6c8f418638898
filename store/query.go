package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// runColumns are the columns scanRun reads, in order.
const runColumns = `id, batch_id, device, COALESCE(site, ''), command, status, COALESCE(error_reason, ''),
	exit_code, bytes, requested_by, owner, created_at, started_at, finished_at`

// scanRun reads one row of runColumns.
func scanRun(sc interface{ Scan(...any) error }) (Run, error) {
	var (
		r                       Run
		exit, started, finished sql.NullInt64
		created                 int64
	)
	err := sc.Scan(&r.ID, &r.BatchID, &r.Device, &r.Site, &r.Command, &r.Status, &r.ErrorReason,
		&exit, &r.Bytes, &r.RequestedBy, &r.Owner, &created, &started, &finished)
	if err != nil {
		return Run{}, err
	}
	if exit.Valid {
		code := int(exit.Int64)
		r.ExitCode = &code
	}
	r.CreatedAt = fromNanos(sql.NullInt64{Int64: created, Valid: true})
	r.StartedAt = fromNanos(started)
	r.FinishedAt = fromNanos(finished)
	return r, nil
}

// fromNanos turns a stored time into a time.Time; NULL is the zero time.
func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64)
}

// boundNanos is t in Unix nanoseconds for comparing with stored times,
// clamped to the int64 range (years 1678 to 2262), outside which
// UnixNano's result is undefined: a bound far in the future stays after
// every stored time.
func boundNanos(t time.Time) int64 {
	switch {
	case t.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	case t.Before(time.Unix(0, math.MinInt64)):
		return math.MinInt64
	}
	return t.UnixNano()
}

// Run returns the run with that id, or ErrNotFound.
func (s *Store) Run(ctx context.Context, id int64) (Run, error) {
	r, err := scanRun(s.rdb.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Run{}, fmt.Errorf("run %d: %w", id, asCorrupt(s.path, err))
	}
	return r, nil
}

// sqlConds gathers the conditions of a WHERE clause, joined by AND, and
// their arguments.
type sqlConds struct {
	conds []string
	args  []any
}

// add adds cond, whose one placeholder takes arg.
func (c *sqlConds) add(cond string, arg any) {
	c.conds = append(c.conds, cond)
	c.args = append(c.args, arg)
}

// match adds that col equals v, or matches it as a GLOB pattern when v
// holds *, ? or [ (the filters on device, site and command); an empty v
// adds nothing.
func (c *sqlConds) match(col, v string) {
	switch {
	case v == "":
	case strings.ContainsAny(v, "*?["):
		c.add(col+" GLOB ?", v)
	default:
		c.add(col+" = ?", v)
	}
}

// since adds that the run of table prefix p ("" or "r.") started at or
// after t, counting a run not started yet from its creation; the zero t
// adds nothing.
func (c *sqlConds) since(p string, t time.Time) {
	if !t.IsZero() {
		c.add("COALESCE("+p+"started_at, "+p+"created_at) >= ?", boundNanos(t))
	}
}

// where builds the WHERE clause of f and its arguments.
func (f RunFilter) where() (string, []any) {
	var c sqlConds
	c.match("device", f.Device)
	c.match("site", f.Site)
	c.match("command", f.Command)
	if f.Status != "" {
		c.add("status = ?", string(f.Status))
	}
	if f.BatchID != "" {
		c.add("batch_id = ?", f.BatchID)
	}
	c.since("", f.Since)
	if len(c.conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(c.conds, " AND "), c.args
}

// ListRuns returns the runs matching f, newest first, paged by f.Limit and
// f.Offset.
func (s *Store) ListRuns(ctx context.Context, f RunFilter) ([]Run, error) {
	if f.Status != "" && !f.Status.valid() {
		return nil, fmt.Errorf("list runs: unknown status %q", f.Status)
	}
	where, args := f.where()
	limit := -1
	if f.Limit > 0 {
		limit = f.Limit
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.rdb.QueryContext(ctx,
		`SELECT `+runColumns+` FROM runs`+where+` ORDER BY id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", asCorrupt(s.path, err))
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("list runs: %w", asCorrupt(s.path, err))
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list runs: %w", asCorrupt(s.path, err))
	}
	return runs, nil
}

// CountRuns returns how many runs match f (Limit and Offset ignored).
func (s *Store) CountRuns(ctx context.Context, f RunFilter) (int, error) {
	if f.Status != "" && !f.Status.valid() {
		return 0, fmt.Errorf("count runs: unknown status %q", f.Status)
	}
	where, args := f.where()
	var n int
	if err := s.rdb.QueryRowContext(ctx, `SELECT count(*) FROM runs`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count runs: %w", asCorrupt(s.path, err))
	}
	return n, nil
}

// Output calls fn with each stored chunk of run runID in seq order,
// reading them one at a time from the database (a large output is never
// held whole). data is only valid during the call. An error from fn stops
// the iteration and is returned. A run without chunks calls fn never; an
// unknown run gives ErrNotFound. Chunks still queued for the writer are
// not seen: Flush first to read everything handed over.
func (s *Store) Output(ctx context.Context, runID int64, fn func(seq int64, data []byte, at time.Time) error) error {
	return s.OutputAfter(ctx, runID, 0, fn)
}

// OutputAfter is Output from the chunk after seq after on: the chunks up
// to it are not read at all.
func (s *Store) OutputAfter(ctx context.Context, runID, after int64, fn func(seq int64, data []byte, at time.Time) error) error {
	rows, err := s.rdb.QueryContext(ctx, `SELECT seq, data, at FROM run_chunks WHERE run_id = ? AND seq > ? ORDER BY seq`, runID, after)
	if err != nil {
		return fmt.Errorf("output of run %d: %w", runID, asCorrupt(s.path, err))
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var (
			seq, at int64
			data    sql.RawBytes
		)
		if err := rows.Scan(&seq, &data, &at); err != nil {
			return fmt.Errorf("output of run %d: %w", runID, asCorrupt(s.path, err))
		}
		n++
		if err := fn(seq, data, time.Unix(0, at)); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("output of run %d: %w", runID, asCorrupt(s.path, err))
	}
	if n == 0 {
		if _, err := s.Run(ctx, runID); err != nil {
			return fmt.Errorf("output of %w", err)
		}
	}
	return nil
}
