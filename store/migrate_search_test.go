package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// A database written before the search index existed (schema version 1)
// is upgraded at Open, and its old output becomes searchable.
func TestMigrateVersion1AddsSearch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		fmt.Sprintf("PRAGMA application_id = %d", applicationID),
		migrations[0],
		"PRAGMA user_version = 1",
		"INSERT INTO devices (name, updated_at) VALUES ('r1', 0)",
		"INSERT INTO runs (id, device, command, status, owner, created_at, bytes) VALUES (1, 'r1', 'show clock', 'ok', 'gone', 1, 24)",
		"INSERT INTO run_chunks (run_id, seq, data, at) VALUES (1, 1, CAST('old output\nfrom v1\n' AS BLOB), 1)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s, err := Open(path, Options{NoIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
