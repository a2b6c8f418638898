package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// readConns is the size of the read pool.
const readConns = 4

// pageSize is the page size of a new database: 16 KiB, so that a ~32 KiB
// chunk of a fast stream takes three pages instead of nine (less CPU and
// fewer writes per byte stored), while a 4 KiB chunk still fits in one.
const pageSize = 16 << 10

// Store is one process's handle on a history database. Its methods are safe
// for concurrent use.
type Store struct {
	path  string
	owner string
	opts  Options
	wdb   *sql.DB   // the one writer connection
	wconn *sql.Conn // held by the writer goroutine
	rdb   *sql.DB   // read pool (query_only)
	lock  *ownerLock
	ix    *indexer // the search indexer (searchindex.go)

	ckpt *checkpointer // checkpoints the WAL beside the writer (checkpoint.go)

	mu         sync.Mutex
	room       *sync.Cond // a chunk producer waits on it for room in the queue
	queue      []op
	qChunks    int
	qBytes     int
	firstAt    time.Time // when the oldest queued op was queued
	urgent     bool      // commit without waiting for FlushInterval
	closed     bool
	lastChunks time.Time       // when the writer last committed chunks
	committing bool            // the writer is running a batch
	chunkErr   error           // first chunk failure since the last Flush
	lost       map[int64]error // runs with a chunk that failed to commit, and why

	// txMu is held by whichever of this process's two write connections
	// (the writer's and the indexer's) has a write transaction open, so
	// that neither waits for the other through SQLite's busy timeout,
	// which fails it as ErrLocked once the other runs long.
	txMu sync.Mutex

	wake       chan struct{}
	writerDone chan struct{}
	closeOnce  sync.Once
	closeErr   error
}

// Open opens the history database at path, creating it (directory 0700,
// file 0600) when missing. It checks that an existing file is a netauto
// database (header and schema; the whole file with PRAGMA quick_check only
// after an unclean end, see check.go), applies schema migrations, switches
// to WAL, registers this process as an owner and marks error/interrupted
// the unfinished runs of owners that are gone. Errors are *OpenError
// values naming the path, matching ErrLocked, ErrNotNetauto, ErrCorrupt,
// ErrTooNew or ErrUnwritable; a file that is not a netauto database is
// never written. With Options.ReadOnly it does none of the writing, reads
// an existing file as it stands (readonly.go) and may also fail with
// ErrNeedsUpgrade.
func Open(path string, opts Options) (*Store, error) {
	opts = opts.withDefaults()
	if opts.Owner == "" {
		opts.Owner = newOwnerID()
	}
	if !validOwner(opts.Owner) {
		return nil, fmt.Errorf("history database: invalid owner id %q", opts.Owner)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &OpenError{Path: path, Kind: ErrUnwritable, Err: err}
	}
	if opts.ReadOnly {
		return openReadOnly(abs, opts)
	}
	if err := prepareFile(abs); err != nil {
		return nil, err
	}
	s := newStore(abs, opts)
	if err := s.open(); err != nil {
		s.closeAll()
		return nil, classify(abs, err)
	}
	if err := s.openIndexer(); err != nil {
		s.closeAll()
		return nil, classify(abs, err)
	}
	go s.writeLoop()
	return s, nil
}

// newStore is a Store on path with none of its parts open yet.
func newStore(path string, opts Options) *Store {
	s := &Store{
		path:       path,
		owner:      opts.Owner,
		opts:       opts,
		wake:       make(chan struct{}, 1),
		writerDone: make(chan struct{}),
	}
	s.room = sync.NewCond(&s.mu)
	return s
}

// open does the SQLite part of Open.
func (s *Store) open() error {
	ctx := context.Background()
	var err error
	if s.wdb, err = sql.Open("sqlite", dsn(s.path, s.opts, connWriter)); err != nil {
		return err
	}
	s.wdb.SetMaxOpenConns(1)
	s.wdb.SetMaxIdleConns(1)
	s.wdb.SetConnMaxLifetime(0)
	s.wdb.SetConnMaxIdleTime(0)
	var walBytes int64 // a log left behind (see uncleanEnd)
	if fi, err := os.Stat(s.path + "-wal"); err == nil {
		walBytes = fi.Size()
	}
	if s.wconn, err = s.wdb.Conn(ctx); err != nil {
		return err
	}
	if err := checkDatabase(ctx, s.wconn, s.path, walBytes); err != nil {
		return err
	}
	// Only a new, empty database takes the page size; an existing one
	// keeps its own.
	if _, err := s.wconn.ExecContext(ctx, fmt.Sprintf("PRAGMA page_size = %d", pageSize)); err != nil {
		return err
	}
	if err := switchToWAL(ctx, s.wconn, s.opts.BusyTimeout); err != nil {
		return err
	}
	tightenSidecars(s.path)
	if err := migrate(ctx, s.wconn); err != nil {
		return err
	}
	if s.lock, err = acquireOwner(s.path, s.owner); err != nil {
		return err
	}
	if err := recoverDeadOwners(ctx, s.wconn, s.path, s.owner); err != nil {
		return err
	}
	if s.rdb, err = sql.Open("sqlite", dsn(s.path, s.opts, connReader)); err != nil {
		return err
	}
	s.rdb.SetMaxOpenConns(readConns)
	s.rdb.SetMaxIdleConns(readConns)
	s.ckpt, err = startCheckpointer(s.path, s.opts)
	return err
}

