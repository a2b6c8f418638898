package store_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"netauto/store"
)

// TestReadOnlyStoreReadsAndWritesNothing: a Store opened ReadOnly reads
// runs, output and the search index as stored, refuses every write with
// ErrReadOnly, and writes nothing: the same bytes in the file, no owner,
// nothing in a log. (Where the directory allows, SQLite's read-only
// connection creates its shared-memory file and an empty log beside the
// file; on a read-only mount it cannot, see cli's TestReadingAHistoryOnAReadOnlyMount.)
func TestReadOnlyStoreReadsAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "history.db")
	w := openStore(t, path, store.Options{})
	r := mustCreate(t, w, store.NewRun{Device: "chi1-core-1", Site: "chi1", Command: "show version"})
	output := []string{"Cisco IOS XE Software, Version 17.9\n", "uptime is 3 weeks\n"}
	storeOutput(t, w, r, output...)
	search(t, w, store.SearchQuery{Query: "uptime"}) // indexes it
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	before := dirState(t, dir)

	s := openStore(t, path, store.Options{ReadOnly: true})
	if !s.ReadOnly() {
		t.Error("ReadOnly() is false")
	}
	if got := mustRun(t, s, r.ID); got.Status != store.StatusOK || got.Device != "chi1-core-1" {
		t.Errorf("read %+v", got)
	}
	chunks := chunksOf(t, s, r.ID)
	if len(chunks) != 2 || string(chunks[1]) != output[0] || string(chunks[2]) != output[1] {
		t.Errorf("read output %q, want %q", [][]byte{chunks[1], chunks[2]}, output)
	}
	if hits, err := s.Search(ctx(t), store.SearchQuery{Query: "uptime"}); err != nil || len(hits) != 1 || hits[0].Line != 1 {
		t.Errorf("Search: %+v, %v", hits, err)
	}
	if n, err := s.IndexBacklog(ctx(t)); n != 0 || err != nil {
		t.Errorf("IndexBacklog: %d, %v", n, err)
	}
	if err := s.Flush(ctx(t)); err != nil {
		t.Errorf("Flush (nothing handed over): %v", err)
	}

	writes := map[string]error{}
	_, writes["CreateRun"] = s.CreateRun(ctx(t), store.NewRun{Device: "x", Command: "y"})
	writes["MarkRunning"] = s.MarkRunning(ctx(t), r.ID, time.Time{})
	writes["AppendChunk"] = s.AppendChunk(r.ID, 9, []byte("more\n"), time.Time{})
	writes["FinishRun"] = s.FinishRun(ctx(t), r.ID, store.Finish{Status: store.StatusError})
	writes["CatchUpIndex"] = s.CatchUpIndex(ctx(t))
	_, writes["Prune"] = s.Prune(ctx(t), store.PruneOptions{OlderThan: time.Nanosecond})
	for name, err := range writes {
		if !errors.Is(err, store.ErrReadOnly) {
			t.Errorf("%s on a read-only Store: %v, want ErrReadOnly", name, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if after := dirState(t, dir); after != before {
		t.Errorf("the directory changed:\nbefore %s\nafter  %s", before, after)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("the log beside the file holds %d bytes", fi.Size())
	}
}

// TestReadOnlyStoreRefusesWhatItCannotRead: opened ReadOnly, a missing
// file, an empty one and one of a schema too old to read as it stands
// (before the search index) are refused, and none is written; one of the
// schema before the current one is read.
func TestReadOnlyStoreRefusesWhatItCannotRead(t *testing.T) {
	dir := t.TempDir()
	if _, err := store.Open(filepath.Join(dir, "missing.db"), store.Options{ReadOnly: true}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("opening a missing file read-only created it")
	}
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(empty, store.Options{ReadOnly: true}); !errors.Is(err, store.ErrNotNetauto) {
		t.Errorf("an empty file: %v, want ErrNotNetauto", err)
	}

	old := filepath.Join(dir, "old.db")
	if err := openStore(t, old, store.Options{}).Close(); err != nil {
		t.Fatal(err)
	}
	var version int
	db := rawDB(t, old)
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", version-1)); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(old, store.Options{ReadOnly: true})
	if err != nil {
		t.Errorf("the schema before this one: %v", err)
	} else if err := s.Close(); err != nil {
		t.Error(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 1"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := dirState(t, dir)
	if _, err := store.Open(old, store.Options{ReadOnly: true}); !errors.Is(err, store.ErrNeedsUpgrade) {
		t.Errorf("schema version 1: %v, want ErrNeedsUpgrade", err)
	}
	if after := dirState(t, dir); after != before {
		t.Errorf("the directory changed:\nbefore %s\nafter  %s", before, after)
	}
}

// dirState describes every entry under dir (files by size and content
// hash) but SQLite's -shm and -wal, for comparing before and after.
func dirState(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasSuffix(rel, "-shm") || strings.HasSuffix(rel, "-wal") {
			return nil
		}
		if d.IsDir() {
			fmt.Fprintf(&b, "%s/ ", rel)
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s:%d:%x ", rel, len(data), sha256.Sum256(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
