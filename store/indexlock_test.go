package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"netauto/store"
)

// TestIndexerNeverLocksOutTheWriter: the search indexer writes on its own
// connection; a long indexing transaction must not make the writer's ops
// wait out the busy timeout and fail with ErrLocked ("locked by another
// process", from this very process). Found by the runner soak, where runs
// ended `closed: history store: mark run N running: … database is locked`
// or stayed running. A short busy timeout makes any such wait fail here.
func TestIndexerNeverLocksOutTheWriter(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "history.db"), store.Options{BusyTimeout: 20 * time.Millisecond})
	c := ctx(t)
	line := []byte("GigabitEthernet0/1 is up, line protocol is up; 1000 packets input, 2000 bytes\n")
	chunk := bytes.Repeat(line, 32<<10/len(line))
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; i < 40 && time.Now().Before(deadline); i++ {
		r, err := s.CreateRun(c, store.NewRun{Device: fmt.Sprintf("r%d", i%8), Command: "show tech-support"})
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		if err := s.MarkRunning(c, r.ID, time.Time{}); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		for seq := int64(1); seq <= 64; seq++ { // 2 MiB of lines to index
			if err := s.AppendChunk(r.ID, seq, bytes.Clone(chunk), time.Time{}); err != nil {
				t.Fatalf("run %d: %v", i, err)
			}
		}
		err = s.FinishRun(c, r.ID, store.Finish{Status: store.StatusOK})
		if errors.Is(err, store.ErrLocked) {
			t.Fatalf("run %d: the writer was locked out by this process's indexer: %v", i, err)
		}
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
}
