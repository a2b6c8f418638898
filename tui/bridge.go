package tui

import (
	"bytes"
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"netauto/runner"
	"netauto/sanitize"
)

// frameInterval is how often the bridge hands the update loop what
// happened: one message per frame, however many chunks arrived.
const frameInterval = 30 * time.Millisecond

// gatherPause is how long the bridge's receiver rests after taking what
// its subscription held, and how long the subscription's own goroutine
// rests after each burst (runner.SubscribeEvery, see run.go). Each rest
// saves its own goroutine's wake-ups; the subscription's rest alone, with
// the receiver listening throughout, measured slightly slower keys
// (docs/BENCHMARKS.md). At most gatherPause of events queue meanwhile (at
// 200 MB/s in 32 KiB chunks, ~25 events: the subscription's channel holds
// 64, the runner queues more behind it).
const gatherPause = 4 * time.Millisecond

// subscribeBuffer is the bridge's subscription buffer. The bridge only
// gathers chunks as it receives, so it keeps up; the buffer absorbs bursts
// while bounding what a lagging bridge would hold (the runner queues at
// most this many output events, 32 KiB at most each, beside the channel).
const subscribeBuffer = 512

// rawTailMax is how much raw output of one run the bridge keeps between
// two frames: when the update loop falls behind, older bytes give way to
// newer (they would scroll out of the run's ring anyway; the whole output
// is in the store) and the output pane shows a gap line. The held tail
// grows to twice this before it is cut back, so that it is cut at most
// once per rawTailMax bytes.
const rawTailMax = 128 << 10

// heldTailMax is how much raw output the bridge holds for a run that is
// not on screen (see watchSet), up to twice that before it is cut back:
// what its output pane or tile shows first when it comes on screen, after
// a gap line for what was cut.
const heldTailMax = 32 << 10

// runOutput is the new sanitized output of one run in a frame: complete
// lines and the current partial line; for a run not on screen, only its
// byte count (countOnly), and its ring stays as it is.
type runOutput struct {
	lines     []string
	partial   string
	bytes     int64
	countOnly bool
}

// eventsMsg is one frame's worth of runner events: the new output per run
// and every lifecycle event, in order. Output is applied before lifecycle.
type eventsMsg struct {
	output    map[int64]*runOutput
	lifecycle []runner.Event
}

// rawOutput is the raw output of one run gathered for the next frame, or
// held while the run is not on screen. It holds the runner's chunks
// themselves, which nobody modifies (see runner.Event.Data), so gathering
// and holding output copies no byte: only the runs on screen have theirs
// read, once, by the sanitizer.
type rawOutput struct {
	chunks  [][]byte // the newest output, in order
	n       int      // bytes in chunks
	skipped int64    // bytes left out before chunks
	bytes   int64    // the run's byte count so far
}

// appendTail appends p, keeping at most about max bytes: past 2×max the
// oldest give way, cut at a line start.
func (o *rawOutput) appendTail(p []byte, max int) {
	if len(p) > 0 {
		o.chunks = append(o.chunks, p)
		o.n += len(p)
	}
	if o.n <= 2*max {
		return
	}
	o.drop(o.n - max)
	if nl := o.indexByte('\n'); nl >= 0 {
		o.drop(nl + 1) // resume at a line start
	}
}

// drop leaves out the oldest k bytes.
func (o *rawOutput) drop(k int) {
	o.n -= k
	o.skipped += int64(k)
	i := 0
	for ; i < len(o.chunks) && len(o.chunks[i]) <= k; i++ {
		k -= len(o.chunks[i])
	}
	if k > 0 {
		o.chunks[i] = o.chunks[i][k:]
	}
	kept := copy(o.chunks, o.chunks[i:])
	clear(o.chunks[kept:]) // let the dropped chunks go
	o.chunks = o.chunks[:kept]
}

// indexByte returns the offset of the first c in o's bytes, or -1.
func (o *rawOutput) indexByte(c byte) int {
	off := 0
	for _, chunk := range o.chunks {
		if i := bytes.IndexByte(chunk, c); i >= 0 {
			return off + i
		}
		off += len(chunk)
	}
	return -1
}

