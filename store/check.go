package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	sqlite3 "modernc.org/sqlite/lib"
)

// Why Open does not run PRAGMA quick_check every time: it reads every page
// of the file, 1.65 s on a history of 100 000 runs (82 MiB) and ~0.7 s per
// GB of stored output, and the console's first frame waits for Open.
// SQLite checks each page as it reads it, so damage in a part of the file
// Open does not read surfaces as SQLITE_CORRUPT on the query that meets
// it, and the Store's methods report that as ErrCorrupt naming the file
// (asCorrupt). Open itself always reads the header (application_id,
// user_version) and the schema, and runs the full check when the file was
// last left by a process that did not close it, where damage is likeliest
// (a crash or a power cut mid-write, a disk that filled): see uncleanEnd.

// checkDatabase refuses a file that is not a netauto database or is too
// new; when deep, it also runs PRAGMA quick_check and refuses a file that
// fails it. A new, empty file passes. It never writes.
func checkDatabase(ctx context.Context, conn *sql.Conn, path string, walBytes int64) error {
	h, err := readHeader(ctx, conn)
	if err != nil {
		return err
	}
	if h.fresh() {
		return nil
	}
	if err := h.check(path); err != nil {
		return err
	}
	unclean, err := uncleanEnd(ctx, conn, path, walBytes)
	if err != nil || !unclean {
		return err
	}
	return quickCheck(ctx, conn, path)
}

// fresh reports whether the database holds nothing yet.
func (h header) fresh() bool { return h.appID == 0 && h.version == 0 && h.objects == 0 }

// check refuses a database that is not netauto's or that a newer netauto
// wrote.
func (h header) check(path string) error {
	if h.appID != applicationID {
		return &OpenError{Path: path, Kind: ErrNotNetauto,
			Err: fmt.Errorf("application_id %#x, %d schema objects", h.appID, h.objects)}
	}
	if h.version > schemaVersion {
		return &OpenError{Path: path, Kind: ErrTooNew,
			Err: fmt.Errorf("schema version %d, this netauto knows up to %d", h.version, schemaVersion)}
	}
	return nil
}

// quickCheck runs PRAGMA quick_check (reading the whole file) and turns
// the problems it finds into ErrCorrupt.
func quickCheck(ctx context.Context, conn *sql.Conn, path string) error {
	rows, err := conn.QueryContext(ctx, "PRAGMA quick_check(5)")
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return &OpenError{Path: path, Kind: ErrCorrupt, Err: errors.New(strings.Join(problems, "; "))}
	}
	return nil
}

// uncleanEnd reports whether the database at dbPath was last used by a
// process that ended without closing it: a dead owner's lock file is left
// in the owners directory (Close removes its own), unfinished runs belong
// to an owner that is gone, or a write-ahead log of walBytes (its size
// before this Open) is left while no owner is alive (the last connection
// to close removes it). It only reads the database.
func uncleanEnd(ctx context.Context, conn *sql.Conn, dbPath string, walBytes int64) (bool, error) {
	dir := ownersDir(dbPath)
	entries, _ := os.ReadDir(dir) // none: no owner ever registered
	live := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".lock") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if !probeOwner(filepath.Join(dir, e.Name())) {
			return true, nil
		}
		live++
	}
	if walBytes > 0 && live == 0 {
		return true, nil
	}
	rows, err := conn.QueryContext(ctx, `SELECT DISTINCT owner FROM runs WHERE status IN ('pending', 'running')`)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return false, err
		}
		if !validOwner(o) || !probeOwner(lockFile(dir, o)) {
			return true, nil
		}
	}
	return false, rows.Err()
}

// probeOwner reports whether the owner lock file at path is held by a live
// process, letting go of the lock at once when it was free.
func probeOwner(path string) bool {
	alive, f := ownerAlive(path)
	if f != nil {
		f.Close()
	}
	return alive
}

// asCorrupt turns an SQLite error that says the file is damaged
// (SQLITE_CORRUPT, SQLITE_NOTADB) into an *OpenError of kind ErrCorrupt
// naming path; other errors are returned as they are.
func asCorrupt(path string, err error) error {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return &OpenError{Path: path, Kind: ErrCorrupt, Err: err}
	}
	return err
}
