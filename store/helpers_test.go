package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"netauto/store"
)

// openStore opens a Store at path and closes it when the test ends.
func openStore(t testing.TB, path string, opts store.Options) *store.Store {
	t.Helper()
	s, err := store.Open(path, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// newStore opens a Store on a new file in a temporary directory.
func newStore(t testing.TB) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.db")
	return openStore(t, path, store.Options{}), path
}

// rawDB opens the database file directly, for checks the API does not offer.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=rw&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// ctx returns a context that ends with the test or after 20 s.
func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// mustCreate creates a run or fails the test.
func mustCreate(t testing.TB, s *store.Store, nr store.NewRun) store.Run {
	t.Helper()
	r, err := s.CreateRun(ctx(t), nr)
	if err != nil {
		t.Fatalf("CreateRun(%+v): %v", nr, err)
	}
	return r
}

// mustRun reads a run or fails the test.
func mustRun(t testing.TB, s *store.Store, id int64) store.Run {
	t.Helper()
	r, err := s.Run(ctx(t), id)
	if err != nil {
		t.Fatalf("Run(%d): %v", id, err)
	}
	return r
}

// chunksOf returns every stored chunk of a run, by seq.
func chunksOf(t testing.TB, s *store.Store, id int64) map[int64][]byte {
	t.Helper()
	out := map[int64][]byte{}
	last := int64(0)
	err := s.Output(ctx(t), id, func(seq int64, data []byte, _ time.Time) error {
		if seq <= last {
			t.Errorf("run %d: seq %d after %d", id, seq, last)
		}
		last = seq
		out[seq] = append([]byte(nil), data...)
		return nil
	})
	if err != nil {
		t.Fatalf("Output(%d): %v", id, err)
	}
	return out
}
