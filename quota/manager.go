package quota

import (
	"context"
	"sync"
	"time"
)

// Manager enforces a global cap and per-site caps on concurrent runs. All
// methods are safe for concurrent use. State is one mutex and a few
// counters; a checkout starts no goroutine.
//
// Sites are tracked from their first use or cap on, for the Manager's
// lifetime, so memory grows with the number of distinct site names (bounded
// by the inventory in practice). The empty site name is a site like any
// other: devices without a site share it.
type Manager struct {
	hook func(Event) // set once by options; read without the lock

	mu     sync.Mutex
	global int // cap; negative = none
	active int
	sites  map[string]*siteState
	queue  waitQueue
}

// siteState is one site's cap and counts. Entries are never removed, so a
// Reservation may keep a pointer to its site.
type siteState struct {
	name    string
	limit   int // negative = no cap
	active  int
	waiting int
}

// New returns a Manager enforcing l (see Limits for the meaning of 0 and of
// negative values). The zero Limits refuses everything: use DefaultLimits or
// Merge.
func New(l Limits, opts ...Option) *Manager {
	m := &Manager{global: l.Global, sites: make(map[string]*siteState, len(l.Sites))}
	for site, n := range l.Sites {
		m.siteLocked(site).limit = normalize(n)
	}
	for _, opt := range opts {
		opt(m)
	}
	return m
}

// normalize maps every negative cap to -1, "no cap".
func normalize(n int) int {
	if n < 0 {
		return -1
	}
	return n
}

// siteLocked returns the state of site, creating it without a cap.
func (m *Manager) siteLocked(site string) *siteState {
	s := m.sites[site]
	if s == nil {
		s = &siteState{name: site, limit: -1}
		m.sites[site] = s
	}
	return s
}

// admissibleLocked reports which cap, if any, keeps one more run on s out:
// nil when both the global and the site count are under their caps.
func (m *Manager) admissibleLocked(s *siteState) error {
	if m.global >= 0 && m.active >= m.global {
		return errGlobalFull
	}
	if s.limit >= 0 && s.active >= s.limit {
		return errSiteFull
	}
	return nil
}

// grantLocked counts one more run on s and returns the event describing it.
func (m *Manager) grantLocked(s *siteState, meta Meta) Event {
	m.active++
	s.active++
	return Event{Kind: CheckedOut, Site: s.name, GlobalActive: m.active, SiteActive: s.active, Meta: meta}
}

// CheckOut admits one run on site at once or refuses it: granted when both
// the global and the site count are under their caps, else an
// *ExceededError naming the full cap (global checked first). It never
// jumps ahead of a waiting Acquire that could use the same slot: waiters are
// admitted whenever a slot frees, so a slot found free here is one no
// earlier waiter can take. If ctx has already ended, CheckOut returns
// ctx.Err(); otherwise the reservation is released automatically when ctx
// ends.
func (m *Manager) CheckOut(ctx context.Context, site string, meta Meta) (*Reservation, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	s := m.siteLocked(site)
	if err := m.admissibleLocked(s); err != nil {
		m.mu.Unlock()
		return nil, err
	}
	ev := m.grantLocked(s, meta)
	m.mu.Unlock()
	return m.hand(ctx, s, ev), nil
}

// Acquire admits one run on site, waiting for a slot if a cap is full.
// Waiters are admitted in FIFO order among those that fit: a waiter for a
// full site does not hold up a waiter for another site, and a later caller
// never takes a slot an earlier waiter could use. A cap of 0 (global or the
// site's) is a closed door: Acquire returns an *ExceededError at once, and
// waiters still queued when a cap is set to 0 get one too. When ctx ends
// first, Acquire returns ctx.Err() and holds no slot, even if a slot was
// granted in the same instant. Once granted, the reservation is released
// automatically when ctx ends.
func (m *Manager) Acquire(ctx context.Context, site string, meta Meta) (*Reservation, error) {
	t, err := m.Enqueue(ctx, site, meta)
	if err != nil {
		return nil, err
	}
	return t.Wait()
}

// Ticket is a place in the admission queue, taken by Enqueue at once and
// redeemed by Wait, so that a caller can fix the order of its runs (the
// order of a launch) before it waits for them in goroutines of their own.
type Ticket struct {
	m    *Manager
	ctx  context.Context
	s    *siteState
	meta Meta
	w    *waiter // nil when a slot was granted at once
	ev   Event   // the checkout, when granted at once
}

// Enqueue takes a place in the FIFO admission queue for one run on site,
// or a slot at once when one is free and no earlier waiter could take it;
// Wait on the ticket returns the reservation. A cap of 0 refuses at once
// with an *ExceededError, as Acquire does. The ticket follows ctx: when ctx
// ends before the slot is granted, the place is given up and Wait returns
// ctx.Err(); a slot granted at once is released when ctx ends, like any
// reservation. Every ticket must be waited on.
func (m *Manager) Enqueue(ctx context.Context, site string, meta Meta) (*Ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.siteLocked(site)
	if err := m.closedLocked(s); err != nil {
		return nil, err
	}
	t := &Ticket{m: m, ctx: ctx, s: s, meta: meta}
	if m.admissibleLocked(s) == nil {
		t.ev = m.grantLocked(s, meta)
		return t, nil
	}
	t.w = &waiter{site: s, meta: meta, ready: make(chan struct{})}
	m.queue.push(t.w)
	s.waiting++
	return t, nil
}

