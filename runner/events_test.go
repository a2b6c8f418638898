package runner_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"netauto/quota"
	"netauto/runner"
	"netauto/store"
)

func TestEventsOfOneRun(t *testing.T) {
	h := newHarness(t, quota.DefaultLimits(), newScripted([]step{send("a"), send("bc"), send("def\n")}, nil))
	events, unsubscribe := h.sup.Subscribe(64)
	defer unsubscribe()
	id := h.execute(runner.Request{Device: device("r1", "chi1"), Command: "show clock"})
	var got []runner.Event
	for len(got) < 10 {
		ev, _ := next(t, events)
		got = append(got, ev)
		if ev.Kind == runner.Finished {
			break
		}
	}
	if len(got) != 5 {
		t.Fatalf("%d events, want started, 3 outputs, finished: %+v", len(got), got)
	}
	if ev := got[0]; ev.Kind != runner.Started || ev.RunID != id || ev.Live.Device != "r1" ||
		ev.Live.Status != store.StatusRunning || ev.Live.Command != "show clock" {
		t.Errorf("started = %+v", ev)
	}
	wantData, wantBytes := []string{"a", "bc", "def\n"}, []int64{1, 3, 7}
	for i, ev := range got[1:4] {
		if ev.Kind != runner.Output || ev.RunID != id || ev.Seq != int64(i+1) ||
			string(ev.Data) != wantData[i] || ev.Bytes != wantBytes[i] || ev.Dropped != 0 {
			t.Errorf("output %d = %+v", i, ev)
		}
	}
	if ev := got[4]; ev.Kind != runner.Finished || ev.Bytes != 7 || ev.Run.ID != id ||
		ev.Run.Status != store.StatusOK || ev.Run.Bytes != 7 || ev.Run.FinishedAt.IsZero() {
		t.Errorf("finished = %+v", ev)
	}
}

func TestSlowSubscribersNeverBlockRuns(t *testing.T) {
	const runs, chunks = 20, 300
	script := make([]step, chunks)
	for i := range script {
		script[i] = send(fmt.Sprintf("line %03d\n", i))
	}
	h := newHarness(t, limits(-1), newScripted(script, nil))
	_, stuckUnsub := h.sup.Subscribe(0) // never read
	defer stuckUnsub()
	lagging, lagUnsub := h.sup.Subscribe(1) // read only after all runs end
	defer lagUnsub()

	ids := map[int64]bool{}
	for i := range runs {
		ids[h.execute(runner.Request{Device: device(fmt.Sprintf("d%d", i), "s"), Command: "c", Queue: true})] = true
	}
	for id := range ids {
		if run := h.wait(id); run.Status != store.StatusOK || run.Bytes != chunks*9 {
			t.Errorf("run %d: %s %q bytes %d", id, run.Status, run.ErrorReason, run.Bytes)
		}
	}

	// The lagging subscriber still gets every lifecycle event; each run's
	// output events delivered plus those reported dropped add up.
	started, finished := map[int64]int{}, map[int64]int{}
	outputs := map[int64]int{}
	dropped := 0
	for len(finished) < runs {
		ev, _ := next(t, lagging)
		if !ids[ev.RunID] {
			t.Fatalf("event for unknown run %+v", ev)
		}
		dropped += ev.Dropped
		outputs[ev.RunID] += ev.Dropped
		switch ev.Kind {
		case runner.Started:
			started[ev.RunID]++
		case runner.Output:
			outputs[ev.RunID]++
			if !strings.HasPrefix(string(ev.Data), "line ") {
				t.Errorf("output data %q", ev.Data)
			}
		case runner.Finished:
			finished[ev.RunID]++
			if ev.Run.Bytes != chunks*9 {
				t.Errorf("finished bytes %d", ev.Run.Bytes)
			}
		}
	}
	for id := range ids {
		if started[id] != 1 || finished[id] != 1 || outputs[id] != chunks {
			t.Errorf("run %d: started %d finished %d outputs+dropped %d", id, started[id], finished[id], outputs[id])
		}
	}
	if dropped == 0 {
		t.Error("a subscriber lagging by 6000 events dropped none")
	}
	t.Logf("lagging subscriber: %d output events dropped", dropped)
}

