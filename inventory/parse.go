package inventory

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads and parses the inventory file at path. Problems in the file
// are returned as Problems, each with the file's line.
func Load(path string) (*Inventory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	return Parse(path, data)
}

// Parse parses an inventory file's contents; filename is used in messages
// and as Inventory.Path. Every problem found is reported, not only the
// first: the error is a Problems listing each as "FILE:LINE: msg".
func Parse(filename string, data []byte) (*Inventory, error) {
	p := &parser{file: filename}
	inv := p.parse(data)
	if len(p.problems) > 0 {
		sortProblems(p.problems) // all in one file: line order
		return nil, p.problems
	}
	return inv, nil
}

// parser collects the problems of one file.
type parser struct {
	file     string
	problems Problems
	defaults *entry
	groups   map[string]*entry
}

// errf records a problem at n's line.
func (p *parser) errf(n *yaml.Node, format string, args ...any) {
	p.problems = append(p.problems, &Error{File: p.file, Line: lineOf(n), Msg: fmt.Sprintf(format, args...)})
}

// entry is one defaults, group or device mapping as written in the file.
type entry struct {
	Settings
	key  *yaml.Node // the entry's name node
	ctx  string     // how messages name it: `device "x"`
	host string
	// given holds every key the entry has, even those with invalid values,
	// so that a bad value is not reported a second time as missing.
	given map[string]bool
	// lines holds the line of every valid key the entry sets.
	lines  map[string]int
	site   string
	groups []*yaml.Node // scalar nodes naming groups, in order
}

// parse parses data; problems are recorded on p.
func (p *parser) parse(data []byte) *Inventory {
	inv := &Inventory{Path: p.file, Format: FormatNetauto, Sites: map[string]Site{}, Groups: map[string]Group{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg, line := SplitYAMLError(err)
		p.problems = append(p.problems, &Error{File: p.file, Line: line, Msg: "invalid YAML: " + msg})
		return nil
	}
	if doc.Kind == 0 || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return inv // an empty file is an empty inventory
	}
	root := deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		p.errf(root, "expected a mapping with the sections %s", strings.Join(topKeys, ", "))
		return nil
	}
	p.defaults = &entry{given: map[string]bool{}, lines: map[string]int{}}
	p.groups = map[string]*entry{}
	var groups, devices []*entry
	p.eachPair(root, "section", func(k, v *yaml.Node) {
		switch k.Value {
		case "defaults":
			p.defaults = p.entry(k, v, kindDefaults, "defaults")
		case "sites":
			p.eachPair(v, "site", func(k, v *yaml.Node) { p.site(inv, k, v) })
		case "groups":
			p.eachPair(v, "group", func(k, v *yaml.Node) {
				groups = append(groups, p.entry(k, v, kindGroup, fmt.Sprintf("group %q", k.Value)))
			})
		case "devices":
			p.eachPair(v, "device", func(k, v *yaml.Node) {
				devices = append(devices, p.entry(k, v, kindDevice, fmt.Sprintf("device %q", k.Value)))
			})
		default:
			p.errf(k, "%s", unknownKeyMsg(k.Value, "the top level", topKeys))
		}
	})
	inv.Defaults = p.defaults.Settings
	for _, g := range groups {
		p.groups[g.key.Value] = g
		inv.Groups[g.key.Value] = Group{Name: g.key.Value, Site: g.site, Settings: g.Settings}
		addSite(inv, g.site)
	}
	for _, e := range devices {
		if d, ok := p.resolve(inv, e); ok {
			inv.Devices = append(inv.Devices, d)
			inv.setSources(d.Name, p.netautoSources(e, d.Groups))
			addSite(inv, d.Site)
		}
	}
	sort.Slice(inv.Devices, func(i, j int) bool { return inv.Devices[i].Name < inv.Devices[j].Name })
	return inv
}

// addSite records a site named only by a device or group (no cap).
func addSite(inv *Inventory, name string) {
	if name == "" {
		return
	}
	if _, ok := inv.Sites[name]; !ok {
		inv.Sites[name] = Site{Name: name}
	}
}

// eachPair calls fn for each key and value of mapping m, reporting a
// non-mapping, a non-scalar or bad key, a merge key and duplicate keys
// (naming the line of the first). what names a key for messages ("device",
// "key").
func (p *parser) eachPair(m *yaml.Node, what string, fn func(k, v *yaml.Node)) {
	yamlPairs(m, what, netautoPairs, func(n *yaml.Node, msg string) { p.errf(n, "%s", msg) }, fn)
}