// Wait blocks until the ticket's slot is granted, its context ends, or a
// cap is set to 0 while it waits (an *ExceededError). When the context ends
// first, Wait returns ctx.Err() and holds no slot, even if a slot was
// granted in the same instant. Once granted, the reservation is released
// automatically when the context ends.
func (t *Ticket) Wait() (*Reservation, error) {
	m, s, w, ctx := t.m, t.s, t.w, t.ctx
	if w == nil {
		return m.hand(ctx, s, t.ev), nil
	}
	select {
	case <-w.ready:
	case <-ctx.Done():
		m.mu.Lock()
		if !w.done {
			// Still queued: leave the queue; nothing was granted.
			m.queue.remove(w)
			s.waiting--
			w.done = true
			m.mu.Unlock()
			return nil, ctx.Err()
		}
		m.mu.Unlock()
		// Granted or refused while ctx ended: ready is closed.
	}
	if w.err != nil {
		return nil, w.err
	}
	if err := ctx.Err(); err != nil {
		// Granted just as ctx ended: give the slot straight back, before
		// returning, so that the caller never sees it held.
		r := &Reservation{m: m, site: s, meta: t.meta}
		m.report(w.ev)
		r.Release()
		return nil, err
	}
	return m.hand(ctx, s, w.ev), nil
}

// closedLocked reports a cap of 0 that refuses every run on s.
func (m *Manager) closedLocked(s *siteState) error {
	if m.global == 0 {
		return errGlobalFull
	}
	if s.limit == 0 {
		return errSiteFull
	}
	return nil
}

// hand turns a granted slot into a Reservation: it reports the checkout,
// then ties the reservation to ctx so that it is released when ctx ends.
func (m *Manager) hand(ctx context.Context, s *siteState, ev Event) *Reservation {
	r := &Reservation{m: m, site: s, meta: ev.Meta}
	m.report(ev)
	if ctx.Done() != nil {
		r.stop = context.AfterFunc(ctx, r.ownerDone)
	}
	return r
}

// checkIn gives back the slot of r and admits the waiters it makes room
// for.
func (m *Manager) checkIn(r *Reservation) {
	s := r.site
	m.mu.Lock()
	m.active--
	s.active--
	ev := Event{Kind: CheckedIn, Site: s.name, GlobalActive: m.active, SiteActive: s.active, Meta: r.meta}
	m.dispatchLocked()
	m.mu.Unlock()
	m.report(ev)
}

// report stamps ev and passes it to the hook, if any. It must be called
// without the lock.
func (m *Manager) report(ev Event) {
	if m.hook != nil {
		ev.At = time.Now()
		m.hook(ev)
	}
}

// dispatchLocked admits queued waiters in FIFO order, skipping those whose
// site is full, until the global cap is full. Afterwards no queued waiter
// is admissible, which is what lets CheckOut and Acquire grant a free slot
// without looking at the queue.
func (m *Manager) dispatchLocked() {
	for w := m.queue.head; w != nil; {
		if m.global >= 0 && m.active >= m.global {
			return
		}
		next := w.next
		if m.admissibleLocked(w.site) == nil {
			m.queue.remove(w)
			w.site.waiting--
			w.ev = m.grantLocked(w.site, w.meta)
			w.done = true
			close(w.ready)
		}
		w = next
	}
}

// refuseLocked ends the wait of every queued waiter that match selects with
// err.
func (m *Manager) refuseLocked(match func(*waiter) bool, err error) {
	for w := m.queue.head; w != nil; {
		next := w.next
		if match(w) {
			m.queue.remove(w)
			w.site.waiting--
			w.err = err
			w.done = true
			close(w.ready)
		}
		w = next
	}
}

// SetGlobalLimit changes the global cap (negative = none). Running work is
// never ended: a lower cap only stops admissions until the count falls under
// it. A higher cap admits waiters at once; a cap of 0 refuses every waiter
// with quota_exceeded:global.
func (m *Manager) SetGlobalLimit(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.global = normalize(n)
	if m.global == 0 {
		m.refuseLocked(func(*waiter) bool { return true }, errGlobalFull)
		return
	}
	m.dispatchLocked()
}

// SetSiteLimit changes the cap of site (negative = none, like
// ClearSiteLimit). Running work is never ended; a higher cap admits waiters
// at once; a cap of 0 refuses the site's waiters with quota_exceeded:site.
func (m *Manager) SetSiteLimit(site string, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.siteLocked(site)
	s.limit = normalize(n)
	if s.limit == 0 {
		m.refuseLocked(func(w *waiter) bool { return w.site == s }, errSiteFull)
		return
	}
	m.dispatchLocked()
}

// ClearSiteLimit removes the cap of site: it is then bounded only by the
// global cap. Its waiters are admitted as far as the global cap allows.
func (m *Manager) ClearSiteLimit(site string) {
	m.SetSiteLimit(site, -1)
}

// Limits returns the caps in force: the global cap and every site cap (sites
// without a cap are left out).
func (m *Manager) Limits() Limits {
	m.mu.Lock()
	defer m.mu.Unlock()
	l := Limits{Global: m.global, Sites: make(map[string]int)}
	for name, s := range m.sites {
		if s.limit >= 0 {
			l.Sites[name] = s.limit
		}
	}
	return l
}

// Snapshot returns the current counts and caps: the global usage (its
// Waiting is every queued Acquire) and the usage of every site that has a
// cap or has been used.
func (m *Manager) Snapshot() Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	snap := Snapshot{
		Global:  Usage{Active: m.active, Limit: m.global, Waiting: m.queue.len},
		Sites:   make(map[string]Usage, len(m.sites)),
		Waiting: m.queue.len,
	}
	for name, s := range m.sites {
		snap.Sites[name] = Usage{Active: s.active, Limit: s.limit, Waiting: s.waiting}
	}
	return snap
}
