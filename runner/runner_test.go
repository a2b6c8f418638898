package runner_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"netauto/adapters"
	"netauto/quota"
	"netauto/runner"
	"netauto/store"
)

func TestRunOKStoresOneChunk(t *testing.T) {
	h := newHarness(t, quota.DefaultLimits(), newScripted([]step{send("ok\n")}, nil))
	id := h.execute(runner.Request{Device: device("r1", "chi1"), Command: "show version", RequestedBy: "test"})
	run := h.wait(id)
	if run.Status != store.StatusOK || run.ErrorReason != "" || run.Bytes != 3 {
		t.Fatalf("run = %s %q bytes %d, want ok \"\" bytes 3", run.Status, run.ErrorReason, run.Bytes)
	}
	if run.ExitCode != nil {
		t.Errorf("exit code = %d, want NULL", *run.ExitCode)
	}
	if run.BatchID == "" || run.Device != "r1" || run.Site != "chi1" || run.Command != "show version" {
		t.Errorf("stored run = %+v", run)
	}
	if run.StartedAt.IsZero() || run.FinishedAt.IsZero() {
		t.Errorf("timestamps not set: %+v", run)
	}
	if got := h.output(id); len(got) != 1 || got[0] != "ok\n" {
		t.Fatalf("stored chunks = %q, want [\"ok\\n\"]", got)
	}
	h.assertQuotaIdle()
}

func TestExitCodes(t *testing.T) {
	h := newHarness(t, quota.DefaultLimits(), newScripted(nil, map[string][]step{
		"zero":  {send("x"), exit(0)},
		"three": {send("no such command\n"), exit(3)},
		"none":  {send("x")},
	}))
	for _, tc := range []struct {
		dev    string
		status store.Status
		reason string
		exit   *int
	}{
		{"zero", store.StatusOK, "", intPtr(0)},
		{"three", store.StatusError, "exit status 3", intPtr(3)},
		{"none", store.StatusOK, "", nil},
	} {
		run := h.wait(h.execute(runner.Request{Device: device(tc.dev, ""), Command: "c"}))
		if run.Status != tc.status || run.ErrorReason != tc.reason {
			t.Errorf("%s: %s %q, want %s %q", tc.dev, run.Status, run.ErrorReason, tc.status, tc.reason)
		}
		if (run.ExitCode == nil) != (tc.exit == nil) || (run.ExitCode != nil && *run.ExitCode != *tc.exit) {
			t.Errorf("%s: exit code %v, want %v", tc.dev, run.ExitCode, tc.exit)
		}
	}
}

func TestAdapterErrorReasons(t *testing.T) {
	h := newHarness(t, quota.DefaultLimits(), newScripted(nil, map[string][]step{
		"refused": {fail(adapters.Errorf(adapters.ClassConnect, nil, "dial tcp 127.0.0.1:1: connection refused"))},
		"wrapped": {fail(fmt.Errorf("session: %w", adapters.Errorf(adapters.ClassHostKey, nil, "changed for 127.0.0.1")))},
		"timeout": {send("partial"), fail(adapters.Errorf(adapters.ClassTimeout, nil, "idle"))},
		"bare":    {fail(errors.New("EOF"))},
	}))
	for dev, want := range map[string]string{
		"refused": "connect: dial tcp 127.0.0.1:1: connection refused",
		"wrapped": "hostkey: changed for 127.0.0.1",
		"timeout": "timeout: idle",
		"bare":    "closed: EOF",
	} {
		run := h.wait(h.execute(runner.Request{Device: device(dev, ""), Command: "c"}))
		if run.Status != store.StatusError || run.ErrorReason != want {
			t.Errorf("%s: %s %q, want error %q", dev, run.Status, run.ErrorReason, want)
		}
	}
}

func TestQuotaZeroCapsFailFast(t *testing.T) {
	for _, tc := range []struct {
		name   string
		limits quota.Limits
		reason string
	}{
		{"global", limits(0), "quota_exceeded:global"},
		{"site", limits(10, "chi1", 0), "quota_exceeded:site"},
	} {
		for _, queue := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/queue=%v", tc.name, queue), func(t *testing.T) {
				a := newScripted([]step{send("ok\n")}, nil)
				h := newHarness(t, tc.limits, a)
				id, err := h.sup.Execute(context.Background(), runner.Request{Device: device("r1", "chi1"), Command: "c", Queue: queue})
				if !errors.Is(err, quota.ErrQuotaExceeded) || err.Error() != tc.reason {
					t.Fatalf("Execute error = %v, want %s", err, tc.reason)
				}
				if id == 0 {
					t.Fatal("refused run has no id")
				}
				run := h.wait(id)
				if run.Status != store.StatusError || run.ErrorReason != tc.reason {
					t.Errorf("stored run %s %q, want error %q", run.Status, run.ErrorReason, tc.reason)
				}
				if a.Calls("r1") != 0 {
					t.Error("adapter called for a refused run")
				}
				if err := h.sup.Cancel(id); !errors.Is(err, runner.ErrFinished) {
					t.Errorf("Cancel(refused) = %v, want ErrFinished", err)
				}
			})
		}
	}
}

