// Command netauto runs CLI commands on many network devices over SSH, with
// admission control and a local history. Its behaviour lives in package cli
// (the headless commands) and package tui (the console); main only wires
// the process to them.
package main

import (
	"context"
	"os"
	"runtime/debug"

	"netauto/cli"
	"netauto/runner"
	"netauto/tui"
)

// gcPercent is the garbage collector's target when GOGC is not set. The
// live heap stays small (bounded queues and rings), so collecting four
// times less often costs little memory and saves about a tenth of the CPU
// a large output stream takes (cli/bench/stream.sh).
const gcPercent = 400

// memoryLimit is the soft limit on the Go runtime's memory when GOMEMLIMIT
// is not set. With gcPercent alone the heap may grow to five times what is
// live, and 100 sessions streaming faster than the store commits hold ~250
// MB live (x/crypto/ssh buffers a full 2 MiB window per session): peak RSS
// was 1.3-1.5 GiB in `netauto run --all -c 'flood 16'` on 100 lab devices,
// ~420 MiB with this limit at the same CPU (the console too: 415 MiB). A
// 300 MiB limit sat below the console's live heap at that load and the
// collector took a third more CPU (runs 2.3x slower), so the limit leaves
// room above it; past it (many more sessions saturated at once) the
// collector may take up to half the CPU: raise GOMEMLIMIT for such fleets.
const memoryLimit = 400 << 20

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	env := cli.OSEnv()
	env.Console = console{prompts: tui.NewPrompts()}
	logFile := cli.SetupLog(env)
	code := env.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	logFile.Close()
	os.Exit(code)
}

// console adapts package tui to cli.Console.
type console struct{ prompts *tui.Prompts }

// Callbacks returns the console's password and host-key prompts.
func (c console) Callbacks() runner.Callbacks { return c.prompts.Callbacks() }

// Run shows the console on st.
func (c console) Run(ctx context.Context, st *runner.Stack, title string) error {
	return tui.Run(ctx, tui.Options{Stack: st, Prompts: c.prompts, Title: title})
}
