//go:build unix

package runner_test

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"netauto/quota"
	"netauto/runner"
	"netauto/store"
)

// BenchmarkRunOverhead measures what the runner adds to a run: Execute to
// the stored end (Done), with a scripted adapter that sends "ok\n" at once,
// a real store on a temp file and a real quota manager without caps.
//
//   - parallel: many runs in flight (RunParallel, 32 goroutines per
//     GOMAXPROCS), so the store's group commit batches them; ns/op is the
//     throughput cost per run.
//   - serial: one run at a time; ns/op is one run's latency, three store
//     commits (create, running, finish) included.
//   - store-only: the same store calls a run makes (create, running, one
//     chunk, finish), in parallel, without the runner: the difference to
//     parallel is the runner's own share.
//
// Each also reports cpu-ns/op, the process's user+system CPU time per run
// (all goroutines: the store's writer included), which other processes'
// load inflates far less than wall time.
func BenchmarkRunOverhead(b *testing.B) {
	b.Run("parallel", func(b *testing.B) {
		sup := benchSupervisor(b)
		b.SetParallelism(32)
		b.ReportAllocs()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				benchRun(b, sup)
			}
		})
	})
	b.Run("store-only", func(b *testing.B) {
		st := benchStore(b)
		b.SetParallelism(32)
		b.ReportAllocs()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			ctx := context.Background()
			for pb.Next() {
				run, err := st.CreateRun(ctx, store.NewRun{BatchID: "b", Device: "bench", Site: "s", Command: "show version"})
				if err == nil {
					err = st.MarkRunning(ctx, run.ID, time.Now())
				}
				if err == nil {
					err = st.AppendChunk(run.ID, 1, []byte("ok\n"), time.Now())
				}
				if err == nil {
					err = st.FinishRun(ctx, run.ID, store.Finish{Status: store.StatusOK, Bytes: 3, At: time.Now()})
				}
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("serial", func(b *testing.B) {
		sup := benchSupervisor(b)
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			benchRun(b, sup)
		}
	})
}

// benchRun executes one run and waits for its end.
func benchRun(b *testing.B, sup *runner.Supervisor) {
	id, err := sup.Execute(context.Background(), runner.Request{Device: device("bench", "s"), Command: "show version"})
	if err != nil {
		b.Error(err)
		return
	}
	<-sup.Done(id)
}

// benchSupervisor returns a supervisor over a fresh store, shut down (and
// the store closed) when the benchmark ends.
func benchSupervisor(b *testing.B) *runner.Supervisor {
	st := benchStore(b)
	sup := runner.New(runner.Config{
		Store:   st,
		Quota:   quota.New(quota.Limits{Global: -1}),
		Adapter: newScripted([]step{send("ok\n")}, nil),
	})
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := sup.Shutdown(ctx); err != nil {
			b.Error(err)
		}
	})
	return sup
}

// benchStore opens a fresh store, closed when the benchmark ends (after
// the supervisor's shutdown: cleanups run last-registered first).
func benchStore(b *testing.B) *store.Store {
	st, err := store.Open(filepath.Join(b.TempDir(), "history.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := st.Close(); err != nil {
			b.Error(err)
		}
	})
	return st
}

// reportCPU resets the timer and returns the function that reports the
// process CPU time per op since then as cpu-ns/op.
func reportCPU(b *testing.B) func() {
	start := cpuTime(b)
	b.ResetTimer()
	return func() {
		b.StopTimer()
		b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
	}
}

// cpuTime returns the process's user+system CPU time.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