func TestFastFailAtFullCap(t *testing.T) {
	gate := make(chan struct{})
	h := newHarness(t, limits(5, "chi1", 1), newScripted([]step{waitFor(gate), send("ok\n")}, nil))
	first := h.execute(runner.Request{Device: device("a", "chi1"), Command: "c"})
	id, err := h.sup.Execute(context.Background(), runner.Request{Device: device("b", "chi1"), Command: "c"})
	var ex *quota.ExceededError
	if !errors.As(err, &ex) || ex.Scope != quota.ScopeSite {
		t.Fatalf("second run on a full site: %v, want quota_exceeded:site", err)
	}
	if run := h.wait(id); run.ErrorReason != "quota_exceeded:site" {
		t.Errorf("refused run reason %q", run.ErrorReason)
	}
	close(gate)
	if run := h.wait(first); run.Status != store.StatusOK {
		t.Errorf("first run %s %q", run.Status, run.ErrorReason)
	}
	h.assertQuotaIdle()
}

func TestQueuedBatchRespectsCaps(t *testing.T) {
	const global, perSite, n = 4, 2, 30
	sites := []string{"chi1", "nyc2", "lab"}
	h := newHarness(t, limits(global, "chi1", perSite, "nyc2", perSite), newScripted([]step{send("a"), sleep(3e6), send("b\n")}, nil))
	batch := store.NewBatchID()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = h.execute(runner.Request{Device: device(fmt.Sprintf("d%02d", i), sites[i%len(sites)]),
			Command: "c", BatchID: batch, Queue: true})
	}
	for _, id := range ids {
		run := h.wait(id)
		if run.Status != store.StatusOK || run.Bytes != 3 || run.BatchID != batch {
			t.Errorf("run %d: %s %q bytes %d batch %q", id, run.Status, run.ErrorReason, run.Bytes, run.BatchID)
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	outs := 0
	for _, e := range h.quotaEvs {
		if e.GlobalActive > global {
			t.Errorf("global active %d > %d", e.GlobalActive, global)
		}
		if e.Site != "lab" && e.SiteActive > perSite {
			t.Errorf("site %s active %d > %d", e.Site, e.SiteActive, perSite)
		}
		if e.Kind == quota.CheckedOut {
			outs++
		}
	}
	if outs != n {
		t.Errorf("%d checkouts, want %d", outs, n)
	}
	h.assertQuotaIdle()
}

func TestCancelKeepsOutputAndFreesSlot(t *testing.T) {
	h := newHarness(t, limits(1), newScripted([]step{send("part\n"), blockUntilCanceled()},
		map[string][]step{"next": {send("ok\n")}}))
	events, unsubscribe := h.sup.Subscribe(16)
	defer unsubscribe()
	id := h.execute(runner.Request{Device: device("r1", "chi1"), Command: "c"})
	for i := 0; ; i++ { // Started, then the first Output
		if ev, _ := next(t, events); ev.Kind == runner.Output && ev.RunID == id {
			break
		}
		if i > 2 {
			t.Fatal("no output event")
		}
	}
	if got := h.quota.Snapshot().Global.Active; got != 1 {
		t.Fatalf("global active while running = %d, want 1", got)
	}
	if err := h.sup.Cancel(id); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	run := h.wait(id)
	if run.Status != store.StatusError || run.ErrorReason != "canceled" || run.Bytes != 5 {
		t.Fatalf("cancelled run %s %q bytes %d, want error canceled bytes 5", run.Status, run.ErrorReason, run.Bytes)
	}
	if got := h.output(id); len(got) != 1 || got[0] != "part\n" {
		t.Errorf("output kept = %q", got)
	}
	h.assertQuotaIdle()
	if err := h.sup.Cancel(id); !errors.Is(err, runner.ErrFinished) {
		t.Errorf("Cancel(finished) = %v, want ErrFinished", err)
	}
	if err := h.sup.Cancel(id + 1000); !errors.Is(err, runner.ErrUnknownRun) {
		t.Errorf("Cancel(unknown) = %v, want ErrUnknownRun", err)
	}
	// The freed slot admits the next run at once (global cap 1, fast-fail).
	if run := h.wait(h.execute(runner.Request{Device: device("next", "chi1"), Command: "c"})); run.Status != store.StatusOK {
		t.Errorf("next run %s %q", run.Status, run.ErrorReason)
	}
}

func TestCancelIgnoredByAdapterStillCanceled(t *testing.T) {
	h := newHarness(t, quota.DefaultLimits(), newScripted([]step{ignoreCancel()}, nil))
	id := h.execute(runner.Request{Device: device("r1", ""), Command: "c"})
	waitUntil(t, "the run is running", h.running(1))
	if err := h.sup.Cancel(id); err != nil {
		t.Fatal(err)
	}
	if run := h.wait(id); run.ErrorReason != "canceled" {
		t.Errorf("reason %q, want canceled", run.ErrorReason)
	}
}

func TestCancelAllRunningAndQueued(t *testing.T) {
	a := newScripted([]step{send("x"), blockUntilCanceled()}, nil)
	h := newHarness(t, limits(2), a)
	var ids []int64
	for i := range 5 {
		ids = append(ids, h.execute(runner.Request{Device: device(fmt.Sprintf("d%d", i), "s"), Command: "c", Queue: true}))
	}
	waitUntil(t, "two runs running", h.running(2))
	if got := len(h.sup.Active()); got != 5 {
		t.Fatalf("Active() has %d runs, want 5", got)
	}
	if n := h.sup.CancelAll(); n != 5 {
		t.Errorf("CancelAll() = %d, want 5", n)
	}
	calls := 0
	for i, id := range ids {
		run := h.wait(id)
		if run.Status != store.StatusError || run.ErrorReason != "canceled" {
			t.Errorf("run %d: %s %q", id, run.Status, run.ErrorReason)
		}
		calls += a.Calls(fmt.Sprintf("d%d", i))
	}
	if calls != 2 {
		t.Errorf("adapter called %d times, want 2 (queued runs never start)", calls)
	}
	if len(h.sup.Active()) != 0 {
		t.Error("runs still active after CancelAll")
	}
	h.assertQuotaIdle()
}

func TestTelemetryStartStop(t *testing.T) {
	h := newHarness(t, quota.DefaultLimits(), newScripted([]step{send("hello\n"), exit(3)}, nil))
	id := h.execute(runner.Request{Device: device("r1", "chi1"), Command: "c", BatchID: "b1"})
	h.wait(id)
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.telemetry) != 2 {
		t.Fatalf("telemetry = %+v, want start and stop", h.telemetry)
	}
	start, stop := h.telemetry[0], h.telemetry[1]
	if start.Kind != runner.TelemetryStart || start.RunID != id || start.Device != "r1" || start.Site != "chi1" || start.BatchID != "b1" {
		t.Errorf("start = %+v", start)
	}
	if stop.Kind != runner.TelemetryStop || stop.RunID != id || stop.Status != store.StatusError ||
		stop.Reason != "exit status 3" || stop.Bytes != 6 || stop.Duration <= 0 || stop.StoreErr != nil {
		t.Errorf("stop = %+v", stop)
	}
}

