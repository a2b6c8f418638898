package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"netauto/inventory"
	"netauto/runner"
	"netauto/simlab"
)

// demoCommands is what the demo runs: `show version` on network devices,
// `uname -a` on linux hosts (which have no `show version`).
func demoCommands(d inventory.Device) []string {
	if d.Platform == inventory.PlatformLinux {
		return []string{"uname -a"}
	}
	return []string{"show version"}
}

// demoCmd is `netauto demo`: a lab in a temporary directory, the console
// on a terminal (once one exists), else `show version` headless on every
// healthy device; everything is removed afterwards.
func demoCmd(e Env, io *stdio, g *globals, args []string) int {
	fs := newFlagSet("demo", g)
	pos, code, done := parseCommand(io, "demo", demoHelp, fs, args)
	if done {
		return code
	}
	if len(pos) > 0 {
		return usageError(io, "demo", fmt.Errorf("unexpected argument %q", pos[0]))
	}

	dir, err := os.MkdirTemp("", "netauto-demo-")
	if err != nil {
		return startupError(io, "demo", err)
	}
	defer os.RemoveAll(dir)
	ctx, stop := e.signalContext()
	defer stop()
	lab, err := simlab.Start(ctx, simlab.Options{Dir: filepath.Join(dir, "lab")})
	if err != nil {
		return startupError(io, "demo", err)
	}
	defer lab.Close()

	getenv := e.Getenv
	s, err := runner.Settings{
		InventoryPath:      lab.InventoryPath(),
		DBPath:             filepath.Join(dir, "history.db"),
		KnownHostsPath:     filepath.Join(dir, "known_hosts"),
		UserKnownHostsPath: lab.KnownHostsPath(),
		Getenv: func(k string) string {
			if k == simlab.PasswordEnv {
				return lab.Password()
			}
			return getenv(k)
		},
		Home: e.Getenv("HOME"),
	}.WithDefaults()
	if err != nil {
		return startupError(io, "demo", err)
	}
	if e.consoleOn(io) {
		return e.console(ctx, io, s, "demo lab")
	}

	s.Inventory, err = runner.LoadInventory(s)
	if err != nil {
		return startupError(io, "demo", err)
	}
	var names []string
	for _, d := range lab.Devices() {
		if d.Fault == simlab.FaultNone && d.Auth == simlab.AuthKey {
			names = append(names, d.Name)
		}
	}
	devs, err := s.Inventory.Select(inventory.Selection{Devices: names})
	if err != nil {
		return startupError(io, "demo", err)
	}
	fmt.Fprintf(io.err, "netauto demo: a simulated lab of %d devices is serving on 127.0.0.1 (in %s)\n",
		len(lab.Devices()), lab.Dir())
	return execBatch(ctx, e, io, s, devs, demoCommands, false, false)
}
