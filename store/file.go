package store

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// prepareFile makes sure path can hold a netauto database before SQLite
// touches it: the directory exists (created 0700), and the file is either
// created here, empty, with mode 0600, or already exists, is writable and
// starts like a SQLite database. A file that is neither is never opened by
// SQLite, so it cannot be overwritten.
func prepareFile(path string) error {
	dir := filepath.Dir(path)
	if err := mkdirPrivate(dir); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		err = f.Chmod(0o600) // whatever the umask said
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return &OpenError{Path: path, Kind: ErrUnwritable, Err: err}
		}
		return nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return &OpenError{Path: path, Kind: ErrUnwritable, Err: err}
	}
	f, err = os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return &OpenError{Path: path, Kind: ErrUnwritable, Err: err}
	}
	defer f.Close()
	return checkHead(f, path)
}

// checkHead refuses an existing file f (the database at path) that is not
// a regular file or does not start like SQLite; an empty file passes.
func checkHead(f *os.File, path string) error {
	st, err := f.Stat()
	if err != nil {
		return &OpenError{Path: path, Kind: ErrUnwritable, Err: err}
	}
	if !st.Mode().IsRegular() {
		return &OpenError{Path: path, Kind: ErrNotNetauto, Err: errors.New("not a regular file")}
	}
	if st.Size() == 0 {
		return nil // an empty file is an empty database
	}
	head := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteMagic) {
		return &OpenError{Path: path, Kind: ErrNotNetauto, Err: errors.New("not a SQLite file")}
	}
	return nil
}

// mkdirPrivate creates dir and its missing parents with mode 0700. An
// existing directory keeps its mode.
func mkdirPrivate(dir string) error {
	st, err := os.Stat(dir)
	if err == nil {
		if !st.IsDir() {
			return &OpenError{Path: dir, Kind: ErrUnwritable, Err: errors.New("not a directory")}
		}
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return &OpenError{Path: dir, Kind: ErrUnwritable, Err: err}
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return &OpenError{Path: dir, Kind: ErrUnwritable, Err: err}
	}
	return nil
}

// tightenSidecars gives the WAL and shared-memory files SQLite created next
// to path mode 0600 (SQLite copies the database's mode; this only makes sure).
func tightenSidecars(path string) {
	for _, suffix := range []string{"-wal", "-shm"} {
		_ = os.Chmod(path+suffix, 0o600) // absent or not ours: nothing to do
	}
}
