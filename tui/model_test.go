package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"netauto/adapters"
	"netauto/inventory"
	"netauto/quota"
	"netauto/runner"
	"netauto/store"
)

// fakeDevice answers commands the way the lab's devices do, without SSH:
// "show version" prints and ends, "show tech-support" prints techBurst
// lines at once and then streams until cancelled, "evil" prints escape
// sequences.
type fakeDevice struct{}

// techBurst is how many lines "show tech-support" prints at once: more
// than any pane holds at 160×48.
const techBurst = 100

func (fakeDevice) Run(ctx context.Context, dev inventory.Device, command string, onChunk func([]byte)) (adapters.Result, error) {
	var n int64
	emit := func(s string) { n += int64(len(s)); onChunk([]byte(s)) }
	switch command {
	case "show tech-support":
		for i := 0; ; i++ {
			if i >= techBurst {
				select {
				case <-ctx.Done():
					return adapters.Result{Bytes: n}, ctx.Err()
				case <-time.After(2 * time.Millisecond):
				}
			}
			emit(fmt.Sprintf("tech line %d\r\n", i))
		}
	case "evil":
		emit("\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07safe \x1b[31mtext\x1b[0m\r\n")
	default:
		emit("Cisco IOS XE Software, Version 17.9.4\r\n")
		emit(dev.Name + " uptime is 3 weeks, 2 days\r\n")
	}
	return adapters.Result{Bytes: n}, nil
}

// harness is a model wired to a real supervisor, store and quota manager
// with the fake device adapter; the bridge's messages arrive on msgs.
type harness struct {
	t    *testing.T
	m    *model
	sup  *runner.Supervisor
	st   *store.Store
	q    *quota.Manager
	msgs chan tea.Msg
	quit bool
}

func newHarness(t *testing.T, devices []inventory.Device) *harness {
	t.Helper()
	return newHarnessWith(t, devices, store.Options{})
}

// newHarnessWith is newHarness on a store opened with opts.
func newHarnessWith(t *testing.T, devices []inventory.Device, opts store.Options) *harness {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "history.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	q := quota.New(quota.Limits{Global: 50, Sites: map[string]int{"ams": 4}})
	sup := runner.New(runner.Config{Store: st, Quota: q, Adapter: fakeDevice{}})
	h := &harness{t: t, sup: sup, st: st, q: q, msgs: make(chan tea.Msg, 1024)}
	after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	t.Cleanup(func() { after = tea.Tick })
	inv := &inventory.Inventory{Devices: devices}
	h.m = newModel(backend{sup: sup, store: st, quota: q, requestedBy: "test"}, inv, nil, filepath.Join(t.TempDir(), "commands"), "test")
	ctx, cancel := context.WithCancel(context.Background())
	events, unsub := sup.Subscribe(subscribeBuffer)
	done := make(chan struct{})
	go func() {
		defer close(done)
		newBridge(events, func(m tea.Msg) { h.msgs <- m }, h.m.watch).run(ctx)
	}()
	t.Cleanup(func() {
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		_ = sup.Shutdown(sctx)
		cancel()
		unsub()
		<-done
		st.Close()
	})
	h.send(tea.WindowSizeMsg{Width: 160, Height: 48})
	return h
}

// send delivers msg to the model and runs the commands it returns (timers
// are disabled: tests drive time themselves).
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	queue := []tea.Msg{msg}
	for len(queue) > 0 {
		msg, queue = queue[0], queue[1:]
		_, cmd := h.m.Update(msg)
		queue = append(queue, h.collect(cmd)...)
	}
}

func (h *harness) collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	switch msg := msg.(type) {
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, h.collect(c)...)
		}
		return out
	case tea.QuitMsg:
		h.quit = true
		return nil
	case nil:
		return nil
	}
	return []tea.Msg{msg}
}

func (h *harness) press(keys ...string) {
	for _, k := range keys {
		h.send(press(k))
	}
}

// pressTo presses keys and requires the console to be on screen want then.
func (h *harness) pressTo(want screen, keys ...string) {
	h.t.Helper()
	h.press(keys...)
	if h.m.screen != want {
		h.t.Fatalf("%s: screen %v, want %v (note %q)", strings.Join(keys, " "), h.m.screen, want, h.m.note)
	}
}

func (h *harness) typeText(s string) {
	typeText(s, func(k tea.KeyPressMsg) { h.send(k) })
}

// pump delivers bridge frames until cond holds (bounded).
func (h *harness) pump(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case msg := <-h.msgs:
			h.send(msg)
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s:\n%s", what, plain(h.m.render()))
		}
	}
}

func (h *harness) screen() string { return plain(h.m.render()) }

// launchOnAms selects the ams site (the first heading of labFleet: three
// devices), launches command on it and waits until every run has ended.
func (h *harness) launchOnAms(command string) {
	h.t.Helper()
	h.press("space")
	h.press(":")
	h.typeText(command)
	h.press("enter")
	h.pump("the runs to end", allFinished(h.m))
}