// gap drops what o holds: n bytes were missed after it, so what follows
// starts after a gap line.
func (o *rawOutput) gap(n int64) {
	o.skipped += int64(o.n) + n
	clear(o.chunks)
	o.chunks = o.chunks[:0]
	o.n = 0
}

// follow appends the next gathered output n (which starts after a gap of
// n.skipped bytes) to o.
func (o *rawOutput) follow(n *rawOutput, max int) {
	if n.skipped > 0 {
		o.gap(n.skipped)
	}
	o.bytes = n.bytes
	for _, chunk := range n.chunks {
		o.appendTail(chunk, max)
	}
}

// rawFrame is what the receiver gathers between two frames.
type rawFrame struct {
	output    map[int64]*rawOutput
	lifecycle []runner.Event
}

func newRawFrame() *rawFrame { return &rawFrame{output: map[int64]*rawOutput{}} }

func (f *rawFrame) empty() bool { return len(f.output) == 0 && len(f.lifecycle) == 0 }

// bridge turns the supervisor's event stream into eventsMsg frames, in two
// goroutines: the receiver drains the subscription every gatherPause and
// only gathers output chunks (so the runner never has to drop any for
// it), and the framer,
// once per frame, sanitizes what was gathered for the runs on screen (one
// sanitize.Stream per run), holds a short raw tail of the others, and
// sends it to the update loop. While the framer waits for a busy update
// loop, the receiver keeps gathering, holding at most a bounded tail per
// run. A run never waits on either: the supervisor queues per subscriber.
type bridge struct {
	events <-chan runner.Event
	send   func(tea.Msg)
	watch  *watchSet // the runs on screen; nil: every run

	seen    map[int64]int64 // receiver: each run's byte count as of its last event
	streams map[int64]*sanitize.Stream
	held    map[int64]*rawOutput // framer: output of runs not on screen
}

func newBridge(events <-chan runner.Event, send func(tea.Msg), watch *watchSet) *bridge {
	return &bridge{
		events:  events,
		send:    send,
		watch:   watch,
		seen:    map[int64]int64{},
		streams: map[int64]*sanitize.Stream{},
		held:    map[int64]*rawOutput{},
	}
}

// run delivers frames until the event channel closes (what was gathered is
// delivered first) or ctx ends.
func (b *bridge) run(ctx context.Context) {
	frames := make(chan *rawFrame) // unbuffered: a frame is handed over when the framer is free
	framerDone := make(chan struct{})
	go func() {
		defer close(framerDone)
		for f := range frames {
			b.deliver(f)
		}
	}()
	defer func() {
		close(frames)
		<-framerDone
	}()

	tick := time.NewTicker(frameInterval)
	defer tick.Stop()
	rest := time.NewTimer(gatherPause)
	rest.Stop()
	pending := newRawFrame()
	var due chan *rawFrame // frames once a frame is due, else nil
	events := b.events     // nil while the receiver rests
	var resting <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			// Take what else is queued, then rest: events gather in the
			// subscription meanwhile, so a stream of chunks wakes the
			// receiver once per gatherPause rather than once per chunk.
			closed := !ok
			if ok {
				b.add(pending, ev)
				closed = b.drain(pending)
			}
			if closed {
				if !pending.empty() {
					select {
					case frames <- pending:
					case <-ctx.Done():
					}
				}
				return
			}
			events, resting = nil, rest.C
			rest.Reset(gatherPause)
		case <-resting:
			events, resting = b.events, nil
		case <-tick.C:
			if !pending.empty() {
				due = frames
			}
		case <-b.watch.changes():
			due = frames // a run came on screen: show what is held for it
		case due <- pending:
			pending, due = newRawFrame(), nil
		}
	}
}

// drain adds to f the events the subscription holds now; it reports
// whether the subscription has closed.
func (b *bridge) drain(f *rawFrame) (closed bool) {
	for {
		select {
		case ev, ok := <-b.events:
			if !ok {
				return true
			}
			b.add(f, ev)
		default:
			return false
		}
	}
}

