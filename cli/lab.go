package cli

import (
	"errors"
	"fmt"

	"netauto/simlab"
)

// labCmd is `netauto lab`: serve a simulated fleet until interrupted.
func labCmd(e Env, io *stdio, g *globals, args []string) int {
	var (
		dir      string
		devices  int
		noFaults bool
	)
	fs := newFlagSet("lab", g)
	fs.StringVar(&dir, "dir", "", "the lab's directory")
	fs.IntVar(&devices, "devices", simlab.DefaultDevices, "number of healthy devices")
	fs.BoolVar(&noFaults, "no-faults", false, "only the healthy devices")
	pos, code, done := parseCommand(io, "lab", labHelp, fs, args)
	if done {
		return code
	}
	switch {
	case len(pos) > 0:
		return usageError(io, "lab", fmt.Errorf("unexpected argument %q", pos[0]))
	case dir == "":
		return usageError(io, "lab", errors.New("--dir DIR is required"))
	case devices < 1:
		return usageError(io, "lab", errors.New("--devices must be at least 1"))
	}

	ctx, stop := e.signalContext()
	defer stop()
	lab, err := simlab.Start(ctx, simlab.Options{Dir: dir, Devices: devices, NoFaults: noFaults})
	if err != nil {
		return startupError(io, "lab", err)
	}
	defer lab.Close()
	faults := 0
	for _, d := range lab.Devices() {
		if d.Fault != simlab.FaultNone || d.Auth != simlab.AuthKey {
			faults++
		}
	}
	fmt.Fprintf(io.out, `netauto lab: serving %d healthy devices and %d fault/password devices on 127.0.0.1
  inventory:   %s
  known_hosts: %s

In another terminal:
  export %s=%s
  export NETAUTO_INVENTORY=%s
  netauto run --known-hosts %s --all -c "show version"

Press Ctrl-C to stop the lab.
`, len(lab.Devices())-faults, faults, lab.InventoryPath(), lab.KnownHostsPath(),
		simlab.PasswordEnv, lab.Password(), lab.InventoryPath(), lab.KnownHostsPath())
	<-ctx.Done()
	fmt.Fprintln(io.err, "netauto lab: stopping")
	if err := lab.Close(); err != nil {
		fmt.Fprintf(io.err, "netauto lab: %v\n", oneLine(err))
		return exitFailed
	}
	return exitOK
}
