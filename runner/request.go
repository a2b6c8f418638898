package runner

import "netauto/inventory"

// Request asks for one command on one device.
type Request struct {
	// Device is the resolved inventory device; its Site is the quota site.
	Device inventory.Device
	// Command is the CLI command to run.
	Command string
	// BatchID groups the runs of one launch; "" gets a fresh batch id.
	BatchID string
	// RequestedBy names who asked (user, "cli", "tui"); stored on the run.
	RequestedBy string
	// Queue makes the run wait FIFO for a quota slot (a batch launch)
	// instead of failing fast when the caps are full. A cap of 0 fails fast
	// either way.
	Queue bool
}