// add folds one event into the frame being gathered.
func (b *bridge) add(f *rawFrame, ev runner.Event) {
	if ev.Kind != runner.Output {
		if ev.Kind == runner.Finished {
			delete(b.seen, ev.RunID)
		}
		f.lifecycle = append(f.lifecycle, ev)
		return
	}
	o := f.output[ev.RunID]
	if o == nil {
		o = &rawOutput{}
		f.output[ev.RunID] = o
	}
	// Bytes counts the run's output up to and including this chunk: more
	// than the bytes seen plus this chunk means the subscription dropped
	// some (only if the receiver fell far behind).
	if missed := ev.Bytes - int64(len(ev.Data)) - b.seen[ev.RunID]; missed > 0 {
		o.gap(missed)
	}
	b.seen[ev.RunID] = ev.Bytes
	o.bytes = ev.Bytes
	o.appendTail(ev.Data, rawTailMax)
}

// deliver sanitizes a gathered frame and sends it to the update loop.
// Output of runs not on screen is held (only their byte counts go out),
// and sanitized once they come on screen or finish.
func (b *bridge) deliver(f *rawFrame) {
	msg := eventsMsg{output: make(map[int64]*runOutput, len(f.output)), lifecycle: f.lifecycle}
	for id, raw := range f.output {
		if !b.watch.has(id) {
			if h := b.held[id]; h != nil {
				h.follow(raw, heldTailMax)
			} else {
				b.held[id] = raw
				raw.appendTail(nil, heldTailMax) // cut to the held bound
			}
			msg.output[id] = &runOutput{bytes: raw.bytes, countOnly: true}
			continue
		}
		o := &runOutput{bytes: raw.bytes}
		if h := b.held[id]; h != nil {
			delete(b.held, id)
			b.feed(o, id, h)
		}
		b.feed(o, id, raw)
		msg.output[id] = o
	}
	for id, h := range b.held {
		if b.watch.has(id) {
			delete(b.held, id)
			b.feed(b.output(&msg, id, h.bytes), id, h)
		}
	}
	for _, ev := range f.lifecycle {
		if ev.Kind != runner.Finished {
			continue
		}
		if h := b.held[ev.RunID]; h != nil {
			delete(b.held, ev.RunID)
			b.feed(b.output(&msg, ev.RunID, h.bytes), ev.RunID, h)
		}
		if s := b.streams[ev.RunID]; s != nil {
			o := b.output(&msg, ev.RunID, 0)
			s.Flush(func(line string) { o.lines = append(o.lines, line) })
			o.partial = ""
			delete(b.streams, ev.RunID)
		}
	}
	b.send(msg)
}

// output returns run id's output in msg, made to carry lines.
func (b *bridge) output(msg *eventsMsg, id, bytes int64) *runOutput {
	o := msg.output[id]
	if o == nil {
		o = &runOutput{bytes: bytes}
		msg.output[id] = o
	}
	o.countOnly = false
	return o
}

// feed sanitizes raw output of run id into o's lines, after a gap line
// for what was cut before it.
func (b *bridge) feed(o *runOutput, id int64, raw *rawOutput) {
	s := b.streams[id]
	if s == nil {
		s = &sanitize.Stream{}
		b.streams[id] = s
	}
	emit := func(line string) { o.lines = append(o.lines, line) }
	if raw.skipped > 0 {
		s.Flush(emit) // the line the gap cut short
		*s = sanitize.Stream{}
		emit(gapLine(raw.skipped))
	}
	for _, chunk := range raw.chunks {
		s.Feed(chunk, emit)
	}
	o.partial = s.Partial()
}

// gapLine stands in the output pane for output the console did not show
// live: it came while the run was off screen, or faster than the console
// drew it.
func gapLine(n int64) string {
	return fmt.Sprintf("··· %s not shown live; the whole output is in history (H) ···", fmtBytes(n))
}
