package runner

import (
	"context"
	"fmt"

	"netauto/adapters"
	"netauto/quota"
	"netauto/store"
)

// run is a run's goroutine: it takes its slot through wait (which returns
// at once for a slot already checked out), runs the session, releases the
// slot and stores the end.
func (s *Supervisor) run(r *liveRun, wait func() (func(), error)) {
	defer s.wg.Done()
	release, err := wait()
	if err != nil {
		s.end(r, s.refusal(r, err))
		return
	}
	o := s.session(r)
	if o.class == adapters.ClassAuth {
		// Before the slot goes to the next run of the batch.
		s.mu.Lock()
		s.recordAuthFailureLocked(r.info.BatchID)
		s.mu.Unlock()
	}
	release()
	s.end(r, o)
}

// enqueue takes r's place in the FIFO admission queue now, so that runs are
// admitted in the order they were launched, and returns the wait for the
// slot, which r's goroutine calls; the wait ends with r's context and
// returns the function that releases the slot.
//
// Once granted, the reservation is tied to a context of its own rather than
// to the run's: quota releases a reservation whose context ends from another
// goroutine, a moment later, whereas the runner releases it itself,
// synchronously, so that the slot is free before the run's end is stored
// and announced. Only the wait follows the run's context.
func (s *Supervisor) enqueue(r *liveRun) func() (func(), error) {
	qctx, qcancel := context.WithCancel(context.Background())
	stop := context.AfterFunc(r.ctx, qcancel)
	ticket, err := s.cfg.Quota.Enqueue(qctx, r.info.Site, quota.Meta{RunID: r.info.ID})
	return func() (func(), error) {
		var res *quota.Reservation
		if err == nil {
			res, err = ticket.Wait()
		}
		stop()
		if err != nil {
			qcancel()
			return nil, err
		}
		return func() {
			res.Release()
			qcancel()
		}, nil
	}
}

// session runs an admitted run: batch rule, mark running, Started, the
// adapter (a panic in it is contained), and the outcome.
func (s *Supervisor) session(r *liveRun) (o outcome) {
	id := r.info.ID
	s.mu.Lock()
	if r.endReason != "" {
		s.mu.Unlock()
		return failed(r.endReason)
	}
	if s.stopped(s.batches.m[r.info.BatchID]) {
		s.mu.Unlock()
		return failed(batchStopReason(s.cfg.authLimit()))
	}
	r.phase = phaseSession
	r.startedAt = s.now()
	live := r.snapshot()
	s.mu.Unlock()

	if err := s.cfg.Store.MarkRunning(context.Background(), id, r.startedAt); err != nil {
		r.storeErr = err
		return failed(storeFailure(err))
	}
	s.publish(Event{Kind: Started, RunID: id, Live: live})
	s.emit(Telemetry{Kind: TelemetryStart, RunID: id, Device: r.info.Device, Site: r.info.Site,
		BatchID: r.info.BatchID, At: r.startedAt})

	defer func() {
		if v := recover(); v != nil {
			o = failed(fmt.Sprintf("panic: %v", v))
		}
	}()
	var seq int64
	result, err := s.cfg.Adapter.Run(r.ctx, r.dev, r.info.Command, func(b []byte) {
		if len(b) == 0 {
			return
		}
		seq++
		n := r.bytes.Add(int64(len(b)))
		if err := s.cfg.Store.AppendChunk(id, seq, b, s.now()); err != nil && r.storeErr == nil {
			r.storeErr = err
			s.mu.Lock()
			s.cancelLocked(r, storeFailure(err))
			s.mu.Unlock()
		}
		s.publish(Event{Kind: Output, RunID: id, Seq: seq, Data: b, Bytes: n})
	})
	s.mu.Lock()
	reason := r.endReason
	s.mu.Unlock()
	if reason != "" {
		return failed(reason)
	}
	return adapterOutcome(result, err)
}

// storeFailure is the reason of a run ended because the history store
// failed it. The store is not a DESIGN.md class of its own; to the operator
// the run was cut off, so it is reported as `closed`.
func storeFailure(err error) string {
	return fmt.Sprintf("%s: history store: %v", adapters.ClassClosed, err)
}

// end stores the run's final state, removes it from the registry, applies
// the batch auth rule, and announces the end.
func (s *Supervisor) end(r *liveRun, o outcome) {
	id := r.info.ID
	o.reason = safeReason(o.reason)
	now := s.now()
	bytes := r.bytes.Load()
	err := s.cfg.Store.FinishRun(context.Background(), id, store.Finish{
		Status: o.status, Reason: o.reason, ExitCode: o.exitCode, Bytes: bytes, At: now,
	})
	if err != nil && r.storeErr == nil {
		r.storeErr = err
	}
	if err != nil {
		// The store could not record the end (disk full, database
		// unwritable): say so rather than announce an end that is not
		// kept. The next start marks the stored run interrupted.
		o = failed(safeReason(storeFailure(err)))
	}

	s.mu.Lock()
	delete(s.live, id)
	s.batches.leave(r.info.BatchID)
	s.mu.Unlock()
	r.cancel()
	close(r.done)

	final := r.info
	final.Status, final.ErrorReason, final.ExitCode, final.Bytes = o.status, o.reason, o.exitCode, bytes
	final.StartedAt, final.FinishedAt = r.startedAt, now
	s.publish(Event{Kind: Finished, RunID: id, Bytes: bytes, Run: final})

	t := Telemetry{Kind: TelemetryStop, RunID: id, Device: r.info.Device, Site: r.info.Site,
		BatchID: r.info.BatchID, At: now, Status: o.status, Reason: o.reason, Bytes: bytes,
		StoreErr: r.storeErr}
	if r.startedAt.IsZero() {
		t.Queued = now.Sub(r.created)
	} else {
		t.Queued = r.startedAt.Sub(r.created)
		t.Duration = now.Sub(r.startedAt)
	}
	s.emit(t)
}
