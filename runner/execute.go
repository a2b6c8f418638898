package runner

import (
	"context"
	"errors"

	"netauto/quota"
	"netauto/store"
)

// Execute starts one run and returns its id.
//
// It creates the run `pending` in the store (with req.BatchID, or a fresh
// batch id), then asks quota for a slot on the device's site:
//   - without req.Queue, or when a cap of 0 closes the door, admission is
//     fast-fail: a refusal stores the run `error` with reason
//     `quota_exceeded:global` or `quota_exceeded:site`, and Execute returns
//     the run id with the quota error (errors.Is(err, quota.ErrQuotaExceeded));
//   - with req.Queue the run stays pending and its goroutine waits FIFO for a
//     slot; Execute returns at once.
//
// The run then goes on in its own goroutine, under the supervisor's context,
// not ctx: ctx bounds only the creation of the run row. Follow the run with
// Subscribe, Wait or Done; end it with Cancel.
func (s *Supervisor) Execute(ctx context.Context, req Request) (int64, error) {
	if req.Device.Name == "" {
		return 0, errors.New("runner: request names no device")
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return 0, ErrClosed
	}
	s.wg.Add(1) // handed to the run goroutine, or done here
	s.mu.Unlock()

	batch := req.BatchID
	if batch == "" {
		batch = store.NewBatchID()
	}
	created := s.now()
	info, err := s.cfg.Store.CreateRun(ctx, store.NewRun{
		BatchID: batch, Device: req.Device.Name, Site: req.Device.Site,
		Command: req.Command, RequestedBy: req.RequestedBy,
	})
	if err != nil {
		s.wg.Done()
		return 0, err
	}
	r := s.register(info, req, created)

	if req.Queue && !s.closedDoor(req.Device.Site) {
		go s.run(r, s.enqueue(r))
		return info.ID, nil
	}
	// Background: the runner releases the slot itself (see enqueue).
	res, err := s.cfg.Quota.CheckOut(context.Background(), req.Device.Site, quota.Meta{RunID: info.ID})
	if err != nil {
		s.end(r, s.refusal(r, err))
		s.wg.Done()
		return info.ID, err
	}
	go s.run(r, func() (func(), error) { return res.Release, nil })
	return info.ID, nil
}

// closedDoor reports whether the global cap or site's cap is 0, so that a
// queued run would never be admitted and must fail fast instead.
func (s *Supervisor) closedDoor(site string) bool {
	l := s.cfg.Quota.Limits()
	if l.Global == 0 {
		return true
	}
	c, ok := l.Sites[site]
	return ok && c == 0
}

// refusal is the outcome of a run quota did not admit: the quota's reason,
// or why we cancelled the wait.
func (s *Supervisor) refusal(r *liveRun, err error) outcome {
	var ex *quota.ExceededError
	if errors.As(err, &ex) {
		return failed(ex.Error())
	}
	s.mu.Lock()
	reason := r.endReason
	s.mu.Unlock()
	if reason == "" {
		reason = reasonCanceled
	}
	return failed(reason)
}
