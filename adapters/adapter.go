// Package adapters defines the seam between the runner and the protocols
// that reach devices. An Adapter runs one command on one device and streams
// its output; its errors are classified so that the runner can record a
// reason whose first word says what went wrong.
package adapters

import (
	"context"
	"errors"
	"fmt"

	"netauto/inventory"
)

// Result is what a finished command reports.
type Result struct {
	// ExitCode is the command's exit status, or nil when the device sent none
	// (network OS shells, Cisco exec channels).
	ExitCode *int
	// Bytes is the number of output bytes handed to onChunk.
	Bytes int64
}

// Adapter runs one command on one device. It calls onChunk, from one
// goroutine and in order, with each piece of output; the slice is owned by
// the callee once handed over (the adapter does not reuse it). Run returns
// when the command has ended, failed, or ctx is done (then the error wraps
// ctx.Err()). A non-zero exit status is a Result, not an error.
type Adapter interface {
	Run(ctx context.Context, dev inventory.Device, command string, onChunk func([]byte)) (Result, error)
}

// Class is the first word of a run's error reason.
type Class string

// The error classes an adapter reports.
const (
	ClassConnect Class = "connect" // could not reach the device
	ClassAuth    Class = "auth"    // could not log in
	ClassHostKey Class = "hostkey" // host key unknown, refused or changed
	ClassTimeout Class = "timeout" // a timeout fired; Detail is connect, command or idle
	ClassClosed  Class = "closed"  // the peer went away mid-run
)

// Error is a classified adapter failure. Its text is "class: detail", which
// the runner stores as the run's error reason.
type Error struct {
	Class  Class
	Detail string
	Err    error // the underlying cause, if any
}

// Error returns "class: detail".
func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Class, e.Detail) }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds a classified error; the cause, if non-nil, is kept for
// errors.Is/As but its text is not added to the detail.
func Errorf(class Class, cause error, format string, args ...any) *Error {
	return &Error{Class: class, Detail: fmt.Sprintf(format, args...), Err: cause}
}

// ClassOf returns the class of err, or "" when err is not classified.
func ClassOf(err error) Class {
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return ""
}