func TestPanicIsContained(t *testing.T) {
	gate := make(chan struct{})
	h := newHarness(t, limits(10), newScripted([]step{waitFor(gate), send("ok\n")}, map[string][]step{
		"bad": {send("before "), panicWith("adapter bug")},
	}))
	good := h.execute(runner.Request{Device: device("good", "s"), Command: "c"})
	bad := h.execute(runner.Request{Device: device("bad", "s"), Command: "c"})
	run := h.wait(bad)
	if run.Status != store.StatusError || run.ErrorReason != "panic: adapter bug" || run.Bytes != 7 {
		t.Errorf("panicked run %s %q bytes %d", run.Status, run.ErrorReason, run.Bytes)
	}
	if snap := h.quota.Snapshot(); snap.Global.Active != 1 {
		t.Errorf("global active after panic = %d, want 1 (the good run)", snap.Global.Active)
	}
	close(gate)
	if run := h.wait(good); run.Status != store.StatusOK {
		t.Errorf("other run %s %q", run.Status, run.ErrorReason)
	}
	if run := h.wait(h.execute(runner.Request{Device: device("after", "s"), Command: "c"})); run.Status != store.StatusOK {
		t.Errorf("run after the panic %s %q", run.Status, run.ErrorReason)
	}
	h.assertQuotaIdle()
}

