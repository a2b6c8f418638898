package runner

import "errors"

// Errors returned by the supervisor.
var (
	// ErrUnknownRun is returned for a run id this supervisor never ran and
	// the store does not hold as finished.
	ErrUnknownRun = errors.New("runner: unknown run")
	// ErrFinished is returned when cancelling a run that has already ended.
	ErrFinished = errors.New("runner: run already finished")
	// ErrClosed is returned by Execute after Shutdown has begun.
	ErrClosed = errors.New("runner: supervisor is shut down")
)