// A lagging subscriber with a large buffer holds at most 8 MB of output
// (plus its channel's 64 events): 100 runs of 32 KB chunks used to pile up
// 4096 of them, 128 MB, in a `netauto run` whose printer lagged.
func TestLaggingSubscriberBacklogIsBoundedInBytes(t *testing.T) {
	const chunk, chunks = 32 << 10, 400 // 12.5 MB
	script := make([]step, chunks)
	for i := range script {
		script[i] = send(strings.Repeat("x", chunk-1) + "\n")
	}
	h := newHarness(t, limits(-1), newScripted(script, nil))
	lagging, unsub := h.sup.Subscribe(4096) // read only after the run ends
	defer unsub()
	id := h.execute(runner.Request{Device: device("d", "s"), Command: "c", Queue: true})
	if run := h.wait(id); run.Status != store.StatusOK || run.Bytes != chunk*chunks {
		t.Fatalf("run: %s %q bytes %d", run.Status, run.ErrorReason, run.Bytes)
	}
	held, dropped := 0, 0
	for {
		ev, _ := next(t, lagging)
		dropped += ev.Dropped
		if ev.Kind == runner.Output {
			held += len(ev.Data)
		}
		if ev.Kind == runner.Finished {
			break
		}
	}
	if limit := 8<<20 + 64*chunk; held > limit {
		t.Errorf("lagging subscriber held %d bytes of output, want at most %d", held, limit)
	}
	if held+dropped*chunk != chunk*chunks {
		t.Errorf("delivered %d bytes + %d dropped events of %d bytes, want %d in all", held, dropped, chunk, chunk*chunks)
	}
	t.Logf("held %d KB, dropped %d events", held>>10, dropped)
}

func TestUnsubscribeClosesChannel(t *testing.T) {
	h := newHarness(t, quota.DefaultLimits(), newScripted([]step{send("ok\n")}, nil))
	events, unsubscribe := h.sup.Subscribe(0)
	h.wait(h.execute(runner.Request{Device: device("r1", ""), Command: "c"}))
	unsubscribe()
	unsubscribe() // safe twice
	for i := 0; ; i++ {
		if _, ok := next(t, events); !ok {
			break
		}
		if i > 3 {
			t.Fatal("more events than one run makes, channel not closed")
		}
	}
}

// A subscriber that rests between bursts gets every event, in order.
func TestSubscribeEveryDeliversEveryEvent(t *testing.T) {
	h := newHarness(t, quota.DefaultLimits(), newScripted([]step{send("a"), send("bc"), send("def\n")}, nil))
	events, unsubscribe := h.sup.SubscribeEvery(64, 5*time.Millisecond)
	defer unsubscribe()
	id := h.execute(runner.Request{Device: device("r1", "chi1"), Command: "show clock"})
	var kinds, data []string
	for {
		ev, ok := next(t, events)
		if !ok {
			t.Fatal("channel closed before the run finished")
		}
		if ev.RunID != id {
			continue
		}
		kinds = append(kinds, fmt.Sprint(ev.Kind))
		data = append(data, string(ev.Data))
		if ev.Kind == runner.Finished {
			break
		}
	}
	if got := strings.Join(data, ""); len(kinds) != 5 || got != "abcdef\n" {
		t.Errorf("events %v with output %q, want started, 3 outputs, finished with %q", kinds, got, "abcdef\n")
	}
}

// A rest, however long, ends when the subscription does: unsubscribing
// closes the channel at once, and the supervisor's shutdown delivers what
// was queued first.
func TestSubscribeEveryRestEndsWithTheSubscription(t *testing.T) {
	h := newHarness(t, quota.DefaultLimits(), newScripted([]step{send("a"), send("bc")}, nil))
	early, unsubscribe := h.sup.SubscribeEvery(64, time.Hour)
	late, _ := h.sup.SubscribeEvery(64, time.Hour)
	h.wait(h.execute(runner.Request{Device: device("r1", ""), Command: "c"}))
	if ev, _ := next(t, early); ev.Kind != runner.Started {
		t.Fatalf("first event %+v, want started", ev)
	}
	// The rest of the run's events wait behind an hour's rest.
	unsubscribe()
	for i := 0; ; i++ {
		if _, ok := next(t, early); !ok {
			break
		}
		if i > 4 {
			t.Fatal("unsubscribing did not close the channel")
		}
	}
	h.close()
	var kinds []runner.EventKind
	for {
		ev, ok := next(t, late)
		if !ok {
			break
		}
		kinds = append(kinds, ev.Kind)
	}
	if len(kinds) != 4 || kinds[0] != runner.Started || kinds[3] != runner.Finished {
		t.Errorf("after shutdown the resting subscriber got %v, want started, 2 outputs, finished", kinds)
	}
}
