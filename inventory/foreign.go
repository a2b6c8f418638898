package inventory

import (
	"fmt"
	"sort"
	"strconv"
)

// fvar is one value found in a foreign inventory (Ansible, Nornir, ssh
// config) and where it was found.
type fvar struct {
	value string
	src   Source
	// name is the variable as written ("ansible_port"), for messages.
	name string
}

// The neutral value names a foreign parser fills in foreignHost.vars.
const (
	fvHost           = "host"
	fvPort           = "port"
	fvUsername       = "username"
	fvPlatform       = "platform"
	fvKeyFile        = "key_file"
	fvSite           = "site"
	fvPassword       = "password"
	fvEnablePassword = "enable_password"
	fvPasswordEnv    = "password_env"
	fvJump           = "jump"
)

// foreignHost is one host of a foreign inventory with its variables
// already resolved by that format's precedence rules.
type foreignHost struct {
	name string
	// src is where the host is defined (its first line).
	src  Source
	vars map[string]fvar
	// groups are the host's groups, direct ones first, in order.
	groups []string
	// platformVar names the platform variable for messages.
	platformVar string
	// defaultSite is the site when no variable names one ("" for none),
	// with its source.
	defaultSite fvar
	// defaultPlatform is the platform when no variable names one.
	defaultPlatform fvar
}

// builder turns foreign hosts into an Inventory, collecting problems.
type builder struct {
	inv      *Inventory
	problems Problems
	warned   map[string]bool
	// cur is the YAML file being read, for src: the inventory file, or a
	// group_vars/host_vars file, or one of a Nornir directory's files.
	cur string
}

// newBuilder starts an inventory read from path in format f.
func newBuilder(path string, f Format) *builder {
	return &builder{
		inv:    &Inventory{Path: path, Format: f, Sites: map[string]Site{}, Groups: map[string]Group{}},
		warned: map[string]bool{},
		cur:    path,
	}
}

// errAt records a problem at src.
func (b *builder) errAt(src Source, format string, args ...any) {
	b.problems = append(b.problems, &Error{File: src.File, Line: src.Line, Msg: fmt.Sprintf(format, args...)})
}

// warnOnce records a warning at src, once per location and message.
func (b *builder) warnOnce(src Source, msg string) {
	key := src.File + ":" + strconv.Itoa(src.Line) + ":" + msg
	if b.warned[key] {
		return
	}
	b.warned[key] = true
	b.inv.Warnings = append(b.inv.Warnings, &Error{File: src.File, Line: src.Line, Msg: msg})
}

// add resolves one host into a Device, or records why it cannot.
func (b *builder) add(h foreignHost) {
	ctx := fmt.Sprintf("host %q", h.name)
	ok := true
	d := Device{Name: h.name, Host: h.name, Groups: h.groups}
	src := DeviceSources{SourceHost: {File: h.src.File, Line: h.src.Line, Note: "inventory name"}}
	if len(h.groups) > 0 {
		src[SourceGroups] = h.src
	}
	if !validName(h.name) {
		b.errAt(h.src, "bad host name %q: names must not be empty or contain spaces or control characters", h.name)
		return
	}
	if v, set := h.vars[fvHost]; set {
		if !validName(v.value) {
			b.errAt(v.src, "%s: %s: %q is not a host name or address", ctx, v.name, v.value)
			ok = false
		}
		d.Host, src[SourceHost] = v.value, v.src
	}
	if v, set := h.vars[fvPort]; set {
		n, valid := parsePort(v.value)
		if !valid {
			b.errAt(v.src, "%s: bad %s %q: expected a number from 1 to 65535", ctx, v.name, v.value)
			ok = false
		}
		d.Port, src[SourcePort] = n, v.src
	}
	if v, set := h.vars[fvUsername]; set {
		if !validName(v.value) {
			b.errAt(v.src, "%s: %s: %q must not contain spaces or control characters", ctx, v.name, v.value)
			ok = false
		}
		d.Username, src[SourceUsername] = v.value, v.src
	}
	pv, set := h.vars[fvPlatform]
	if !set {
		pv = h.defaultPlatform
	}
	if p, known := mapPlatform(pv.value); known {
		d.Platform, src[SourcePlatform] = p, pv.src
		if p == PlatformGeneric {
			b.errAt(pv.src, "%s: platform generic needs a prompt_pattern, which only a netauto inventory can set", ctx)
			ok = false
		}
	} else {
		b.errAt(pv.src, "%s: unknown %s %q: %s; set netauto_platform to one of %s to override",
			ctx, pv.name, pv.value, foreignPlatformHint, platformList())
		ok = false
	}
	if v, set := h.vars[fvKeyFile]; set {
		d.KeyFile, src[SourceKeyFile] = v.value, v.src
	}
	site, set := h.vars[fvSite]
	if !set {
		site = h.defaultSite
	}
	if site.value != "" {
		if !validName(site.value) {
			b.errAt(site.src, "%s: site %q must not contain spaces or control characters", ctx, site.value)
			ok = false
		}
		d.Site, src[SourceSite] = site.value, site.src
	}
	if v, set := h.vars[fvJump]; set {
		d.Jump, src[SourceJump] = v.value, v.src
	}
	if v, set := h.vars[fvPasswordEnv]; set {
		d.PasswordEnv, src[SourcePasswordEnv] = v.value, v.src
	}
	if v, set := h.vars[fvPassword]; set {
		if d.PasswordEnv == "" {
			d.PasswordEnv = DefaultPasswordEnv
			src[SourcePasswordEnv] = Source{File: v.src.File, Line: v.src.Line, Note: v.name + " ignored"}
		}
		b.warnOnce(v.src, fmt.Sprintf("%s ignored: netauto never reads passwords from inventory files; "+
			"it reads $%s, else asks for the password", v.name, d.PasswordEnv))
	}
	if v, set := h.vars[fvEnablePassword]; set {
		d.EnablePasswordEnv = DefaultEnablePasswordEnv
		src[SourceEnablePasswordEnv] = Source{File: v.src.File, Line: v.src.Line, Note: v.name + " ignored"}
		b.warnOnce(v.src, fmt.Sprintf("%s ignored: netauto never reads passwords from inventory files; "+
			"it reads $%s, else asks for the enable password", v.name, DefaultEnablePasswordEnv))
	}
	if !ok {
		return
	}
	b.inv.Devices = append(b.inv.Devices, d)
	b.inv.setSources(d.Name, src)
	addSite(b.inv, d.Site)
}

// finish sorts the devices and returns the inventory, or the problems.
func (b *builder) finish() (*Inventory, error) {
	if len(b.problems) > 0 {
		sortProblems(b.problems)
		return nil, b.problems
	}
	sortProblems(b.inv.Warnings)
	sort.Slice(b.inv.Devices, func(i, j int) bool { return b.inv.Devices[i].Name < b.inv.Devices[j].Name })
	return b.inv, nil
}

// sortProblems orders problems by file, then line.
func sortProblems(p Problems) {
	sort.SliceStable(p, func(i, j int) bool {
		if p[i].File != p[j].File {
			return p[i].File < p[j].File
		}
		return p[i].Line < p[j].Line
	})
}
