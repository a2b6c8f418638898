package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// openOld writes a database as an older netauto left it (its
// application_id, then statements) and opens it with this one, without
// the indexer goroutine; the Store is closed when the test ends.
func openOld(t *testing.T, statements ...string) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append([]string{fmt.Sprintf("PRAGMA application_id = %d", applicationID)}, statements...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s, err := Open(path, Options{NoIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// A database written before the search index existed (schema version 1)
// is upgraded at Open, and its old output becomes searchable.
func TestMigrateVersion1AddsSearch(t *testing.T) {
	s := openOld(t,
		migrations[0],
		"PRAGMA user_version = 1",
		"INSERT INTO devices (name, updated_at) VALUES ('r1', 0)",
		"INSERT INTO runs (id, device, command, status, owner, created_at, bytes) VALUES (1, 'r1', 'show clock', 'ok', 'gone', 1, 24)",
		"INSERT INTO run_chunks (run_id, seq, data, at) VALUES (1, 1, CAST('old output\nfrom v1\n' AS BLOB), 1)")
	ctx := context.Background()
	var v int
	if err := s.rdb.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil || v != schemaVersion {
		t.Fatalf("user_version %d (%v), want %d", v, err, schemaVersion)
	}
	if n, _ := s.IndexBacklog(ctx); n != 1 {
		t.Errorf("backlog %d, want 1", n)
	}
	if err := s.CatchUpIndex(ctx); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search(ctx, SearchQuery{Query: "v1"})
	if err != nil || len(hits) != 1 || hits[0].Line != 1 || hits[0].Text != "from v1" {
		t.Fatalf("hits %+v, %v", hits, err)
	}
}

// A database of schema version 2 (blocks indexed by a trigger) loses the
// insert trigger at Open: its indexed output is still found, and output
// indexed since is found once, not twice.
func TestMigrateVersion2DropsTheInsertTrigger(t *testing.T) {
	s := openOld(t,
		migrations[0],
		migrations[1],
		"PRAGMA user_version = 2",
		"INSERT INTO devices (name, updated_at) VALUES ('r1', 0)",
		"INSERT INTO runs (id, device, command, status, owner, created_at, bytes) VALUES (1, 'r1', 'show clock', 'ok', 'gone', 1, 15)",
		"INSERT INTO run_chunks (run_id, seq, data, at) VALUES (1, 1, CAST('indexed by v2\n' AS BLOB), 1)",
		"INSERT INTO search_docs (run_id, first_line, text) VALUES (1, 0, 'indexed by v2')",
		"INSERT INTO search_progress (run_id, seq, bytes, line, carry, done) VALUES (1, 1, 15, 1, x'', 1)",
		"INSERT INTO runs (id, device, command, status, owner, created_at, bytes) VALUES (2, 'r1', 'show clock', 'ok', 'gone', 2, 19)",
		"INSERT INTO run_chunks (run_id, seq, data, at) VALUES (2, 1, CAST('left for v3 indexed\n' AS BLOB), 2)")
	ctx := context.Background()
	var triggers int
	if err := s.rdb.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'search_docs_insert'`).Scan(&triggers); err != nil || triggers != 0 {
		t.Fatalf("insert trigger still there (%d, %v)", triggers, err)
	}
	if err := s.CatchUpIndex(ctx); err != nil {
		t.Fatal(err)
	}
	for query, run := range map[string]int64{"v2": 1, "v3": 2, "indexed": 0} {
		hits, err := s.Search(ctx, SearchQuery{Query: query})
		if err != nil {
			t.Fatal(err)
		}
		want := 1
		if run == 0 {
			want = 2 // one line in each run
		}
		if len(hits) != want || (run != 0 && hits[0].RunID != run) {
			t.Errorf("%q: hits %+v, want %d in run %d", query, hits, want, run)
		}
	}
}
