// Command netauto runs CLI commands on many network devices over SSH, with
// admission control and a local history. Its behaviour lives in package cli
// (the headless commands) and package tui (the console); main only wires
// the process to them.
package main

import (
	"context"
	"os"
	"runtime"
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
// live. The live heap is bounded per streaming session: the ssh adapter's
// flow control keeps x/crypto/ssh's receive path near 256 KiB (instead of
// its 2 MiB window), plus read arenas and the store's byte-bounded queue,
// ~0.7 MB in all; 100 sessions streaming faster than the store commits
// (`netauto run --all -c 'flood 16'` on 100 lab devices) hold ~75 MB live,
// up to ~150 MB as they start (output that comes before a session has
// started is not held back). There this limit keeps peak RSS near 280 MiB
// at the CPU of a 400 MiB limit (which peaked at 420 MiB). Several hundred sessions saturated at
// once would make the collector work hard: raise GOMEMLIMIT for such fleets.
const memoryLimit = 256 << 20

// init keeps the main thread for the main goroutine (it runs the console's
// update loop). No other goroutine runs there, so none of the store's
// background goroutines, whose threads run at a lower priority
// (store/background.go), can take it: its priority is the one ps and top
// show for the process.
func init() { runtime.LockOSThread() }

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

// Run shows the console on st, with consoleProcsPerCPU times the Ps the
// runtime chose (unless GOMAXPROCS is set).
func (c console) Run(ctx context.Context, st *runner.Stack, title string) error {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(consoleProcsPerCPU * runtime.GOMAXPROCS(0))
	}
	return tui.Run(ctx, tui.Options{Stack: st, Prompts: c.prompts, Title: title})
}

// consoleProcsPerCPU multiplies the console's Ps. Go's scheduler has no
// priorities: while runs stream at full speed, a keypress queues at every
// hop (tty reader, update loop, renderer) behind the SSH and store
// goroutines. With more Ps than CPUs the kernel, which runs a thread that
// just woke ahead of busy ones, picks among more of them. 100 lab devices
// x flood 16 on 2 CPUs (go test -tags perf -run TestConsoleSpeed ./tui/):
// key-to-frame p50 19-21 ms and p99 64-92 ms with 4 Ps, against 29-33 ms
// and 92-162 ms with 2, at the same CPU.
const consoleProcsPerCPU = 2
