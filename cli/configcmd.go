package cli

import (
	"fmt"
	"os"

	"netauto/config"
	"netauto/runner"
)

// configCmd is `netauto config show`.
func configCmd(e Env, io *stdio, g *globals, args []string) int {
	fs := newFlagSet("config", g)
	pos, code, done := parseCommand(io, "config", configHelp, fs, args)
	if done {
		return code
	}
	if code, bad := soleSubcommand(io, "config", "show", pos); bad {
		return code
	}
	c, err := g.loadConfig(e)
	if err != nil {
		return startupError(io, "config", err)
	}
	s, err := g.settingsWithDefaults(e)
	if err != nil {
		return startupError(io, "config", err)
	}
	path, _ := config.FilePath(g.configFile, e.Getenv, runner.ConfigDir(e.Getenv, home(e)))
	if c.File != "" {
		fmt.Fprintf(io.out, "config file: %s\n\n", c.File)
	} else if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(io.out, "config file: %s (none; built-in defaults apply)\n\n", path)
	}
	// Paths left to their defaults show the path in force.
	defaults := map[config.Key]string{
		config.Inventory:  s.InventoryPath,
		config.Database:   s.DBPath,
		config.KnownHosts: s.KnownHostsPath,
		config.SSHConfig:  s.SSHConfigPath,
	}
	t := newTable("KEY", "VALUE", "FROM", "MEANING")
	for _, key := range config.Keys() {
		if key == config.SiteCaps {
			caps := c.SiteCaps()
			if len(caps) == 0 {
				t.row(string(key), "-", "default", config.Doc(key))
			}
			for _, sc := range caps {
				t.row(string(key)+"."+sc.Site, sc.Value.Value, sc.Source, config.Doc(key))
			}
			continue
		}
		v := c.Get(key)
		value := v.Value
		if value == "" {
			value = defaults[key]
		}
		t.row(string(key), dash(value), v.Source, config.Doc(key))
	}
	t.write(io.out)
	return exitOK
}

// soleSubcommand checks that pos is exactly sub, the one subcommand of cmd
// (netauto config show, netauto inventory check); when not, it reports the
// usage error and returns its exit code and true.
func soleSubcommand(io *stdio, cmd, sub string, pos []string) (int, bool) {
	switch {
	case len(pos) == 0:
		return usageError(io, cmd, fmt.Errorf("missing subcommand: netauto %s %s", cmd, sub)), true
	case pos[0] != sub:
		return usageError(io, cmd, fmt.Errorf("unknown subcommand %q (only %s)", pos[0], sub)), true
	case len(pos) > 1:
		return usageError(io, cmd, fmt.Errorf("unexpected argument %q", pos[1])), true
	}
	return 0, false
}