func labFleet(n int) []inventory.Device {
	var out []inventory.Device
	for i := range n {
		site := []string{"ams", "fra"}[i%2]
		out = append(out, inventory.Device{Name: fmt.Sprintf("%s-r%02d", site, i), Site: site, Groups: []string{"core"}, Platform: inventory.PlatformIOSXE})
	}
	return out
}

func allFinished(m *model) func() bool {
	return func() bool {
		for _, r := range m.runs.runs {
			if !r.finished() {
				return false
			}
		}
		return m.runs.Len() > 0
	}
}

func TestModelLaunchShowVersionOnASite(t *testing.T) {
	h := newHarness(t, labFleet(6))
	h.press("space") // the ams heading
	if n := len(h.m.inv.Selection()); n != 3 {
		t.Fatalf("selected %d", n)
	}
	h.press(":")
	h.typeText("show version")
	h.press("enter")
	if h.m.runs.Len() != 3 {
		t.Fatalf("%d runs after launch", h.m.runs.Len())
	}
	h.pump("3 runs ok", allFinished(h.m))
	s := h.screen()
	if strings.Count(s, "✓ ok") != 3 {
		t.Fatalf("want 3 ok rows:\n%s", s)
	}
	if !strings.Contains(s, "uptime is 3 weeks") {
		t.Fatalf("focused run's output not shown:\n%s", s)
	}
	batches := map[string]bool{}
	for _, r := range h.m.runs.runs {
		batches[r.BatchID] = true
	}
	if len(batches) != 1 {
		t.Fatalf("one launch made %d batches", len(batches))
	}
}

func TestModelCancelFocusedRun(t *testing.T) {
	h := newHarness(t, labFleet(2))
	h.press("down", "down") // core group, then ams-r00
	h.press(":")
	h.typeText("show tech-support")
	h.press("enter")
	h.pump("the run to stream", func() bool {
		r := h.m.runs.Focused()
		return r != nil && r.Status == statusRunning && h.m.rings[r.ID] != nil && h.m.rings[r.ID].Len() > 3
	})
	if h.q.Snapshot().Global.Active != 1 {
		t.Fatalf("quota %+v", h.q.Snapshot().Global)
	}
	h.press("x")
	r := h.m.runs.Focused()
	if !r.canceled() {
		t.Fatalf("x did not show canceled at once: %+v", r)
	}
	if !strings.Contains(h.screen(), "⊘ canceled") {
		t.Fatal("runs pane lacks canceled")
	}
	h.pump("the stored cancel", func() bool {
		return h.m.runs.Focused().Finished.After(time.Time{}) && !r.active() && h.q.Snapshot().Global.Active == 0
	})
	stored, err := h.sup.Wait(context.Background(), r.ID)
	if err != nil || stored.Status != store.StatusError || stored.ErrorReason != "canceled" {
		t.Fatalf("stored %+v %v", stored, err)
	}
	h.pump("gauge at zero", func() bool { return strings.Contains(h.screen(), "0/50") })
	h.press("x")
	mustContain(t, h.screen(), fmt.Sprintf("#%d has ended: nothing to cancel", r.ID))
}

func TestModelBigLaunchAsksWithCountAndSites(t *testing.T) {
	h := newHarness(t, labFleet(25))
	h.press("a", ":")
	h.typeText("show version")
	h.press("enter")
	if h.m.confirm == nil {
		t.Fatal("no confirmation for 25 devices")
	}
	s := h.screen()
	for _, want := range []string{`Run "show version" on 25 devices?`, "ams (13), fra (12)", "y yes"} {
		if !strings.Contains(s, want) {
			t.Fatalf("dialog lacks %q:\n%s", want, s)
		}
	}
	if h.m.runs.Len() != 0 {
		t.Fatal("launched before the answer")
	}
	h.press("y")
	if h.m.runs.Len() != 25 {
		t.Fatalf("%d runs after y", h.m.runs.Len())
	}
	h.pump("all ok", allFinished(h.m))
	h.press("b")
	if !strings.Contains(h.screen(), "25 devices · 25 ok") {
		t.Fatalf("batch tally missing:\n%s", h.screen())
	}
}

func TestModelCancelAllAndQuitCleanly(t *testing.T) {
	h := newHarness(t, labFleet(4))
	h.press("a", ":")
	h.typeText("show tech-support")
	h.press("enter")
	h.pump("4 running", func() bool {
		n := 0
		for _, r := range h.m.runs.runs {
			if r.Status == statusRunning {
				n++
			}
		}
		return n == 4
	})
	h.press("X")
	if !strings.Contains(h.screen(), "Cancel all 4 active runs?") {
		t.Fatalf("no X dialog:\n%s", h.screen())
	}
	h.press("n")
	if len(h.m.runs.Active()) != 4 {
		t.Fatal("n cancelled runs")
	}
	h.press("q")
	if !strings.Contains(h.screen(), "Quit with 4 active runs?") {
		t.Fatalf("no quit dialog:\n%s", h.screen())
	}
	h.press("y")
	h.pump("quit", func() bool { return h.quit })
	cancelAndWait(h.sup)
	rs, err := h.st.ListRuns(context.Background(), store.RunFilter{})
	if err != nil || len(rs) != 4 {
		t.Fatalf("runs %v %v", len(rs), err)
	}
	for _, r := range rs {
		if r.Status != store.StatusError || r.ErrorReason != "canceled" {
			t.Fatalf("run %d stored %s %q", r.ID, r.Status, r.ErrorReason)
		}
	}
}