// netautoPairs is what a netauto inventory says of a bad mapping beyond
// what the foreign formats say.
var netautoPairs = pairWords{
	values:    " to their settings",
	mergeHint: "; share settings through groups or defaults",
}

// site parses one entry of the sites section.
func (p *parser) site(inv *Inventory, k, v *yaml.Node) {
	s := Site{Name: k.Value}
	ctx := fmt.Sprintf("site %q", k.Value)
	p.eachPair(v, "key", func(kk, vv *yaml.Node) {
		if kk.Value != "limit" {
			p.errf(kk, "%s", unknownKeyMsg(kk.Value, ctx, siteKeys))
			return
		}
		str, ok := p.str(ctx, "limit", vv)
		if !ok {
			return
		}
		n, err := strconv.Atoi(str)
		if err != nil || n < 0 {
			p.errf(vv, "%s: bad limit %q: expected a whole number of concurrent runs, 0 or more", ctx, str)
			return
		}
		s.Limit = &n
	})
	inv.Sites[s.Name] = s
}

// entry parses a defaults, group or device mapping.
func (p *parser) entry(k, v *yaml.Node, kind entryKind, ctx string) *entry {
	e := &entry{key: k, ctx: ctx, given: map[string]bool{}, lines: map[string]int{}}
	p.eachPair(v, "key", func(kk, vv *yaml.Node) { p.setKey(e, kind, kk, vv) })
	return e
}

// setKey parses one key of an entry.
func (p *parser) setKey(e *entry, kind entryKind, k, v *yaml.Node) {
	key := k.Value
	switch key {
	case "password":
		p.errf(k, "%s: passwords are never written in the inventory file; name an environment variable with password_env (or use agent or key_file)", e.ctx)
		return
	case "enable_password":
		p.errf(k, "%s: passwords are never written in the inventory file; name an environment variable with enable_password_env", e.ctx)
		return
	}
	if !kind.allows(key) {
		if kindDevice.allows(key) {
			p.errf(k, "%s: %s is set per device, not in %s", e.ctx, key, kindWord(kind))
		} else {
			p.errf(k, "%s", unknownKeyMsg(key, e.ctx, keysFor(kind)))
			// A misspelt key is not reported again as missing.
			if c := closest(key, keysFor(kind)); c != "" {
				e.given[c] = true
			}
		}
		return
	}
	e.given[key] = true
	e.lines[key] = k.Line
	s := &e.Settings
	switch key {
	case "host":
		e.host, _ = p.word(e.ctx, key, v)
	case "site":
		e.site, _ = p.word(e.ctx, key, v)
	case "groups":
		e.groups = p.groupList(e.ctx, v)
	case "port":
		s.Port = p.port(e.ctx, v)
	case "username":
		s.Username, _ = p.word(e.ctx, key, v)
	case "platform":
		s.Platform = p.platform(e.ctx, v)
	case "key_file":
		s.KeyFile, _ = p.str(e.ctx, key, v)
	case "password_env":
		s.PasswordEnv, _ = p.word(e.ctx, key, v)
	case "enable_password_env":
		s.EnablePasswordEnv, _ = p.word(e.ctx, key, v)
	case "agent":
		s.Agent = p.boolean(e.ctx, key, v)
	case "legacy_algorithms":
		s.LegacyAlgorithms = p.boolean(e.ctx, key, v)
	case "jump":
		s.Jump = p.jump(e.ctx, v)
	case "connect_timeout":
		s.ConnectTimeout = p.duration(e.ctx, key, v)
	case "command_timeout":
		s.CommandTimeout = p.duration(e.ctx, key, v)
	case "idle_timeout":
		s.IdleTimeout = p.duration(e.ctx, key, v)
	case "prompt_pattern":
		s.PromptPattern = p.pattern(e.ctx, v)
	}
}

// kindWord names an entry kind for messages.
func kindWord(k entryKind) string {
	if k == kindGroup {
		return "a group"
	}
	return "defaults"
}

// groupList parses a device's groups: a list of group names.
func (p *parser) groupList(ctx string, v *yaml.Node) []*yaml.Node {
	d := deref(v)
	if isNull(d) {
		return nil
	}
	if d.Kind != yaml.SequenceNode {
		p.errf(v, "%s: groups: expected a list of group names, such as [core, edge]", ctx)
		return nil
	}
	var out []*yaml.Node
	for _, item := range d.Content {
		g := deref(item)
		if g.Kind != yaml.ScalarNode || isNull(g) || g.Value == "" {
			p.errf(item, "%s: groups: expected a group name, not a %s", ctx, kindName(g))
			continue
		}
		out = append(out, g)
	}
	return out
}
