package runner_test

import (
	"context"
	"sync"
	"time"

	"netauto/adapters"
	"netauto/inventory"
)

// step is one thing a scripted adapter does.
type step struct {
	send    string          // hand this chunk to onChunk
	sleep   time.Duration   // pause (ends early when ctx ends)
	block   bool            // wait until ctx ends, then return ctx.Err()
	gate    <-chan struct{} // wait until closed (or ctx ends)
	err     error           // return this error
	exit    *int            // return this exit code
	panicV  any             // panic with this value
	ignored bool            // with block: return nil (not ctx.Err()) after ctx ends
}

// Step constructors, to read scripts like a transcript.
func send(s string) step              { return step{send: s} }
func sleep(d time.Duration) step      { return step{sleep: d} }
func blockUntilCanceled() step        { return step{block: true} }
func ignoreCancel() step              { return step{block: true, ignored: true} }
func waitFor(ch <-chan struct{}) step { return step{gate: ch} }
func fail(err error) step             { return step{err: err} }
func exit(code int) step              { return step{exit: &code} }
func panicWith(v any) step            { return step{panicV: v} }

// scripted is an adapter that plays a list of steps per device (or the
// default script), counting the sessions it opens per device.
type scripted struct {
	scripts map[string][]step
	def     []step

	mu    sync.Mutex
	calls map[string]int
}

// newScripted returns an adapter playing def for every device not in per.
func newScripted(def []step, per map[string][]step) *scripted {
	return &scripted{scripts: per, def: def, calls: map[string]int{}}
}

// Calls returns how many times Run was called for device name.
func (a *scripted) Calls(name string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls[name]
}

// Run plays the device's script.
func (a *scripted) Run(ctx context.Context, dev inventory.Device, _ string, onChunk func([]byte)) (adapters.Result, error) {
	a.mu.Lock()
	a.calls[dev.Name]++
	a.mu.Unlock()
	steps, ok := a.scripts[dev.Name]
	if !ok {
		steps = a.def
	}
	var res adapters.Result
	for _, s := range steps {
		switch {
		case s.send != "":
			onChunk([]byte(s.send))
			res.Bytes += int64(len(s.send))
		case s.sleep > 0:
			t := time.NewTimer(s.sleep)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return res, ctx.Err()
			}
		case s.block:
			<-ctx.Done()
			if s.ignored {
				return res, nil
			}
			return res, ctx.Err()
		case s.gate != nil:
			select {
			case <-s.gate:
			case <-ctx.Done():
				return res, ctx.Err()
			}
		case s.err != nil:
			return res, s.err
		case s.exit != nil:
			res.ExitCode = s.exit
		case s.panicV != nil:
			panic(s.panicV)
		}
	}
	return res, nil
}
