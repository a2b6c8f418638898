package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// CreateRun records a new pending run owned by this process and returns it
// once committed. The device's row (and its site's) is created when missing.
func (s *Store) CreateRun(ctx context.Context, nr NewRun) (Run, error) {
	if nr.Device == "" {
		return Run{}, errors.New("create run: device name is empty")
	}
	now := time.Now().Round(0)
	r := Run{
		BatchID:     nr.BatchID,
		Device:      nr.Device,
		Site:        nr.Site,
		Command:     nr.Command,
		Status:      StatusPending,
		RequestedBy: nr.RequestedBy,
		Owner:       s.owner,
		CreatedAt:   now,
	}
	err := s.do(ctx, func(w *wtx) error {
		ns := nullString(nr.Site)
		if nr.Site != "" {
			if _, err := w.exec(`INSERT INTO sites (name, updated_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
				nr.Site, now.UnixNano()); err != nil {
				return err
			}
		}
		if _, err := w.exec(`INSERT INTO devices (name, site, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
			nr.Device, ns, now.UnixNano()); err != nil {
			return err
		}
		res, err := w.exec(`INSERT INTO runs (batch_id, device, site, command, status, requested_by, owner, created_at)
			VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)`,
			nr.BatchID, nr.Device, ns, nr.Command, nr.RequestedBy, s.owner, now.UnixNano())
		if err != nil {
			return err
		}
		r.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return Run{}, fmt.Errorf("create run: %w", err)
	}
	return r, nil
}

// MarkRunning moves a pending run to running at at (zero means now). A run
// already running is left as it is; a finished one gives ErrFinished, an
// unknown id ErrNotFound.
func (s *Store) MarkRunning(ctx context.Context, id int64, at time.Time) error {
	if at.IsZero() {
		at = time.Now()
	}
	err := s.updateRun(ctx, id, nil, `UPDATE runs SET status = 'running', started_at = ? WHERE id = ? AND status = 'pending'`,
		at.UnixNano(), id)
	if err != nil {
		return fmt.Errorf("mark run %d running: %w", id, err)
	}
	return nil
}

// FinishRun ends a run with f. It commits after every chunk of the run
// handed over before it. A run already finished gives ErrFinished, an
// unknown id ErrNotFound.
func (s *Store) FinishRun(ctx context.Context, id int64, f Finish) error {
	if !f.Status.Finished() {
		return fmt.Errorf("finish run %d: status %q is not final", id, f.Status)
	}
	if f.At.IsZero() {
		f.At = time.Now()
	}
	var exit any
	if f.ExitCode != nil {
		exit = *f.ExitCode
	}
	defer func() {
		s.mu.Lock()
		delete(s.lost, id)
		s.mu.Unlock()
	}()
	// A run the update missed that is not missing, pending or running is
	// finished.
	err := s.updateRun(ctx, id, ErrFinished, `UPDATE runs SET status = ?, error_reason = ?, exit_code = ?, bytes = MAX(bytes, ?), finished_at = ?
			WHERE id = ? AND status IN ('pending', 'running')`,
		string(f.Status), nullString(f.Reason), exit, f.Bytes, f.At.UnixNano(), id)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	s.markIndex(id) // its last line can be indexed now
	return nil
}

// updateRun runs query, an UPDATE of run id, in the writer's next
// transaction. When it matches no row, it says why: ErrNotFound,
// ErrFinished, or ifRunning when the run is not finished (see
// whyUnchanged).
func (s *Store) updateRun(ctx context.Context, id int64, ifRunning error, query string, args ...any) error {
	var outcome error
	err := s.do(ctx, func(w *wtx) error {
		outcome = nil // the op may run again (see commit)
		res, err := w.exec(query, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		outcome, err = w.whyUnchanged(id)
		if outcome == nil {
			outcome = ifRunning
		}
		return err
	})
	if err == nil {
		err = outcome
	}
	return err
}

// whyUnchanged explains an update of run id that matched no row:
// ErrNotFound, ErrFinished, or nil when the run is running.
func (w *wtx) whyUnchanged(id int64) (outcome, err error) {
	st, err := w.tx.Query(`SELECT status FROM runs WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if !st.Next() {
		return ErrNotFound, st.Err()
	}
	var status Status
	if err := st.Scan(&status); err != nil {
		return nil, err
	}
	if status.Finished() {
		return ErrFinished, nil
	}
	return nil, nil
}

// AppendChunk hands chunk seq (from 1, increasing) of run runID to the
// writer and returns without waiting for the commit; Flush waits. The
// Store owns data from then on. When the writer is far behind, AppendChunk
// blocks until there is room (memory stays bounded). A chunk that fails to
// commit (unknown run, duplicate seq, disk full) is reported by the next
// Flush, and every later AppendChunk of the same run fails with
// ErrChunkLost (wrapping the cause): its output is no longer being kept,
// and the caller should end the run. at zero means now.
func (s *Store) AppendChunk(runID, seq int64, data []byte, at time.Time) error {
	if seq < 1 {
		return fmt.Errorf("append chunk to run %d: seq %d, want 1 or more", runID, seq)
	}
	if at.IsZero() {
		at = time.Now()
	}
	if err := s.enqueue(op{runID: runID, seq: seq, data: data, at: at.UnixNano()}, len(data)); err != nil {
		return fmt.Errorf("append chunk to run %d: %w", runID, err)
	}
	return nil
}

// Flush returns once everything handed over before the call is committed
// (durable against a process kill), or when ctx ends. It reports the
// first chunk that failed to commit since the previous Flush.
func (s *Store) Flush(ctx context.Context) error {
	if s.opts.ReadOnly {
		return nil // nothing is handed over
	}
	return s.submit(ctx, op{})
}

// nullString maps "" to SQL NULL.
func nullString(v string) any {
	if v == "" {
		return nil
	}
	return v
}
