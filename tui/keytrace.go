//go:build keytrace

package tui

import (
	"fmt"
	"os"
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
// Update and View, and the way to the terminal. With NETAUTO_RUNTIME_TRACE
// naming a file, it also writes a Go runtime trace of the first
// runtimeTraceFor after its first launch (`go tool trace -pprof=sched`
// shows where goroutines waited for a CPU).
var keyTrace = struct {
	mu sync.Mutex
	f  *os.File
}{f: openKeyTrace()}

func openKeyTrace() *os.File {
	p := os.Getenv("NETAUTO_KEYTRACE")
	if p == "" {
		return nil
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil
	}
	return f
}

// runtimeTraceFor is how long the runtime trace runs.
const runtimeTraceFor = 6 * time.Second

var runtimeTraceOnce sync.Once

// startRuntimeTrace starts the runtime trace, once, if asked for.
func startRuntimeTrace() {
	p := os.Getenv("NETAUTO_RUNTIME_TRACE")
	if p == "" {
		return
	}
	runtimeTraceOnce.Do(func() {
		f, err := os.Create(p)
		if err != nil {
			return
		}
		if err := trace.Start(f); err != nil {
			f.Close()
			return
		}
		time.AfterFunc(runtimeTraceFor, func() {
			trace.Stop()
			f.Close()
		})
	})
}

// traceUpdate notes a key press the update loop takes, and starts the
// runtime trace at the first launch.
func traceUpdate(msg tea.Msg) {
	if _, ok := msg.(launchedMsg); ok {
		startRuntimeTrace()
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || keyTrace.f == nil || k.Text == "" {
		return
	}
	keyTrace.mu.Lock()
	fmt.Fprintf(keyTrace.f, "K %s %d\n", k.Text, time.Now().UnixNano())
	keyTrace.mu.Unlock()
}

// traceView notes the end of a View.
func traceView() {
	if keyTrace.f == nil {
		return
	}
	keyTrace.mu.Lock()
	fmt.Fprintf(keyTrace.f, "V %d\n", time.Now().UnixNano())
	keyTrace.mu.Unlock()
}
