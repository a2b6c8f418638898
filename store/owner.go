package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// ownerLock is this process's registration as an owner of runs: an
// exclusive flock on <db>.owners/<owner>.lock held while the Store is open.
// The kernel drops the lock when the process dies, however it dies, which
// is how another process tells a dead owner from a live one.
type ownerLock struct {
	path string
	f    *os.File
}

// newOwnerID returns "pid@host:random".
func newOwnerID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	host = strings.ReplaceAll(host, "/", "_")
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return fmt.Sprintf("%d@%s:%s", os.Getpid(), host, hex.EncodeToString(b[:]))
}

// validOwner reports whether id can name a lock file.
func validOwner(id string) bool {
	return id != "" && id != "." && id != ".." && len(id) <= 200 &&
		!strings.ContainsAny(id, "/\x00") && !strings.HasPrefix(id, ".")
}

// ownersDir is the directory of lock files next to the database at path.
func ownersDir(path string) string { return path + ".owners" }

// lockFile is the lock file of owner id.
func lockFile(dir, id string) string { return filepath.Join(dir, id+".lock") }

// acquireOwner creates and locks the lock file of owner id. The file is
// created and locked under a temporary name and then renamed, so no other
// process can ever see it unlocked and take its owner for dead.
func acquireOwner(dbPath, id string) (*ownerLock, error) {
	dir := ownersDir(dbPath)
	if err := mkdirPrivate(dir); err != nil {
		return nil, err
	}
	final := lockFile(dir, id)
	tmp := filepath.Join(dir, "."+id+".tmp")
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, &OpenError{Path: tmp, Kind: ErrUnwritable, Err: err}
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, &OpenError{Path: tmp, Kind: ErrUnwritable, Err: fmt.Errorf("lock: %w", err)}
	}
	if _, err := os.Lstat(final); err == nil {
		// The same owner id already has a lock file: live if it is locked.
		if alive, _ := ownerAlive(final); alive {
			f.Close()
			os.Remove(tmp)
			return nil, fmt.Errorf("history database %s: owner %q is already in use by a live process", dbPath, id)
		}
	}
	if err := os.Rename(tmp, final); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, &OpenError{Path: final, Kind: ErrUnwritable, Err: err}
	}
	return &ownerLock{path: final, f: f}, nil
}

// release removes the lock file, then drops the lock. Unfinished runs of
// this owner are from then on recovered by the next Open.
func (l *ownerLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := os.Remove(l.path)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// ownerAlive reports whether the lock file at path is held by a live
// process. A missing file means the owner is gone. When the lock can be
// taken, the returned *os.File holds it (the caller removes the file and
// closes it once the owner's runs are recovered).
func ownerAlive(path string) (bool, *os.File) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return errors.Is(err, fs.ErrPermission), nil // unreadable: assume alive, touch nothing
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return true, nil
	}
	return false, f
}

// recoverDeadOwners marks error/interrupted the unfinished runs of every
// owner whose lock is free or missing, and removes stale lock files. self
// is this Store's owner: its unfinished runs can only be from an earlier
// process that used the same id, so they are recovered too.
func recoverDeadOwners(ctx context.Context, conn *sql.Conn, dbPath, self string) error {
	dir := ownersDir(dbPath)
	rows, err := conn.QueryContext(ctx,
		`SELECT DISTINCT owner FROM runs WHERE status IN ('pending', 'running')`)
	if err != nil {
		return err
	}
	var owners []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			rows.Close()
			return err
		}
		owners = append(owners, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, o := range owners {
		seen[o] = true
		if err := recoverOwner(ctx, conn, dir, o, o == self); err != nil {
			return err
		}
	}
	// Lock files of dead owners with nothing left to recover.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".lock")
		if !ok || seen[id] || id == self || strings.HasPrefix(id, ".") {
			continue
		}
		if alive, f := ownerAlive(filepath.Join(dir, e.Name())); !alive && f != nil {
			os.Remove(filepath.Join(dir, e.Name()))
			f.Close()
		}
	}
	return nil
}

// recoverOwner finishes the unfinished runs of owner id if it is gone.
func recoverOwner(ctx context.Context, conn *sql.Conn, dir, id string, self bool) error {
	var held *os.File
	if !self && validOwner(id) {
		alive, f := ownerAlive(lockFile(dir, id))
		if alive {
			return nil
		}
		held = f
	}
	_, err := conn.ExecContext(ctx,
		`UPDATE runs SET status = 'error', error_reason = ?, finished_at = ?
		 WHERE owner = ? AND status IN ('pending', 'running')`,
		ReasonInterrupted, time.Now().UnixNano(), id)
	if held != nil {
		if err == nil {
			os.Remove(lockFile(dir, id))
		}
		held.Close()
	}
	return err
}
