package quota

import (
	"context"
	"errors"
	"sync"
	"testing"
)

func TestCheckOutGrantedUnderCapsThenReleased(t *testing.T) {
	rec := &recorder{}
	m := New(Limits{Global: 2, Sites: map[string]int{"chi1": 1}}, WithHook(rec.hook))

	r, err := m.CheckOut(context.Background(), "chi1", Meta{RunID: 7})
	if err != nil {
		t.Fatalf("CheckOut: %v", err)
	}
	if r.Site() != "chi1" || r.Meta().RunID != 7 {
		t.Errorf("reservation site %q meta %+v", r.Site(), r.Meta())
	}
	snap := m.Snapshot()
	if snap.Global != (Usage{Active: 1, Limit: 2}) {
		t.Errorf("global usage %+v, want active 1 limit 2", snap.Global)
	}
	if got := snap.Sites["chi1"]; got != (Usage{Active: 1, Limit: 1}) {
		t.Errorf("chi1 usage %+v, want active 1 limit 1", got)
	}

	r.Release()
	snap = m.Snapshot()
	if snap.Global.Active != 0 || snap.Sites["chi1"].Active != 0 {
		t.Errorf("after release: global %+v chi1 %+v, want active 0", snap.Global, snap.Sites["chi1"])
	}

	evs := rec.all()
	if len(evs) != 2 {
		t.Fatalf("events %+v, want checked_out then checked_in", evs)
	}
	want := []Event{
		{Kind: CheckedOut, Site: "chi1", GlobalActive: 1, SiteActive: 1, Meta: Meta{RunID: 7}},
		{Kind: CheckedIn, Site: "chi1", GlobalActive: 0, SiteActive: 0, Meta: Meta{RunID: 7}},
	}
	for i, ev := range evs {
		if ev.At.IsZero() {
			t.Errorf("event %d has no time", i)
		}
		ev.At = want[i].At
		if ev != want[i] {
			t.Errorf("event %d = %+v, want %+v", i, ev, want[i])
		}
	}
	if CheckedOut != "checked_out" || CheckedIn != "checked_in" {
		t.Errorf("event kinds %q %q", CheckedOut, CheckedIn)
	}
}

func TestSiteWithoutCapBoundedOnlyByGlobal(t *testing.T) {
	m := New(Limits{Global: 3, Sites: map[string]int{"chi1": 1}})
	for i := range 3 {
		if _, err := m.CheckOut(context.Background(), "lab", Meta{RunID: int64(i)}); err != nil {
			t.Fatalf("checkout %d on uncapped site: %v", i, err)
		}
	}
	_, err := m.CheckOut(context.Background(), "lab", Meta{})
	if err == nil || err.Error() != "quota_exceeded:global" {
		t.Fatalf("fourth checkout: %v, want quota_exceeded:global", err)
	}
	if got := m.Snapshot().Sites["lab"]; got != (Usage{Active: 3, Limit: -1}) {
		t.Errorf("lab usage %+v, want active 3, no cap", got)
	}
}

func TestRefusedAtEachCap(t *testing.T) {
	tests := []struct {
		name   string
		limits Limits
		hold   []string // sites checked out first
		site   string
		want   string
	}{
		{"global full", Limits{Global: 1}, []string{"nyc2"}, "chi1", "quota_exceeded:global"},
		{"site full", Limits{Global: 5, Sites: map[string]int{"chi1": 1}}, []string{"chi1"}, "chi1", "quota_exceeded:site"},
		{"both full says global", Limits{Global: 1, Sites: map[string]int{"chi1": 1}}, []string{"chi1"}, "chi1", "quota_exceeded:global"},
		{"global cap 0", Limits{Global: 0}, nil, "chi1", "quota_exceeded:global"},
		{"site cap 0", Limits{Global: 5, Sites: map[string]int{"chi1": 0}}, nil, "chi1", "quota_exceeded:site"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(tt.limits)
			var held []*Reservation
			for _, site := range tt.hold {
				r, err := m.CheckOut(context.Background(), site, Meta{})
				if err != nil {
					t.Fatalf("setup checkout on %s: %v", site, err)
				}
				held = append(held, r)
			}
			r, err := m.CheckOut(context.Background(), tt.site, Meta{})
			if r != nil || err == nil || err.Error() != tt.want {
				t.Fatalf("CheckOut = (%v, %v), want %s", r, err, tt.want)
			}
			if !errors.Is(err, ErrQuotaExceeded) {
				t.Errorf("errors.Is(%v, ErrQuotaExceeded) = false", err)
			}
			var ex *ExceededError
			if !errors.As(err, &ex) || "quota_exceeded:"+ex.Scope != tt.want {
				t.Errorf("errors.As gave %+v", ex)
			}
			if m.Snapshot().Global.Active != len(tt.hold) {
				t.Errorf("a refusal changed the count: %+v", m.Snapshot().Global)
			}
			for _, r := range held {
				r.Release()
			}
			assertIdle(t, m)
		})
	}
}

