package runner_test

import (
	"strings"
	"testing"
	"time"

	"netauto/quota"
	"netauto/runner"
	"netauto/store"
)

// TestUnrecordedEndIsNotAnnouncedOK: when the store cannot record a run's
// end (here it is closed under the run; on a full disk the write fails),
// the Finished event says so, error with a `closed: history store: …`
// reason, instead of announcing an ok that is not kept. Found by the cli's
// TestDiskFull, where `netauto run` printed every run ok and exited 0.
func TestUnrecordedEndIsNotAnnouncedOK(t *testing.T) {
	gate := make(chan struct{})
	h := newHarness(t, quota.DefaultLimits(), newScripted([]step{waitFor(gate)}, nil))
	events, unsubscribe := h.sup.Subscribe(16)
	defer unsubscribe()
	id := h.execute(runner.Request{Device: device("r1", "chi1"), Command: "c"})
	if ev, _ := next(t, events); ev.Kind != runner.Started || ev.RunID != id {
		t.Fatalf("first event %+v, want Started", ev)
	}
	if err := h.store.Close(); err != nil {
		t.Fatal(err)
	}
	close(gate)
	deadline := time.After(testTimeout)
	for {
		select {
		case ev := <-events:
			if ev.Kind != runner.Finished {
				continue
			}
			if ev.Run.Status != store.StatusError || !strings.HasPrefix(ev.Run.ErrorReason, "closed: history store: ") {
				t.Fatalf("unrecorded end announced as %s %q", ev.Run.Status, ev.Run.ErrorReason)
			}
			return
		case <-deadline:
			t.Fatal("no Finished event")
		}
	}
}
