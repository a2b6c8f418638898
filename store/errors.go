package store

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Errors a caller can test with errors.Is.
var (
	// ErrNotFound: no run with that id.
	ErrNotFound = errors.New("run not found")
	// ErrFinished: the run has already ended; its status is final.
	ErrFinished = errors.New("run already finished")
	// ErrClosed: the Store has been closed.
	ErrClosed = errors.New("store closed")
	// ErrChunkLost: an earlier chunk of the run failed to commit (the
	// cause is wrapped beside it), so its stored output has a hole.
	ErrChunkLost = errors.New("an earlier chunk was not stored")
	// ErrLocked: the database stayed locked by another process for longer
	// than the busy timeout.
	ErrLocked = errors.New("database is locked by another process")
	// ErrNotNetauto: the file exists but is not a netauto history database
	// (another application's SQLite file, or not SQLite at all). It is left
	// untouched.
	ErrNotNetauto = errors.New("not a netauto history database")
	// ErrCorrupt: the file is a netauto database whose content is damaged.
	// It is left untouched.
	ErrCorrupt = errors.New("database file is corrupt")
	// ErrTooNew: the file was written by a newer netauto (a schema version
	// this one does not know). It is left untouched.
	ErrTooNew = errors.New("database was written by a newer netauto")
	// ErrUnwritable: the database's directory or file cannot be created or
	// written (the OS reason is wrapped).
	ErrUnwritable = errors.New("cannot create or write the database")
	// ErrNeedsUpgrade: opened read-only, the file was written by an older
	// netauto; reading it needs its schema upgraded, which a writable Open
	// does. It is left untouched.
	ErrNeedsUpgrade = errors.New("database was written by an older netauto and needs an upgrade, which writes it")
	// ErrReadOnly: a write on a Store opened with Options.ReadOnly.
	ErrReadOnly = errors.New("history database opened read-only")
)

// OpenError is the error Open returns: which file, what kind of failure
// (one of the sentinels above) and the underlying cause. errors.Is matches
// both the kind and the cause (for example fs.ErrPermission).
type OpenError struct {
	// Path is the database file (or the directory or lock file that failed).
	Path string
	// Kind is ErrLocked, ErrNotNetauto, ErrCorrupt, ErrTooNew, ErrUnwritable
	// or ErrNeedsUpgrade.
	Kind error
	// Err is the underlying cause; may be nil.
	Err error
}

// Error reports the path, the kind and the cause on one line.
func (e *OpenError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("history database %s: %v", e.Path, e.Kind)
	}
	return fmt.Sprintf("history database %s: %v: %v", e.Path, e.Kind, e.Err)
}

// Unwrap returns the kind and the cause.
func (e *OpenError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// sqliteCode returns the primary SQLite result code of err, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// isBusy reports whether err means another connection holds a lock.
func isBusy(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
}

// classify turns an error met while opening path into an *OpenError when
// its SQLite code says what kind of failure it is; other errors are
// returned wrapped with the path.
func classify(path string, err error) error {
	if err == nil {
		return nil
	}
	var oe *OpenError
	if errors.As(err, &oe) {
		return err
	}
	switch sqliteCode(err) {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return &OpenError{Path: path, Kind: ErrLocked, Err: err}
	case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
		// The file starts like SQLite (checked before SQLite opens it), so
		// a header SQLite refuses is damage, not a foreign file.
		return &OpenError{Path: path, Kind: ErrCorrupt, Err: err}
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL:
		return &OpenError{Path: path, Kind: ErrUnwritable, Err: err}
	}
	return fmt.Errorf("history database %s: %w", path, err)
}
