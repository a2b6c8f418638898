// Package cli holds netauto's headless subcommands: run, history, show,
// lab, demo and hostkeys. Main dispatches the command line to them; the
// console (package tui) is reached only through Env.Console, which main.go
// wires, so that cli and tui never import each other.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"os/user"
	"syscall"

	"golang.org/x/term"

	"netauto/inventory"
	"netauto/runner"
)

// Exit statuses.
const (
	exitOK       = 0   // every run ok
	exitFailed   = 1   // some run failed
	exitUsage    = 2   // usage or start-up error
	exitCanceled = 130 // interrupted by a signal
)

// Console is the interactive console (package tui, wired by main.go).
type Console interface {
	// Callbacks are the console's operator prompts (passwords, host keys),
	// given to runner.OpenStack for the stack the console then runs on.
	Callbacks() runner.Callbacks
	// Run shows the console on st until the operator quits or ctx ends;
	// title names what it is connected to ("" for the default).
	Run(ctx context.Context, st *runner.Stack, title string) error
}

// Env is what the subcommands need from the process: environment variables,
// terminal detection, signals and the console. OSEnv is the real one; tests
// build their own to drive Main in-process.
type Env struct {
	// Getenv looks up an environment variable.
	Getenv func(string) string
	// IsTerminal reports whether a stdin/stdout value is a terminal.
	IsTerminal func(f any) bool
	// NotifySignals arranges for SIGINT, SIGTERM and SIGHUP to be sent on c
	// and returns a function that stops that; nil means no signals.
	NotifySignals func(c chan<- os.Signal) (stop func())
	// Console is the interactive console, opened by `netauto` alone and by
	// `netauto demo` when stdin and stdout are a terminal; nil means none.
	Console Console
	// User is the operator's name, recorded as requested_by.
	User string
}

// OSEnv is the environment of the real process.
func OSEnv() Env {
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return Env{
		Getenv:     os.Getenv,
		IsTerminal: isTerminalFile,
		NotifySignals: func(c chan<- os.Signal) func() {
			signal.Notify(c, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			return func() { signal.Stop(c) }
		},
		User: name,
	}
}

// isTerminalFile reports whether f is an *os.File open on a terminal.
func isTerminalFile(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// Main runs the command line args (without the program name) and returns
// the exit status: 0 all ok, 1 some run failed, 2 usage or start-up error,
// 130 interrupted.
func (e Env) Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e = e.withDefaults()
	io := &stdio{in: stdin, out: stdout, err: stderr}
	g, rest, err := parseLeadingGlobals(args)
	if err != nil {
		return usageError(io, "", err)
	}
	if len(rest) == 0 {
		if e.consoleOn(io) {
			ctx, stop := e.signalContext()
			defer stop()
			s, err := g.settings(e)
			if err != nil {
				return startupError(io, "console", err)
			}
			return e.console(ctx, io, s, "")
		}
		fmt.Fprint(stdout, mainHelp)
		return exitOK
	}
	name, rest := rest[0], rest[1:]
	switch name {
	case "-h", "-help", "--help", "help":
		if name == "help" && len(rest) > 0 {
			if cmd, ok := commands[rest[0]]; ok {
				fmt.Fprint(stdout, cmd.help)
				return exitOK
			}
			return usageError(io, "", fmt.Errorf("unknown command %q", rest[0]))
		}
		fmt.Fprint(stdout, mainHelp)
		return exitOK
	}
	cmd, ok := commands[name]
	if !ok {
		return usageError(io, "", fmt.Errorf("unknown command %q", name))
	}
	return cmd.run(e, io, g, rest)
}

// withDefaults fills the fields a test left nil.
func (e Env) withDefaults() Env {
	if e.Getenv == nil {
		e.Getenv = func(string) string { return "" }
	}
	if e.IsTerminal == nil {
		e.IsTerminal = func(any) bool { return false }
	}
	return e
}

// colorOn says whether output to w may be colored: w is a terminal and
// NO_COLOR is unset.
func (e Env) colorOn(w any) bool {
	return e.IsTerminal(w) && e.Getenv("NO_COLOR") == ""
}

// stdio is one invocation's standard streams.
type stdio struct {
	in       io.Reader
	out, err io.Writer
	// flagSet, when set, asks only for the command's flag set:
	// parseCommand stores it there and the command returns (completion).
	flagSet **flag.FlagSet
}

// command is one subcommand: its help text and its body.
type command struct {
	help string
	run  func(e Env, io *stdio, g *globals, args []string) int
}

// commands maps subcommand names to their implementations.
var commands map[string]command

func init() {
	commands = map[string]command{
		"run":      {runHelp, runCmd},
		"history":  {historyHelp, historyCmd},
		"show":     {showHelp, showCmd},
		"lab":      {labHelp, labCmd},
		"demo":     {demoHelp, demoCmd},
		"hostkeys": {hostkeysHelp, hostkeysCmd},
		"search":   {searchHelp, searchCmd},
		"diff":     {diffHelp, diffCmd},
		"export":   {exportHelp, exportCmd},
		"prune":    {pruneHelp, pruneCmd},

		// Inventories, the config file, shell completion.
		"inventory":  {inventoryHelp, inventoryCmd},
		"config":     {configHelp, configCmd},
		"completion": {completionHelp, completionCmd},
		"__complete": {"", completeCmd},
	}
}

// usageError prints err and a pointer to the help, and returns exitUsage.
func usageError(io *stdio, cmd string, err error) int {
	prefix, helpCmd := "netauto", "netauto --help"
	if cmd != "" {
		prefix, helpCmd = "netauto "+cmd, "netauto "+cmd+" --help"
	}
	fmt.Fprintf(io.err, "%s: %v\nRun '%s' for usage.\n", prefix, err, helpCmd)
	return exitUsage
}

// maxProblems is how many inventory problems a start-up error lists.
const maxProblems = 10

// startupError prints a start-up failure, one line (one per inventory
// problem), and returns exitUsage.
func startupError(io *stdio, cmd string, err error) int {
	var problems inventory.Problems
	if !errors.As(err, &problems) || len(problems) < 2 {
		fmt.Fprintf(io.err, "netauto %s: %v\n", cmd, oneLine(err))
		return exitUsage
	}
	for i, p := range problems {
		if i == maxProblems {
			fmt.Fprintf(io.err, "netauto %s: … and %d more problems\n", cmd, len(problems)-maxProblems)
			break
		}
		fmt.Fprintf(io.err, "netauto %s: %s\n", cmd, p)
	}
	return exitUsage
}

// consoleOn says whether to open the console: there is one, and stdin
// and stdout are a terminal.
func (e Env) consoleOn(io *stdio) bool {
	return e.Console != nil && e.IsTerminal(io.in) && e.IsTerminal(io.out)
}

// console opens the stack with the console's prompts and runs the console
// on it; a stack that does not open is a start-up error (exit 2).
func (e Env) console(ctx context.Context, io *stdio, s runner.Settings, title string) int {
	st, err := runner.OpenStack(ctx, s, e.Console.Callbacks())
	if err != nil {
		return startupError(io, "console", err)
	}
	defer closeStack(st, io)
	if err := e.Console.Run(ctx, st, title); err != nil {
		fmt.Fprintf(io.err, "netauto: %v\n", oneLine(err))
		return exitFailed
	}
	return exitOK
}
