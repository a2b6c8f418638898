package tui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"netauto/runner"
	"netauto/sanitize"
	"netauto/store"
)

// frameInterval is how often the bridge hands the update loop what
// happened: one message per frame, however many chunks arrived.
const frameInterval = 30 * time.Millisecond

// subscribeBuffer is the bridge's subscription buffer.
const subscribeBuffer = 4096

// errStopReading ends a store read early.
var errStopReading = errors.New("stop reading")

// runOutput is the new sanitized output of one run in a frame: complete
// lines and the current partial line.
type runOutput struct {
	lines   []string
	partial string
	bytes   int64
}

// eventsMsg is one frame's worth of runner events: the new output per run
// and every lifecycle event, in order. Output is applied before lifecycle.
type eventsMsg struct {
	output    map[int64]*runOutput
	lifecycle []runner.Event
}

// empty reports whether there is nothing to deliver.
func (m *eventsMsg) empty() bool { return len(m.output) == 0 && len(m.lifecycle) == 0 }

// bridge turns the supervisor's event stream into eventsMsg frames. It
// sanitizes output off the update loop (one sanitize.Stream per run) and
// refills from the store the output a lagging subscription dropped. A run
// never waits on it: the supervisor queues per subscriber.
type bridge struct {
	events <-chan runner.Event
	store  *store.Store
	send   func(tea.Msg)

	streams map[int64]*sanitize.Stream
	lastSeq map[int64]int64
	pending *eventsMsg
}

func newBridge(events <-chan runner.Event, st *store.Store, send func(tea.Msg)) *bridge {
	return &bridge{
		events:  events,
		store:   st,
		send:    send,
		streams: map[int64]*sanitize.Stream{},
		lastSeq: map[int64]int64{},
		pending: &eventsMsg{output: map[int64]*runOutput{}},
	}
}

// run delivers frames until the event channel closes or ctx ends.
func (b *bridge) run(ctx context.Context) {
	tick := time.NewTicker(frameInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-b.events:
			if !ok {
				b.flush()
				return
			}
			b.add(ctx, ev)
		case <-tick.C:
			b.flush()
		}
	}
}

// flush sends the pending frame, if any.
func (b *bridge) flush() {
	if b.pending.empty() {
		return
	}
	msg := b.pending
	b.pending = &eventsMsg{output: map[int64]*runOutput{}}
	b.send(*msg)
}

// add folds one event into the pending frame.
func (b *bridge) add(ctx context.Context, ev runner.Event) {
	switch ev.Kind {
	case runner.Output:
		if ev.Dropped > 0 {
			b.refill(ctx, ev.RunID, ev.Seq)
		}
		b.feed(ev.RunID, ev.Data)
		b.lastSeq[ev.RunID] = ev.Seq
		b.out(ev.RunID).bytes = ev.Bytes
	case runner.Finished:
		if s := b.streams[ev.RunID]; s != nil {
			o := b.out(ev.RunID)
			s.Flush(func(line string) { o.lines = append(o.lines, line) })
			o.partial = ""
			delete(b.streams, ev.RunID)
		}
		delete(b.lastSeq, ev.RunID)
		b.pending.lifecycle = append(b.pending.lifecycle, ev)
	default:
		b.pending.lifecycle = append(b.pending.lifecycle, ev)
	}
}

func (b *bridge) out(id int64) *runOutput {
	o := b.pending.output[id]
	if o == nil {
		o = &runOutput{}
		b.pending.output[id] = o
	}
	return o
}

// feed sanitizes a chunk of run id's output into the pending frame.
func (b *bridge) feed(id int64, data []byte) {
	s := b.streams[id]
	if s == nil {
		s = &sanitize.Stream{}
		b.streams[id] = s
	}
	o := b.out(id)
	s.Feed(data, func(line string) { o.lines = append(o.lines, line) })
	o.partial = s.Partial()
}

// refill reads from the store the chunks of run id after the last one
// seen and before seq (those the subscription dropped).
func (b *bridge) refill(ctx context.Context, id, seq int64) {
	if b.store == nil {
		return
	}
	if err := b.store.Flush(ctx); err != nil {
		return
	}
	from := b.lastSeq[id]
	_ = b.store.Output(ctx, id, func(s int64, data []byte, _ time.Time) error {
		if s >= seq {
			return errStopReading
		}
		if s > from {
			b.feed(id, data)
		}
		return nil
	})
}
