package inventory

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"go.yaml.in/yaml/v3"
)

// nornirKeys are the keys of a Nornir host or group; defaults have all but
// groups.
var nornirKeys = []string{"hostname", "port", "username", "password", "platform", "groups", "data", "connection_options"}

// nornirDefaultsKeys are the keys of Nornir defaults: nornirKeys but groups.
var nornirDefaultsKeys = slices.DeleteFunc(slices.Clone(nornirKeys), func(k string) bool { return k == "groups" })

// nornirAttrs maps Nornir attributes to neutral value names.
var nornirAttrs = map[string]string{
	"hostname": fvHost,
	"port":     fvPort,
	"username": fvUsername,
	"platform": fvPlatform,
	"password": fvPassword,
}

// nrEntry is one Nornir host, group or the defaults, as read.
type nrEntry struct {
	name   string
	src    Source
	attrs  map[string]fvar // neutral name → value
	data   map[string]fvar // data.* scalars
	groups []fvar          // group names, in order
}

// nornir is a Nornir SimpleInventory being read.
type nornir struct {
	dir      string
	opts     Options
	b        *builder
	groups   map[string]*nrEntry
	defaults *nrEntry
}

// openNornir reads a Nornir SimpleInventory directory: hosts.yaml
// (required), groups.yaml and defaults.yaml (optional; .yml also read).
func openNornir(dir string, opts Options) (*Inventory, error) {
	hostsFile := findYAML(dir, "hosts")
	if hostsFile == "" {
		return nil, fmt.Errorf("inventory: %s: no hosts.yaml: a Nornir SimpleInventory directory holds hosts.yaml, groups.yaml and defaults.yaml", dir)
	}
	files := [3]nornirFile{{path: hostsFile}, {path: findYAML(dir, "groups")}, {path: findYAML(dir, "defaults")}}
	for i := range files {
		if files[i].path == "" {
			continue
		}
		data, err := readLimited(files[i].path)
		if err != nil {
			return nil, err
		}
		files[i].data = data
	}
	return parseNornir(dir, files[0], files[1], files[2], opts)
}

// nornirFile is one file of a Nornir inventory; path "" means absent.
type nornirFile struct {
	path string
	data []byte
}

// parseNornir reads the hosts, groups and defaults files of a Nornir
// inventory in dir.
func parseNornir(dir string, hostsFile, groupsFile, defaultsFile nornirFile, opts Options) (*Inventory, error) {
	n := &nornir{dir: dir, opts: opts, b: newBuilder(dir, FormatNornir), groups: map[string]*nrEntry{}, defaults: &nrEntry{}}
	if root := n.read(defaultsFile); root != nil {
		n.defaults = n.entry("defaults", Source{File: defaultsFile.path, Line: root.Line}, root, false)
	}
	var groupOrder []string
	if root := n.read(groupsFile); root != nil {
		n.b.eachPair(root, "group", func(k, v *yaml.Node) {
			n.groups[k.Value] = n.entry(fmt.Sprintf("group %q", k.Value), n.b.src(k), v, true)
			n.groups[k.Value].name = k.Value
			groupOrder = append(groupOrder, k.Value)
		})
	}
	var hosts []*nrEntry
	if root := n.read(hostsFile); root != nil {
		n.b.eachPair(root, "host", func(k, v *yaml.Node) {
			h := n.entry(fmt.Sprintf("host %q", k.Value), n.b.src(k), v, true)
			h.name = k.Value
			hosts = append(hosts, h)
		})
	}
	if len(n.b.problems) > 0 {
		return n.b.finish()
	}
	for _, name := range groupOrder {
		g := Group{Name: name}
		if site, ok := n.lookup(n.groups[name], "", n.opts.SiteVar, 0); ok {
			g.Site = site.value
		}
		n.b.inv.Groups[name] = g
		addSite(n.b.inv, g.Site)
		n.checkGroups(n.groups[name])
	}
	for _, h := range hosts {
		if !n.checkGroups(h) {
			continue
		}
		n.b.add(n.host(h))
	}
	return n.b.finish()
}

