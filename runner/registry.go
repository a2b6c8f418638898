package runner

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"time"

	"netauto/inventory"
	"netauto/store"
)

// LiveRun describes a run that has not ended yet.
type LiveRun struct {
	// ID is the run's id in the store.
	ID int64
	// Device is the device's inventory name.
	Device string
	// Site is the quota site the run counts against ("" for none).
	Site string
	// Command is the command being run.
	Command string
	// BatchID is the launch the run belongs to.
	BatchID string
	// RequestedBy says who launched the run.
	RequestedBy string
	// Status is pending (waiting for quota) or running.
	Status store.Status
	// CreatedAt is when the run was created; StartedAt when it was admitted
	// (zero while pending).
	CreatedAt, StartedAt time.Time
	// Bytes is the output received so far.
	Bytes int64
}

// phase is where a live run is in its life; guarded by Supervisor.mu.
type phase int

const (
	phasePending phase = iota // waiting for quota
	phaseSession              // admitted: marked running, about to call or calling the adapter
)

// liveRun is the registry's entry for one run.
type liveRun struct {
	info    store.Run // as created; immutable
	dev     inventory.Device
	created time.Time
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{} // closed after the final state is stored
	bytes   atomic.Int64

	// Written only by the run's goroutine(s), read after they end.
	storeErr error

	// Guarded by Supervisor.mu.
	phase     phase
	startedAt time.Time
	endReason string // set when we cancel ctx: "canceled" or the batch stop reason
}

// snapshot returns the LiveRun view; call with s.mu held.
func (r *liveRun) snapshot() LiveRun {
	st := store.StatusPending
	if r.phase != phasePending {
		st = store.StatusRunning
	}
	return LiveRun{
		ID: r.info.ID, Device: r.info.Device, Site: r.info.Site,
		Command: r.info.Command, BatchID: r.info.BatchID, RequestedBy: r.info.RequestedBy,
		Status: st, CreatedAt: r.info.CreatedAt, StartedAt: r.startedAt,
		Bytes: r.bytes.Load(),
	}
}

// Active returns the runs that have not ended, pending and running, by id.
func (s *Supervisor) Active() []LiveRun {
	s.mu.Lock()
	out := make([]LiveRun, 0, len(s.live))
	for _, r := range s.live {
		out = append(out, r.snapshot())
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b LiveRun) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Cancel asks run id to end; it ends `error` with reason `canceled`, keeping
// its output so far, and its quota slot is freed. Cancel returns at once;
// use Wait or Done to see the end. It returns ErrFinished for a run that has
// already ended and ErrUnknownRun for one this supervisor does not know.
func (s *Supervisor) Cancel(id int64) error {
	s.mu.Lock()
	r, ok := s.live[id]
	if ok {
		s.cancelLocked(r, reasonCanceled)
	}
	s.mu.Unlock()
	if ok {
		return nil
	}
	run, err := s.cfg.Store.Run(context.Background(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ErrUnknownRun
	case err != nil:
		return err
	case run.Status.Finished():
		return ErrFinished
	default:
		// In the store but not ours: another process owns it.
		return ErrUnknownRun
	}
}

// CancelAll cancels every pending and running run and returns how many it
// asked to end.
func (s *Supervisor) CancelAll() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.live {
		if r.endReason == "" {
			n++
		}
		s.cancelLocked(r, reasonCanceled)
	}
	return n
}

// cancelLocked ends r's context, recording why; the first reason wins. Call
// with s.mu held.
func (s *Supervisor) cancelLocked(r *liveRun, reason string) {
	if r.endReason == "" {
		r.endReason = reason
	}
	r.cancel()
}

// Done returns a channel closed when run id has ended and its final state is
// stored; for a run that is not live (finished or unknown) it is closed
// already.
func (s *Supervisor) Done(id int64) <-chan struct{} {
	s.mu.Lock()
	r, ok := s.live[id]
	s.mu.Unlock()
	if ok {
		return r.done
	}
	return closedChan
}

// closedChan is returned by Done for runs that are not live.
var closedChan = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// Wait waits until run id has ended (or ctx ends) and returns its stored
// state. It returns ErrUnknownRun for a run the store does not hold.
func (s *Supervisor) Wait(ctx context.Context, id int64) (store.Run, error) {
	select {
	case <-s.Done(id):
	case <-ctx.Done():
		return store.Run{}, ctx.Err()
	}
	run, err := s.cfg.Store.Run(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Run{}, ErrUnknownRun
	}
	return run, err
}
