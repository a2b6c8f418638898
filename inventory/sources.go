package inventory

import "strconv"

// Source says where one resolved value came from: a file and line, or a
// note such as "default" or "ssh config" when no line of an inventory file
// set it.
type Source struct {
	// File is the file that set the value; "" when none did.
	File string
	// Line is the 1-based line in File; 0 when unknown.
	Line int
	// Note qualifies the source ("group core", "HostName 10.0.0.1") or,
	// without a File, names it ("default", "inventory name").
	Note string
}

// String returns "FILE:LINE", "FILE:LINE (note)" or the note alone.
func (s Source) String() string {
	if s.File == "" {
		return s.Note
	}
	loc := s.File
	if s.Line > 0 {
		loc += ":" + strconv.Itoa(s.Line)
	}
	if s.Note != "" {
		loc += " (" + s.Note + ")"
	}
	return loc
}

// DeviceSources maps a value name ("host", "port", "platform", ...) to
// where the device's value came from.
type DeviceSources map[string]Source

// The value names used in DeviceSources.
const (
	SourceHost              = "host"
	SourcePort              = "port"
	SourceUsername          = "username"
	SourcePlatform          = "platform"
	SourceSite              = "site"
	SourceGroups            = "groups"
	SourceKeyFile           = "key_file"
	SourcePasswordEnv       = "password_env"
	SourceEnablePasswordEnv = "enable_password_env"
	SourceJump              = "jump"
)

// setSources records a device's sources on inv.
func (inv *Inventory) setSources(device string, s DeviceSources) {
	if inv.Sources == nil {
		inv.Sources = make(map[string]DeviceSources)
	}
	inv.Sources[device] = s
}

// netautoSources works out where each value of a netauto YAML device came
// from: its own entry, else the first of its groups that sets it, else the
// defaults.
func (p *parser) netautoSources(e *entry, groups []string) DeviceSources {
	out := DeviceSources{}
	find := func(name, key string) {
		if line, ok := e.lines[key]; ok {
			out[name] = Source{File: p.file, Line: line}
			return
		}
		for _, g := range groups {
			if ge := p.groups[g]; ge != nil {
				if line, ok := ge.lines[key]; ok {
					out[name] = Source{File: p.file, Line: line, Note: "group " + g}
					return
				}
			}
		}
		if line, ok := p.defaults.lines[key]; ok && key != "site" {
			out[name] = Source{File: p.file, Line: line, Note: "defaults"}
		}
	}
	find(SourceHost, "host")
	find(SourceGroups, "groups")
	for _, k := range []string{SourcePort, SourceUsername, SourcePlatform, SourceSite, SourceKeyFile,
		SourcePasswordEnv, SourceEnablePasswordEnv, SourceJump} {
		find(k, k)
	}
	return out
}
