package inventory

import (
	"regexp"
	"slices"
	"sort"
	"strings"
)

// ansibleVars maps each neutral value name to the Ansible variables that
// set it, the first found winning.
var ansibleVars = []struct {
	key   string
	names []string
}{
	{fvHost, []string{"ansible_host", "ansible_ssh_host"}},
	{fvPort, []string{"ansible_port", "ansible_ssh_port"}},
	{fvUsername, []string{"ansible_user", "ansible_ssh_user"}},
	{fvPlatform, []string{"netauto_platform", "ansible_network_os"}},
	{fvKeyFile, []string{"ansible_ssh_private_key_file", "ansible_private_key_file"}},
	{fvPassword, []string{"ansible_password", "ansible_ssh_pass", "ansible_ssh_password"}},
	{fvEnablePassword, []string{"ansible_become_password", "ansible_become_pass"}},
	{fvPasswordEnv, []string{"netauto_password_env"}},
}

// isMappedAnsibleVar reports whether netauto reads the variable name (the
// site variable included).
func isMappedAnsibleVar(name, siteVar string) bool {
	if name == siteVar {
		return true
	}
	for _, m := range ansibleVars {
		if slices.Contains(m.names, name) {
			return true
		}
	}
	return false
}

// ansGroup is one Ansible group as read.
type ansGroup struct {
	name     string
	src      Source
	vars     map[string]fvar // from the inventory file
	dirVars  map[string]fvar // from group_vars/
	children []string
	parents  []string
}

// ansHost is one Ansible host as read.
type ansHost struct {
	name    string
	src     Source
	vars    map[string]fvar // from the inventory file
	dirVars map[string]fvar // from host_vars/
	groups  []string        // direct groups, in order of appearance
}

// ansible is an Ansible inventory being read (INI or YAML).
type ansible struct {
	file       string
	opts       Options
	b          *builder
	groups     map[string]*ansGroup
	groupOrder []string
	hosts      map[string]*ansHost
	hostOrder  []string
}

// The groups every Ansible inventory has implicitly.
const (
	ansAll       = "all"
	ansUngrouped = "ungrouped"
)

// parseAnsible reads an Ansible inventory (INI, or YAML when asYAML) and
// the group_vars/ and host_vars/ directories beside it.
func parseAnsible(path string, data []byte, opts Options, asYAML bool) (*Inventory, error) {
	f := FormatAnsibleINI
	if asYAML {
		f = FormatAnsibleYAML
	}
	a := &ansible{file: path, opts: opts, b: newBuilder(path, f), groups: map[string]*ansGroup{}, hosts: map[string]*ansHost{}}
	a.group(ansAll, Source{File: path})
	a.group(ansUngrouped, Source{File: path})
	if asYAML {
		a.parseYAML(data)
	} else {
		a.parseINI(data)
	}
	if len(a.b.problems) > 0 {
		return a.b.finish()
	}
	a.loadVarsDirs()
	a.resolve()
	return a.b.finish()
}

// group returns the named group, creating it (defined at src) if new.
func (a *ansible) group(name string, src Source) *ansGroup {
	g, ok := a.groups[name]
	if !ok {
		g = &ansGroup{name: name, src: src, vars: map[string]fvar{}}
		a.groups[name] = g
		a.groupOrder = append(a.groupOrder, name)
	}
	return g
}

// addHost adds the host named name (defined at src) to group (which may
// be "" for none) and returns it.
func (a *ansible) addHost(name string, src Source, group string) *ansHost {
	h, ok := a.hosts[name]
	if !ok {
		h = &ansHost{name: name, src: src, vars: map[string]fvar{}}
		a.hosts[name] = h
		a.hostOrder = append(a.hostOrder, name)
	}
	if group != "" && group != ansAll && !slices.Contains(h.groups, group) {
		h.groups = append(h.groups, group)
	}
	return h
}

// addChild makes child a child group of parent.
func (a *ansible) addChild(parent, child string, src Source) {
	p := a.group(parent, src)
	c := a.group(child, src)
	if !slices.Contains(p.children, child) {
		p.children = append(p.children, child)
		c.parents = append(c.parents, parent)
	}
}

// depths gives each group its depth below all (all 0; a group without a
// parent 1; else one more than its deepest parent), reporting cycles.
func (a *ansible) depths() map[string]int {
	depth := map[string]int{}
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(name string) int
	visit = func(name string) int {
		if name == ansAll {
			return 0
		}
		switch state[name] {
		case 1:
			a.b.errAt(a.groups[name].src, "group %q is its own ancestor through children", name)
			return 1
		case 2:
			return depth[name]
		}
		state[name] = 1
		d := 1
		for _, p := range a.groups[name].parents {
			d = max(d, visit(p)+1)
		}
		state[name], depth[name] = 2, d
		return d
	}
	for _, name := range a.groupOrder {
		visit(name)
	}
	return depth
}

