package quota

import (
	"context"
	"errors"
	"testing"
	"time"
)

// mustCheckOut checks out or fails the test.
func mustCheckOut(t fataler, m *Manager, site string, id int64) *Reservation {
	t.Helper()
	r, err := m.CheckOut(context.Background(), site, Meta{RunID: id})
	if err != nil {
		t.Fatalf("CheckOut %s (run %d): %v", site, id, err)
	}
	return r
}

func TestAcquireFIFO(t *testing.T) {
	m := New(Limits{Global: 1})
	held := mustCheckOut(t, m, "chi1", 0)

	var waiters []<-chan result
	for i := 1; i <= 5; i++ {
		// Alternate sites: FIFO holds across sites under the global cap.
		site := []string{"chi1", "nyc2"}[i%2]
		waiters = append(waiters, startAcquire(m, context.Background(), site, Meta{RunID: int64(i)}))
		waitQueued(t, m, i) // queued in this order
	}
	for i, ch := range waiters {
		pending(t, ch)
		held.Release()
		res := receive(t, ch)
		if res.err != nil {
			t.Fatalf("waiter %d: %v", i+1, res.err)
		}
		if got := res.r.Meta().RunID; got != int64(i+1) {
			t.Fatalf("admitted run %d, want %d (FIFO)", got, i+1)
		}
		held = res.r
	}
	held.Release()
	assertIdle(t, m)
}

func TestWaiterForFullSiteDoesNotBlockOtherSite(t *testing.T) {
	m := New(Limits{Global: 2, Sites: map[string]int{"chi1": 1}})
	chi := mustCheckOut(t, m, "chi1", 1)

	// chi1 is full: its waiter queues, a later nyc2 caller is admitted at once.
	chiWaiter := startAcquire(m, context.Background(), "chi1", Meta{RunID: 2})
	waitQueued(t, m, 1)
	nyc, err := m.Acquire(context.Background(), "nyc2", Meta{RunID: 3})
	if err != nil {
		t.Fatalf("nyc2 Acquire behind a full chi1: %v", err)
	}
	// Now global is full too. A nyc2 waiter queues behind the chi1 waiter;
	// when nyc2's slot frees, it goes to the nyc2 waiter, since the chi1
	// waiter still cannot run.
	nycWaiter := startAcquire(m, context.Background(), "nyc2", Meta{RunID: 4})
	waitQueued(t, m, 2)
	if snap := m.Snapshot(); snap.Sites["chi1"].Waiting != 1 || snap.Sites["nyc2"].Waiting != 1 {
		t.Errorf("site waiting counts: %+v", snap.Sites)
	}
	nyc.Release()
	res := receive(t, nycWaiter)
	if res.err != nil {
		t.Fatalf("nyc2 waiter: %v", res.err)
	}
	pending(t, chiWaiter)

	chi.Release()
	chiRes := receive(t, chiWaiter)
	if chiRes.err != nil {
		t.Fatalf("chi1 waiter: %v", chiRes.err)
	}
	res.r.Release()
	chiRes.r.Release()
	assertIdle(t, m)
}

func TestNoBarging(t *testing.T) {
	m := New(Limits{Global: 1})
	held := mustCheckOut(t, m, "chi1", 1)
	waiter := startAcquire(m, context.Background(), "chi1", Meta{RunID: 2})
	waitQueued(t, m, 1)

	// The freed slot goes to the waiter in the same step as the release, so
	// neither a CheckOut nor a new Acquire can take it.
	held.Release()
	if r, err := m.CheckOut(context.Background(), "chi1", Meta{RunID: 3}); err == nil {
		r.Release()
		t.Fatal("CheckOut took the slot an earlier waiter was queued for")
	}
	late := startAcquire(m, context.Background(), "nyc2", Meta{RunID: 4})
	res := receive(t, waiter)
	if res.err != nil || res.r.Meta().RunID != 2 {
		t.Fatalf("waiter got (%v, %v)", res.r, res.err)
	}
	waitQueued(t, m, 1)
	pending(t, late)
	res.r.Release()
	lateRes := receive(t, late)
	if lateRes.err != nil {
		t.Fatal(lateRes.err)
	}
	lateRes.r.Release()
	assertIdle(t, m)
}

func TestAcquireEndsWithContext(t *testing.T) {
	m := New(Limits{Global: 1})
	held := mustCheckOut(t, m, "chi1", 1)
	ctx, cancel := context.WithCancel(context.Background())
	waiter := startAcquire(m, ctx, "chi1", Meta{RunID: 2})
	waitQueued(t, m, 1)
	cancel()
	res := receive(t, waiter)
	if !errors.Is(res.err, context.Canceled) || res.r != nil {
		t.Fatalf("canceled waiter got (%v, %v), want context.Canceled", res.r, res.err)
	}
	if snap := m.Snapshot(); snap.Waiting != 0 || snap.Global.Active != 1 {
		t.Fatalf("after cancel: %+v", snap)
	}
	held.Release()
	assertIdle(t, m)
}

