package inventory

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ansibleGroupKeys are the keys of a group in an Ansible YAML inventory.
var ansibleGroupKeys = []string{"hosts", "vars", "children"}

// parseYAML reads an Ansible YAML inventory: a mapping of group names
// (usually just all) to {hosts, vars, children}, children nesting groups.
func (a *ansible) parseYAML(data []byte) {
	root, ok := a.b.yamlRoot(a.file, data)
	if !ok || root == nil {
		return
	}
	a.b.eachPair(root, "group", func(k, v *yaml.Node) { a.yamlGroup(k.Value, k, v, 0) })
}

// maxGroupNesting bounds how deep children may nest in YAML.
const maxGroupNesting = 64

// yamlGroup reads one group mapping.
func (a *ansible) yamlGroup(name string, k, v *yaml.Node, depth int) {
	src := a.b.src(k)
	if !a.noteGroupName(name, src) {
		return
	}
	if depth > maxGroupNesting {
		a.b.errAt(src, "groups nest more than %d deep", maxGroupNesting)
		return
	}
	g := a.group(name, src)
	a.b.eachPair(v, "key", func(kk, vv *yaml.Node) {
		switch kk.Value {
		case "hosts":
			a.b.eachPair(vv, "host", func(hk, hv *yaml.Node) {
				for _, hn := range a.hostPattern(hk.Value, a.b.src(hk)) {
					h := a.addHost(hn, a.b.src(hk), name)
					a.yamlVars(h.vars, hv, fmt.Sprintf("host %q", hn))
				}
			})
		case "vars":
			a.yamlVars(g.vars, vv, fmt.Sprintf("group %q", name))
		case "children":
			a.b.eachPair(vv, "group", func(ck, cv *yaml.Node) {
				if ck.Value == ansAll {
					a.b.errAt(a.b.src(ck), "group %q: all cannot be a child group", name)
					return
				}
				a.addChild(name, ck.Value, a.b.src(ck))
				a.yamlGroup(ck.Value, ck, cv, depth+1)
			})
		default:
			a.b.errAt(a.b.src(kk), "%s", unknownKeyMsg(kk.Value, fmt.Sprintf("group %q", name), ansibleGroupKeys))
		}
	})
}

// yamlVars reads a mapping of variables into vars. Values netauto reads
// must be plain scalars; others are kept out.
func (a *ansible) yamlVars(vars map[string]fvar, v *yaml.Node, ctx string) {
	a.b.eachPair(v, "variable", func(k, val *yaml.Node) {
		d := deref(val)
		mapped := isMappedAnsibleVar(k.Value, a.opts.SiteVar)
		switch {
		case d.Kind == yaml.ScalarNode && d.Tag == "!vault":
			if mapped && !strings.Contains(k.Value, "pass") {
				a.b.errAt(a.b.src(k), "%s: %s is encrypted with ansible-vault; netauto cannot read it", ctx, k.Value)
				return
			}
			setVar(vars, k.Value, "", a.b.src(k))
		case d.Kind == yaml.ScalarNode && !isNull(d):
			setVar(vars, k.Value, d.Value, a.b.src(k))
		case mapped && !isNull(d):
			a.b.errAt(a.b.src(k), "%s: %s: expected a single value, not a %s", ctx, k.Value, kindName(d))
		}
	})
}

// loadVarsDirs reads group_vars/ and host_vars/ beside the inventory file:
// for each group or host NAME, the file NAME, NAME.yml, NAME.yaml or
// NAME.json, or every such file in the directory NAME/ (in name order).
func (a *ansible) loadVarsDirs() {
	dir := filepath.Dir(a.file)
	for _, name := range a.groupOrder {
		a.groups[name].dirVars = a.varsFor(filepath.Join(dir, "group_vars"), name, fmt.Sprintf("group %q", name))
	}
	for _, name := range a.hostOrder {
		a.hosts[name].dirVars = a.varsFor(filepath.Join(dir, "host_vars"), name, fmt.Sprintf("host %q", name))
	}
}

// varsExts are the file name endings read in group_vars/ and host_vars/.
var varsExts = []string{"", ".yml", ".yaml", ".json"}

// varsFor reads the variables of one group or host from dir.
func (a *ansible) varsFor(dir, name, ctx string) map[string]fvar {
	vars := map[string]fvar{}
	for _, ext := range varsExts {
		p := filepath.Join(dir, name+ext)
		fi, err := os.Stat(p)
		switch {
		case err != nil:
			continue
		case fi.IsDir():
			entries, err := os.ReadDir(p)
			if err != nil {
				a.b.errAt(Source{File: p}, "%v", err)
				continue
			}
			var files []string
			for _, e := range entries {
				if !e.IsDir() && slices.Contains(varsExts[1:], filepath.Ext(e.Name())) {
					files = append(files, filepath.Join(p, e.Name()))
				}
			}
			sort.Strings(files)
			for _, f := range files {
				a.varsFile(f, vars, ctx)
			}
		default:
			a.varsFile(p, vars, ctx)
		}
	}
	return vars
}

// varsFile reads one variables file into vars.
func (a *ansible) varsFile(path string, vars map[string]fvar, ctx string) {
	data, err := readLimited(path)
	if err != nil {
		a.b.errAt(Source{File: path}, "%v", err)
		return
	}
	if strings.HasPrefix(string(data), "$ANSIBLE_VAULT") {
		a.b.warnOnce(Source{File: path, Line: 1}, "file encrypted with ansible-vault: skipped (netauto reads no vault)")
		return
	}
	root, ok := a.b.yamlRoot(path, data)
	if !ok || root == nil {
		return
	}
	a.b.cur = path
	a.yamlVars(vars, root, ctx)
	a.b.cur = a.file
}
