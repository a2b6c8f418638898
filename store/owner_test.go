package store_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"netauto/store"
)

func TestLiveOwnerRunsAreNeverInterrupted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	first := openStore(t, path, store.Options{Owner: "console-1"})
	pending := mustCreate(t, first, store.NewRun{Device: "d1", Command: "show version"})
	running := mustCreate(t, first, store.NewRun{Device: "d2", Command: "show version"})
	if err := first.MarkRunning(ctx(t), running.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := first.AppendChunk(running.ID, 1, []byte("partial"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := first.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}

	// A second process (here: a second Store with another owner) opens the
	// same file while the first is alive: nothing of the first's changes.
	second := openStore(t, path, store.Options{Owner: "history-1"})
	if r := mustRun(t, second, pending.ID); r.Status != store.StatusPending {
		t.Fatalf("live owner's pending run became %+v", r)
	}
	if r := mustRun(t, second, running.ID); r.Status != store.StatusRunning {
		t.Fatalf("live owner's running run became %+v", r)
	}
	if _, err := store.Open(path, store.Options{Owner: "console-1"}); err == nil {
		t.Fatal("Open with the owner id of a live Store: no error")
	}
	// The first keeps working, and its runs are still its to finish.
	if err := first.AppendChunk(running.ID, 2, []byte(" more"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := first.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}

	// The first goes away without finishing its runs.
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(path+".owners", "console-1.lock")); !os.IsNotExist(err) {
		t.Errorf("lock file after Close: %v, want gone", err)
	}
	third := openStore(t, path, store.Options{Owner: "console-2"})
	for _, id := range []int64{pending.ID, running.ID} {
		r := mustRun(t, third, id)
		if r.Status != store.StatusError || r.ErrorReason != store.ReasonInterrupted || r.FinishedAt.IsZero() {
			t.Errorf("orphaned run %d = %+v, want error/interrupted with a finish time", id, r)
		}
	}
	if got := len(chunksOf(t, third, running.ID)); got != 2 {
		t.Errorf("interrupted run kept %d chunks, want 2", got)
	}
	// The second Store's own runs were never at risk; it still works.
	r := mustCreate(t, second, store.NewRun{Device: "d3", Command: "x"})
	if err := second.FinishRun(ctx(t), r.ID, store.Finish{Status: store.StatusOK}); err != nil {
		t.Fatal(err)
	}
}

func TestStaleLockFileOfDeadOwnerIsRemoved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	openStore(t, path, store.Options{Owner: "alive"})
	// A lock file nobody holds: what a killed process leaves behind.
	stale := filepath.Join(path+".owners", "1234@gone:beef.lock")
	if err := os.WriteFile(stale, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	openStore(t, path, store.Options{Owner: "next"})
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale lock file: %v, want removed", err)
	}
	if _, err := os.Stat(filepath.Join(path+".owners", "alive.lock")); err != nil {
		t.Errorf("live owner's lock file: %v", err)
	}
}
