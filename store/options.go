package store

import "time"

// Defaults for the zero fields of Options.
const (
	DefaultBusyTimeout   = 5 * time.Second
	DefaultFlushInterval = 50 * time.Millisecond
	DefaultFlushBytes    = 1 << 20
	DefaultFlushRows     = 1000
)

// Options tune a Store; the zero value means the defaults.
type Options struct {
	// BusyTimeout is how long a statement waits for another process's lock
	// before failing with ErrLocked (default 5 s).
	BusyTimeout time.Duration
	// FlushInterval is the longest a handed-over chunk waits before its
	// batch commits (default 50 ms): what a process kill can lose at most.
	FlushInterval time.Duration
	// FlushBytes commits a batch once this many chunk bytes are queued
	// (default 1 MiB).
	FlushBytes int
	// FlushRows commits a batch once this many chunks are queued
	// (default 1000).
	FlushRows int
	// Owner identifies this process in runs.owner and names its lock file;
	// "" means generated ("pid@host:random"). It must not contain '/'.
	Owner string
	// NoIndex turns the search indexer off for this Store: output is not
	// indexed by this process (another one, or a later Open, catches up).
	// Benchmarks use it to measure the writer alone.
	NoIndex bool
	// ReadOnly opens an existing database for reading only, for a file
	// this process cannot or must not write (see readonly.go): the file is
	// not written, no owner is registered, and the write methods fail with
	// ErrReadOnly.
	ReadOnly bool
}

// withDefaults fills the zero fields.
func (o Options) withDefaults() Options {
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = DefaultBusyTimeout
	}
	if o.FlushInterval <= 0 {
		o.FlushInterval = DefaultFlushInterval
	}
	if o.FlushBytes <= 0 {
		o.FlushBytes = DefaultFlushBytes
	}
	if o.FlushRows <= 0 {
		o.FlushRows = DefaultFlushRows
	}
	return o
}

// queueRows and queueBytes bound what may wait for the writer: a producer
// of chunks blocks beyond them (backpressure), so memory stays bounded
// however far the disk falls behind.
func (o Options) queueRows() int  { return 4 * o.FlushRows }
func (o Options) queueBytes() int { return 4 * o.FlushBytes }
