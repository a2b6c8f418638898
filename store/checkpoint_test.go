package store_test

import (
	"bytes"
	"os"
	"testing"
	"time"

	"netauto/store"
)

// A long stream keeps the WAL bounded while the checkpointer copies it
// back beside the writer, and every byte is in the database after a
// reopen.
func TestLongStreamKeepsWALBounded(t *testing.T) {
	s, path := newStore(t)
	r := mustCreate(t, s, store.NewRun{BatchID: "b", Device: "d1", Command: "cat big"})
	if err := s.MarkRunning(ctx(t), r.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	const chunk, chunks = 32 << 10, 1536 // 48 MiB, three times the WAL's backstop at 4 KiB pages
	line := bytes.Repeat([]byte("GigabitEthernet1/0/1 is up, line protocol is up\n"), chunk/48+1)[:chunk]
	var maxWAL int64
	for seq := int64(1); seq <= chunks; seq++ {
		if err := s.AppendChunk(r.ID, seq, line, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if seq%64 == 0 {
			if st, err := os.Stat(path + "-wal"); err == nil {
				maxWAL = max(maxWAL, st.Size())
			}
		}
	}
	if err := s.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}
	// The backstop is 4096 pages; a batch or two more may be queued then.
	if limit := int64(4096*16<<10 + 8<<20); maxWAL > limit {
		t.Errorf("WAL grew to %d bytes during the stream, want at most %d", maxWAL, limit)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var n, total int64
	err := rawDB(t, path).QueryRow(`SELECT count(*), sum(length(data)) FROM run_chunks WHERE run_id = ?`, r.ID).Scan(&n, &total)
	if err != nil {
		t.Fatal(err)
	}
	if n != chunks || total != chunks*chunk {
		t.Errorf("stored %d chunks, %d bytes; want %d, %d", n, total, chunks, chunks*chunk)
	}
}