func TestBatchStopsAfterAuthFailures(t *testing.T) {
	authErr := adapters.Errorf(adapters.ClassAuth, nil, "permission denied (password)")
	a := newScripted([]step{fail(authErr)}, map[string][]step{"other": {send("ok\n")}})
	h := newHarness(t, limits(1), a) // one at a time: failures land in order
	batch := store.NewBatchID()
	var ids []int64
	for i := range 6 {
		ids = append(ids, h.execute(runner.Request{Device: device(fmt.Sprintf("d%d", i), "s"), Command: "c", BatchID: batch, Queue: true}))
	}
	other := h.execute(runner.Request{Device: device("other", "s"), Command: "c", Queue: true})
	stopped := "auth: batch stopped after 3 failures"
	for i, id := range ids {
		run := h.wait(id)
		want := "auth: permission denied (password)"
		if i >= 3 {
			want = stopped
		}
		if run.Status != store.StatusError || run.ErrorReason != want {
			t.Errorf("run %d: %s %q, want %q", i, run.Status, run.ErrorReason, want)
		}
	}
	sessions := 0
	for i := range 6 {
		sessions += a.Calls(fmt.Sprintf("d%d", i))
	}
	if sessions != 3 {
		t.Errorf("%d sessions opened, want 3", sessions)
	}
	if run := h.wait(other); run.Status != store.StatusOK {
		t.Errorf("run of another batch %s %q", run.Status, run.ErrorReason)
	}
	// A late run of the stopped batch opens no session either.
	late := h.wait(h.execute(runner.Request{Device: device("late", "s"), Command: "c", BatchID: batch}))
	if late.ErrorReason != stopped || a.Calls("late") != 0 {
		t.Errorf("late run %q, %d sessions", late.ErrorReason, a.Calls("late"))
	}
	h.assertQuotaIdle()
}

func TestExecuteValidatesAndRefusesAfterShutdown(t *testing.T) {
	h := newHarness(t, quota.DefaultLimits(), newScripted(nil, nil))
	if _, err := h.sup.Execute(context.Background(), runner.Request{Command: "c"}); err == nil {
		t.Error("Execute without a device succeeded")
	}
	if err := h.sup.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := h.sup.Execute(context.Background(), runner.Request{Device: device("r", ""), Command: "c"}); !errors.Is(err, runner.ErrClosed) {
		t.Errorf("Execute after Shutdown = %v, want ErrClosed", err)
	}
}

func TestWaitUnknownRun(t *testing.T) {
	h := newHarness(t, quota.DefaultLimits(), newScripted(nil, nil))
	if _, err := h.sup.Wait(context.Background(), 424242); !errors.Is(err, runner.ErrUnknownRun) {
		t.Errorf("Wait(unknown) = %v, want ErrUnknownRun", err)
	}
	select {
	case <-h.sup.Done(424242):
	default:
		t.Error("Done(unknown) is not closed")
	}
}

func TestActiveDescribesLiveRuns(t *testing.T) {
	h := newHarness(t, limits(1), newScripted([]step{send("abc"), blockUntilCanceled()}, nil))
	first := h.execute(runner.Request{Device: device("a", "chi1"), Command: "show clock", BatchID: "b", RequestedBy: "op", Queue: true})
	second := h.execute(runner.Request{Device: device("b", "chi1"), Command: "show clock", BatchID: "b", Queue: true})
	waitUntil(t, "the first run has output", func() bool {
		act := h.sup.Active()
		return len(act) == 2 && act[0].Bytes == 3
	})
	act := h.sup.Active()
	a, b := act[0], act[1]
	if a.ID != first || a.Status != store.StatusRunning || a.Device != "a" || a.Site != "chi1" ||
		a.Command != "show clock" || a.BatchID != "b" || a.RequestedBy != "op" || a.StartedAt.IsZero() {
		t.Errorf("running run = %+v", a)
	}
	if b.ID != second || b.Status != store.StatusPending || !b.StartedAt.IsZero() {
		t.Errorf("queued run = %+v", b)
	}
	if n := h.sup.CancelAll(); n != 2 {
		t.Errorf("CancelAll() = %d, want 2", n)
	}
}
