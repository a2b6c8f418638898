package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"netauto/config"
	"netauto/inventory"
	"netauto/runner"
	"netauto/units"
)

// globals are the flags accepted anywhere on the command line.
type globals struct {
	inventory, db, knownHosts   string
	configFile, inventoryFormat string
	siteVar                     string
}

// register adds the global flags to fs, bound to g.
func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.inventory, "inventory", g.inventory, "inventory `FILE`")
	fs.StringVar(&g.inventoryFormat, "inventory-format", g.inventoryFormat, "inventory `FORMAT`")
	fs.StringVar(&g.siteVar, "site-var", g.siteVar, "Ansible/Nornir site `VARIABLE`")
	fs.StringVar(&g.db, "db", g.db, "history database `FILE`")
	fs.StringVar(&g.knownHosts, "known-hosts", g.knownHosts, "netauto's known_hosts `FILE`")
	fs.StringVar(&g.configFile, "config", g.configFile, "config `FILE`")
}

// home is the user's home directory: $HOME, else the system's idea.
func home(e Env) string {
	if h := e.Getenv("HOME"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

// loadConfig reads the config file and layers the global flags and the
// environment over it (see package config).
func (g *globals) loadConfig(e Env) (*config.Settings, error) {
	path, explicit := config.FilePath(g.configFile, e.Getenv, runner.ConfigDir(e.Getenv, home(e)))
	f, err := config.Load(path, explicit)
	if err != nil {
		return nil, err
	}
	return config.Resolve(config.Input{
		Flags: map[config.Key]string{
			config.Inventory:       g.inventory,
			config.InventoryFormat: g.inventoryFormat,
			config.SiteVar:         g.siteVar,
			config.Database:        g.db,
			config.KnownHosts:      g.knownHosts,
		},
		Getenv: e.Getenv,
		File:   f,
	})
}

// settings turns the global flags, the environment and the config file
// into stack settings; unset paths keep their defaults.
func (g *globals) settings(e Env) (runner.Settings, error) {
	c, err := g.loadConfig(e)
	if err != nil {
		return runner.Settings{}, err
	}
	return runner.Settings{
		InventoryPath:   c.String(config.Inventory),
		InventoryFormat: inventory.Format(c.String(config.InventoryFormat)),
		SiteVar:         c.String(config.SiteVar),
		DBPath:          c.String(config.Database),
		KnownHostsPath:  c.String(config.KnownHosts),
		SSHConfigPath:   c.String(config.SSHConfig),
		ConnectTimeout:  c.Duration(config.ConnectTimeout),
		CommandTimeout:  c.Duration(config.CommandTimeout),
		IdleTimeout:     c.Duration(config.IdleTimeout),
		Caps:            runner.Caps{Global: c.FileCap(), Sites: c.FileSiteCaps()},
		ConfirmAbove:    c.Count(config.ConfirmAbove),
		Prune:           runner.PrunePolicy{OlderThan: c.Duration(config.PruneOlderThan), MaxSize: c.Size(config.PruneMaxSize)},
		Theme:           c.String(config.Theme),
		Getenv:          e.Getenv,
		Home:            e.Getenv("HOME"),
	}, nil
}

// settingsWithDefaults is settings with the runner's defaults filled in,
// as every command but the console wants them.
func (g *globals) settingsWithDefaults(e Env) (runner.Settings, error) {
	s, err := g.settings(e)
	if err != nil {
		return runner.Settings{}, err
	}
	return s.WithDefaults()
}

// parseLeadingGlobals consumes the global flags written before the
// subcommand and returns the rest, which starts at the subcommand (or a help
// flag).
func parseLeadingGlobals(args []string) (*globals, []string, error) {
	g := &globals{}
	fs := flag.NewFlagSet("netauto", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	g.register(fs)
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		name := strings.TrimLeft(args[0], "-")
		name, _, hasValue := strings.Cut(name, "=")
		switch name {
		case "h", "help":
			return g, args, nil
		default:
			if fs.Lookup(name) == nil {
				return nil, nil, fmt.Errorf("unknown flag %s (global flags: %s)", args[0], strings.Join(flagNames(fs, nil), ", "))
			}
		}
		n := 2
		if hasValue {
			n = 1
		}
		if len(args) < n {
			return nil, nil, fmt.Errorf("flag %s needs a value", args[0])
		}
		if err := fs.Parse(args[:n]); err != nil {
			return nil, nil, err
		}
		args = args[n:]
	}
	return g, args, nil
}

// newFlagSet makes a subcommand's flag set with the global flags on it. It
// reports errors instead of printing them.
func newFlagSet(name string, g *globals) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	g.register(fs)
	return fs
}

// parseArgs parses flags and positional arguments in any order (flag
// stops at the first positional; this keeps going). After "--" everything
// is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseCommand parses a subcommand's arguments. On -h/--help it prints help
// and returns done with exitOK; on a bad flag it prints a usage error and
// returns done with exitUsage. When io asks for the flag set, it hands fs
// over and returns done with exitOK.
func parseCommand(io *stdio, name, help string, fs *flag.FlagSet, args []string) (pos []string, code int, done bool) {
	if io.flagSet != nil {
		*io.flagSet = fs
		return nil, exitOK, true
	}
	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(io.out, help)
		return nil, exitOK, true
	}
	if err != nil {
		return nil, usageError(io, name, err), true
	}
	return pos, 0, false
}

// listFlag is a repeatable string flag; each value may also be a
// comma-separated list.
type listFlag []string

// String returns the values joined by commas.
func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set adds one value (or several, comma-separated).
func (l *listFlag) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// commandsFlag is the repeatable -c flag: each value is one command, kept
// whole (commands may contain commas).
type commandsFlag []string

// String returns the commands joined by "; ".
func (c *commandsFlag) String() string { return strings.Join(*c, "; ") }

// Set adds one command.
func (c *commandsFlag) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("empty command")
	}
	*c = append(*c, v)
	return nil
}

// durationFlag is a timeout flag read as the config file and the inventory
// read durations (units.ParseDuration: 30s, 2m, 1h30m, 1d); unset it stays 0.
type durationFlag struct{ d *time.Duration }

// String returns the duration, "" when unset.
func (f durationFlag) String() string {
	if f.d == nil || *f.d == 0 {
		return ""
	}
	return f.d.String()
}

// Set reads one duration.
func (f durationFlag) Set(v string) error {
	d, err := units.ParseDuration(v)
	if err != nil {
		return err
	}
	*f.d = d
	return nil
}

// selectors are the device-selection flags shared by run and hostkeys scan.
type selectors struct {
	devices, groups, sites listFlag
	all                    bool
}

// register adds the selector flags to fs.
func (s *selectors) register(fs *flag.FlagSet) {
	fs.Var(&s.devices, "device", "device `NAME` or glob (repeatable)")
	fs.Var(&s.groups, "group", "group `NAME` or glob (repeatable)")
	fs.Var(&s.sites, "site", "site `NAME` or glob (repeatable)")
	fs.BoolVar(&s.all, "all", false, "every device in the inventory")
}

// selection converts the flags to an inventory selection.
func (s *selectors) selection() inventory.Selection {
	return inventory.Selection{Devices: s.devices, Groups: s.groups, Sites: s.sites, All: s.all}
}

// empty reports whether no selector was given.
func (s *selectors) empty() bool {
	return !s.all && len(s.devices) == 0 && len(s.groups) == 0 && len(s.sites) == 0
}

// oneLine flattens an error's text onto one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
}
