package tui

import (
	"context"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"netauto/store"
)

// storeRun records a finished run with output directly in the store, in
// batch b1.
func (h *harness) storeRun(device, command, output string) int64 {
	h.t.Helper()
	return h.storeRunIn("b1", device, command, output)
}

// storeRunIn is storeRun in another batch.
func (h *harness) storeRunIn(batch, device, command, output string) int64 {
	h.t.Helper()
	ctx := context.Background()
	r, err := h.st.CreateRun(ctx, store.NewRun{Device: device, Site: "ams", Command: command, BatchID: batch})
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.st.AppendChunk(r.ID, 1, []byte(output), time.Time{}); err != nil {
		h.t.Fatal(err)
	}
	if err := h.st.FinishRun(ctx, r.ID, store.Finish{Status: store.StatusOK}); err != nil {
		h.t.Fatal(err)
	}
	if err := h.st.CatchUpIndex(ctx); err != nil {
		h.t.Fatal(err)
	}
	return r.ID
}

func TestSearchViewFindsAndOpensTheLine(t *testing.T) {
	h := newHarness(t, testDevices())
	var out strings.Builder
	for i := range 3000 {
		if i == 2500 {
			out.WriteString("  12 input errors, 7 CRC, 0 frame\n")
			continue
		}
		out.WriteString("  0 input errors, 0 frame\n")
	}
	id := h.storeRun("ams-core-1", "show interfaces", out.String())
	h.storeRun("ams-core-2", "show version", "uptime is 3 weeks\n")

	h.pressTo(screenSearch, "S")
	h.typeText("CRC")
	h.press("enter")
	v := h.m.render()
	mustContain(t, v, "Search · 1 line", "ams-core-1", "show interfaces", "line 2501", "12 input errors, 7 CRC")

	h.press("/", "backspace", "backspace", "backspace")
	h.typeText(`"no such"`)
	h.press("enter")
	mustContain(t, h.m.render(), "no line matches")
	h.press("/")
	for range len(`"no such"`) {
		h.press("backspace")
	}
	h.typeText("CRC OR uptime")
	h.press("enter")
	mustContain(t, h.m.render(), "Search · 2 lines", "ams-core-2")

	h.press("enter") // newest first: ams-core-2's run
	h.press("S", "enter", "down", "enter")
	if h.m.screen != screenHistory || h.m.hist.opened != id {
		t.Fatalf("enter: screen %v, opened %d", h.m.screen, h.m.hist.opened)
	}
	v = h.m.render()
	mustContain(t, v, "#"+itoa(id)+" ams-core-1", "12 input errors, 7 CRC")

	h.press("esc", "esc", "S", "/")
	h.typeText(" AND (")
	h.press("enter")
	mustContain(t, h.m.render(), "bad search query")
}

func TestDiffViewShowsChangedLines(t *testing.T) {
	h := newHarness(t, testDevices())
	a := h.storeRun("ams-core-1", "show run", "hostname r1\ninterface Gi0/1\n description old\n")
	b := h.storeRun("ams-core-1", "show run", "hostname r1\ninterface Gi0/1\n description new\n")
	h.storeRun("ams-core-2", "show clock", "12:00\n")

	h.pressTo(screenHistory, "H")
	// The list is newest first: show clock, then b, then a.
	h.pressTo(screenDoc, "down", "D")
	v := h.m.render()
	mustContain(t, v, "Diff #"+itoa(a)+" → #"+itoa(b), "--- #"+itoa(a), "+++ #"+itoa(b), "@@ -1,3 +1,3 @@", "- description old", "+ description new")
	if !strings.Contains(v, h.m.c.st.Error.Render(fit("- description old", h.m.w-2))) {
		t.Errorf("removed line not styled as removed")
	}
	h.pressTo(screenHistory, "esc")

	// d marks a run, d on another compares them.
	h.press("d")
	mustContain(t, h.m.render(), "#"+itoa(b)+" marked")
	h.press("down", "d")
	mustContain(t, h.m.render(), "Diff #"+itoa(b)+" → #"+itoa(a), "+ description old")
	h.press("esc", "up", "up", "D")
	if h.m.screen != screenHistory || !strings.Contains(h.m.note, "no earlier run") {
		t.Errorf("D without an earlier run: screen %v note %q", h.m.screen, h.m.note)
	}

	// e exports the selected run and says where.
	h.press("e")
	if !strings.HasPrefix(h.m.note, "exported to ") {
		t.Fatalf("e: note %q", h.m.note)
	}
	if _, err := os.Stat(strings.TrimPrefix(h.m.note, "exported to ")); err != nil {
		t.Error(err)
	}
	mustContain(t, h.m.render(), "db ")
}

