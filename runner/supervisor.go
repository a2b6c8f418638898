package runner

import (
	"context"
	"sync"
	"time"

	"netauto/store"
)

// Supervisor starts runs, keeps the registry of live runs, cancels them and
// publishes their events. Its methods are safe for concurrent use.
type Supervisor struct {
	cfg Config
	now func() time.Time

	// ctx is the parent of every run's context; cancel ends them all.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // one per run goroutine (and Execute in flight)

	mu      sync.Mutex
	closed  bool
	live    map[int64]*liveRun
	batches batches

	subMu      sync.RWMutex
	subs       map[*subscriber]struct{}
	subsClosed bool
}

// New returns a supervisor ready to Execute runs. Call Shutdown when done.
func New(cfg Config) *Supervisor {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Supervisor{
		cfg:     cfg,
		now:     now,
		ctx:     ctx,
		cancel:  cancel,
		live:    map[int64]*liveRun{},
		batches: batches{m: map[string]*batchState{}},
		subs:    map[*subscriber]struct{}{},
	}
}

// Shutdown refuses new runs, cancels every live run (each ends `canceled`),
// waits for all of them to end and be stored, then delivers what
// subscribers have queued and closes their channels. If ctx ends first it
// returns ctx.Err() and stops waiting (runs still end on their own).
func (s *Supervisor) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	for _, r := range s.live {
		s.cancelLocked(r, reasonCanceled)
	}
	s.mu.Unlock()
	s.cancel()

	ended := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(ended)
	}()
	select {
	case <-ended:
	case <-ctx.Done():
		s.closeSubscribers(closedChan)
		return ctx.Err()
	}
	s.closeSubscribers(ctx.Done())
	return ctx.Err()
}

// register adds a created run to the registry; call once per run.
func (s *Supervisor) register(info store.Run, req Request, created time.Time) *liveRun {
	ctx, cancel := context.WithCancel(s.ctx)
	r := &liveRun{info: info, dev: req.Device, created: created, ctx: ctx, cancel: cancel, done: make(chan struct{})}
	s.mu.Lock()
	s.live[info.ID] = r
	s.batches.join(info.BatchID)
	if s.closed {
		s.cancelLocked(r, reasonCanceled)
	}
	s.mu.Unlock()
	return r
}
