//go:build keytrace

package tui

import (
	"fmt"
	"os"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Key tracing, built only with the keytrace tag (the console speed test
// builds netauto so): with NETAUTO_KEYTRACE naming a file, the console
// writes there the wall-clock time of every key press its update loop
// takes ("K <text> <ns>") and of the end of every View ("V <ns>"), so that
// the test can split a keypress's wait into the way to the update loop,
// Update and View, and the way to the terminal.
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

// traceUpdate notes a key press the update loop takes.
func traceUpdate(msg tea.Msg) {
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
