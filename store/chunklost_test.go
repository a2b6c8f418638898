package store_test

import (
	"errors"
	"testing"
	"time"

	"netauto/store"
)

// TestChunkLostEndsTheRunsAppends: once a chunk of a run fails to commit
// (here a duplicate seq; on a full disk, any), the run's next AppendChunk
// fails with ErrChunkLost, so the runner ends the run instead of streaming
// on into a hole; other runs are unaffected, and FinishRun forgets it.
func TestChunkLostEndsTheRunsAppends(t *testing.T) {
	s, _ := newStore(t)
	c := ctx(t)
	bad := mustCreate(t, s, store.NewRun{Device: "r1", Command: "show version"})
	good := mustCreate(t, s, store.NewRun{Device: "r2", Command: "show version"})
	for _, id := range []int64{bad.ID, good.ID} {
		if err := s.AppendChunk(id, 1, []byte("one\n"), time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AppendChunk(bad.ID, 1, []byte("again\n"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(c); err == nil {
		t.Fatal("Flush after a duplicate seq: no error")
	}
	err := s.AppendChunk(bad.ID, 2, []byte("two\n"), time.Time{})
	if !errors.Is(err, store.ErrChunkLost) {
		t.Fatalf("AppendChunk after a lost chunk: %v, want ErrChunkLost", err)
	}
	if err := s.AppendChunk(good.ID, 2, []byte("two\n"), time.Time{}); err != nil {
		t.Fatalf("another run's AppendChunk: %v", err)
	}
	if err := s.FinishRun(c, bad.ID, store.Finish{Status: store.StatusError, Reason: "closed: history store"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(c); err != nil {
		t.Fatal(err)
	}
	if got := chunksOf(t, s, good.ID); len(got) != 2 {
		t.Errorf("good run has %d chunks, want 2", len(got))
	}
}
