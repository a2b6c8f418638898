package runner

import (
	"time"

	"netauto/adapters"
	"netauto/quota"
	"netauto/store"
)

// DefaultMaxAuthFailuresPerBatch is how many runs of one batch may fail
// authentication before the rest of the batch stops opening sessions.
const DefaultMaxAuthFailuresPerBatch = 3

// Config holds what a Supervisor needs. Store, Quota and Adapter are
// required.
type Config struct {
	// Store records runs and their output.
	Store *store.Store
	// Quota admits runs against the global and per-site caps.
	Quota *quota.Manager
	// Adapter runs commands on devices.
	Adapter adapters.Adapter
	// Hook, if set, receives run start/stop telemetry. It is called from run
	// goroutines, concurrently, and must return quickly.
	Hook func(Telemetry)
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// MaxAuthFailuresPerBatch is how many runs of one batch may end with an
	// auth error before the batch's remaining runs end without opening a
	// session. 0 means DefaultMaxAuthFailuresPerBatch; negative disables
	// the rule.
	MaxAuthFailuresPerBatch int
}

// authLimit returns the effective batch auth-failure limit (<= 0: none).
func (c Config) authLimit() int {
	if c.MaxAuthFailuresPerBatch == 0 {
		return DefaultMaxAuthFailuresPerBatch
	}
	return c.MaxAuthFailuresPerBatch
}