// switchToWAL puts the database in WAL mode. On a new file another
// process may be switching it at the same moment, and SQLite answers
// SQLITE_BUSY at once there, without its busy handler: the switch is
// retried, every walRetry, for up to busy.
func switchToWAL(ctx context.Context, conn *sql.Conn, busy time.Duration) error {
	deadline := time.Now().Add(busy)
	for {
		var mode string
		err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
		switch {
		case err == nil && strings.EqualFold(mode, "wal"):
			return nil
		case err == nil:
			return fmt.Errorf("cannot switch to WAL (journal_mode is %s)", mode)
		case !isBusy(err) || time.Now().After(deadline):
			return err
		}
		time.Sleep(walRetry)
	}
}

// walRetry is the pause between two attempts of switchToWAL.
const walRetry = 5 * time.Millisecond

// connKind is what a connection of the data source dsn builds is for.
type connKind int

const (
	connWriter    connKind = iota // a write connection: the writer's, the indexer's, the checkpointer's
	connReader                    // the read pool of a Store that writes
	connFile                      // the read pool of a read-only Store (readonly.go)
	connImmutable                 // the same, on a file SQLite may not lock (readonly.go)
)

// dsn is the modernc.org/sqlite data source for path: the file must exist,
// with busy_timeout on every connection. Connections of a Store that
// writes open it mode=rw, with foreign keys and synchronous=NORMAL; the
// writer begins IMMEDIATE transactions, readers are query_only. A write
// connection checkpoints by itself only past walAutoPages (see
// checkpoint.go). A read-only Store's connections open it mode=ro (and
// immutable), query_only.
func dsn(path string, o Options, kind connKind) string {
	q := url.Values{}
	q.Set("mode", "rw")
	if kind == connFile || kind == connImmutable {
		q.Set("mode", "ro")
	}
	if kind == connImmutable {
		q.Set("immutable", "1")
	}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", o.BusyTimeout.Milliseconds()))
	if kind == connWriter || kind == connReader {
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous(NORMAL)")
	}
	if kind == connWriter {
		q.Set("_txlock", "immediate")
		q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", walAutoPages))
		q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", walLimitBytes))
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	u := url.URL{Scheme: "file", Path: path, RawQuery: q.Encode()}
	return u.String()
}

// waitClosed waits up to limit for the connections of db, closed, to be
// given back by the queries still using them (sql.DB.Close does not wait
// for those).
func waitClosed(db *sql.DB, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for db.Stats().OpenConnections > 0 && time.Now().Before(deadline) {
		time.Sleep(closePoll)
	}
}

// closePoll is how often waitClosed looks.
const closePoll = 2 * time.Millisecond

// Path returns the database file's absolute path.
func (s *Store) Path() string { return s.path }

// ReadOnly reports whether the Store was opened with Options.ReadOnly.
func (s *Store) ReadOnly() bool { return s.opts.ReadOnly }

// Owner returns this Store's owner id, recorded on the runs it creates.
func (s *Store) Owner() string { return s.owner }

// Close commits everything handed over, stops the writer, closes the
// database and releases the owner lock. Runs this Store left unfinished
// are marked error/interrupted by the next Open. It returns the first
// chunk failure not yet reported by Flush, if any. Calling Close again
// returns the same result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.room.Broadcast()
		s.mu.Unlock()
		s.signal()
		<-s.writerDone
		ixErr := s.closeIndexer()
		s.mu.Lock()
		err := s.chunkErr
		s.chunkErr = nil
		s.mu.Unlock()
		s.closeErr = errors.Join(err, ixErr, s.closeAll())
	})
	return s.closeErr
}

// closeAll closes the connections and releases the owner lock. The reads
// go first, and closeAll waits (up to the busy timeout) for those still
// under way: the last connection to a WAL database checkpoints it and
// removes the log, and the next Open takes a log left behind with no live
// owner for an unclean end, for which it reads the whole file
// (uncleanEnd, quickCheck). A read a goroutine had started when the
// process quit, its connection closed only after the writer's or never,
// left such a log; the next console took 0.5-0.8 s more to open 100k runs.
func (s *Store) closeAll() error {
	var errs []error
	if s.rdb != nil {
		errs = append(errs, s.rdb.Close())
		waitClosed(s.rdb, s.opts.BusyTimeout)
	}
	errs = append(errs, s.ckpt.close())
	if s.wconn != nil {
		errs = append(errs, s.wconn.Close())
	}
	if s.wdb != nil {
		errs = append(errs, s.wdb.Close())
	}
	errs = append(errs, s.lock.release())
	return errors.Join(errs...)
}
