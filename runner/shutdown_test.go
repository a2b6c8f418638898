package runner_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"netauto/runner"
	"netauto/store"
)

func TestShutdownEndsLiveRunsAndLeavesNoGoroutine(t *testing.T) {
	const n = 200
	h := newHarness(t, limits(-1), newScripted([]step{send("x"), blockUntilCanceled()}, nil))
	events, unsubscribe := h.sup.Subscribe(8)
	defer unsubscribe()
	finished := make(chan int)
	go func() {
		c := 0
		for range 10 * n { // closed by Shutdown once delivered
			ev, ok := <-events
			if !ok {
				break
			}
			if ev.Kind == runner.Finished {
				c++
			}
		}
		finished <- c
	}()

	ids := make([]int64, n)
	for i := range ids {
		ids[i] = h.execute(runner.Request{Device: device(fmt.Sprintf("d%03d", i), "s"), Command: "c"})
	}
	waitUntil(t, "all runs running", h.running(n))
	if err := h.sup.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	select {
	case got := <-finished:
		if got != n {
			t.Errorf("subscriber saw %d Finished events, want %d", got, n)
		}
	case <-time.After(testTimeout):
		t.Fatal("the subscription was not closed by Shutdown")
	}
	if len(h.sup.Active()) != 0 {
		t.Error("runs still active after Shutdown")
	}
	h.assertQuotaIdle()
	for _, id := range ids {
		run, err := h.store.Run(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if run.Status != store.StatusError || run.ErrorReason != "canceled" || run.Bytes != 1 {
			t.Fatalf("run %d after Shutdown: %s %q bytes %d", id, run.Status, run.ErrorReason, run.Bytes)
		}
	}
	h.close()
	goleak.VerifyNone(t)
}
