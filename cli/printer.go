package cli

import (
	"bufio"
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"netauto/inventory"
	"netauto/runner"
	"netauto/sanitize"
	"netauto/store"
)

// subscriberBuffer is the event channel's capacity: generous, so that a
// fast run rarely outpaces the printer; when one does, the printer reads
// what it missed back from the store.
const subscriberBuffer = 4096

// printerOptions says how live output is shown.
type printerOptions struct {
	json    bool
	color   bool
	devices []inventory.Device
	// multi: several commands per device, so each run's output starts with
	// a line naming its command.
	multi bool
	// quiet: no live text output (run --group-output prints the outputs
	// after the batch instead); the printer only hands finished runs on.
	quiet bool
}

// printer shows the live output of a batch: lines prefixed by the device
// name (text) or JSON lines. It consumes the supervisor's events on its own
// goroutine, so no run ever waits for the terminal.
type printer struct {
	opts   printerOptions
	out    *bufio.Writer
	store  *store.Store
	width  int
	colors map[string]string
	events <-chan runner.Event
	unsub  func()
	done   chan struct{}

	views map[int64]*runView // touched by the event goroutine only

	mu       sync.Mutex
	finished map[int64]store.Run
	waiters  map[int64]chan store.Run
}

// runView is what the printer keeps per run.
type runView struct {
	run     store.Run // device, site, command, batch (final state once ended)
	started bool      // the start (JSON) or header (multi) was written
	lastSeq int64     // the last chunk shown
	lines   sanitize.Stream
	prefix  string
}

// newPrinter subscribes to sup's events and starts showing them.
func newPrinter(io *stdio, st *store.Store, sup *runner.Supervisor, opts printerOptions) *printer {
	p := &printer{
		opts:     opts,
		out:      bufio.NewWriterSize(io.out, 64<<10),
		store:    st,
		colors:   map[string]string{},
		views:    map[int64]*runView{},
		finished: map[int64]store.Run{},
		waiters:  map[int64]chan store.Run{},
		done:     make(chan struct{}),
	}
	for i, d := range opts.devices {
		p.width = max(p.width, len(d.Name))
		p.colors[d.Name] = deviceColors[i%len(deviceColors)]
	}
	p.events, p.unsub = sup.Subscribe(subscriberBuffer)
	go p.loop()
	return p
}

// loop handles events until the subscription ends.
func (p *printer) loop() {
	defer close(p.done)
	for ev := range p.events {
		p.handle(ev)
		if len(p.events) == 0 {
			p.out.Flush()
		}
	}
	p.out.Flush()
}

// close ends the subscription and waits for the printer to finish writing.
func (p *printer) close() {
	p.unsub()
	<-p.done
}

// await blocks until run id's end has been printed and returns its final
// state.
func (p *printer) await(id int64) store.Run {
	p.mu.Lock()
	if r, ok := p.finished[id]; ok {
		delete(p.finished, id)
		p.mu.Unlock()
		return r
	}
	ch := make(chan store.Run, 1)
	p.waiters[id] = ch
	p.mu.Unlock()
	return <-ch
}

// deliver hands a finished run to its waiter, or keeps it for a later await.
func (p *printer) deliver(r store.Run) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ch, ok := p.waiters[r.ID]; ok {
		delete(p.waiters, r.ID)
		ch <- r
		return
	}
	p.finished[r.ID] = r
}

// handle shows one event.
func (p *printer) handle(ev runner.Event) {
	if p.opts.quiet { // nothing is shown: no view, no sanitizing, no catch-up
		if ev.Kind == runner.Finished {
			p.deliver(ev.Run)
		}
		return
	}
	v := p.view(ev)
	switch ev.Kind {
	case runner.Started:
		p.start(v)
	case runner.Output:
		p.start(v)
		if ev.Dropped > 0 {
			p.catchUp(v, ev.Seq-1, true)
		}
		p.chunk(v, ev.Seq, ev.Data)
	case runner.Finished:
		p.start(v)
		if v.run.Bytes < ev.Run.Bytes || ev.Dropped > 0 {
			p.catchUp(v, 1<<62, false)
		}
		v.run = ev.Run
		p.end(v)
		delete(p.views, ev.RunID)
		p.out.Flush()
		p.deliver(ev.Run)
	}
}

// view returns the run's view, creating it from the event (or the store).
func (p *printer) view(ev runner.Event) *runView {
	if v, ok := p.views[ev.RunID]; ok {
		return v
	}
	var r store.Run
	switch ev.Kind {
	case runner.Started:
		l := ev.Live
		r = store.Run{ID: l.ID, BatchID: l.BatchID, Device: l.Device, Site: l.Site, Command: l.Command}
	case runner.Finished:
		r = ev.Run
		r.Bytes = 0
	default:
		r, _ = p.store.Run(context.Background(), ev.RunID)
		r.ID, r.Bytes = ev.RunID, 0
	}
	v := &runView{run: r}
	v.prefix = p.prefix(r.Device)
	p.views[ev.RunID] = v
	return v
}

// prefix is the aligned (and colored) device name that starts each line.
func (p *printer) prefix(device string) string {
	pad := strings.Repeat(" ", max(0, p.width-len(device)))
	if p.opts.color {
		return p.colors[device] + device + ansiReset + pad + ansiDim + " │ " + ansiReset
	}
	return device + pad + " | "
}

