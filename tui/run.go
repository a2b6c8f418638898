// Package tui is netauto's operator console, a Bubble Tea v2 program: pick
// devices, launch a command, watch every run's output live, cancel with a
// keypress, browse the stored history.
//
// Entry point (called by main.go for `netauto` with no subcommand and for
// `netauto demo` on a terminal):
//
//	prompts := tui.NewPrompts()
//	stack, err := runner.OpenStack(ctx, settings, prompts.Callbacks())
//	if err != nil { ... }
//	defer stack.Close(context.Background())
//	err = tui.Run(ctx, tui.Options{Stack: stack, Prompts: prompts, Title: "demo lab"})
//
// Structure: one root model (model.go) owns small components (inventory,
// runs, output, command line, status bar, tiles, history, dialogs), each a
// plain struct with Update/View/SetSize. No I/O happens in Update: launches,
// cancels, store reads and file writes are tea.Cmds. A bridge goroutine
// (bridge.go) turns the supervisor's events into one message per frame.
package tui

import (
	"context"
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"netauto/runner"
)

// shutdownWait bounds how long Run waits, after the program ends, for the
// runs it cancelled to be stored.
const shutdownWait = 15 * time.Second

// Options configures Run.
type Options struct {
	// Stack is the opened stack; its Inventory, Store, Quota and Supervisor
	// are used, and its Settings' ConfirmAbove and Theme. Required.
	Stack *runner.Stack
	// Prompts, when set, brings the adapter's host-key and password
	// questions to the console; it must be the one whose Callbacks were
	// given to runner.OpenStack.
	Prompts *Prompts
	// HistoryFile keeps the command line's history; "" means "commands"
	// beside the history database.
	HistoryFile string
	// Title is shown in the top bar (e.g. "demo lab").
	Title string
	// RequestedBy is stored on every run; "" means the login name.
	RequestedBy string
}

// Run shows the console until the operator quits or ctx ends. Runs still
// active then are cancelled, and Run returns once they are stored
// (canceled), or after a bound. It returns nil on a normal quit.
func Run(ctx context.Context, opts Options) error {
	st := opts.Stack
	if st == nil || st.Supervisor == nil {
		return errors.New("tui: Options.Stack is required")
	}
	by := opts.RequestedBy
	if by == "" {
		if u, err := user.Current(); err == nil {
			by = u.Username
		}
	}
	hist := opts.HistoryFile
	if hist == "" && st.Store != nil {
		hist = filepath.Join(filepath.Dir(st.Store.Path()), "commands")
	}
	reads, endReads := context.WithCancel(ctx)
	defer endReads()
	m := newModel(backend{sup: st.Supervisor, store: st.Store, quota: st.Quota, requestedBy: by, reads: reads}, st.Inventory, opts.Prompts, hist, opts.Title)
	m.configure(st.Settings)
	m.refreshQuota()

	// 120 frames a second, Bubble Tea's most (60 by default): a keypress
	// waits for the next frame, 4 ms on average instead of 8. Frames are
	// drawn only when the view changed, at most once per update, so the
	// rate costs little while runs stream (pty speed test, 100 runs, three
	// alternating pairs: key-to-frame p50 15-19 ms against 21-22 ms, p99
	// and batch time alike).
	progOpts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithFPS(120)}
	if noColor(st.Settings.Theme, os.Getenv) {
		progOpts = append(progOpts, tea.WithColorProfile(colorprofile.ASCII))
	}
	if o := traceOutputOption(); o != nil {
		progOpts = append(progOpts, o)
	}
	p := tea.NewProgram(m, progOpts...)

	events, unsubscribe := st.Supervisor.SubscribeEvery(subscribeBuffer, gatherPause)
	bctx, stopBridge := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		newBridge(events, p.Send, m.watch).run(bctx)
	}()

	_, err := p.Run()
	endReads() // reads its commands still make stop (see backend.reads)
	flushKeyTrace()
	stopBridge()
	unsubscribe()
	<-done
	if opts.Prompts != nil {
		opts.Prompts.close()
	}
	cancelAndWait(st.Supervisor)
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}

// cancelAndWait cancels every active run and waits, bounded, until each is
// stored finished.
func cancelAndWait(sup *runner.Supervisor) {
	active := sup.Active()
	if len(active) == 0 {
		return
	}
	sup.CancelAll()
	ctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
	defer cancel()
	for _, r := range active {
		_, _ = sup.Wait(ctx, r.ID)
	}
}
