package store_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"netauto/store"
)

// checkWhole fails unless every run either has all its chunks (seq 1..n
// with n its chunk count and bytes their sum) or none, the search tables
// hold nothing of removed runs, and PRAGMA integrity_check is ok.
func checkWhole(t *testing.T, path string) {
	t.Helper()
	db := rawDB(t, path)
	var bad int
	err := db.QueryRow(`SELECT count(*) FROM (SELECT run_id, count(*) n, max(seq) m FROM run_chunks GROUP BY run_id) WHERE n != m`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Fatalf("runs with missing chunks: %d (%v)", bad, err)
	}
	for _, q := range []string{
		`SELECT count(*) FROM run_chunks WHERE run_id NOT IN (SELECT id FROM runs)`,
		`SELECT count(*) FROM search_docs WHERE run_id NOT IN (SELECT id FROM runs)`,
		`SELECT count(*) FROM search_progress WHERE run_id NOT IN (SELECT id FROM runs)`,
	} {
		if err := db.QueryRow(q).Scan(&bad); err != nil || bad != 0 {
			t.Fatalf("%s: %d (%v)", q, bad, err)
		}
	}
	var ok string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q %v", ok, err)
	}
	if _, err := db.Exec(`INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Fatalf("fts integrity-check: %v", err)
	}
}

// finishedRun stores a finished run with n chunks of size bytes, ended at.
func finishedRun(t *testing.T, s *store.Store, device string, n, size int, at time.Time) store.Run {
	t.Helper()
	r := mustCreate(t, s, store.NewRun{Device: device, Command: "show tech"})
	line := bytes.Repeat([]byte("interface counters 12345 "), size/25+1)[:size-1]
	for i := 1; i <= n; i++ {
		data := append(append([]byte{}, line...), '\n')
		if err := s.AppendChunk(r.ID, int64(i), data, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.FinishRun(ctx(t), r.ID, store.Finish{Status: store.StatusOK, At: at}); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestPruneOlderThan(t *testing.T) {
	s, path := newStore(t)
	now := time.Now()
	old := finishedRun(t, s, "r1", 20, 4096, now.Add(-40*24*time.Hour))
	recent := finishedRun(t, s, "r1", 20, 4096, now.Add(-time.Hour))
	running := mustCreate(t, s, store.NewRun{Device: "r2", Command: "show logging"})
	if err := s.MarkRunning(ctx(t), running.ID, now.Add(-50*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	pending := mustCreate(t, s, store.NewRun{Device: "r3", Command: "show logging"})
	if err := s.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.CatchUpIndex(ctx(t)); err != nil {
		t.Fatal(err)
	}

	dry, err := s.Prune(ctx(t), store.PruneOptions{OlderThan: 30 * 24 * time.Hour, DryRun: true})
	if err != nil || dry.Runs != 1 || dry.Bytes != 20*4096 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	mustRun(t, s, old.ID) // still there

	res, err := s.Prune(ctx(t), store.PruneOptions{OlderThan: 30 * 24 * time.Hour})
	if err != nil || res.Runs != 1 {
		t.Fatalf("prune: %+v %v", res, err)
	}
	if _, err := s.Run(ctx(t), old.ID); err == nil {
		t.Error("old run kept")
	}
	for _, id := range []int64{recent.ID, running.ID, pending.ID} {
		mustRun(t, s, id)
	}
	hits, err := s.Search(ctx(t), store.SearchQuery{Query: "counters", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.RunID == old.ID {
			t.Fatal("search finds a pruned run")
		}
	}
	checkWhole(t, path)
}

func TestPruneMaxSize(t *testing.T) {
	s, path := newStore(t)
	now := time.Now()
	var runs []store.Run
	for i := range 12 {
		runs = append(runs, finishedRun(t, s, fmt.Sprintf("r%d", i), 64, 4096, now))
	}
	live := mustCreate(t, s, store.NewRun{Device: "live", Command: "show tech"})
	if err := s.MarkRunning(ctx(t), live.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendChunk(live.ID, 1, bytes.Repeat([]byte("x"), 4096), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.CatchUpIndex(ctx(t)); err != nil {
		t.Fatal(err)
	}
	before, err := s.Size()
	if err != nil {
		t.Fatal(err)
	}
	limit := before / 2
	dry, err := s.Prune(ctx(t), store.PruneOptions{MaxSize: limit, DryRun: true})
	if err != nil || dry.Runs == 0 || dry.Runs >= len(runs) {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	res, err := s.Prune(ctx(t), store.PruneOptions{MaxSize: limit})
	if err != nil || res.Runs == 0 || res.SizeAfter > limit {
		t.Fatalf("prune to %d: %+v %v", limit, res, err)
	}
	// Oldest first: the removed runs are a prefix of the list.
	for i, r := range runs {
		_, err := s.Run(ctx(t), r.ID)
		if gone := err != nil; gone != (i < res.Runs) {
			t.Errorf("run %d (#%d): gone=%v, %d removed", r.ID, i, gone, res.Runs)
		}
	}
	mustRun(t, s, live.ID)
	checkWhole(t, path)
	// Writing goes on after VACUUM; the index follows.
	r := finishedRun(t, s, "after", 2, 100, now)
	hits := search(t, s, store.SearchQuery{Query: "counters", Device: "after"})
	if len(hits) != 2 || hits[0].RunID != r.ID {
		t.Fatalf("after vacuum: %+v", hits)
	}
	checkWhole(t, path)
}