// TestDiffViewIgnoresVolatileOnV: v in a diff compares the same runs again
// with what changes on its own (uptimes, clocks) ignored, and back.
func TestDiffViewIgnoresVolatileOnV(t *testing.T) {
	h := newHarness(t, testDevices())
	a := h.storeRun("ams-core-1", "show version", "Cisco IOS XE\nr1 uptime is 3 weeks, 2 days\nModel C9300\n")
	b := h.storeRun("ams-core-1", "show version", "Cisco IOS XE\nr1 uptime is 3 weeks, 3 days\nModel C9300\n")

	h.pressTo(screenDoc, "H", "D")
	mustContain(t, h.m.render(), "Diff #"+itoa(a)+" → #"+itoa(b), "-r1 uptime is 3 weeks, 2 days", "+r1 uptime is 3 weeks, 3 days", "v ignore uptimes, clocks")

	h.press("v")
	v := h.m.render()
	mustContain(t, v, "Diff #"+itoa(a)+" → #"+itoa(b)+" · uptimes, clocks ignored", "(same output, 3 lines)", "v compare all")
	if strings.Contains(v, "+r1 uptime") {
		t.Errorf("v: the uptime line still shows as changed:\n%s", v)
	}

	h.press("v")
	v = h.m.render()
	mustContain(t, v, "+r1 uptime is 3 weeks, 3 days")
	if strings.Contains(v, "ignored") {
		t.Errorf("v again: still ignoring:\n%s", v)
	}
	h.pressTo(screenHistory, "esc")
}

// TestHistoryGroupsAStoredBatch: O in the history view folds the stored
// outputs of the selected run's batch, whatever session ran it.
func TestHistoryGroupsAStoredBatch(t *testing.T) {
	h := newHarness(t, testDevices())
	h.storeRunIn("b0", "lab-box", "show version", "Linux 6.1\n")
	h.storeRun("ams-core1", "show version", "IOS XE 17.9\n")
	h.storeRun("ams-core2", "show version", "IOS XE 17.9\n")
	h.storeRun("fra-core1", "show version", "EOS 4.31\n")

	h.pressTo(screenDoc, "H", "O")
	v := h.m.render()
	mustContain(t, v, "Batch b1 · show version · 3 devices, 2 distinct outputs: 2 identical, 1 differ",
		"── 2 devices: identical: ams-core1, ams-core2", "IOS XE 17.9", "── 1 device: differs: fra-core1", "EOS 4.31")
	if strings.Contains(v, "lab-box") {
		t.Errorf("a run of another batch is in the group:\n%s", v)
	}
	h.pressTo(screenHistory, "esc")
}

// TestGroupedOutputCountsTheLinesItLeavesOut: a group shows groupSample
// lines of its output and counts the rest, "1 more line", "2 more lines".
func TestGroupedOutputCountsTheLinesItLeavesOut(t *testing.T) {
	h := newHarness(t, testDevices())
	lines := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString("line " + strconv.Itoa(i) + "\n")
		}
		return b.String()
	}
	h.storeRun("ams-core1", "show log", lines(groupSample+1))
	h.storeRun("fra-core1", "show log", lines(groupSample+2)+"extra\n")
	runs, err := h.st.ListRuns(context.Background(), store.RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range groupDoc(context.Background(), h.st, "b1", runs).lines {
		if l.kind == '@' {
			got = append(got, l.text)
		}
	}
	want := []string{"  … 1 more line", "  … 3 more lines"}
	if !slices.Equal(got, want) {
		t.Errorf("the groups count what they leave out as %q, want %q", got, want)
	}
}

