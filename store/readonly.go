package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	sqlite3 "modernc.org/sqlite/lib"
)

// A Store opened with Options.ReadOnly reads a database it must not or
// cannot write: a file on a read-only mount, a copy kept as evidence. It
// opens the file with SQLite's mode=ro and starts none of the writing
// parts: no writer, no owner lock (so runs a dead process left running
// stay as they are stored), no checkpointer, no indexer (output not yet
// indexed is not searchable). Its write methods fail with ErrReadOnly.
//
// SQLite reads a WAL database through its -shm file, which it creates
// (with an empty log) when missing and the directory allows. Where it
// cannot (a read-only mount) and no log of writes is left beside the
// file, the file is read as immutable: SQLite then takes no locks and
// reads the file alone, which is sound because nothing can write it
// there either. A log left beside it (a process that did not close the
// database) must be read with it, so then the open fails instead.

// openReadOnly is Open for Options.ReadOnly.
func openReadOnly(path string, opts Options) (*Store, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &OpenError{Path: path, Kind: ErrNotNetauto, Err: err}
	}
	err = checkHead(f, path)
	f.Close()
	if err != nil {
		return nil, err
	}
	s := newStore(path, opts)
	close(s.writerDone) // no writer
	if err := s.openReader(); err != nil {
		s.closeAll()
		return nil, classify(path, err)
	}
	s.ix = newIndexer(s.rdb) // IndexBacklog reads through the read pool
	close(s.ix.done)         // no indexer goroutine
	return s, nil
}

// openReader opens the read pool of a read-only Store and checks the
// database, as immutable when SQLite cannot open it otherwise (see above).
func (s *Store) openReader() error {
	kind := connFile
	for {
		db, err := sql.Open("sqlite", dsn(s.path, s.opts, kind))
		if err != nil {
			return err
		}
		db.SetMaxOpenConns(readConns)
		db.SetMaxIdleConns(readConns)
		s.rdb = db
		err = s.checkReadable()
		if err == nil || kind == connImmutable || sqliteCode(err) != sqlite3.SQLITE_CANTOPEN {
			return err
		}
		if logLeft(s.path) {
			return fmt.Errorf("%w (a log of writes not yet in the file lies beside it: read the database where its directory can be written)", err)
		}
		db.Close()
		s.rdb = nil
		kind = connImmutable
	}
}

// checkReadable refuses a database a read-only Store cannot read: not
// netauto's, too new, or too old to read without an upgrade.
func (s *Store) checkReadable() error {
	ctx := context.Background()
	conn, err := s.rdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	h, err := readHeader(ctx, conn)
	if err != nil {
		return err
	}
	if h.fresh() {
		return &OpenError{Path: s.path, Kind: ErrNotNetauto, Err: errors.New("an empty database")}
	}
	if err := h.check(s.path); err != nil {
		return err
	}
	if h.version < oldestReadable {
		return &OpenError{Path: s.path, Kind: ErrNeedsUpgrade,
			Err: fmt.Errorf("schema version %d, this netauto reads %d to %d", h.version, oldestReadable, schemaVersion)}
	}
	return nil
}

// oldestReadable is the oldest schema version a read-only Store reads as
// it stands: step 3 only changed how the index is written.
const oldestReadable = 2

// logLeft reports whether a WAL with content lies beside the database.
func logLeft(path string) bool {
	fi, err := os.Stat(path + "-wal")
	return err == nil && fi.Size() > 0
}