// resolve turns every host into a device: its variables layered as Ansible
// does (inventory group vars by depth, then group_vars/, then the host's own
// vars, then host_vars/), mapped to netauto's values.
func (a *ansible) resolve() {
	depth := a.depths()
	for _, name := range a.groupOrder {
		if name == ansAll || name == ansUngrouped {
			continue
		}
		g := a.groups[name]
		grp := Group{Name: name}
		if v, ok := g.dirVars[a.opts.SiteVar]; ok {
			grp.Site = v.value
		} else if v, ok := g.vars[a.opts.SiteVar]; ok {
			grp.Site = v.value
		}
		a.b.inv.Groups[name] = grp
	}
	for _, name := range a.hostOrder {
		h := a.hosts[name]
		groups := a.ancestors(h, depth)
		merged := map[string]fvar{}
		layer := func(vars map[string]fvar) {
			for k, v := range vars {
				merged[k] = v
			}
		}
		for _, g := range groups {
			layer(a.groups[g].vars)
		}
		for _, g := range groups {
			layer(a.groups[g].dirVars)
		}
		layer(h.vars)
		layer(h.dirVars)
		fh := foreignHost{
			name:            name,
			src:             h.src,
			vars:            map[string]fvar{},
			platformVar:     "ansible_network_os",
			defaultPlatform: fvar{value: string(PlatformLinux), name: "ansible_network_os", src: Source{Note: "default: no ansible_network_os"}},
		}
		for _, g := range groups {
			if g != ansAll && g != ansUngrouped && !slices.Contains(fh.groups, g) && !slices.Contains(h.groups, g) {
				fh.groups = append(fh.groups, g)
			}
		}
		var direct []string
		for _, g := range h.groups {
			if g != ansUngrouped {
				direct = append(direct, g)
			}
		}
		fh.groups = append(direct, fh.groups...)
		if len(direct) > 0 {
			fh.defaultSite = fvar{value: direct[0], src: Source{Note: "first group"}}
		}
		for _, m := range ansibleVars {
			for _, n := range m.names {
				if v, ok := merged[n]; ok {
					if v, ok := a.expand(v, merged, name); ok {
						fh.vars[m.key] = v
					}
					break
				}
			}
		}
		if v, ok := merged[a.opts.SiteVar]; ok {
			if v, ok := a.expand(v, merged, name); ok {
				fh.vars[fvSite] = v
			}
		}
		a.b.add(fh)
	}
	for _, g := range a.b.inv.Groups {
		addSite(a.b.inv, g.Site)
	}
}

// ancestors returns every group of h (direct and inherited, all included),
// ordered by depth, then name: the order Ansible layers their variables.
func (a *ansible) ancestors(h *ansHost, depth map[string]int) []string {
	seen := map[string]bool{ansAll: true}
	queue := append([]string(nil), h.groups...)
	out := []string{ansAll}
	for len(queue) > 0 {
		g := queue[0]
		queue = queue[1:]
		if seen[g] {
			continue
		}
		seen[g] = true
		out = append(out, g)
		queue = append(queue, a.groups[g].parents...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if depth[out[i]] != depth[out[j]] {
			return depth[out[i]] < depth[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// jinjaVar matches a value that is exactly one Jinja variable reference.
var jinjaVar = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// maxExpandDepth bounds chains of variables referring to variables.
const maxExpandDepth = 8

// expand replaces {{ name }} references to other variables (and to
// inventory_hostname) in v; any other template is reported, not guessed,
// and ok is false.
func (a *ansible) expand(v fvar, vars map[string]fvar, host string) (fvar, bool) {
	for depth := 0; strings.Contains(v.value, "{{") && depth < maxExpandDepth; depth++ {
		failed := ""
		v.value = jinjaVar.ReplaceAllStringFunc(v.value, func(m string) string {
			name := jinjaVar.FindStringSubmatch(m)[1]
			switch name {
			case "inventory_hostname":
				return host
			case "inventory_hostname_short":
				short, _, _ := strings.Cut(host, ".")
				return short
			}
			if ref, ok := vars[name]; ok && ref.name != v.name {
				return ref.value
			}
			failed = name
			return m
		})
		if failed != "" {
			break
		}
	}
	if strings.Contains(v.value, "{{") || strings.Contains(v.value, "{%") {
		a.b.errAt(v.src, "host %q: %s: netauto evaluates only {{ variable }} references, not the template %q",
			host, v.name, v.value)
		return v, false
	}
	return v, true
}

// noteGroupName checks a group name, recording a problem at src if bad.
func (a *ansible) noteGroupName(name string, src Source) bool {
	if !validName(name) {
		a.b.errAt(src, "bad group name %q: names must not be empty or contain spaces or control characters", name)
		return false
	}
	return true
}

// hostPattern expands a host pattern, recording a problem at src if bad.
func (a *ansible) hostPattern(pattern string, src Source) []string {
	names, err := expandHostPattern(pattern)
	if err != nil {
		a.b.errAt(src, "%v", err)
		return nil
	}
	if len(a.hosts)+len(names) > maxRangeHosts {
		a.b.errAt(src, "more than %d hosts in one inventory", maxRangeHosts)
		return nil
	}
	return names
}

// setVar records an inventory-file variable on vars.
func setVar(vars map[string]fvar, name, value string, src Source) {
	vars[name] = fvar{value: value, src: src, name: name}
}
