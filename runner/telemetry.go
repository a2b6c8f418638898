package runner

import (
	"time"

	"netauto/store"
)

// TelemetryKind names a telemetry event.
type TelemetryKind string

// The telemetry events a supervisor emits (DESIGN.md: `run start/stop`).
const (
	// TelemetryStart is emitted when a run is admitted and about to call
	// its adapter.
	TelemetryStart TelemetryKind = "start"
	// TelemetryStop is emitted once for every run that ends, after its final
	// state is stored, whether or not it ever started.
	TelemetryStop TelemetryKind = "stop"
)

// Telemetry is one `run start` or `run stop` event.
type Telemetry struct {
	// Kind is TelemetryStart or TelemetryStop.
	Kind TelemetryKind
	// RunID, Device, Site and BatchID identify the run.
	RunID   int64
	Device  string
	Site    string
	BatchID string
	// At is when the event happened.
	At time.Time

	// The fields below are set on TelemetryStop only.

	// Status is the final status (ok or error).
	Status store.Status
	// Reason is the stored error reason ("" when ok).
	Reason string
	// Bytes is the run's output size.
	Bytes int64
	// Duration is the time from admission to the end (0 if never admitted).
	Duration time.Duration
	// Queued is the time from creation to admission, or to the end when
	// the run was never admitted.
	Queued time.Duration
	// StoreErr is a store write for this run that failed, if any; the run's
	// stored row or output may then be incomplete.
	StoreErr error
}

// emit passes t to the configured hook, if any.
func (s *Supervisor) emit(t Telemetry) {
	if s.cfg.Hook != nil {
		s.cfg.Hook(t)
	}
}
