package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"netauto/store"
)

func TestRunLifecycleRoundTrip(t *testing.T) {
	s, _ := newStore(t)
	c := ctx(t)
	before := time.Now()
	r := mustCreate(t, s, store.NewRun{BatchID: "b1", Device: "chi1-core-1", Site: "chi1", Command: "show version", RequestedBy: "alice"})
	if r.ID == 0 || r.Status != store.StatusPending || r.Owner != s.Owner() || r.CreatedAt.Before(before) {
		t.Fatalf("created run = %+v", r)
	}
	got := mustRun(t, s, r.ID)
	if !got.CreatedAt.Equal(r.CreatedAt) {
		t.Errorf("CreatedAt stored %v, returned %v", got.CreatedAt, r.CreatedAt)
	}
	got.CreatedAt = r.CreatedAt
	if fmt.Sprint(got) != fmt.Sprint(r) {
		t.Errorf("stored run\n %+v\nwant\n %+v", got, r)
	}

	started := time.Unix(1700000000, 123456789)
	if err := s.MarkRunning(c, r.ID, started); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkRunning(c, r.ID, time.Now()); err != nil {
		t.Errorf("MarkRunning twice: %v, want nil", err)
	}
	got = mustRun(t, s, r.ID)
	if got.Status != store.StatusRunning || !got.StartedAt.Equal(started) || !got.FinishedAt.IsZero() {
		t.Fatalf("running run = %+v", got)
	}

	for seq, part := range []string{"Cisco IOS ", "Software\n", "uptime 3 weeks\n"} {
		if err := s.AppendChunk(r.ID, int64(seq+1), []byte(part), time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	finished := started.Add(1500 * time.Millisecond)
	zero := 0
	if err := s.FinishRun(c, r.ID, store.Finish{Status: store.StatusOK, ExitCode: &zero, Bytes: 34, At: finished}); err != nil {
		t.Fatal(err)
	}
	got = mustRun(t, s, r.ID)
	if got.Status != store.StatusOK || got.ErrorReason != "" || got.ExitCode == nil || *got.ExitCode != 0 ||
		got.Bytes != 34 || !got.FinishedAt.Equal(finished) || !got.StartedAt.Equal(started) ||
		got.BatchID != "b1" || got.Site != "chi1" || got.RequestedBy != "alice" {
		t.Fatalf("finished run = %+v", got)
	}

	if err := s.FinishRun(c, r.ID, store.Finish{Status: store.StatusError, Reason: "canceled"}); !errors.Is(err, store.ErrFinished) {
		t.Errorf("FinishRun on a finished run: %v, want ErrFinished", err)
	}
	if err := s.MarkRunning(c, r.ID, time.Now()); !errors.Is(err, store.ErrFinished) {
		t.Errorf("MarkRunning on a finished run: %v, want ErrFinished", err)
	}
	if _, err := s.Run(c, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Run(999): %v, want ErrNotFound", err)
	}
	if err := s.MarkRunning(c, 999, time.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("MarkRunning(999): %v, want ErrNotFound", err)
	}
	if err := s.FinishRun(c, 999, store.Finish{Status: store.StatusOK}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FinishRun(999): %v, want ErrNotFound", err)
	}
	if err := s.FinishRun(c, r.ID, store.Finish{Status: store.StatusRunning}); err == nil {
		t.Error("FinishRun with status running: no error")
	}
	if _, err := s.CreateRun(c, store.NewRun{Command: "x"}); err == nil {
		t.Error("CreateRun without device: no error")
	}
}

func TestErrorRunWithoutExitCodeOrStart(t *testing.T) {
	s, _ := newStore(t)
	r := mustCreate(t, s, store.NewRun{Device: "d1", Command: "show clock"})
	if err := s.FinishRun(ctx(t), r.ID, store.Finish{Status: store.StatusError, Reason: "quota_exceeded:site"}); err != nil {
		t.Fatal(err)
	}
	got := mustRun(t, s, r.ID)
	if got.Status != store.StatusError || got.ErrorReason != "quota_exceeded:site" || got.ExitCode != nil ||
		!got.StartedAt.IsZero() || got.FinishedAt.IsZero() || got.Site != "" {
		t.Fatalf("run = %+v", got)
	}
}

func TestOutputStreamsChunksInOrder(t *testing.T) {
	s, _ := newStore(t)
	r := mustCreate(t, s, store.NewRun{Device: "d1", Command: "show tech"})
	const n = 700
	want := map[int64][]byte{}
	var total int64
	for seq := int64(1); seq <= n; seq++ {
		data := bytes.Repeat([]byte{byte(seq)}, int(seq%97)+1)
		want[seq] = data
		total += int64(len(data))
		if err := s.AppendChunk(r.ID, seq, append([]byte(nil), data...), time.Unix(0, seq)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}
	var seqs []int64
	err := s.Output(ctx(t), r.ID, func(seq int64, data []byte, at time.Time) error {
		seqs = append(seqs, seq)
		if !bytes.Equal(data, want[seq]) || at.UnixNano() != seq {
			t.Errorf("chunk %d: %d bytes at %v, want %d bytes at %d", seq, len(data), at, len(want[seq]), seq)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seqs) != n {
		t.Fatalf("streamed %d chunks, want %d", len(seqs), n)
	}
	for i, seq := range seqs {
		if seq != int64(i+1) {
			t.Fatalf("chunk %d has seq %d", i, seq)
		}
	}
	if got := mustRun(t, s, r.ID).Bytes; got != total {
		t.Errorf("run bytes = %d, want %d (counted as chunks commit)", got, total)
	}

	var after []int64
	err = s.OutputAfter(ctx(t), r.ID, n-3, func(seq int64, data []byte, _ time.Time) error {
		after = append(after, seq)
		if !bytes.Equal(data, want[seq]) {
			t.Errorf("chunk %d after %d: %d bytes, want %d", seq, n-3, len(data), len(want[seq]))
		}
		return nil
	})
	if err != nil || !slices.Equal(after, []int64{n - 2, n - 1, n}) {
		t.Errorf("OutputAfter(%d) gave chunks %v, %v; want the last three", n-3, after, err)
	}
	if err := s.OutputAfter(ctx(t), r.ID, n, func(seq int64, _ []byte, _ time.Time) error {
		t.Errorf("OutputAfter(%d) gave chunk %d", n, seq)
		return nil
	}); err != nil {
		t.Errorf("OutputAfter past the last chunk: %v", err)
	}

	stop := errors.New("enough")
	calls := 0
	err = s.Output(ctx(t), r.ID, func(int64, []byte, time.Time) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Output with a failing callback: %v after %d calls", err, calls)
	}

	empty := mustCreate(t, s, store.NewRun{Device: "d1", Command: "x"})
	if err := s.Output(ctx(t), empty.ID, func(int64, []byte, time.Time) error { t.Error("called"); return nil }); err != nil {
		t.Errorf("Output of a run without chunks: %v", err)
	}
	if err := s.Output(ctx(t), 12345, func(int64, []byte, time.Time) error { return nil }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Output of an unknown run: %v, want ErrNotFound", err)
	}
}

func TestFinishCommitsAfterHandedOverChunks(t *testing.T) {
	// A long interval: only the FinishRun itself can make the chunks commit.
	path := t.TempDir() + "/h.db"
	s := openStore(t, path, store.Options{FlushInterval: time.Hour})
	r := mustCreate(t, s, store.NewRun{Device: "d1", Command: "show run"})
	for seq := int64(1); seq <= 50; seq++ {
		if err := s.AppendChunk(r.ID, seq, []byte("line\n"), time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.FinishRun(ctx(t), r.ID, store.Finish{Status: store.StatusOK, Bytes: 250}); err != nil {
		t.Fatal(err)
	}
	if got := len(chunksOf(t, s, r.ID)); got != 50 {
		t.Fatalf("after FinishRun, %d chunks visible, want 50", got)
	}
}

func TestBadChunkFailsAloneAndFlushReportsIt(t *testing.T) {
	s, _ := newStore(t)
	r := mustCreate(t, s, store.NewRun{Device: "d1", Command: "x"})
	for _, c := range []struct {
		run, seq int64
	}{{r.ID, 1}, {9999, 1}, {r.ID, 2}, {r.ID, 2}, {r.ID, 3}} {
		if err := s.AppendChunk(c.run, c.seq, []byte("data"), time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	err := s.Flush(ctx(t))
	if err == nil {
		t.Fatal("Flush after bad chunks: nil error")
	}
	t.Logf("Flush reported: %v", err)
	if err := s.Flush(ctx(t)); err != nil {
		t.Errorf("second Flush: %v, want nil (error reported once)", err)
	}
	got := chunksOf(t, s, r.ID)
	if len(got) != 3 || got[1] == nil || got[2] == nil || got[3] == nil {
		t.Errorf("kept chunks %v, want seq 1, 2, 3", got)
	}
	if err := s.AppendChunk(r.ID, 0, []byte("x"), time.Time{}); err == nil {
		t.Error("AppendChunk with seq 0: no error")
	}
}

func TestBadChunkDoesNotFailOtherOpsInItsBatch(t *testing.T) {
	path := t.TempDir() + "/h.db"
	s := openStore(t, path, store.Options{FlushInterval: time.Hour})
	r := mustCreate(t, s, store.NewRun{Device: "d1", Command: "x"})
	if err := s.MarkRunning(ctx(t), r.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	// Queued together: good chunk, bad chunk, new run, finish. The finish
	// makes the batch commit; only the bad chunk may fail.
	if err := s.AppendChunk(r.ID, 1, []byte("ok"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendChunk(r.ID, 1, []byte("duplicate"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	other := make(chan error, 1)
	go func() {
		_, err := s.CreateRun(ctx(t), store.NewRun{Device: "d2", Command: "y"})
		other <- err
	}()
	if err := s.FinishRun(ctx(t), r.ID, store.Finish{Status: store.StatusOK, Bytes: 2}); err != nil {
		t.Fatalf("FinishRun in a batch with a bad chunk: %v", err)
	}
	if err := <-other; err != nil {
		t.Fatalf("CreateRun in a batch with a bad chunk: %v", err)
	}
	if got := chunksOf(t, s, r.ID); len(got) != 1 || string(got[1]) != "ok" {
		t.Errorf("chunks = %v, want only the first", got)
	}
	if got := mustRun(t, s, r.ID); got.Status != store.StatusOK || got.Bytes != 2 {
		t.Errorf("run = %+v", got)
	}
	if err := s.Flush(ctx(t)); err == nil {
		t.Error("Flush did not report the duplicate chunk")
	}
}

func TestConcurrentProducersWithBackpressure(t *testing.T) {
	// Tiny thresholds so producers run into the queue bound often.
	path := t.TempDir() + "/h.db"
	s := openStore(t, path, store.Options{FlushRows: 8, FlushBytes: 512, FlushInterval: time.Millisecond})
	const runs, chunks = 8, 300
	ids := make([]int64, runs)
	for i := range ids {
		ids[i] = mustCreate(t, s, store.NewRun{Device: fmt.Sprintf("d%d", i), Command: "x"}).ID
	}
	errc := make(chan error, runs)
	for _, id := range ids {
		go func() {
			for seq := int64(1); seq <= chunks; seq++ {
				if err := s.AppendChunk(id, seq, bytes.Repeat([]byte("x"), 100), time.Time{}); err != nil {
					errc <- err
					return
				}
			}
			errc <- s.FinishRun(ctx(t), id, store.Finish{Status: store.StatusOK})
		}()
	}
	for range ids {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		if got := len(chunksOf(t, s, id)); got != chunks {
			t.Errorf("run %d: %d chunks, want %d", id, got, chunks)
		}
		if r := mustRun(t, s, id); r.Status != store.StatusOK || r.Bytes != chunks*100 {
			t.Errorf("run %d = %+v", id, r)
		}
	}
}

func TestClosedStoreRefusesWork(t *testing.T) {
	s, _ := newStore(t)
	r := mustCreate(t, s, store.NewRun{Device: "d1", Command: "x"})
	if err := s.AppendChunk(r.ID, 1, []byte("kept"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := s.AppendChunk(r.ID, 2, []byte("x"), time.Time{}); !errors.Is(err, store.ErrClosed) {
		t.Errorf("AppendChunk after Close: %v, want ErrClosed", err)
	}
	if err := s.Flush(ctx(t)); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Flush after Close: %v, want ErrClosed", err)
	}
	if _, err := s.CreateRun(ctx(t), store.NewRun{Device: "d1"}); !errors.Is(err, store.ErrClosed) {
		t.Errorf("CreateRun after Close: %v, want ErrClosed", err)
	}
}

func TestNewBatchIDUniqueAndSorted(t *testing.T) {
	prev := ""
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := store.NewBatchID()
		if len(id) != 16 || seen[id] {
			t.Fatalf("batch id %q (len %d, seen %v)", id, len(id), seen[id])
		}
		seen[id] = true
		if i%100 == 0 {
			time.Sleep(2 * time.Millisecond)
			if id <= prev {
				t.Fatalf("batch id %q sorts before the earlier %q", id, prev)
			}
			prev = id
		}
	}
}