// start writes a run's start once.
func (p *printer) start(v *runView) {
	if v.started {
		return
	}
	v.started = true
	r := v.run
	if p.opts.json {
		writeJSON(p.out, jsonStart{Type: "start", RunID: r.ID, BatchID: r.BatchID, Device: r.Device, Site: r.Site, Command: r.Command})
		return
	}
	if p.opts.multi {
		p.line(v, "$ "+r.Command, true)
	}
}

// chunk shows one chunk of output.
func (p *printer) chunk(v *runView, seq int64, data []byte) {
	if seq <= v.lastSeq {
		return
	}
	v.lastSeq = seq
	v.run.Bytes += int64(len(data))
	if p.opts.json {
		// Encoded as it is sanitized, straight from the sanitizer's
		// buffer: no string per line, no copy of the chunk's text.
		startJSONOutput(p.out, v.run.ID, v.run.Device, seq)
		v.lines.FeedBytes(data, func(line []byte) {
			writeJSONBytesBody(p.out, line)
			p.out.WriteString(`\n`)
		})
		endJSONOutput(p.out)
		return
	}
	v.lines.FeedBytes(data, func(line []byte) { p.outputLine(v, line) })
}

// catchUp shows the chunks after v.lastSeq, up to seq upto, from the store:
// the ones this printer's subscription dropped. Only those are read: a
// printer that falls behind a fast run catches up many times, and reading
// the run from its first chunk each time read 2.7 GB it had already
// printed, for 1.6 GB of output (100 runs of flood 16). It reads what is
// committed first, and waits for the writer (Flush) only when that falls
// short of upto and queued says chunks up to it may still wait for the
// writer: the printer lags, so what it missed is mostly committed already,
// and a Flush before each of that batch's 300 catch-ups held it for 6.5 s
// in all. At a run's end nothing waits: FinishRun commits after the run's
// chunks.
func (p *printer) catchUp(v *runView, upto int64, queued bool) {
	ctx := context.Background()
	p.readStored(ctx, v, upto)
	if v.lastSeq >= upto || !queued {
		return
	}
	if err := p.store.Flush(ctx); err != nil {
		return
	}
	p.readStored(ctx, v, upto)
}

// readStored shows the committed chunks after v.lastSeq, up to seq upto.
func (p *printer) readStored(ctx context.Context, v *runView, upto int64) {
	_ = p.store.OutputAfter(ctx, v.run.ID, v.lastSeq, func(seq int64, data []byte, _ time.Time) error {
		if seq > upto {
			return errCaughtUp
		}
		p.chunk(v, seq, data)
		return nil
	})
}

// errCaughtUp stops readStored at the chunk it was asked to reach.
var errCaughtUp = errors.New("caught up")

// end writes a run's last partial line and its end.
func (p *printer) end(v *runView) {
	r := v.run
	if p.opts.json {
		// The last line had no newline: it goes out as a chunk of its
		// own, numbered after the last stored chunk.
		v.lines.FlushBytes(func(rest []byte) {
			startJSONOutput(p.out, r.ID, r.Device, v.lastSeq+1)
			writeJSONBytesBody(p.out, rest)
			endJSONOutput(p.out)
		})
		writeJSON(p.out, jsonEnd{Type: "end", RunID: r.ID, Device: r.Device, Status: string(r.Status),
			ExitCode: r.ExitCode, Bytes: r.Bytes, ErrorReason: nullable(r.ErrorReason), DurationMS: duration(r).Milliseconds()})
		return
	}
	v.lines.FlushBytes(func(line []byte) { p.outputLine(v, line) })
	if r.Status == store.StatusError {
		msg := "! " + r.ErrorReason
		p.line(v, msg, false)
	}
}

// line writes one prefixed line; note lines are dimmed on a terminal.
func (p *printer) line(v *runView, s string, note bool) {
	p.out.WriteString(v.prefix)
	p.out.WriteString(paint(s, ansiDim, note && p.opts.color))
	p.out.WriteByte('\n')
}

// outputLine writes one prefixed line of a run's output, straight from the
// sanitizer's buffer (no string per line).
func (p *printer) outputLine(v *runView, b []byte) {
	p.out.WriteString(v.prefix)
	p.out.Write(b)
	p.out.WriteByte('\n')
}

// duration is how long a run ran (zero when it never started).
func duration(r store.Run) time.Duration {
	if r.StartedAt.IsZero() || r.FinishedAt.IsZero() {
		return 0
	}
	return r.FinishedAt.Sub(r.StartedAt)
}

// nullable turns "" into a JSON null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// paint wraps s in an ANSI style when color is on.
func paint(s, style string, color bool) string {
	if !color {
		return s
	}
	return style + s + ansiReset
}

// ANSI styles for a terminal.
const (
	ansiReset = "\x1b[0m"
	ansiDim   = "\x1b[2m"
	ansiRed   = "\x1b[31m"
	ansiGreen = "\x1b[32m"
	ansiBold  = "\x1b[1m"
)

// deviceColors tell device prefixes apart on a terminal.
var deviceColors = []string{
	"\x1b[36m", "\x1b[33m", "\x1b[35m", "\x1b[34m", "\x1b[32m",
	"\x1b[96m", "\x1b[93m", "\x1b[95m", "\x1b[94m", "\x1b[92m",
}
