package inventory

import (
	"bytes"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Marshal writes inv as a netauto inventory file that Parse reads back to the
// same defaults, sites, groups and devices. Each device is written with the
// values that differ from what its groups and the defaults give it. Groups a
// device lists but inv.Groups lacks are written as empty groups.
//
// It fails when the file could not be read back as inv: a device leaves a
// value unset that one of its groups or the defaults set, or the result would
// not parse (a device without host or platform, an unknown platform, ...).
func Marshal(inv *Inventory) ([]byte, error) {
	full := *inv
	full.Groups = make(map[string]Group, len(inv.Groups))
	for name, g := range inv.Groups {
		g.Name = name
		full.Groups[name] = g
	}
	for _, d := range inv.Devices {
		for _, g := range d.Groups {
			if _, ok := full.Groups[g]; !ok {
				full.Groups[g] = Group{Name: g}
			}
		}
	}

	root := block()
	if defaults := settingsNode(inv.Defaults); len(defaults.Content) > 0 {
		add(root, "defaults", defaults)
	}
	if len(inv.Sites) > 0 {
		sites := block()
		for _, name := range slices.Sorted(maps.Keys(inv.Sites)) {
			s := flow()
			if l := inv.Sites[name].Limit; l != nil {
				add(s, "limit", intNode(*l))
			}
			add(sites, name, s)
		}
		add(root, "sites", sites)
	}
	if len(full.Groups) > 0 {
		groups := block()
		for _, name := range slices.Sorted(maps.Keys(full.Groups)) {
			g := full.Groups[name]
			n := flow()
			if g.Site != "" {
				add(n, "site", str(g.Site))
			}
			n.Content = append(n.Content, settingsNode(g.Settings).Content...)
			add(groups, name, n)
		}
		add(root, "groups", groups)
	}
	if len(inv.Devices) > 0 {
		devices := block()
		for _, d := range inv.Devices {
			n, err := deviceNode(d, &full)
			if err != nil {
				return nil, err
			}
			add(devices, d.Name, n)
		}
		add(root, "devices", devices)
	}

	var buf bytes.Buffer
	buf.WriteString("# netauto inventory\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return nil, fmt.Errorf("inventory: marshal: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("inventory: marshal: %w", err)
	}
	name := inv.Path
	if name == "" {
		name = "inventory.yaml"
	}
	if _, err := Parse(name, buf.Bytes()); err != nil {
		return nil, fmt.Errorf("inventory: marshal: the inventory is not valid:\n%w", err)
	}
	return buf.Bytes(), nil
}

// deviceNode writes a device's host, groups, site and the settings that
// differ from what it inherits.
func deviceNode(d Device, inv *Inventory) (*yaml.Node, error) {
	inh, inhSite := inherit(Settings{}, "", d.Groups, inv)
	own := Settings{
		Port:              unlessInherited(d.Port, inh.Port),
		Username:          unlessInherited(d.Username, inh.Username),
		Platform:          unlessInherited(d.Platform, inh.Platform),
		KeyFile:           unlessInherited(d.KeyFile, inh.KeyFile),
		PasswordEnv:       unlessInherited(d.PasswordEnv, inh.PasswordEnv),
		Agent:             flagUnlessInherited(&d.Agent, inh.Agent),
		EnablePasswordEnv: unlessInherited(d.EnablePasswordEnv, inh.EnablePasswordEnv),
		Jump:              unlessInherited(d.Jump, inh.Jump),
		LegacyAlgorithms:  flagUnlessInherited(&d.LegacyAlgorithms, inh.LegacyAlgorithms),
		ConnectTimeout:    unlessInherited(d.ConnectTimeout, inh.ConnectTimeout),
		CommandTimeout:    unlessInherited(d.CommandTimeout, inh.CommandTimeout),
		IdleTimeout:       unlessInherited(d.IdleTimeout, inh.IdleTimeout),
		PromptPattern:     unlessInherited(d.PromptPattern, inh.PromptPattern),
	}
	site := unlessInherited(d.Site, inhSite)
	s, gotSite := inherit(own, site, d.Groups, inv)
	if got := device(d.Name, d.Host, gotSite, d.Groups, s); !sameDevice(got, d) {
		return nil, fmt.Errorf("inventory: marshal: device %q: cannot be written: it leaves a value unset that its groups or the defaults set", d.Name)
	}

	n := flow()
	if d.Host != "" {
		add(n, "host", str(d.Host))
	}
	if len(d.Groups) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, g := range d.Groups {
			seq.Content = append(seq.Content, str(g))
		}
		add(n, "groups", seq)
	}
	if site != "" {
		add(n, "site", str(site))
	}
	n.Content = append(n.Content, settingsNode(own).Content...)
	return n, nil
}

// unlessInherited returns v, or the zero value when v is what the device
// inherits anyway.
func unlessInherited[T comparable](v, inherited T) T {
	if v == inherited {
		var zero T
		return zero
	}
	return v
}

// flagUnlessInherited returns v, or nil when *v is what the device inherits
// anyway (an unset flag inherits false).
func flagUnlessInherited(v, inherited *bool) *bool {
	if *v == (inherited != nil && *inherited) {
		return nil
	}
	return v
}

// sameDevice compares devices, treating nil and empty Groups alike.
func sameDevice(a, b Device) bool {
	if len(a.Groups) == 0 && len(b.Groups) == 0 {
		a.Groups, b.Groups = nil, nil
	}
	return reflect.DeepEqual(a, b)
}

// settingsNode writes the set values of s, in the documented key order.
func settingsNode(s Settings) *yaml.Node {
	n := flow()
	if s.Port != 0 {
		add(n, "port", intNode(s.Port))
	}
	if s.Username != "" {
		add(n, "username", str(s.Username))
	}
	if s.Platform != "" {
		add(n, "platform", str(string(s.Platform)))
	}
	if s.KeyFile != "" {
		add(n, "key_file", str(s.KeyFile))
	}
	if s.PasswordEnv != "" {
		add(n, "password_env", str(s.PasswordEnv))
	}
	if s.Agent != nil {
		add(n, "agent", boolNode(*s.Agent))
	}
	if s.EnablePasswordEnv != "" {
		add(n, "enable_password_env", str(s.EnablePasswordEnv))
	}
	if s.Jump != "" {
		add(n, "jump", str(s.Jump))
	}
	if s.LegacyAlgorithms != nil {
		add(n, "legacy_algorithms", boolNode(*s.LegacyAlgorithms))
	}
	if s.ConnectTimeout != 0 {
		add(n, "connect_timeout", str(s.ConnectTimeout.String()))
	}
	if s.CommandTimeout != 0 {
		add(n, "command_timeout", str(s.CommandTimeout.String()))
	}
	if s.IdleTimeout != 0 {
		add(n, "idle_timeout", str(s.IdleTimeout.String()))
	}
	if s.PromptPattern != "" {
		add(n, "prompt_pattern", str(s.PromptPattern))
	}
	return n
}

// block returns an empty block-style mapping.
func block() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

// flow returns an empty flow-style mapping ({a: b}).
func flow() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle} }

// add appends key: v to mapping m.
func add(m *yaml.Node, key string, v *yaml.Node) { m.Content = append(m.Content, str(key), v) }

// str is a string scalar, quoted by the encoder where YAML needs it.
func str(s string) *yaml.Node {
	n := &yaml.Node{}
	n.SetString(s)
	return n
}

// intNode is an integer scalar.
func intNode(v int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(v)}
}

// boolNode is a boolean scalar.
func boolNode(v bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}
}