func TestZeroCapRefusesAcquireAtOnce(t *testing.T) {
	m := New(Limits{Global: 5, Sites: map[string]int{"chi1": 0}})
	// Acquire must answer, not queue: a queued call would block here until
	// the test's deadline and fail it.
	if _, err := m.Acquire(context.Background(), "chi1", Meta{}); err == nil || err.Error() != "quota_exceeded:site" {
		t.Errorf("Acquire on site cap 0: %v, want quota_exceeded:site", err)
	}
	m.SetGlobalLimit(0)
	if _, err := m.Acquire(context.Background(), "nyc2", Meta{}); err == nil || err.Error() != "quota_exceeded:global" {
		t.Errorf("Acquire on global cap 0: %v, want quota_exceeded:global", err)
	}
	if snap := m.Snapshot(); snap.Waiting != 0 {
		t.Errorf("waiting %d after closed-door refusals", snap.Waiting)
	}
}

func TestCheckOutWithEndedContext(t *testing.T) {
	m := New(DefaultLimits())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.CheckOut(ctx, "chi1", Meta{}); !errors.Is(err, context.Canceled) {
		t.Errorf("CheckOut with ended ctx: %v, want context.Canceled", err)
	}
	if _, err := m.Acquire(ctx, "chi1", Meta{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Acquire with ended ctx: %v, want context.Canceled", err)
	}
	assertIdle(t, m)
}

func TestReleasedWhenOwnerContextEnds(t *testing.T) {
	rec := &recorder{}
	m := New(Limits{Global: 1}, WithHook(rec.hook))
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := m.CheckOut(ctx, "chi1", Meta{RunID: 1}); err != nil {
		t.Fatal(err)
	}
	// A waiter behind it is admitted once the owner's context ends.
	waiting := startAcquire(m, context.Background(), "chi1", Meta{RunID: 2})
	waitQueued(t, m, 1)

	cancel()
	rec.waitFor(t, "checked_in of run 1", checkedIn(1))
	res := receive(t, waiting)
	if res.err != nil {
		t.Fatalf("waiter: %v", res.err)
	}
	if got := m.Snapshot().Global.Active; got != 1 {
		t.Errorf("active %d, want 1 (the waiter)", got)
	}
	res.r.Release()
	assertIdle(t, m)
}

func TestReleasedWhenOwnerGoroutinePanics(t *testing.T) {
	rec := &recorder{}
	m := New(Limits{Global: 1, Sites: map[string]int{"chi1": 1}}, WithHook(rec.hook))

	recovered := make(chan any, 1)
	go func() {
		defer func() { recovered <- recover() }()
		r, err := m.Acquire(context.Background(), "chi1", Meta{RunID: 9})
		if err != nil {
			panic(err)
		}
		defer r.Release()
		if got := m.Snapshot().Sites["chi1"].Active; got != 1 {
			t.Errorf("while held: chi1 active %d, want 1", got)
		}
		panic("adapter blew up")
	}()
	if v := <-recovered; v != "adapter blew up" {
		t.Fatalf("recovered %v, want the panic value unchanged", v)
	}
	assertIdle(t, m)
	rec.waitFor(t, "checked_in of run 9", checkedIn(9))

	// The same holds for a slot checked out without waiting.
	go func() {
		defer func() { recovered <- recover() }()
		r, err := m.CheckOut(context.Background(), "chi1", Meta{RunID: 10})
		if err != nil {
			panic(err)
		}
		defer r.Release()
		panic("boom")
	}()
	if v := <-recovered; v != "boom" {
		t.Fatalf("recovered %v", v)
	}
	assertIdle(t, m)
}

func TestDoubleRelease(t *testing.T) {
	rec := &recorder{}
	m := New(Limits{Global: 2}, WithHook(rec.hook))
	r, err := m.CheckOut(context.Background(), "chi1", Meta{RunID: 1})
	if err != nil {
		t.Fatal(err)
	}
	r.Release()
	r.Release()
	if got := m.Snapshot().Global.Active; got != 0 {
		t.Fatalf("active %d after double release, want 0", got)
	}

	// Many releasers at once, racing with the owner's context ending.
	ctx, cancel := context.WithCancel(context.Background())
	r, err = m.CheckOut(ctx, "chi1", Meta{RunID: 2})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(r.Release)
	}
	wg.Go(cancel)
	wg.Wait()
	rec.waitFor(t, "checked_in of run 2", checkedIn(2))
	assertIdle(t, m)

	ins := 0
	for _, ev := range rec.all() {
		if ev.Kind == CheckedIn {
			ins++
		}
	}
	if ins != 2 {
		t.Errorf("%d checked_in events, want exactly one per reservation (2)", ins)
	}
	var none *Reservation
	none.Release() // nil-safe
}
