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

// bridgeRun feeds evs to a bridge whose update loop is held busy until
// all of them are queued (so the receiver gathers them under its bounds),
// and returns every frame it delivered, in order.
func bridgeRun(t *testing.T, evs []runner.Event) []eventsMsg {
	t.Helper()
	// Buffered as the runner's subscription channel is (Subscribe caps it
	// at 64 events): the bridge takes what it holds at each wake.
	events := make(chan runner.Event, 64)
	busy := make(chan struct{})
	var frames []eventsMsg
	got := make(chan eventsMsg, 1024)
	b := newBridge(events, func(m tea.Msg) {
		<-busy
		got <- m.(eventsMsg)
	}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.run(ctx)
	}()
	for _, ev := range evs {
		select {
		case events <- ev:
		case <-ctx.Done():
			t.Fatal("the bridge stopped receiving")
		}
	}
	close(busy)
	close(events)
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatal("the bridge did not end after its channel closed")
	}
	close(got)
	for m := range got {
		frames = append(frames, m)
	}
	return frames
}

// outputEvents cuts text into chunks of n bytes as Output events of run id.
func outputEvents(id int64, text string, n int) []runner.Event {
	var evs []runner.Event
	var total int64
	for i := 0; i < len(text); i += n {
		chunk := text[i:min(i+n, len(text))]
		total += int64(len(chunk))
		evs = append(evs, runner.Event{Kind: runner.Output, RunID: id, Seq: int64(len(evs) + 1), Data: []byte(chunk), Bytes: total})
	}
	return evs
}

// linesOf joins every frame's lines of run id, and the last partial line.
func linesOf(frames []eventsMsg, id int64) (lines []string, partial string) {
	for _, f := range frames {
		if o := f.output[id]; o != nil {
			lines = append(lines, o.lines...)
			partial = o.partial
		}
	}
	return lines, partial
}

func TestBridgeSanitizesAcrossChunksAndFlushesOnFinish(t *testing.T) {
	evs := []runner.Event{{Kind: runner.Started, RunID: 1}}
	evs = append(evs, outputEvents(1, "hello \x1b]0;tit", 7)...)
	evs = append(evs, runner.Event{Kind: runner.Output, RunID: 1, Seq: 9, Data: []byte("le\x07world\nlast"), Bytes: 26})
	evs = append(evs, runner.Event{Kind: runner.Finished, RunID: 1})
	frames := bridgeRun(t, evs)
	lines, partial := linesOf(frames, 1)
	if strings.Join(lines, "|") != "hello world|last" || partial != "" {
		t.Errorf("lines %q, partial %q; want hello world, last", lines, partial)
	}
	var kinds []runner.EventKind
	for _, f := range frames {
		for _, ev := range f.lifecycle {
			kinds = append(kinds, ev.Kind)
		}
	}
	if len(kinds) != 2 || kinds[0] != runner.Started || kinds[1] != runner.Finished {
		t.Errorf("lifecycle %v, want Started, Finished", kinds)
	}
}

func TestBridgeKeepsTheTailWhenTheUpdateLoopLags(t *testing.T) {
	var b strings.Builder
	n := 0
	for b.Len() < 6*rawTailMax {
		n++
		fmt.Fprintf(&b, "line %06d of a device that floods its output\n", n)
	}
	frames := bridgeRun(t, outputEvents(7, b.String(), 32<<10))
	lines, _ := linesOf(frames, 7)
	if len(lines) == 0 || lines[len(lines)-1] != fmt.Sprintf("line %06d of a device that floods its output", n) {
		t.Fatalf("the newest line is missing; got %d lines", len(lines))
	}
	gaps, shown := 0, 0
	for _, l := range lines {
		if strings.Contains(l, "not shown live") {
			gaps++
		} else {
			shown++
		}
	}
	if gaps == 0 || shown > 2*rawTailMax/40 {
		t.Errorf("%d gap lines and %d lines shown of %d: want the tail only, after a gap line", gaps, shown, n)
	}
}

func TestBridgeMarksOutputTheSubscriptionDropped(t *testing.T) {
	evs := []runner.Event{
		{Kind: runner.Output, RunID: 3, Seq: 1, Data: []byte("first\n"), Bytes: 6},
		{Kind: runner.Output, RunID: 3, Seq: 9, Data: []byte("after the gap\n"), Bytes: 6 + 4096 + 14, Dropped: 7},
	}
	lines, _ := linesOf(bridgeRun(t, evs), 3)
	if len(lines) != 2 || !strings.Contains(lines[0], "not shown live") || lines[1] != "after the gap" {
		t.Errorf("lines %q: want a gap line, then the line after it", lines)
	}
}