// TestHistoryGroupsOneCommandOfABatch: a batch of several commands
// (netauto run -c A -c B) is folded one command at a time: the selected
// run's.
func TestHistoryGroupsOneCommandOfABatch(t *testing.T) {
	h := newHarness(t, testDevices())
	h.storeRun("ams-core1", "show version", "IOS XE 17.9\n")
	h.storeRun("ams-core1", "show clock", "12:00:01\n")
	h.storeRun("ams-core2", "show version", "IOS XE 17.9\n")
	h.storeRun("ams-core2", "show clock", "12:00:02\n")

	h.pressTo(screenDoc, "H", "O") // the newest run: show clock on ams-core2
	v := h.m.render()
	mustContain(t, v, "Batch b1 · show clock · 2 devices, 2 distinct outputs: 0 identical, 2 differ", "12:00:01", "12:00:02")
	if strings.Contains(v, "IOS XE") {
		t.Errorf("show version's output is in the group of show clock:\n%s", v)
	}
}

// TestRunsPaneGroupsThisSessionsBatch: O on the runs pane folds the
// outputs of the focused run's batch, devices in launch order.
func TestRunsPaneGroupsThisSessionsBatch(t *testing.T) {
	h := newHarness(t, labFleet(6))
	h.launchOnAms("show version")
	for range 4 {
		if h.m.focus == paneRuns {
			break
		}
		h.press("tab")
	}
	if h.m.focus != paneRuns {
		t.Fatalf("tab never focused the runs pane")
	}
	h.pressTo(screenDoc, "O")
	var devs []string
	for _, r := range h.m.runs.runs {
		devs = append(devs, r.Device)
	}
	slices.Sort(devs)
	// Each output names its device, so no two are identical.
	mustContain(t, h.m.render(), "show version · 3 devices, 3 distinct outputs: 0 identical, 3 differ",
		"── 1 device: differs: "+devs[0], devs[0]+" uptime is 3 weeks", "Cisco IOS XE Software")
}

// itoa renders a run id.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestStoreReadsStopWhenTheConsoleEnds: the console's store reads run in
// commands with the backend's read context, which Run ends when the
// console ends; a read under way then stops instead of holding up the
// store's Close (store.Close waits for reads under way).
func TestStoreReadsStopWhenTheConsoleEnds(t *testing.T) {
	h := newHarness(t, testDevices())
	h.storeRun("r1", "show version", "Cisco IOS\n")
	q := historyQueryMsg{gen: 1, filter: store.RunFilter{Limit: 10}}
	read := func(what string, cmd tea.Cmd) tea.Msg {
		t.Helper()
		if cmd == nil {
			t.Fatalf("%s: no command", what)
		}
		return cmd()
	}
	if got := read("history", h.m.queryHistory(q)).(historyResultMsg); got.err != nil || len(got.runs) != 1 {
		t.Fatalf("history while the console runs: %d runs, %v; want 1, nil", len(got.runs), got.err)
	}

	ended, end := context.WithCancel(context.Background())
	end()
	h.m.be.reads = ended
	if got := read("history", h.m.queryHistory(q)).(historyResultMsg); !errors.Is(got.err, context.Canceled) {
		t.Errorf("history after the console ended: %d runs, %v; want context.Canceled", len(got.runs), got.err)
	}
	if got, ok := read("latest runs", h.m.loadLatest()).(latestMsg); ok {
		t.Errorf("latest runs after the console ended: %d runs; want none (the read stopped)", len(got.runs))
	}
	h.m.tools().search.input.SetValue("Cisco")
	if got := read("search", h.m.runSearch()).(searchResultMsg); !errors.Is(got.err, context.Canceled) {
		t.Errorf("search after the console ended: %d hits, %v; want context.Canceled", len(got.hits), got.err)
	}
}

// TestSearchFindsRunsThatJustEnded: the console's search brings the index up
// to date before it searches, as netauto search does. The store here has
// no indexer of its own, so nothing else would index the runs.
func TestSearchFindsRunsThatJustEnded(t *testing.T) {
	h := newHarnessWith(t, labFleet(2), store.Options{NoIndex: true})
	h.launchOnAms("show version")
	h.press("S")
	h.typeText("uptime")
	h.press("enter")
	mustContain(t, h.m.render(), "Search · 1 line", "uptime is 3 weeks")
	mustNotContain(t, h.m.render(), "not indexed yet")
}