// TestGrantCancelRace releases the slot a waiter is queued for while the
// waiter's context ends: whichever wins, no slot may leak.
func TestGrantCancelRace(t *testing.T) {
	m := New(Limits{Global: 1})
	granted, canceled := 0, 0
	for i := range 300 {
		held := mustCheckOut(t, m, "chi1", int64(i))
		ctx, cancel := context.WithCancel(context.Background())
		waiter := startAcquire(m, ctx, "chi1", Meta{RunID: int64(i)})
		waitQueued(t, m, 1)
		start := make(chan struct{})
		go func() { <-start; held.Release() }()
		go func() { <-start; cancel() }()
		close(start)
		res := receive(t, waiter)
		switch {
		case res.err == nil:
			granted++
			res.r.Release()
		case errors.Is(res.err, context.Canceled):
			canceled++
		default:
			t.Fatalf("iteration %d: %v", i, res.err)
		}
		waitIdle(t, m)
	}
	t.Logf("granted %d, canceled %d", granted, canceled)
}

// waitIdle waits until nothing is held or queued (releases may still be in
// flight on other goroutines).
func waitIdle(t fataler, m *Manager) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		if snap := m.Snapshot(); snap.Global.Active == 0 && snap.Waiting == 0 {
			break
		}
		time.Sleep(10 * time.Microsecond)
	}
	assertIdle(t, m)
}

func TestCapChangesLive(t *testing.T) {
	m := New(Limits{Global: 2, Sites: map[string]int{"chi1": 2}})
	a := mustCheckOut(t, m, "chi1", 1)
	b := mustCheckOut(t, m, "chi1", 2)

	// Lowering never ends running work; it stops admissions until under.
	m.SetGlobalLimit(1)
	if snap := m.Snapshot(); snap.Global != (Usage{Active: 2, Limit: 1}) {
		t.Fatalf("after lowering: %+v", snap.Global)
	}
	if _, err := m.CheckOut(context.Background(), "nyc2", Meta{}); err == nil || err.Error() != "quota_exceeded:global" {
		t.Fatalf("over the lowered cap: %v", err)
	}
	a.Release()
	if _, err := m.CheckOut(context.Background(), "nyc2", Meta{}); err == nil {
		t.Fatal("admitted at 1 active with cap 1")
	}
	b.Release()
	c := mustCheckOut(t, m, "nyc2", 3)

	// Raising the global cap admits a waiter at once.
	w := startAcquire(m, context.Background(), "chi1", Meta{RunID: 4})
	waitQueued(t, m, 1)
	m.SetGlobalLimit(3)
	d := receive(t, w)
	if d.err != nil {
		t.Fatal(d.err)
	}

	// Site caps: lower, raise, clear.
	m.SetSiteLimit("chi1", 1)
	w = startAcquire(m, context.Background(), "chi1", Meta{RunID: 5})
	waitQueued(t, m, 1)
	m.SetSiteLimit("chi1", 2)
	e := receive(t, w)
	if e.err != nil {
		t.Fatal(e.err)
	}
	if got := m.Limits(); got.Global != 3 || len(got.Sites) != 1 || got.Sites["chi1"] != 2 {
		t.Errorf("Limits() = %+v", got)
	}
	m.SetGlobalLimit(10)
	w = startAcquire(m, context.Background(), "chi1", Meta{RunID: 6})
	waitQueued(t, m, 1)
	m.ClearSiteLimit("chi1")
	f := receive(t, w)
	if f.err != nil {
		t.Fatal(f.err)
	}
	if got := m.Snapshot().Sites["chi1"]; got != (Usage{Active: 3, Limit: -1}) {
		t.Errorf("chi1 after clearing its cap: %+v", got)
	}
	if got := m.Limits(); len(got.Sites) != 0 {
		t.Errorf("Limits() after clear = %+v", got)
	}

	for _, r := range []*Reservation{c, d.r, e.r, f.r} {
		r.Release()
	}
	assertIdle(t, m)
}

func TestCapSetToZeroRefusesWaiters(t *testing.T) {
	m := New(Limits{Global: 1, Sites: map[string]int{"chi1": 1}})
	held := mustCheckOut(t, m, "chi1", 1)
	chi := startAcquire(m, context.Background(), "chi1", Meta{RunID: 2})
	waitQueued(t, m, 1)
	nyc := startAcquire(m, context.Background(), "nyc2", Meta{RunID: 3})
	waitQueued(t, m, 2)

	m.SetSiteLimit("chi1", 0)
	if res := receive(t, chi); res.err == nil || res.err.Error() != "quota_exceeded:site" {
		t.Fatalf("chi1 waiter after its cap became 0: (%v, %v)", res.r, res.err)
	}
	pending(t, nyc)
	m.SetGlobalLimit(0)
	if res := receive(t, nyc); res.err == nil || res.err.Error() != "quota_exceeded:global" {
		t.Fatalf("nyc2 waiter after global cap became 0: (%v, %v)", res.r, res.err)
	}
	if got := m.Snapshot().Global.Active; got != 1 {
		t.Errorf("closing the door ended running work: active %d", got)
	}
	held.Release()
	assertIdle(t, m)
}

func TestNegativeCapsMeanNoCap(t *testing.T) {
	m := New(Limits{Global: -1, Sites: map[string]int{"chi1": -5}})
	var held []*Reservation
	for i := range 100 {
		held = append(held, mustCheckOut(t, m, "chi1", int64(i)))
	}
	snap := m.Snapshot()
	if snap.Global.Limit != -1 || snap.Sites["chi1"].Limit != -1 {
		t.Errorf("limits %+v %+v, want -1", snap.Global, snap.Sites["chi1"])
	}
	for _, r := range held {
		r.Release()
	}
	assertIdle(t, m)
}
