package quota

import "sync/atomic"

// Reservation is one admitted run's slot. It is released exactly once:
// by the first call of Release, or automatically when the context given to
// CheckOut or Acquire ends, whichever comes first.
type Reservation struct {
	m        *Manager
	site     *siteState
	meta     Meta
	released atomic.Bool
	stop     func() bool // detaches the context watch; nil for a context that never ends
}

// Site returns the site the reservation counts against.
func (r *Reservation) Site() string { return r.site.name }

// Meta returns the metadata given at checkout.
func (r *Reservation) Meta() Meta { return r.meta }

// Release gives the slot back and admits the waiters it makes room for. It is
// safe to call any number of times, from any goroutine, and on a nil
// Reservation; only the first call has an effect.
func (r *Reservation) Release() {
	if r == nil || !r.released.CompareAndSwap(false, true) {
		return
	}
	if r.stop != nil {
		r.stop()
	}
	r.m.checkIn(r)
}

// ownerDone is what the context watch runs when the owner's context ends:
// Release without detaching the watch, which is running it.
func (r *Reservation) ownerDone() {
	if r.released.CompareAndSwap(false, true) {
		r.m.checkIn(r)
	}
}
