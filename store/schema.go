package store

import (
	"context"
	"database/sql"
	"fmt"
)

// applicationID marks a netauto history database in the SQLite header
// (PRAGMA application_id): "NTAU".
const applicationID = 0x4e544155

// migrations are the schema steps, in order; user_version is the number of
// steps applied. Append new steps; never edit a released one.
//
// Times are INTEGER Unix nanoseconds (UTC); NULL means unset.
var migrations = []string{
	// 1: the first schema.
	`CREATE TABLE sites (
		name       TEXT PRIMARY KEY,
		run_limit  INTEGER,          -- the cap written in the inventory; NULL = none
		updated_at INTEGER NOT NULL
	);
	CREATE TABLE devices (
		name       TEXT PRIMARY KEY,
		host       TEXT NOT NULL DEFAULT '',
		port       INTEGER NOT NULL DEFAULT 0,
		platform   TEXT NOT NULL DEFAULT '',
		site       TEXT REFERENCES sites(name),
		updated_at INTEGER NOT NULL
	);
	CREATE TABLE runs (
		id           INTEGER PRIMARY KEY,
		batch_id     TEXT NOT NULL DEFAULT '',
		device       TEXT NOT NULL REFERENCES devices(name),
		site         TEXT REFERENCES sites(name),
		command      TEXT NOT NULL,
		status       TEXT NOT NULL DEFAULT 'pending'
		             CHECK (status IN ('pending', 'running', 'ok', 'error')),
		error_reason TEXT,
		exit_code    INTEGER,
		bytes        INTEGER NOT NULL DEFAULT 0,
		requested_by TEXT NOT NULL DEFAULT '',
		owner        TEXT NOT NULL,
		created_at   INTEGER NOT NULL,
		started_at   INTEGER,
		finished_at  INTEGER
	);
	CREATE INDEX runs_device  ON runs(device, id DESC);
	CREATE INDEX runs_site    ON runs(site, id DESC);
	CREATE INDEX runs_status  ON runs(status, id DESC);
	CREATE INDEX runs_command ON runs(command, id DESC);
	CREATE INDEX runs_batch   ON runs(batch_id, id DESC);
	CREATE INDEX runs_unfinished ON runs(owner) WHERE status IN ('pending', 'running');
	CREATE TABLE run_chunks (
		run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
		seq    INTEGER NOT NULL CHECK (seq >= 1),
		data   BLOB NOT NULL,
		at     INTEGER NOT NULL,
		PRIMARY KEY (run_id, seq)
	);`,
	// 2: full-text search over output (see search_index.go). search_docs
	// holds the sanitized output in blocks of whole lines; search_fts
	// indexes them (external content, kept in step by triggers, so a
	// deleted run's blocks leave the index with it; since step 3 only on
	// delete); search_progress is
	// each run's indexing high-water mark, so indexing resumes after a
	// restart where it stopped.
	`CREATE TABLE search_docs (
		id         INTEGER PRIMARY KEY,
		run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
		first_line INTEGER NOT NULL, -- number (from 0) of the block's first line in the run's output
		text       TEXT NOT NULL     -- sanitized lines joined by newlines
	);
	CREATE INDEX search_docs_run ON search_docs(run_id, first_line);
	CREATE VIRTUAL TABLE search_fts USING fts5(text, content='search_docs', content_rowid='id',
		tokenize='unicode61 remove_diacritics 0');
	CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN
		INSERT INTO search_fts(rowid, text) VALUES (new.id, new.text);
	END;
	CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
		INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.id, old.text);
	END;
	CREATE TABLE search_progress (
		run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
		seq    INTEGER NOT NULL,           -- the last chunk indexed
		bytes  INTEGER NOT NULL,           -- bytes of the chunks indexed
		line   INTEGER NOT NULL,           -- lines indexed: the next line's number
		carry  BLOB NOT NULL,              -- raw bytes after the last newline, not yet indexed
		done   INTEGER NOT NULL DEFAULT 0  -- 1: the run ended and all of it is indexed
	);`,
	// 3: the indexer fills search_fts with an INSERT of its own (see
	// searchindex.go). Through the trigger every block's INSERT was a
	// statement with a savepoint, and FTS5 writes its pending terms to
	// disk at each savepoint: a small segment per block, merged over and
	// over. The delete trigger stays.
	`DROP TRIGGER search_docs_insert;`,
}

// schemaVersion is the user_version of a database with every step applied.
var schemaVersion = len(migrations)

// header is what identifies a database: its application_id, its schema
// version and whether it holds any schema object at all.
type header struct {
	appID   int64
	version int
	objects int
}

// readHeader reads the identifying pragmas of the database behind conn in
// one statement, so one read transaction: another process creating the
// schema at the same moment is seen either before or after, never half.
func readHeader(ctx context.Context, conn *sql.Conn) (header, error) {
	var h header
	err := conn.QueryRowContext(ctx, `SELECT a.application_id, v.user_version,
		(SELECT count(*) FROM sqlite_schema) FROM pragma_application_id a, pragma_user_version v`).
		Scan(&h.appID, &h.version, &h.objects)
	return h, err
}

// migrate applies the missing steps in one transaction. It re-reads the
// version inside the transaction so that two processes opening a new file
// at once apply each step once.
func migrate(ctx context.Context, conn *sql.Conn) error {
	tx, err := conn.BeginTx(ctx, nil) // BEGIN IMMEDIATE (see the DSN)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	var h header
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&h.version); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, "PRAGMA application_id").Scan(&h.appID); err != nil {
		return err
	}
	if h.version >= schemaVersion {
		return nil
	}
	if h.version == 0 && h.appID == 0 {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
			return err
		}
	}
	for i := h.version; i < schemaVersion; i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("schema step %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}
