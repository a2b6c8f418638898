package store

import "time"

// Status is a run's state. It only ever moves pending → running → ok|error
// (or pending → error).
type Status string

// The statuses a run can have.
const (
	StatusPending Status = "pending"
	StatusRunning Status = "running"
	StatusOK      Status = "ok"
	StatusError   Status = "error"
)

// Finished reports whether s is a final status (ok or error).
func (s Status) Finished() bool { return s == StatusOK || s == StatusError }

// valid reports whether s is one of the four statuses.
func (s Status) valid() bool {
	return s == StatusPending || s == StatusRunning || s.Finished()
}

// ReasonInterrupted is the error reason of a run found unfinished after its
// owner process died.
const ReasonInterrupted = "interrupted"

// NewRun is what CreateRun needs to record a run.
type NewRun struct {
	// BatchID is shared by the runs of one launch (see NewBatchID).
	BatchID string
	// Device is the device's inventory name; required.
	Device string
	// Site is the device's site at launch; "" for none.
	Site string
	// Command is the CLI command as typed.
	Command string
	// RequestedBy says who launched the run (user name, "cli", …).
	RequestedBy string
}

// Run is one stored run.
type Run struct {
	// ID is the run's id, increasing with creation order.
	ID int64
	// BatchID is the launch the run belongs to.
	BatchID string
	// Device is the device's name.
	Device string
	// Site is the device's site at launch; "" for none.
	Site string
	// Command is the command run.
	Command string
	// Status is where the run is in its life.
	Status Status
	// ErrorReason says why a run ended error; "" when none is recorded.
	ErrorReason string
	// ExitCode is the command's exit status; nil when none is known.
	ExitCode *int
	// Bytes is the number of output bytes (stored so far, or reported at the end).
	Bytes int64
	// RequestedBy says who launched the run.
	RequestedBy string
	// Owner identifies the process that created the run.
	Owner string
	// CreatedAt is when the run was recorded.
	CreatedAt time.Time
	// StartedAt is when it went running; zero when it never did.
	StartedAt time.Time
	// FinishedAt is when it ended; zero while unfinished.
	FinishedAt time.Time
}

// Finish is how a run ended.
type Finish struct {
	// Status is StatusOK or StatusError.
	Status Status
	// Reason is the error reason ("canceled", "timeout: command", …); "" for none.
	Reason string
	// ExitCode is the exit status; nil when the device sent none.
	ExitCode *int
	// Bytes is the output byte count the runner saw; the stored value is the
	// larger of this and the bytes of the chunks stored.
	Bytes int64
	// At is when the run ended; zero means now.
	At time.Time
}

// RunFilter selects runs for ListRuns and CountRuns. Empty fields match
// everything. Device, Site and Command match exactly, or as a GLOB pattern
// when they contain *, ? or [.
type RunFilter struct {
	// Device is the device name or pattern.
	Device string
	// Site is the site name or pattern.
	Site string
	// Command is the command or pattern.
	Command string
	// Status keeps only runs with this status.
	Status Status
	// BatchID keeps only the runs of one launch.
	BatchID string
	// Since keeps only the runs started at or after it (a run not started
	// yet counts from its creation); the zero time keeps every run.
	Since time.Time
	// Limit caps the number of runs returned; 0 means no cap.
	Limit int
	// Offset skips that many runs (newest first) before returning any.
	Offset int
}
