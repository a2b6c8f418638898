package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"netauto/store"
)

// TestCloseWaitsForAReadUnderWay closes a Store while a read of a run's
// output is still under way, as when the console quits with a history
// load in flight. The write-ahead log must be gone once Close returns:
// the next Open takes a log left with no live owner for an unclean end
// and reads the whole file for it.
func TestCloseWaitsForAReadUnderWay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := store.Open(path, store.Options{NoIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r, err := s.CreateRun(ctx, store.NewRun{Device: "r1", Command: "show version"})
	if err != nil {
		t.Fatal(err)
	}
	for seq := int64(1); seq <= 2; seq++ {
		if err := s.AppendChunk(r.ID, seq, []byte("line\n"), time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Fatalf("no write-ahead log before Close (%v): the test proves nothing", err)
	}

	reading := make(chan struct{})
	var readDone atomic.Bool
	readErr := make(chan error, 1)
	go func() {
		first := true
		readErr <- s.Output(ctx, r.ID, func(int64, []byte, time.Time) error {
			if first {
				first = false
				close(reading)
				time.Sleep(300 * time.Millisecond) // still reading when Close comes
			}
			return nil
		})
		readDone.Store(true)
	}()
	<-reading
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	_, statErr := os.Stat(path + "-wal")
	done := readDone.Load()
	if err := <-readErr; err != nil {
		t.Errorf("the read under way: %v", err)
	}
	if !errors.Is(statErr, os.ErrNotExist) {
		t.Errorf("write-ahead log after Close returned (read finished before: %v): %v, want none", done, statErr)
	}
}
