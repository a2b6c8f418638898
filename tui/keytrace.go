//go:build keytrace

package tui

import (
	"fmt"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Key tracing, built only with the keytrace tag (the console speed test
// builds netauto so): with NETAUTO_KEYTRACE naming a file, the console
// writes there the wall-clock time of every key press its update loop
// takes ("K <text> <ns>") and of the end of every View ("V <ns>"), so that
// the test can split a keypress's wait into the way to the update loop,
// Update and View, and the way to the terminal. It also notes the end of
// every write to the terminal with the Greek letters in it ("W <letters>
// <ns>", "-" for none: the speed test types Greek letters), which splits
// the way to the terminal at the write. With NETAUTO_RUNTIME_TRACE
// naming a file, it also writes a Go runtime trace of the first
// runtimeTraceFor after its first launch (`go tool trace -pprof=sched`
// shows where goroutines waited for a CPU); with NETAUTO_CPUPROFILE, a CPU
// profile of the same span; with NETAUTO_ALLOCPROFILE, allocation profiles
// at its start and end.
var keyTrace = openKeyTrace()

// keyTraceLog is the key trace: lines gathered in memory and written to
// the file every keyTraceEvery by a goroutine of its own and at the end of
// Run, so that the update loop never waits on a write.
type keyTraceLog struct {
	mu  sync.Mutex
	buf []byte
	f   *os.File
}

// keyTraceEvery is how often the gathered lines are written.
const keyTraceEvery = 250 * time.Millisecond

func openKeyTrace() *keyTraceLog {
	p := os.Getenv("NETAUTO_KEYTRACE")
	if p == "" {
		return nil
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil
	}
	l := &keyTraceLog{f: f}
	go func() {
		for range time.Tick(keyTraceEvery) {
			l.flush()
		}
	}()
	return l
}

// note adds one line.
func (l *keyTraceLog) note(format string, args ...any) {
	l.mu.Lock()
	l.buf = fmt.Appendf(l.buf, format, args...)
	l.mu.Unlock()
}

// flush writes the lines gathered so far.
func (l *keyTraceLog) flush() {
	l.mu.Lock()
	buf := l.buf
	l.buf = nil
	l.mu.Unlock()
	if len(buf) > 0 {
		_, _ = l.f.Write(buf)
	}
}

// flushKeyTrace writes what the key trace holds and ends the runtime
// trace and the CPU profile if they still run (at the end of Run).
func flushKeyTrace() {
	if keyTrace != nil {
		keyTrace.flush()
	}
	stopRuntimeTrace()
}

// runtimeTraceFor is how long the runtime trace runs.
const runtimeTraceFor = 6 * time.Second

var (
	runtimeTraceOnce sync.Once
	runtimeTraceMu   sync.Mutex
	runtimeTraceStop []func() // each ends one of them and closes its file
)

// stopRuntimeTrace ends the runtime trace and the CPU profile, if they run.
func stopRuntimeTrace() {
	runtimeTraceMu.Lock()
	stops := runtimeTraceStop
	runtimeTraceStop = nil
	runtimeTraceMu.Unlock()
	for _, stop := range stops {
		stop()
	}
}

// writeAllocs writes the allocation profile to path.
func writeAllocs(path string) {
	if f, err := os.Create(path); err == nil {
		_ = pprof.Lookup("allocs").WriteTo(f, 0)
		f.Close()
	}
}

// startRuntimeTrace starts the runtime trace and the CPU profile, once
// each, if asked for; they end after runtimeTraceFor or with the console.
func startRuntimeTrace() {
	runtimeTraceOnce.Do(func() {
		runtimeTraceMu.Lock()
		defer runtimeTraceMu.Unlock()
		time.AfterFunc(runtimeTraceFor, stopRuntimeTrace) // waits for the lock
		if p := os.Getenv("NETAUTO_CPUPROFILE"); p != "" {
			if f, err := os.Create(p); err == nil && pprof.StartCPUProfile(f) == nil {
				runtimeTraceStop = append(runtimeTraceStop, func() { pprof.StopCPUProfile(); f.Close() })
			}
		}
		if p := os.Getenv("NETAUTO_ALLOCPROFILE"); p != "" {
			// Two profiles of the allocations since the start, at the launch and
			// at the end: `go tool pprof -diff_base p.launch p` shows the span.
			writeAllocs(p + ".launch")
			runtimeTraceStop = append(runtimeTraceStop, func() { writeAllocs(p) })
		}
		if p := os.Getenv("NETAUTO_RUNTIME_TRACE"); p != "" {
			if f, err := os.Create(p); err == nil && trace.Start(f) == nil {
				runtimeTraceStop = append(runtimeTraceStop, func() { trace.Stop(); f.Close() })
			}
		}
	})
}

// traceUpdate notes a key press the update loop takes, and starts the
// runtime trace at the first launch.
func traceUpdate(msg tea.Msg) {
	if _, ok := msg.(launchedMsg); ok {
		startRuntimeTrace()
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || keyTrace == nil || k.Text == "" {
		return
	}
	keyTrace.note("K %s %d\n", k.Text, time.Now().UnixNano())
}

// traceOutputOption returns the option that makes the console write to
// the terminal through tracedOutput when the key trace is on, else nil.
func traceOutputOption() tea.ProgramOption {
	if keyTrace == nil {
		return nil
	}
	return tea.WithOutput(tracedOutput{os.Stdout})
}

// tracedOutput is the terminal (it stays a terminal for Bubble Tea: Fd
// and the rest come from the *os.File) with its writes noted.
type tracedOutput struct{ *os.File }

// Write writes p and notes the Greek letters in it.
func (o tracedOutput) Write(p []byte) (int, error) {
	n, err := o.File.Write(p)
	var letters []rune
	for _, r := range string(p[:n]) {
		if r >= 'α' && r <= 'ω' {
			letters = append(letters, r)
		}
	}
	if len(letters) == 0 {
		letters = []rune{'-'}
	}
	keyTrace.note("W %s %d\n", string(letters), time.Now().UnixNano())
	return n, err
}

// traceView notes the end of a View.
func traceView() {
	if keyTrace == nil {
		return
	}
	keyTrace.note("V %d\n", time.Now().UnixNano())
}
