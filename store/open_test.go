package store_test

import (
	"bytes"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"netauto/store"
)

func TestNewFileAndDirectoryModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "netauto")
	path := filepath.Join(dir, "history.db")
	s := openStore(t, path, store.Options{Owner: "me"})
	mustCreate(t, s, store.NewRun{Device: "d", Command: "x"}) // WAL files exist now
	for p, want := range map[string]fs.FileMode{
		dir:                      0o700 | fs.ModeDir,
		filepath.Dir(dir):        0o700 | fs.ModeDir,
		path:                     0o600,
		path + "-wal":            0o600,
		path + "-shm":            0o600,
		path + ".owners":         0o700 | fs.ModeDir,
		path + ".owners/me.lock": 0o600,
	} {
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("stat %s: %v", p, err)
			continue
		}
		if st.Mode() != want {
			t.Errorf("%s mode %v, want %v", p, st.Mode(), want)
		}
	}
	var mode string
	if err := rawDB(t, path).QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

// assertOpenFails opens path, expects an *OpenError of kind want naming
// the path, and checks the file was not changed.
func assertOpenFails(t *testing.T, path string, want error, opts store.Options) error {
	t.Helper()
	before, _ := os.ReadFile(path)
	s, err := store.Open(path, opts)
	if err == nil {
		s.Close()
		t.Fatalf("Open(%s) succeeded, want %v", path, want)
	}
	if !errors.Is(err, want) {
		t.Fatalf("Open(%s) = %v, want %v", path, err, want)
	}
	var oe *store.OpenError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), oe.Path) || !strings.HasPrefix(path, oe.Path) && !strings.HasPrefix(oe.Path, filepath.Dir(path)) {
		t.Errorf("error %q does not name the path", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Errorf("Open changed %s", path)
	}
	t.Logf("%v", err)
	return err
}

func TestOpenRefusesATextFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte("router notes, do not lose\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	assertOpenFails(t, path, store.ErrNotNetauto, store.Options{})
}

func TestOpenRefusesAnotherApplicationsDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('bob')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	assertOpenFails(t, path, store.ErrNotNetauto, store.Options{})
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Error("Open left a WAL file next to a foreign database")
	}
}

// damagedHistory writes a run of 100 chunks (one 4 KB page each) as owner,
// finishes it unless leaveRunning, closes the store and scribbles over the file's last four pages: chunk
// pages, which Open itself does not read (the header and schema stay
// intact). It returns the run's id.
func damagedHistory(t *testing.T, path, owner string, leaveRunning bool) int64 {
	t.Helper()
	s := openStore(t, path, store.Options{Owner: owner, NoIndex: true})
	r := mustCreate(t, s, store.NewRun{Device: "d", Command: "x"})
	if err := s.MarkRunning(ctx(t), r.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	for seq := int64(1); seq <= 100; seq++ {
		if err := s.AppendChunk(r.ID, seq, bytes.Repeat([]byte("output "), 300), time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if !leaveRunning {
		if err := s.FinishRun(ctx(t), r.ID, store.Finish{Status: store.StatusOK}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, 4*4096), st.Size()-4*4096); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// After an unclean end (the state a killed process leaves: its lock file
// still there, unlocked, and its run still running) Open reads the whole
// file with PRAGMA quick_check and refuses damage anywhere in it.
func TestOpenRefusesACorruptDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	damagedHistory(t, path, "killed", true)
	if err := os.WriteFile(filepath.Join(path+".owners", "killed.lock"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	assertOpenFails(t, path, store.ErrCorrupt, store.Options{})

	// A damaged header (page size 3) is corruption too, not a foreign file.
	hdr := filepath.Join(t.TempDir(), "hdr.db")
	data, _ := os.ReadFile(path)
	data[16], data[17] = 0, 3
	if err := os.WriteFile(hdr, data, 0o600); err != nil {
		t.Fatal(err)
	}
	assertOpenFails(t, hdr, store.ErrCorrupt, store.Options{})
}

// After a clean close Open reads only the header and schema (quick_check
// reads the whole file, seconds on a large history); damage elsewhere is
// reported as ErrCorrupt, naming the file, by the query that meets it.
func TestCorruptPagesAfterACleanCloseFailTheQueryThatReadsThem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	id := damagedHistory(t, path, "clean", false)
	s := openStore(t, path, store.Options{NoIndex: true})
	err := s.Output(ctx(t), id, func(int64, []byte, time.Time) error { return nil })
	if !errors.Is(err, store.ErrCorrupt) || !strings.Contains(err.Error(), path) {
		t.Fatalf("Output on damaged pages = %v, want ErrCorrupt naming %s", err, path)
	}
	t.Logf("%v", err)
}

// A write-ahead log left with no live owner is an unclean end as well.
func TestOpenChecksTheWholeFileAfterAStaleLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	damagedHistory(t, path, "clean", false)
	if err := os.WriteFile(path+"-wal", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// An empty log is what a clean checkpoint leaves: no full check.
	s := openStore(t, path, store.Options{NoIndex: true})
	s.Close()
	// Any frame in it: the full check runs. (Junk frames fail their
	// checksum, so SQLite ignores them and the file stays as it was.)
	if err := os.WriteFile(path+"-wal", bytes.Repeat([]byte{1}, 100), 0o600); err != nil {
		t.Fatal(err)
	}
	assertOpenFails(t, path, store.ErrCorrupt, store.Options{})
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	s := openStore(t, path, store.Options{})
	s.Close()
	if _, err := rawDB(t, path).Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	assertOpenFails(t, path, store.ErrTooNew, store.Options{})
}

func TestOpenUnwritablePath(t *testing.T) {
	// Root ignores file modes, so use paths no one can create: under a
	// regular file (ENOTDIR), and a directory where the file should be.
	file := filepath.Join(t.TempDir(), "plain")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := assertOpenFails(t, filepath.Join(file, "netauto", "history.db"), store.ErrUnwritable, store.Options{})
	if !strings.Contains(err.Error(), file) {
		t.Errorf("error %q does not name %s", err, file)
	}
	if !errors.Is(err, syscall.ENOTDIR) && !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("error %q does not give the OS reason", err)
	}

	dir := filepath.Join(t.TempDir(), "history.db")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(dir, store.Options{})
	if err == nil {
		s.Close()
		t.Fatal("Open on a directory succeeded")
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name %s", err, dir)
	}
}

func TestOpenLockedDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	s := openStore(t, path, store.Options{})
	s.Close()
	// Another process holding the file in exclusive locking mode.
	db := rawDB(t, path)
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx(t), "PRAGMA locking_mode = EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx(t), "BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS scratch (x); COMMIT"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = assertOpenFails(t, path, store.ErrLocked, store.Options{BusyTimeout: 200 * time.Millisecond})
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Errorf("gave up after %v, before the busy timeout", waited)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s", err, path)
	}
}

func TestOpenAcceptsAnEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := openStore(t, path, store.Options{})
	mustCreate(t, s, store.NewRun{Device: "d", Command: "x"})
}

// Processes started together (two `netauto run` in one script) open a new
// database at the same moment: each must open it, neither may see the
// other's schema half made or fail on the other's switch to WAL.
func TestConcurrentOpensOfANewFile(t *testing.T) {
	const rounds, openers = 100, 3
	for round := range rounds {
		path := filepath.Join(t.TempDir(), "history.db")
		errs := make(chan error, openers)
		for range openers {
			go func() {
				s, err := store.Open(path, store.Options{})
				if err == nil {
					err = s.Close()
				}
				errs <- err
			}()
		}
		for range openers {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}
