package cli

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	sshadapter "netauto/adapters/ssh"
	"netauto/inventory"
	"netauto/runner"
)

// scanParallelism bounds how many devices hostkeys scan contacts at once.
const scanParallelism = 32

// hostkeysCmd is `netauto hostkeys scan`.
func hostkeysCmd(e Env, io *stdio, g *globals, args []string) int {
	var (
		sel     selectors
		accept  bool
		timeout time.Duration
	)
	fs := newFlagSet("hostkeys", g)
	sel.register(fs)
	fs.BoolVar(&accept, "accept", false, "record new keys in netauto's known_hosts")
	fs.Var(durationFlag{&timeout}, "connect-timeout", "per-device connect timeout")
	pos, code, done := parseCommand(io, "hostkeys", hostkeysHelp, fs, args)
	if done {
		return code
	}
	switch {
	case len(pos) == 0:
		return usageError(io, "hostkeys", errors.New("missing subcommand: netauto hostkeys scan [selectors]"))
	case pos[0] != "scan":
		return usageError(io, "hostkeys", fmt.Errorf("unknown subcommand %q (only scan)", pos[0]))
	case len(pos) > 1:
		return usageError(io, "hostkeys", fmt.Errorf("unexpected argument %q", pos[1]))
	case sel.empty():
		return usageError(io, "hostkeys", errors.New("no devices selected: use --device, --group, --site or --all"))
	case timeout < 0:
		return usageError(io, "hostkeys", errors.New("--connect-timeout must be positive"))
	}

	s, err := g.settingsWithDefaults(e)
	if err != nil {
		return startupError(io, "hostkeys", err)
	}
	s.ConnectTimeout = timeout
	inv, err := runner.LoadInventory(s)
	if err != nil {
		return startupError(io, "hostkeys", err)
	}
	devs, err := inv.Select(sel.selection())
	if err != nil {
		return usageError(io, "hostkeys", err)
	}
	ad, err := runner.NewAdapter(s, runner.Callbacks{})
	if err != nil {
		return startupError(io, "hostkeys", err)
	}
	ctx, stop := e.signalContext()
	defer stop()

	results := scanAll(ctx, ad, devs)
	t := newTable("DEVICE", "HOST", "TYPE", "FINGERPRINT", "STATE")
	failed := false
	for i, r := range results {
		if r.err != nil {
			failed = true
			t.row(devs[i].Name, "-", "-", "-", oneLine(r.err))
			continue
		}
		k := r.key
		state := "new"
		switch {
		case k.Known:
			state = "known"
		case k.Changed:
			state = "CHANGED: not recorded"
			failed = true
		case accept:
			state = "new: recorded"
			if err := ad.TrustKey(k); err != nil {
				state = "new: not recorded: " + oneLine(err)
				failed = true
			}
		}
		t.row(devs[i].Name, k.Host, k.Key.Type(), k.Fingerprint, state)
	}
	t.write(io.out)
	if !accept {
		fmt.Fprintf(io.err, "\nCheck the fingerprints, then record the new keys with --accept (known_hosts: %s).\n", s.KnownHostsPath)
	}
	switch {
	case interrupted(ctx):
		return exitCanceled
	case failed:
		return exitFailed
	}
	return exitOK
}

// scanResult is one device's scanned key or error.
type scanResult struct {
	key *sshadapter.ScannedKey
	err error
}

// scanAll fetches the host keys of devs, a bounded number at once, in the
// order of devs.
func scanAll(ctx context.Context, ad *sshadapter.Adapter, devs []inventory.Device) []scanResult {
	results := make([]scanResult, len(devs))
	sem := make(chan struct{}, scanParallelism)
	var wg sync.WaitGroup
	for i, d := range devs {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i].err = context.Cause(ctx)
				return
			}
			defer func() { <-sem }()
			results[i].key, results[i].err = ad.ScanHostKey(ctx, d)
		})
	}
	wg.Wait()
	return results
}
