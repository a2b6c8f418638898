package store_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"netauto/store"
)

func TestFlushThenReopenKeepsEverything(t *testing.T) {
	path := t.TempDir() + "/state/history.db"
	s, err := store.Open(path, store.Options{FlushInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	r := mustCreate(t, s, store.NewRun{BatchID: "b", Device: "d1", Site: "s1", Command: "show log"})
	if err := s.MarkRunning(ctx(t), r.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	want := map[int64][]byte{}
	for seq := int64(1); seq <= 200; seq++ {
		data := []byte(fmt.Sprintf("line %d\n", seq))
		want[seq] = data
		if err := s.AppendChunk(r.ID, seq, bytes.Clone(data), time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx(t), r.ID, store.Finish{Status: store.StatusError, Reason: "exit status 1", ExitCode: new(1)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := openStore(t, path, store.Options{})
	got := mustRun(t, s2, r.ID)
	if got.Status != store.StatusError || got.ErrorReason != "exit status 1" || got.ExitCode == nil || *got.ExitCode != 1 {
		t.Errorf("reopened run = %+v", got)
	}
	chunks := chunksOf(t, s2, r.ID)
	if len(chunks) != len(want) {
		t.Fatalf("reopened: %d chunks, want %d", len(chunks), len(want))
	}
	for seq, data := range want {
		if !bytes.Equal(chunks[seq], data) {
			t.Errorf("chunk %d = %q, want %q", seq, chunks[seq], data)
		}
	}
}
