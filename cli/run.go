package cli

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"netauto/inventory"
	"netauto/runner"
	"netauto/store"
	"netauto/units"
)

// runOptions are the flags of `netauto run`.
type runOptions struct {
	sel            selectors
	commands       commandsFlag
	yes, dryRun    bool
	json           bool
	groupOutput    bool
	acceptNewKeys  bool
	connectTimeout time.Duration
	commandTimeout time.Duration
	idleTimeout    time.Duration
}

// runCmd is `netauto run`.
func runCmd(e Env, io *stdio, g *globals, args []string) int {
	var o runOptions
	fs := newFlagSet("run", g)
	o.sel.register(fs)
	fs.Var(&o.commands, "c", "`COMMAND` to run (repeatable; run in order)")
	fs.Var(&o.commands, "command", "same as -c")
	fs.BoolVar(&o.yes, "yes", false, "do not ask for confirmation")
	fs.BoolVar(&o.yes, "y", false, "same as --yes")
	fs.BoolVar(&o.dryRun, "dry-run", false, "list the selected devices and exit")
	fs.BoolVar(&o.json, "json", false, "JSON lines on stdout")
	fs.BoolVar(&o.groupOutput, "group-output", false, "print identical outputs once, grouped, after the batch")
	fs.BoolVar(&o.acceptNewKeys, "accept-new-host-keys", false, "trust and record unknown host keys")
	fs.Var(durationFlag{&o.connectTimeout}, "connect-timeout", "TCP connect + SSH handshake timeout")
	fs.Var(durationFlag{&o.commandTimeout}, "command-timeout", "whole-run timeout")
	fs.Var(durationFlag{&o.idleTimeout}, "idle-timeout", "timeout for silence in the output")
	pos, code, done := parseCommand(io, "run", runHelp, fs, args)
	if done {
		return code
	}
	if len(pos) > 0 {
		return usageError(io, "run", fmt.Errorf("unexpected argument %q (quote the command: -c %q)", pos[0], strings.Join(pos, " ")))
	}
	if len(o.commands) == 0 {
		return usageError(io, "run", errors.New("no command: give one with -c COMMAND"))
	}
	if o.json && o.groupOutput {
		return usageError(io, "run", errors.New("--group-output and --json do not go together"))
	}
	if o.sel.empty() {
		return usageError(io, "run", errors.New("no devices selected: use --device, --group, --site or --all"))
	}
	for _, d := range []time.Duration{o.connectTimeout, o.commandTimeout, o.idleTimeout} {
		if d < 0 {
			return usageError(io, "run", errors.New("timeouts must be positive"))
		}
	}

	s, err := g.settingsWithDefaults(e)
	if err != nil {
		return startupError(io, "run", err)
	}
	s.AcceptNewHostKeys = o.acceptNewKeys
	s.Inventory, err = runner.LoadInventory(s)
	if err != nil {
		return startupError(io, "run", err)
	}
	if n := len(s.Inventory.Warnings); n > 0 {
		fmt.Fprintf(io.err, "netauto: inventory: %s (netauto inventory check lists them); the first: %s\n",
			units.Plural(n, "warning"), s.Inventory.Warnings[0])
	}
	devs, err := s.Inventory.Select(o.sel.selection())
	if err != nil {
		return usageError(io, "run", err)
	}
	for i := range devs {
		o.applyTimeouts(&devs[i])
	}

	if o.dryRun {
		printDryRun(io, devs, o.commands)
		return exitOK
	}
	fmt.Fprintf(io.err, "netauto: %s\n", blastRadius(devs, o.commands))
	if len(devs) > s.ConfirmAbove && !o.yes {
		if !e.IsTerminal(io.in) {
			fmt.Fprintf(io.err, "netauto run: refusing to touch %d devices without confirmation; add --yes\n", len(devs))
			return exitUsage
		}
		p := &terminalPrompter{in: io.in, out: io.err, interactive: true}
		if !p.confirm(fmt.Sprintf("Run on %d devices?", len(devs))) {
			fmt.Fprintln(io.err, "netauto run: not confirmed; nothing run")
			return exitUsage
		}
	}

	ctx, stop := e.signalContext()
	defer stop()
	commands := func(inventory.Device) []string { return o.commands }
	return execBatch(ctx, e, io, s, devs, commands, o.json, o.groupOutput)
}

// execBatch opens the stack and runs each device's commands on it,
// showing live output and a summary; it returns the exit status. ctx ends
// on a signal (see Env.signalContext).
func execBatch(ctx context.Context, e Env, io *stdio, s runner.Settings, devs []inventory.Device,
	commands func(inventory.Device) []string, asJSON, group bool) int {
	prompter := &terminalPrompter{in: io.in, out: io.err, interactive: e.IsTerminal(io.in)}
	st, err := runner.OpenStack(ctx, s, runner.Callbacks{Password: prompter.passwordSource()})
	if err != nil {
		return startupError(io, "run", err)
	}
	defer closeStack(st, io)

	color := e.colorOn(io.out)
	multi := false
	for _, d := range devs {
		multi = multi || len(commands(d)) > 1
	}
	out := newPrinter(io, st.Store, st.Supervisor, printerOptions{
		json:    asJSON,
		quiet:   group,
		color:   color,
		devices: devs,
		multi:   multi,
	})
	b := &batch{
		sup:      st.Supervisor,
		printer:  out,
		id:       store.NewBatchID(),
		user:     e.User,
		commands: commands,
	}
	runs := b.execute(ctx, devs)
	out.close()

	if group && !interrupted(ctx) {
		if err := writeGroups(ctx, io.out, st.Store, runs, color); err != nil {
			fmt.Fprintf(io.err, "netauto run: grouping outputs: %v\n", oneLine(err))
		}
	}
	sum := summarize(runs)
	if asJSON {
		writeSummary(io.err, sum, false)
	} else {
		writeSummary(io.out, sum, color)
	}
	switch {
	case interrupted(ctx):
		fmt.Fprintln(io.err, "netauto: interrupted; every run was cancelled")
		return exitCanceled
	case sum.failed > 0:
		return exitFailed
	}
	return exitOK
}

