package quota

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fataler is what the helpers need of a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// waitLimit bounds every wait in these tests.
const waitLimit = 5 * time.Second

// recorder collects the events a Manager reports.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) hook(ev Event) {
	r.mu.Lock()
	r.events = append(r.events, ev)
	r.mu.Unlock()
}

// all returns a copy of the events so far.
func (r *recorder) all() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// waitFor waits until some event satisfies ok, failing the test after
// waitLimit.
func (r *recorder) waitFor(t fataler, what string, ok func(Event) bool) Event {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		for _, ev := range r.all() {
			if ok(ev) {
				return ev
			}
		}
		time.Sleep(100 * time.Microsecond)
	}
	t.Fatalf("no %s event within %v; got %+v", what, waitLimit, r.all())
	return Event{}
}

// checkedIn matches the CheckedIn event of a run.
func checkedIn(runID int64) func(Event) bool {
	return func(ev Event) bool { return ev.Kind == CheckedIn && ev.Meta.RunID == runID }
}

// result is what a background Acquire returned.
type result struct {
	r   *Reservation
	err error
}

// startAcquire calls Acquire in its own goroutine; its result arrives on the
// returned channel.
func startAcquire(m *Manager, ctx context.Context, site string, meta Meta) <-chan result {
	ch := make(chan result, 1)
	go func() {
		r, err := m.Acquire(ctx, site, meta)
		ch <- result{r, err}
	}()
	return ch
}

// receive waits for a background Acquire's result.
func receive(t fataler, ch <-chan result) result {
	t.Helper()
	select {
	case res := <-ch:
		return res
	case <-time.After(waitLimit):
		t.Fatalf("Acquire did not return within %v", waitLimit)
		return result{}
	}
}

// pending fails the test if a background Acquire has already returned.
func pending(t fataler, ch <-chan result) {
	t.Helper()
	select {
	case res := <-ch:
		t.Fatalf("Acquire returned (%v, %v), want it still waiting", res.r, res.err)
	default:
	}
}

// waitQueued waits until n Acquire calls are queued.
func waitQueued(t fataler, m *Manager, n int) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for m.Snapshot().Waiting != n {
		if time.Now().After(deadline) {
			t.Fatalf("waiting = %d, want %d within %v", m.Snapshot().Waiting, n, waitLimit)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// assertIdle fails unless nothing is held or queued anywhere.
func assertIdle(t fataler, m *Manager) {
	t.Helper()
	snap := m.Snapshot()
	if snap.Global.Active != 0 || snap.Waiting != 0 || snap.Global.Waiting != 0 {
		t.Fatalf("global usage %+v, waiting %d; want idle", snap.Global, snap.Waiting)
	}
	for site, u := range snap.Sites {
		if u.Active != 0 || u.Waiting != 0 {
			t.Fatalf("site %q usage %+v; want idle", site, u)
		}
	}
}
