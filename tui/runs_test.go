package tui

import (
	"fmt"
	"testing"
	"time"
)

// testRuns returns a batch of five runs in various states and a second
// batch of one, with fixed times.
func testRuns() []runRow {
	t0 := fixedNow.Add(-90 * time.Second)
	exit1 := 1
	return []runRow{
		{ID: 1, BatchID: "b1", Device: "ams-core1", Site: "ams", Command: "show version", Status: statusOK, Bytes: 2048, Started: t0, Finished: t0.Add(1200 * time.Millisecond)},
		{ID: 2, BatchID: "b1", Device: "ams-core2", Site: "ams", Command: "show version", Status: statusError, Reason: "auth: permission denied", Started: t0, Finished: t0.Add(300 * time.Millisecond)},
		{ID: 3, BatchID: "b1", Device: "ams-edge1", Site: "ams", Command: "show version", Status: statusRunning, Bytes: 512, Started: t0},
		{ID: 4, BatchID: "b1", Device: "fra-core1", Site: "fra", Command: "show version", Status: statusPending},
		{ID: 5, BatchID: "b1", Device: "fra-tor1", Site: "fra", Command: "show version", Status: statusError, Reason: "exit status 1", ExitCode: &exit1, Started: t0, Finished: t0.Add(2 * time.Second)},
		{ID: 6, BatchID: "b2", Device: "ams-core1", Site: "ams", Command: "show tech-support", Status: statusError, Reason: "canceled", Bytes: 3 << 20, Started: t0, Finished: t0.Add(65 * time.Second)},
	}
}

func filledRuns() *runsPane {
	p := newRunsPane(testContext())
	p.SetSize(100, 12)
	for _, r := range testRuns() {
		p.Upsert(r)
	}
	return p
}

func TestRunsPaneNewestFirstWithStates(t *testing.T) {
	p := filledRuns()
	v := p.View(true)
	checkSize(t, v, 100, 12)
	mustContain(t, v, "Runs (6) · 2 active", "⊘ canceled", "✓ ok", "✗ error", "auth: permission denied", "○ pending", "running", "1m05s", "1.2s", "3.0M", "2.0K")
	items := p.items()
	if items[0].run.ID != 6 || items[5].run.ID != 1 {
		t.Fatalf("order: first %d last %d", items[0].run.ID, items[5].run.ID)
	}
	// the running row's elapsed runs against the clock
	mustContain(t, v, "1m30s")
}

func TestRunsPaneFocusIsStableAndMoves(t *testing.T) {
	p := filledRuns()
	if p.Focused().ID != 1 {
		t.Fatalf("first run added keeps the focus, got %d", p.Focused().ID)
	}
	p.Update(press("g"))
	if p.Focused().ID != 6 {
		t.Fatalf("g focuses the newest, got %d", p.Focused().ID)
	}
	p.Update(press("down"))
	p.Upsert(runRow{ID: 7, BatchID: "b3", Device: "x", Status: statusRunning})
	if p.Focused().ID != 5 {
		t.Fatalf("a new run moved the focus to %d", p.Focused().ID)
	}
}

func TestRunsPaneCancelShowsAtOnceAndStays(t *testing.T) {
	p := filledRuns()
	r := *p.Get(3)
	r.Status, r.Reason, r.Finished = statusError, reasonCanceled, fixedNow
	p.Upsert(r)
	// a late running update (events race the local cancel) does not undo it
	late := *p.Get(3)
	late.Status, late.Reason, late.Bytes = statusRunning, "", 9000
	p.Upsert(late)
	got := p.Get(3)
	if !got.canceled() || got.Bytes != 9000 {
		t.Fatalf("run 3: %+v", got)
	}
	mustContain(t, p.View(false), "Runs (6) · 1 active")
}

func TestRunsPaneGroupsByBatch(t *testing.T) {
	p := filledRuns()
	p.Update(press("b"))
	v := p.View(true)
	mustContain(t, v, "▾ show tech-support · 1 device · 1 canceled", "▾ show version · 5 devices · 1 ok · 2 error · 1 running · 1 pending", "by batch")
	items := p.items()
	if items[0].run != nil || items[0].batch != "b2" || items[2].batch != "b1" {
		t.Fatalf("batch order: %+v %+v", items[0], items[2])
	}
}

func TestRunsPaneNarrowDropsColumns(t *testing.T) {
	p := filledRuns()
	p.SetSize(50, 10)
	v := p.View(false)
	checkSize(t, v, 50, 10)
	mustNotContain(t, v, "auth: permission denied", "✗ error")
	// no room for the reasons: their gist stands in for "error"
	mustContain(t, v, "ams-core2", "✗ auth", "✗ exit 1", "⊘ canceled")
}

func TestShortReason(t *testing.T) {
	for reason, want := range map[string]string{
		"auth: permission denied":                          "auth",
		"timeout: idle (no output for 1s)":                 "timeout",
		"exit status 127":                                  "exit 127",
		"closed: connection lost before the command ended": "closed",
		"quota_exceeded:global":                            "quota",
		"interrupted":                                      "interrupted",
	} {
		if got := shortReason(reason); got != want {
			t.Errorf("shortReason(%q) = %q, want %q", reason, got, want)
		}
	}
}

func TestTilesGridAndFocus(t *testing.T) {
	c := testContext()
	tv := newTilesView(c)
	tv.SetSize(120, 21)
	var runs []*runRow
	rings := map[int64]*lineRing{}
	for i := range 12 {
		r := &runRow{ID: int64(i + 1), Device: fmt.Sprintf("dev%02d", i), Command: "show version", Status: statusRunning}
		runs = append(runs, r)
		rings[r.ID] = newLineRing(50)
		rings[r.ID].Write(fmt.Sprintf("hello from dev%02d\nuptime is %d weeks\n", i, i))
	}
	if tv.Capacity() != 9 {
		t.Fatalf("capacity %d, want 3×3", tv.Capacity())
	}
	v := tv.View(runs, rings)
	checkSize(t, v, 120, 21)
	mustContain(t, v, "dev00 running", "uptime is 8 weeks", "dev08")
	mustNotContain(t, v, "dev09")
	tv.Update(press("tab"), len(runs))
	tv.Update(press("down"), len(runs))
	if tv.focus != 4 {
		t.Fatalf("focus %d, want 4", tv.focus)
	}
	tv.Update(press("down"), 9)
	tv.Update(press("down"), 9)
	if tv.focus != 8 {
		t.Fatalf("focus clamps to last, got %d", tv.focus)
	}
}

func TestRunTitleCarriesTheReason(t *testing.T) {
	runs := testRuns()
	for i, want := range map[int]string{
		0: "#1 ams-core1 · show version · ok",
		1: "#2 ams-core2 · show version · error · auth: permission denied",
		5: "#6 ams-core1 · show tech-support · canceled",
	} {
		if got := runTitle(&runs[i]); got != want {
			t.Errorf("runTitle(#%d) = %q, want %q", runs[i].ID, got, want)
		}
	}
}
