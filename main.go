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

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
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
