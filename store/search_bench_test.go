package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"netauto/store"
)

// benchOutput builds n bytes of show-interfaces-like text (about 50
// bytes a line), varied by seed so that runs differ.
func benchOutput(n int, seed int) []byte {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		switch i % 6 {
		case 0:
			fmt.Fprintf(&b, "GigabitEthernet%d/0/%d is up, line protocol is up\n", seed%4, i%48)
		case 1:
			fmt.Fprintf(&b, "  5 minute input rate %d bits/sec, %d packets/sec\n", (i*seed)%100000, i%1000)
		case 2:
			fmt.Fprintf(&b, "     %d packets input, %d bytes, 0 no buffer\n", i*seed, i*seed*64)
		case 3:
			fmt.Fprintf(&b, "     %d input errors, %d CRC, 0 frame, 0 overrun, 0 ignored\n", i%7, i%5)
		case 4:
			fmt.Fprintf(&b, "  Description: uplink to core-%d port %d\n", seed%97, i%48)
		default:
			b.WriteString("  Last clearing of \"show interface\" counters never\n")
		}
	}
	return []byte(b.String()[:n])
}

// BenchmarkWriterIndex measures the chunk writer side by side without
// and with the search indexer running behind it: b.N chunks of 4 KB of
// text through AppendChunk, then Flush. index=on also reports how long
// the index took to catch up after the Flush (catchup-ms) and the pages
// the index takes per byte of output (index-B/B).
func BenchmarkWriterIndex(b *testing.B) {
	data := benchOutput(4096, 7)
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("index=%v", on), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "history.db")
			s := openStore(b, path, store.Options{NoIndex: !on})
			r := mustCreate(b, s, store.NewRun{Device: "bench", Command: "show interfaces"})
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			cpu := cpuTime()
			for i := 0; i < b.N; i++ {
				if err := s.AppendChunk(r.ID, int64(i+1), data, time.Time{}); err != nil {
					b.Fatal(err)
				}
			}
			if err := s.Flush(context.Background()); err != nil {
				b.Fatal(err)
			}
			reportRows(b, cpu)
			b.StopTimer()
			if on {
				start := time.Now()
				if err := s.CatchUpIndex(context.Background()); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(time.Since(start).Milliseconds()), "catchup-ms")
				var index int64
				if err := rawDB(b, path).QueryRow(`SELECT sum(pgsize) FROM dbstat
					WHERE name IN ('search_docs', 'search_docs_run') OR name LIKE 'search_fts%'`).Scan(&index); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(index)/float64(b.N*len(data)), "index-B/B")
			}
		})
	}
}

// BenchmarkCatchUpIndex measures the indexer alone: 96 MB of interface
// output (3000 chunks of 32 KiB, as a fast stream stores them) stored
// without an index, then indexed by CatchUpIndex; b.N passes, each on a
// fresh copy of that backlog.
func BenchmarkCatchUpIndex(b *testing.B) {
	data := benchOutput(32<<10, 7)
	const chunks = 3000
	backlog := filepath.Join(b.TempDir(), "backlog.db")
	w := openStore(b, backlog, store.Options{NoIndex: true})
	r := mustCreate(b, w, store.NewRun{Device: "bench", Command: "show interfaces"})
	for i := range chunks {
		if err := w.AppendChunk(r.ID, int64(i+1), data, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	file, err := os.ReadFile(backlog)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(chunks * int64(len(data)))
	for range b.N {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "history.db")
		if err := os.WriteFile(path, file, 0o600); err != nil {
			b.Fatal(err)
		}
		s, err := store.Open(path, store.Options{NoIndex: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.CatchUpIndex(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// searchHistoryMB is the size of the history BenchmarkSearchHistory
// searches.
const searchHistoryMB = 250

// BenchmarkSearchHistory searches a 250 MB history (250 runs of 1 MB of
// interface output, indexed) for a rare word (in one line of one run),
// a common word (first 50 lines), a phrase and a prefix. The history is
// built in the benchmark's setup (minutes); NETAUTO_BENCH_DB names a file
// to keep it in between runs.
func BenchmarkSearchHistory(b *testing.B) {
	path := os.Getenv("NETAUTO_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "history.db")
	}
	s := openStore(b, path, store.Options{})
	ctx := context.Background()
	if n, _ := s.CountRuns(ctx, store.RunFilter{}); n < searchHistoryMB {
		start := time.Now()
		for i := n; i < searchHistoryMB; i++ {
			r := mustCreate(b, s, store.NewRun{Device: fmt.Sprintf("dev%03d", i), Site: fmt.Sprintf("site%d", i%5), Command: "show interfaces"})
			out := benchOutput(1<<20, i)
			if i == searchHistoryMB/2 {
				copy(out[512<<10:], "  Description: zebrafish link\n")
			}
			for seq := int64(1); len(out) > 0; seq++ {
				n := min(4096, len(out))
				if err := s.AppendChunk(r.ID, seq, out[:n], time.Time{}); err != nil {
					b.Fatal(err)
				}
				out = out[n:]
			}
			if err := s.FinishRun(ctx, r.ID, store.Finish{Status: store.StatusOK}); err != nil {
				b.Fatal(err)
			}
		}
		written := time.Since(start)
		if err := s.CatchUpIndex(ctx); err != nil {
			b.Fatal(err)
		}
		size, _ := s.Size()
		b.Logf("history: %d MB of output written in %v, indexed %v later; database %d MB",
			searchHistoryMB, written.Round(time.Millisecond), (time.Since(start) - written).Round(time.Millisecond), size>>20)
	}
	for _, q := range []struct{ name, query string }{
		{"rare", "zebrafish"},
		{"common", "CRC"},
		{"phrase", `"input errors"`},
		{"prefix", "zebra*"},
		{"rare+device", "zebrafish"},
	} {
		b.Run(q.name, func(b *testing.B) {
			sq := store.SearchQuery{Query: q.query, Limit: 50}
			if q.name == "rare+device" {
				sq.Device = "dev1*"
			}
			for i := 0; i < b.N; i++ {
				hits, err := s.Search(ctx, sq)
				if err != nil || len(hits) == 0 {
					b.Fatalf("%s: %d hits, %v", q.query, len(hits), err)
				}
			}
		})
	}
}