// applyTimeouts lets the timeout flags override the inventory's values.
func (o *runOptions) applyTimeouts(d *inventory.Device) {
	if o.connectTimeout > 0 {
		d.ConnectTimeout = o.connectTimeout
	}
	if o.commandTimeout > 0 {
		d.CommandTimeout = o.commandTimeout
	}
	if o.idleTimeout > 0 {
		d.IdleTimeout = o.idleTimeout
	}
}

// closeStack shuts the stack down, bounded in time.
func closeStack(st *runner.Stack, io *stdio) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := st.Close(ctx); err != nil {
		fmt.Fprintf(io.err, "netauto: closing: %v\n", oneLine(err))
	}
}

// blastRadius says what a launch will touch.
func blastRadius(devs []inventory.Device, commands []string) string {
	sites := siteNames(devs)
	what := fmt.Sprintf("%q", commands[0])
	if len(commands) > 1 {
		what = fmt.Sprintf("%d commands", len(commands))
	}
	return fmt.Sprintf("%s on %s (%s)", what, units.Plural(len(devs), "device"), siteList(sites))
}

// siteNames returns the distinct sites of devs, sorted; "" is shown as "-".
func siteNames(devs []inventory.Device) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range devs {
		s := dash(d.Site)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// siteList renders "3 sites: a, b, c", shortened past a handful.
func siteList(sites []string) string {
	const show = 6
	names := sites
	more := ""
	if len(names) > show {
		names, more = names[:show], fmt.Sprintf(", +%d more", len(sites)-show)
	}
	return fmt.Sprintf("%s: %s%s", units.Plural(len(sites), "site"), strings.Join(names, ", "), more)
}

// printDryRun lists the devices a run would touch, with their sites.
func printDryRun(io *stdio, devs []inventory.Device, commands []string) {
	t := newTable("DEVICE", "SITE", "ADDRESS", "PLATFORM")
	for _, d := range devs {
		addr := d.Host
		if d.Port != 0 {
			addr = fmt.Sprintf("%s:%d", d.Host, d.Port)
		}
		t.row(d.Name, dash(d.Site), addr, string(d.Platform))
	}
	t.write(io.out)
	fmt.Fprintf(io.out, "\nwould run %s on %s (%s); nothing was run\n",
		quoteCommands(commands), units.Plural(len(devs), "device"), siteList(siteNames(devs)))
}

// quoteCommands renders the commands, quoted, joined by ", then ".
func quoteCommands(commands []string) string {
	q := make([]string, len(commands))
	for i, c := range commands {
		q[i] = fmt.Sprintf("%q", c)
	}
	return strings.Join(q, ", then ")
}

// batch is one launch: each device's commands, under one batch id.
type batch struct {
	sup      *runner.Supervisor
	printer  *printer
	id       string
	user     string
	commands func(inventory.Device) []string
}

// execute runs the batch and returns every run that was created, in device
// then command order. The first command of every device is queued in device
// order (FIFO admission follows the inventory order); each device's further
// commands start when its previous one ends. When ctx ends (a signal), every
// run is cancelled and no new one starts.
func (b *batch) execute(ctx context.Context, devs []inventory.Device) []store.Run {
	results := make([][]store.Run, len(devs))
	first := make([]int64, len(devs))
	for i, d := range devs {
		first[i] = b.launch(ctx, d, b.commands(d)[0], &results[i])
	}
	stopCancel := context.AfterFunc(ctx, func() { b.sup.CancelAll() })
	defer stopCancel()
	var wg sync.WaitGroup
	for i, d := range devs {
		wg.Go(func() {
			id := first[i]
			for _, c := range b.commands(d)[1:] {
				b.finish(id, &results[i])
				if ctx.Err() != nil {
					return
				}
				id = b.launch(ctx, d, c, &results[i])
			}
			b.finish(id, &results[i])
		})
	}
	wg.Wait()
	var all []store.Run
	for _, r := range results {
		all = append(all, r...)
	}
	return all
}

// launch starts one run; a run that could not even be created is recorded
// as a failed row so that it shows in the summary. It returns the run id (0
// when none was created).
func (b *batch) launch(ctx context.Context, d inventory.Device, command string, into *[]store.Run) int64 {
	if ctx.Err() != nil {
		return 0
	}
	id, err := b.sup.Execute(context.WithoutCancel(ctx), runner.Request{
		Device: d, Command: command, BatchID: b.id, RequestedBy: b.user, Queue: true,
	})
	if id == 0 {
		*into = append(*into, store.Run{
			BatchID: b.id, Device: d.Name, Site: d.Site, Command: command,
			Status: store.StatusError, ErrorReason: oneLine(err),
		})
	}
	return id
}

// finish waits until run id has ended and been printed, and records it.
func (b *batch) finish(id int64, into *[]store.Run) {
	if id == 0 {
		return
	}
	*into = append(*into, b.printer.await(id))
}
