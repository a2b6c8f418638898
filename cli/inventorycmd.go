package cli

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"netauto/inventory"
	"netauto/runner"
)

// inventoryCmd is `netauto inventory check`.
func inventoryCmd(e Env, io *stdio, g *globals, args []string) int {
	fs := newFlagSet("inventory", g)
	pos, code, done := parseCommand(io, "inventory", inventoryHelp, fs, args)
	if done {
		return code
	}
	if code, bad := soleSubcommand(io, "inventory", "check", pos); bad {
		return code
	}
	s, err := g.settingsWithDefaults(e)
	if err != nil {
		return startupError(io, "inventory", err)
	}
	inv, err := runner.LoadInventory(s)
	var problems inventory.Problems
	if err != nil && !errors.As(err, &problems) {
		return startupError(io, "inventory", err)
	}
	if inv != nil {
		printInventory(io, inv)
		problems = inv.Warnings
	}
	if len(problems) == 0 {
		fmt.Fprintf(io.out, "\nno problems\n")
		return exitOK
	}
	fmt.Fprintf(io.out, "\nPROBLEMS (%d)\n", len(problems))
	word := "error"
	if inv != nil {
		word = "warning"
	}
	for _, p := range problems {
		fmt.Fprintf(io.out, "%s: %s\n", word, p)
	}
	return exitFailed
}

// printInventory prints the sites, groups and devices of inv with their
// resolved values, then where each value came from.
func printInventory(io *stdio, inv *inventory.Inventory) {
	fmt.Fprintf(io.out, "inventory %s (%s): %d devices, %d groups, %d sites\n\n",
		inv.Path, inv.Format, len(inv.Devices), len(inv.Groups), len(inv.Sites))
	perSite := map[string]int{}
	perGroup := map[string]int{}
	for _, d := range inv.Devices {
		perSite[d.Site]++
		for _, g := range d.Groups {
			perGroup[g]++
		}
	}
	t := newTable("SITE", "CAP", "DEVICES")
	for _, name := range slices.Sorted(maps.Keys(inv.Sites)) {
		limit := "-"
		if l := inv.Sites[name].Limit; l != nil {
			limit = strconv.Itoa(*l)
		}
		t.row(name, limit, strconv.Itoa(perSite[name]))
	}
	if perSite[""] > 0 {
		t.row("(none)", "-", strconv.Itoa(perSite[""]))
	}
	t.write(io.out)
	if len(inv.Groups) > 0 {
		fmt.Fprintln(io.out)
		t = newTable("GROUP", "SITE", "DEVICES")
		for _, name := range slices.Sorted(maps.Keys(inv.Groups)) {
			t.row(name, dash(inv.Groups[name].Site), strconv.Itoa(perGroup[name]))
		}
		t.write(io.out)
	}
	if len(inv.Devices) == 0 {
		return
	}
	fmt.Fprintln(io.out)
	t = newTable("DEVICE", "HOST", "PORT", "USER", "PLATFORM", "SITE", "GROUPS", "AUTH")
	for _, d := range inv.Devices {
		t.row(d.Name, d.Host, portText(d), dash(d.Username), string(d.Platform), dash(d.Site),
			dash(strings.Join(d.Groups, ",")), authText(d))
	}
	t.write(io.out)
	fmt.Fprintln(io.out, "\n(- : not set by the inventory; the ssh config, then the defaults apply: port 22, the local user)")
	fmt.Fprintln(io.out)
	t = newTable("DEVICE", "VALUE", "SET TO", "FROM")
	for _, d := range inv.Devices {
		for _, v := range deviceValues(d) {
			src, ok := inv.Sources[d.Name][v.key]
			from := src.String()
			if !ok || from == "" {
				from = "default"
			}
			t.row(d.Name, v.key, v.value, from)
		}
	}
	t.write(io.out)
}

// namedValue is one resolved value of a device.
type namedValue struct{ key, value string }

// deviceValues lists the values of d that the inventory set, in a fixed
// order; unset ones appear as "-".
func deviceValues(d inventory.Device) []namedValue {
	out := []namedValue{
		{inventory.SourceHost, d.Host},
		{inventory.SourcePort, portText(d)},
		{inventory.SourceUsername, dash(d.Username)},
		{inventory.SourcePlatform, string(d.Platform)},
		{inventory.SourceSite, dash(d.Site)},
	}
	for _, v := range []namedValue{
		{inventory.SourceGroups, strings.Join(d.Groups, ",")},
		{inventory.SourceKeyFile, d.KeyFile},
		{inventory.SourcePasswordEnv, d.PasswordEnv},
		{inventory.SourceEnablePasswordEnv, d.EnablePasswordEnv},
		{inventory.SourceJump, d.Jump},
	} {
		if v.value != "" {
			out = append(out, v)
		}
	}
	return out
}

// authText says how a device logs in.
func authText(d inventory.Device) string {
	var parts []string
	if d.KeyFile != "" {
		parts = append(parts, "key "+d.KeyFile)
	}
	if d.Agent {
		parts = append(parts, "agent")
	}
	if d.PasswordEnv != "" {
		parts = append(parts, "password $"+d.PasswordEnv)
	}
	if len(parts) == 0 {
		return "agent/default keys"
	}
	return strings.Join(parts, ", ")
}

// portText is a device's port, or "-" when the inventory sets none.
func portText(d inventory.Device) string {
	if d.Port > 0 {
		return strconv.Itoa(d.Port)
	}
	return "-"
}

// dash returns s, or "-" when it is empty.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
