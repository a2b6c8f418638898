package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"netauto/store"
)

// chunkSizes are the chunk sizes benchmarked: a full 4 KB read and a
// short line.
var chunkSizes = []int{4096, 64}

// BenchmarkWriterChunks hands b.N chunks of one run to the Store's writer
// (AppendChunk, then one Flush) with the default options.
func BenchmarkWriterChunks(b *testing.B) {
	for _, size := range chunkSizes {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			s := openStore(b, filepath.Join(b.TempDir(), "history.db"), store.Options{})
			r := mustCreate(b, s, store.NewRun{Device: "bench", Command: "show tech"})
			data := bytes.Repeat([]byte("x"), size) // never changed, so sharing it is safe
			at := time.Now()
			b.SetBytes(int64(size))
			b.ResetTimer()
			cpu := cpuTime()
			for i := 0; i < b.N; i++ {
				if err := s.AppendChunk(r.ID, int64(i+1), data, at); err != nil {
					b.Fatal(err)
				}
			}
			if err := s.Flush(context.Background()); err != nil {
				b.Fatal(err)
			}
			reportRows(b, cpu)
		})
	}
}

// BenchmarkPlainInsert is the baseline: a loop inserting the same chunks
// into the same schema in transactions of 1000 rows with a prepared
// statement, on one connection with the Store's pragmas.
func BenchmarkPlainInsert(b *testing.B) {
	for _, size := range chunkSizes {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "history.db")
			s := openStore(b, path, store.Options{})
			r := mustCreate(b, s, store.NewRun{Device: "bench", Command: "show tech"})
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
			db, err := sql.Open("sqlite", "file:"+path+
				"?mode=rw&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate")
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			db.SetMaxOpenConns(1)
			data := bytes.Repeat([]byte("x"), size)
			at := time.Now().UnixNano()
			const batch = store.DefaultFlushRows
			b.SetBytes(int64(size))
			b.ResetTimer()
			cpu := cpuTime()
			for i := 0; i < b.N; i += batch {
				tx, err := db.Begin()
				if err != nil {
					b.Fatal(err)
				}
				st, err := tx.Prepare(`INSERT INTO run_chunks (run_id, seq, data, at) VALUES (?, ?, ?, ?)`)
				if err != nil {
					b.Fatal(err)
				}
				for j := i; j < min(i+batch, b.N); j++ {
					if _, err := st.Exec(r.ID, int64(j+1), data, at); err != nil {
						b.Fatal(err)
					}
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
			}
			reportRows(b, cpu)
		})
	}
}

// cpuTime is the CPU time (user + system, all threads) this process has
// used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportRows reports rows/s (wall clock) and CPU time per row since
// cpuStart: on a shared, busy machine the latter is the steadier figure.
func reportRows(b *testing.B, cpuStart time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(cpuTime()-cpuStart)/float64(b.N), "cpu-ns/row")
}

// BenchmarkOpenHistory100MB measures Open and Close on a history of 100 MB
// of output. The first Open recovers the run left running and so checks
// the whole file (PRAGMA quick_check); the others follow a clean close.
func BenchmarkOpenHistory100MB(b *testing.B) {
	path := filepath.Join(b.TempDir(), "history.db")
	s := openStore(b, path, store.Options{})
	r := mustCreate(b, s, store.NewRun{Device: "bench", Command: "show tech"})
	data := bytes.Repeat([]byte("x"), 4096)
	for seq := int64(1); seq <= 25600; seq++ {
		if err := s.AppendChunk(r.ID, seq, data, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		s, err := store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/open")
}
