package store_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"netauto/store"
)

// A new database gets 16 KiB pages; one made with another page size keeps
// its own.
func TestPageSize(t *testing.T) {
	pageSize := func(path string) int {
		var n int
		if err := rawDB(t, path).QueryRow("PRAGMA page_size").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	s, path := newStore(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := pageSize(path); got != 16<<10 {
		t.Errorf("new database: page_size %d, want %d", got, 16<<10)
	}

	old := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+old+"?_pragma=page_size(4096)&_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	// Empty, but its page size fixed (journal_mode=WAL wrote its header).
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s2 := openStore(t, old, store.Options{})
	mustCreate(t, s2, store.NewRun{Device: "d1", Command: "show version"})
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	if got := pageSize(old); got != 4096 {
		t.Errorf("existing database: page_size %d, want 4096 kept", got)
	}
}
