package runner_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"netauto/adapters"
	"netauto/inventory"
	"netauto/quota"
	"netauto/runner"
	"netauto/store"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testTimeout bounds every wait in these tests.
const testTimeout = 20 * time.Second

// harness is a supervisor over a real store on a temp file and a real quota
// manager, recording telemetry and quota events.
type harness struct {
	t     testing.TB
	store *store.Store
	quota *quota.Manager
	sup   *runner.Supervisor

	closeOnce sync.Once

	mu        sync.Mutex
	telemetry []runner.Telemetry
	quotaEvs  []quota.Event
}

// newHarness builds a harness; the supervisor is shut down and the store
// closed at cleanup.
func newHarness(t testing.TB, limits quota.Limits, a adapters.Adapter) *harness {
	t.Helper()
	h := &harness{t: t}
	st, err := store.Open(filepath.Join(t.TempDir(), "history.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h.store = st
	h.quota = quota.New(limits, quota.WithHook(func(e quota.Event) {
		h.mu.Lock()
		h.quotaEvs = append(h.quotaEvs, e)
		h.mu.Unlock()
	}))
	h.sup = runner.New(runner.Config{
		Store: st, Quota: h.quota, Adapter: a,
		Hook: func(e runner.Telemetry) {
			h.mu.Lock()
			h.telemetry = append(h.telemetry, e)
			h.mu.Unlock()
		},
	})
	t.Cleanup(h.close)
	return h
}

// close shuts the supervisor down and closes the store, once.
func (h *harness) close() {
	h.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		if err := h.sup.Shutdown(ctx); err != nil {
			h.t.Errorf("Shutdown: %v", err)
		}
		if err := h.store.Close(); err != nil {
			h.t.Errorf("store Close: %v", err)
		}
	})
}

// device returns an inventory device on site.
func device(name, site string) inventory.Device {
	return inventory.Device{Name: name, Host: "127.0.0.1", Site: site, Platform: inventory.PlatformLinux}
}

// limits returns caps: a global one and site=cap pairs.
func limits(global int, sites ...any) quota.Limits {
	l := quota.Limits{Global: global, Sites: map[string]int{}}
	for i := 0; i+1 < len(sites); i += 2 {
		l.Sites[sites[i].(string)] = sites[i+1].(int)
	}
	return l
}

// execute starts a run and fails the test on error.
func (h *harness) execute(req runner.Request) int64 {
	h.t.Helper()
	id, err := h.sup.Execute(context.Background(), req)
	if err != nil {
		h.t.Fatalf("Execute(%s): %v", req.Device.Name, err)
	}
	return id
}

// wait waits for run id to end and returns its stored state.
func (h *harness) wait(id int64) store.Run {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	run, err := h.sup.Wait(ctx, id)
	if err != nil {
		h.t.Fatalf("Wait(%d): %v", id, err)
	}
	return run
}

// output returns run id's stored chunks.
func (h *harness) output(id int64) []string {
	h.t.Helper()
	var chunks []string
	err := h.store.Output(context.Background(), id, func(seq int64, data []byte, _ time.Time) error {
		if want := int64(len(chunks) + 1); seq != want {
			h.t.Errorf("run %d: chunk seq %d, want %d", id, seq, want)
		}
		chunks = append(chunks, string(data))
		return nil
	})
	if err != nil {
		h.t.Fatalf("Output(%d): %v", id, err)
	}
	return chunks
}

// waitUntil polls cond every few milliseconds until it holds or the test
// times out.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// running reports whether n runs are live and running.
func (h *harness) running(n int) func() bool {
	return func() bool {
		c := 0
		for _, r := range h.sup.Active() {
			if r.Status == store.StatusRunning {
				c++
			}
		}
		return c == n
	}
}

// assertQuotaIdle checks that no slot is held and nobody waits.
func (h *harness) assertQuotaIdle() {
	h.t.Helper()
	snap := h.quota.Snapshot()
	if snap.Global.Active != 0 || snap.Waiting != 0 {
		h.t.Errorf("quota not idle: global active %d, waiting %d", snap.Global.Active, snap.Waiting)
	}
	for site, u := range snap.Sites {
		if u.Active != 0 {
			h.t.Errorf("quota site %q still has %d active", site, u.Active)
		}
	}
}

// next receives the next event, failing the test after testTimeout; ok is
// false when the channel is closed.
func next(t testing.TB, events <-chan runner.Event) (ev runner.Event, ok bool) {
	t.Helper()
	select {
	case ev, ok = <-events:
		return ev, ok
	case <-time.After(testTimeout):
		t.Fatal("timed out waiting for an event")
		return runner.Event{}, false
	}
}

// intPtr returns &n.
func intPtr(n int) *int { return &n }
