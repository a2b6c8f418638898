package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"netauto/runner"
)

// liveBridge is a bridge running with a watch set, fed one event at a time,
// its frames collected as they come.
type liveBridge struct {
	t      *testing.T
	events chan runner.Event
	frames chan eventsMsg
	watch  *watchSet
}

func startLiveBridge(t *testing.T, watched ...int64) *liveBridge {
	t.Helper()
	lb := &liveBridge{t: t, events: make(chan runner.Event), frames: make(chan eventsMsg, 1024), watch: newWatchSet()}
	lb.watch.set(watched)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		newBridge(lb.events, func(m tea.Msg) { lb.frames <- m.(eventsMsg) }, lb.watch).run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return lb
}

func (lb *liveBridge) send(evs ...runner.Event) {
	lb.t.Helper()
	for _, ev := range evs {
		select {
		case lb.events <- ev:
		case <-time.After(5 * time.Second):
			lb.t.Fatal("the bridge stopped receiving")
		}
	}
}

// until collects frames until cond holds on all collected so far.
func (lb *liveBridge) until(what string, cond func([]eventsMsg) bool) []eventsMsg {
	lb.t.Helper()
	var got []eventsMsg
	deadline := time.After(5 * time.Second)
	for !cond(got) {
		select {
		case f := <-lb.frames:
			got = append(got, f)
		case <-deadline:
			lb.t.Fatalf("no frame with %s within 5 s", what)
		}
	}
	return got
}

// lastBytes is the newest byte count of run id in frames, and whether
// every output of it was a count only.
func lastBytes(frames []eventsMsg, id int64) (n int64, countOnly bool) {
	countOnly = true
	for _, f := range frames {
		if o := f.output[id]; o != nil {
			n = o.bytes
			countOnly = countOnly && o.countOnly && len(o.lines) == 0 && o.partial == ""
		}
	}
	return n, countOnly
}

func TestBridgeSanitizesOnlyRunsOnScreen(t *testing.T) {
	lb := startLiveBridge(t, 1)
	lb.send(outputEvents(1, "a\nb\n", 4)...)
	lb.send(outputEvents(2, "x\ny\n", 4)...)
	frames := lb.until("both runs' bytes", func(f []eventsMsg) bool {
		n1, _ := lastBytes(f, 1)
		n2, _ := lastBytes(f, 2)
		return n1 == 4 && n2 == 4
	})
	if lines, _ := linesOf(frames, 1); strings.Join(lines, "|") != "a|b" {
		t.Errorf("run on screen: lines %q, want a, b", lines)
	}
	if _, countOnly := lastBytes(frames, 2); !countOnly {
		t.Errorf("run off screen got lines: %+v", frames)
	}

	// It comes on screen with no new output: what was held is shown.
	lb.watch.set([]int64{1, 2})
	frames = lb.until("run 2's held lines", func(f []eventsMsg) bool { l, _ := linesOf(f, 2); return len(l) > 0 })
	if lines, _ := linesOf(frames, 2); strings.Join(lines, "|") != "x|y" {
		t.Errorf("run 2 on screen: lines %q, want x, y", lines)
	}

	// Output that follows continues the same lines.
	lb.send(runner.Event{Kind: runner.Output, RunID: 2, Seq: 2, Data: []byte("z\n"), Bytes: 6})
	frames = lb.until("run 2's next line", func(f []eventsMsg) bool { l, _ := linesOf(f, 2); return len(l) > 0 })
	if lines, _ := linesOf(frames, 2); strings.Join(lines, "|") != "z" {
		t.Errorf("run 2's next frame: lines %q, want z", lines)
	}
}

func TestBridgeHoldsAShortTailOffScreen(t *testing.T) {
	lb := startLiveBridge(t)
	var b strings.Builder
	n := 0
	for b.Len() < 8*heldTailMax {
		n++
		fmt.Fprintf(&b, "line %06d of a run nobody watches\n", n)
	}
	total := int64(b.Len())
	lb.send(outputEvents(5, b.String(), 4<<10)...)
	lb.until("the whole count", func(f []eventsMsg) bool { c, _ := lastBytes(f, 5); return c == total })
	lb.watch.set([]int64{5})
	frames := lb.until("the held tail", func(f []eventsMsg) bool { l, _ := linesOf(f, 5); return len(l) > 0 })
	lines, _ := linesOf(frames, 5)
	if !strings.Contains(lines[0], "not shown live") {
		t.Errorf("first line %q: want a gap line for what was cut", lines[0])
	}
	if last := lines[len(lines)-1]; last != fmt.Sprintf("line %06d of a run nobody watches", n) {
		t.Errorf("last line %q: want the newest", last)
	}
	if shown := len(lines) - 1; shown > 2*heldTailMax/30 {
		t.Errorf("%d lines held of %d: want at most about %d bytes' worth", shown, n, 2*heldTailMax)
	}
}

func TestBridgeShowsHeldOutputWhenTheRunFinishes(t *testing.T) {
	lb := startLiveBridge(t)
	lb.send(outputEvents(9, "x\ny", 4)...)
	lb.send(runner.Event{Kind: runner.Finished, RunID: 9})
	frames := lb.until("the finish", func(f []eventsMsg) bool {
		for _, m := range f {
			if len(m.lifecycle) > 0 {
				return true
			}
		}
		return false
	})
	lines, partial := linesOf(frames, 9)
	if strings.Join(lines, "|") != "x|y" || partial != "" {
		t.Errorf("finished off screen: lines %q, partial %q; want x, y", lines, partial)
	}
}

func TestWatchSetFollowsFocusAndTiles(t *testing.T) {
	h := newHarness(t, labFleet(6))
	h.launchOnAms("show version")
	focused := h.m.focusedRun()
	if focused == nil {
		t.Fatal("no focused run")
	}
	for _, r := range h.m.tileRuns() {
		if got, want := h.m.watch.has(r.ID), r.ID == focused.ID; got != want {
			t.Errorf("main screen: run %d watched %v, want %v (focused run %d)", r.ID, got, want, focused.ID)
		}
	}
	h.press("t")
	for _, r := range h.m.tileRuns() {
		if !h.m.watch.has(r.ID) {
			t.Errorf("tiles: run %d is in a tile but not watched", r.ID)
		}
	}
	h.press("t")
	h.m.focus = paneRuns
	h.press("up") // the focused run was the oldest, at the bottom
	if f := h.m.focusedRun(); f == nil || f.ID == focused.ID || !h.m.watch.has(f.ID) || h.m.watch.has(focused.ID) {
		t.Errorf("after moving the focus: watched set does not follow it")
	}
}
