package quota

import "time"

// Meta is the caller's metadata carried by a reservation and its events.
type Meta struct {
	// RunID is the store's id of the run holding the reservation.
	RunID int64
}

// EventKind names a telemetry event.
type EventKind string

// Event kinds.
const (
	// CheckedOut: a reservation was granted.
	CheckedOut EventKind = "checked_out"
	// CheckedIn: a reservation was released.
	CheckedIn EventKind = "checked_in"
)

// Event reports one checkout or checkin.
type Event struct {
	// Kind is CheckedOut or CheckedIn.
	Kind EventKind
	// Site is the reservation's site.
	Site string
	// GlobalActive and SiteActive are the counts right after the change.
	GlobalActive, SiteActive int
	// Meta is the metadata given at checkout.
	Meta Meta
	// At is when the event was emitted.
	At time.Time
}

// Option configures a Manager.
type Option func(*Manager)

// WithHook makes the Manager call hook with every Event. The hook is called
// outside the Manager's lock, from the goroutine that checked out or released
// (for an automatic release: the goroutine context.AfterFunc starts), so it
// may call back into the Manager, e.g. Snapshot. Events of different
// reservations may reach it concurrently and out of order; for one
// reservation, CheckedOut always comes before CheckedIn. It should be fast,
// as it runs on the checkout and release paths of every run, and must not
// panic: a panic on the checkout path would lose the slot being handed over.
func WithHook(hook func(Event)) Option {
	return func(m *Manager) { m.hook = hook }
}