func TestModelHistoryOpensStoredOutputAndReruns(t *testing.T) {
	h := newHarness(t, labFleet(2))
	h.press("down", "down", ":")
	h.typeText("evil")
	h.press("enter")
	h.pump("evil done", allFinished(h.m))
	s := h.screen()
	if !strings.Contains(s, "safe text") || strings.Contains(h.m.render(), "pwned") || strings.Contains(h.m.render(), "\x1b]") {
		t.Fatalf("escape sequences reached the screen:\n%q", h.m.render())
	}
	h.press("H")
	if !strings.Contains(h.screen(), "History · 1 run") {
		t.Fatalf("history:\n%s", h.screen())
	}
	h.press("enter")
	s = h.screen()
	if !strings.Contains(s, "safe text") || strings.Contains(s, "pwned") {
		t.Fatalf("stored output not shown sanitized:\n%s", s)
	}
	h.press("r")
	if h.m.screen != screenMain || h.m.runs.Len() != 2 {
		t.Fatalf("re-run: screen %d, %d runs", h.m.screen, h.m.runs.Len())
	}
	h.pump("rerun done", allFinished(h.m))
}

func TestModelSiteCapKeys(t *testing.T) {
	h := newHarness(t, labFleet(2))
	h.press("+")
	if got := h.q.Snapshot().Sites["ams"].Limit; got != 5 {
		t.Fatalf("ams cap %d after +", got)
	}
	h.press("-", "-")
	if got := h.q.Snapshot().Sites["ams"].Limit; got != 3 {
		t.Fatalf("ams cap %d after - -", got)
	}
	if !strings.Contains(h.screen(), "[ams 0/3]") {
		t.Fatalf("gauge:\n%s", h.screen())
	}
	h.q.SetSiteLimit("ams", 49) // one below the global cap of 50
	h.press("+")
	if got := h.q.Snapshot().Sites["ams"].Limit; got >= 0 {
		t.Fatalf("ams cap %d after + at the global cap; want it lifted", got)
	}
	mustContain(t, h.screen(), "cap ams lifted", "[ams 0/∞]")
}

// TestModelConfirmAboveFromSettings: the console asks first above the
// settings' ConfirmAbove (the config file's confirm_above), 20 when unset.
func TestModelConfirmAboveFromSettings(t *testing.T) {
	launch := func(h *harness) {
		h.press("a", ":")
		h.typeText("show version")
		h.press("enter")
	}
	for _, c := range []struct {
		above, devices int
		asks           bool
	}{
		{0, 20, false}, {0, 21, true}, // default 20
		{30, 25, false}, {30, 31, true},
		{3, 4, true}, {3, 3, false},
	} {
		t.Run(fmt.Sprintf("above %d, %d devices", c.above, c.devices), func(t *testing.T) {
			h := newHarness(t, labFleet(c.devices))
			h.m.configure(runner.Settings{ConfirmAbove: c.above})
			launch(h)
			if asked := h.m.confirm != nil; asked != c.asks {
				t.Fatalf("asked = %v, want %v", asked, c.asks)
			}
			if c.asks {
				if s := h.screen(); !strings.Contains(s, fmt.Sprintf("on %d devices?", c.devices)) {
					t.Fatalf("dialog lacks the count:\n%s", s)
				}
				h.press("y")
			}
			if h.m.runs.Len() != c.devices {
				t.Fatalf("%d runs, want %d", h.m.runs.Len(), c.devices)
			}
			h.pump("all ok", allFinished(h.m))
		})
	}
}

func TestTilesSayHowManyRunsTheyLeaveOut(t *testing.T) {
	h := newHarness(t, labFleet(6))
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.press("a", ":")
	h.typeText("show version")
	h.press("enter")
	h.pump("the runs to end", allFinished(h.m))
	h.press("t")
	if c := h.m.tiles.Capacity(); c >= 6 {
		t.Fatalf("%d tiles fit at 80×24; the test needs fewer than 6", c)
	}
	mustContain(t, h.screen(), fmt.Sprintf("tiles (the newest %d of 6 runs)", h.m.tiles.Capacity()))
	h.send(tea.WindowSizeMsg{Width: 200, Height: 60})
	mustNotContain(t, h.screen(), "the newest")
}