// findYAML returns dir/name.yaml or dir/name.yml, whichever exists, or "".
func findYAML(dir, name string) string {
	for _, ext := range []string{".yaml", ".yml"} {
		p := filepath.Join(dir, name+ext)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// read parses one file and returns its root mapping (nil when absent,
// empty or bad).
func (n *nornir) read(f nornirFile) *yaml.Node {
	if f.path == "" {
		return nil
	}
	n.b.cur = f.path
	root, _ := n.b.yamlRoot(f.path, f.data)
	return root
}

// entry reads a host, group or defaults mapping.
func (n *nornir) entry(ctx string, src Source, v *yaml.Node, hasGroups bool) *nrEntry {
	e := &nrEntry{src: src, attrs: map[string]fvar{}, data: map[string]fvar{}}
	valid := nornirKeys
	if !hasGroups {
		valid = nornirDefaultsKeys
	}
	n.b.eachPair(v, "key", func(k, val *yaml.Node) {
		if !slices.Contains(valid, k.Value) {
			n.b.errAt(n.b.src(k), "%s", unknownKeyMsg(k.Value, ctx, valid))
			return
		}
		d := deref(val)
		switch k.Value {
		case "connection_options":
			// Plugin-specific; netauto connects by its own means.
		case "groups":
			if isNull(d) {
				return
			}
			if d.Kind != yaml.SequenceNode {
				n.b.errAt(n.b.src(val), "%s: groups: expected a list of group names", ctx)
				return
			}
			for _, item := range d.Content {
				g := deref(item)
				if g.Kind != yaml.ScalarNode || !validName(g.Value) {
					n.b.errAt(n.b.src(item), "%s: groups: expected a group name, not a %s", ctx, kindName(g))
					continue
				}
				e.groups = append(e.groups, fvar{value: g.Value, src: n.b.src(item), name: "groups"})
			}
		case "data":
			n.b.eachPair(val, "data key", func(dk, dv *yaml.Node) {
				if dd := deref(dv); dd.Kind == yaml.ScalarNode && !isNull(dd) {
					e.data[dk.Value] = fvar{value: dd.Value, src: n.b.src(dk), name: "data." + dk.Value}
				} else if dk.Value == n.opts.SiteVar || dk.Value == "netauto_platform" || dk.Value == "netauto_password_env" {
					n.b.errAt(n.b.src(dk), "%s: data.%s: expected a single value", ctx, dk.Value)
				}
			})
		default:
			if isNull(d) {
				return
			}
			if d.Kind != yaml.ScalarNode {
				n.b.errAt(n.b.src(val), "%s: %s: expected a single value, not a %s", ctx, k.Value, kindName(d))
				return
			}
			e.attrs[nornirAttrs[k.Value]] = fvar{value: d.Value, src: n.b.src(k), name: k.Value}
		}
	})
	return e
}

// checkGroups reports groups an entry names that groups.yaml lacks.
func (n *nornir) checkGroups(e *nrEntry) bool {
	ok := true
	for _, g := range e.groups {
		if _, known := n.groups[g.value]; !known {
			n.b.errAt(g.src, "unknown group %q: groups.yaml does not define it", g.value)
			ok = false
		}
	}
	return ok
}

// maxNornirDepth bounds how deep group inheritance is followed (loops).
const maxNornirDepth = 32

// lookup finds an attribute (attr, neutral name) or a data key (dataKey)
// as Nornir does: the entry, then its groups depth first, in order; the
// defaults are the caller's last resort.
func (n *nornir) lookup(e *nrEntry, attr, dataKey string, depth int) (fvar, bool) {
	if e == nil || depth > maxNornirDepth {
		return fvar{}, false
	}
	if attr != "" {
		if v, ok := e.attrs[attr]; ok {
			return v, true
		}
	} else if v, ok := e.data[dataKey]; ok {
		return v, true
	}
	for _, g := range e.groups {
		if v, ok := n.lookup(n.groups[g.value], attr, dataKey, depth+1); ok {
			return v, true
		}
	}
	return fvar{}, false
}

// host resolves one Nornir host to a foreign host.
func (n *nornir) host(h *nrEntry) foreignHost {
	fh := foreignHost{
		name:            h.name,
		src:             h.src,
		vars:            map[string]fvar{},
		platformVar:     "platform",
		defaultPlatform: fvar{value: string(PlatformLinux), name: "platform", src: Source{Note: "default: no platform"}},
	}
	get := func(attr, dataKey string) (fvar, bool) {
		if v, ok := n.lookup(h, attr, dataKey, 0); ok {
			return v, true
		}
		if attr != "" {
			v, ok := n.defaults.attrs[attr]
			return v, ok
		}
		v, ok := n.defaults.data[dataKey]
		return v, ok
	}
	for _, attr := range []string{fvHost, fvPort, fvUsername, fvPlatform, fvPassword} {
		if v, ok := get(attr, ""); ok {
			fh.vars[attr] = v
		}
	}
	if v, ok := get("", "netauto_platform"); ok {
		fh.vars[fvPlatform] = v
	}
	if v, ok := get("", "netauto_password_env"); ok {
		fh.vars[fvPasswordEnv] = v
	}
	if v, ok := get("", n.opts.SiteVar); ok {
		fh.vars[fvSite] = v
	}
	seen := map[string]bool{}
	var walk func(e *nrEntry, depth int)
	walk = func(e *nrEntry, depth int) {
		if e == nil || depth > maxNornirDepth {
			return
		}
		for _, g := range e.groups {
			if !seen[g.value] {
				seen[g.value] = true
				fh.groups = append(fh.groups, g.value)
				walk(n.groups[g.value], depth+1)
			}
		}
	}
	walk(h, 0)
	if len(h.groups) > 0 {
		fh.defaultSite = fvar{value: h.groups[0].value, src: Source{File: h.groups[0].src.File, Line: h.groups[0].src.Line, Note: "first group"}}
	}
	return fh
}
