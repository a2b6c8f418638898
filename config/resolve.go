package config

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"netauto/inventory"
	"netauto/quota"
	"netauto/units"
)

// Value is one setting in force and where it came from.
type Value struct {
	// Value is the setting as written ("" when unset).
	Value string
	// Source is "flag --db", "env NETAUTO_DB", "FILE:LINE" or "default".
	Source string
}

// Settings are the values in force after layering flags, environment,
// file and defaults.
type Settings struct {
	// File is the config file read ("" when none).
	File     string
	values   map[Key]Value
	siteCaps map[string]Value
}

// Input is what Resolve layers.
type Input struct {
	// Flags are the settings given on the command line, by key.
	Flags map[Key]string
	// Getenv looks up environment variables.
	Getenv func(string) string
	// File is the parsed config file (nil: none).
	File *File
}

// Resolve layers the inputs: a flag wins over the environment, which wins
// over the file, which wins over the built-in default. A bad flag or
// variable value is an error naming it. Caps per site merge: the file's
// entries, then the environment's over them.
func Resolve(in Input) (*Settings, error) {
	if in.Getenv == nil {
		in.Getenv = func(string) string { return "" }
	}
	if in.File == nil {
		in.File = &File{}
	}
	s := &Settings{File: in.File.Path, values: map[Key]Value{}, siteCaps: map[string]Value{}}
	for _, sp := range specs {
		if sp.kind == kindSiteCaps {
			continue
		}
		v := Value{Value: sp.def, Source: "default"}
		if e, ok := in.File.values[sp.key]; ok {
			v = Value{Value: e.value, Source: in.File.Path + ":" + strconv.Itoa(e.line)}
			if sp.kind == kindPath {
				v.Value = relativeTo(filepath.Dir(in.File.Path), e.value)
			}
		}
		if env := in.Getenv(sp.env); sp.env != "" && env != "" {
			val, err := check(sp.kind, env)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", sp.env, err)
			}
			v = Value{Value: val, Source: "env " + sp.env}
		}
		if f, ok := in.Flags[sp.key]; ok && f != "" {
			val, err := check(sp.kind, f)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", sp.flag, err)
			}
			v = Value{Value: val, Source: "flag " + sp.flag}
		}
		s.values[sp.key] = v
	}
	for site, e := range in.File.siteCaps {
		s.siteCaps[site] = Value{Value: e.value, Source: in.File.Path + ":" + strconv.Itoa(e.line)}
	}
	env, err := quota.ParseEnv(in.Getenv)
	if err != nil {
		return nil, err
	}
	for site, n := range env.Sites {
		s.siteCaps[site] = Value{Value: strconv.Itoa(n), Source: "env " + Env(SiteCaps)}
	}
	return s, nil
}

// Get returns the value in force for key and its source.
func (s *Settings) Get(key Key) Value { return s.values[key] }

// String returns the value of key ("" when unset).
func (s *Settings) String(key Key) string { return s.values[key].Value }

// Duration returns a duration setting; 0 when unset.
func (s *Settings) Duration(key Key) time.Duration {
	d, _ := units.ParseDuration(s.values[key].Value)
	return d
}

// Size returns a size setting in bytes; 0 when unset.
func (s *Settings) Size(key Key) int64 {
	n, _ := units.ParseSize(s.values[key].Value)
	return n
}

// Count returns a whole-number setting.
func (s *Settings) Count(key Key) int {
	n, _ := strconv.Atoi(s.values[key].Value)
	return n
}

// FileCap returns caps.global when the config file (not a flag or the
// environment) set it: runner merges the environment itself.
func (s *Settings) FileCap() *int {
	v := s.values[GlobalCap]
	if v.Source == "default" || v.Source == "env "+Env(GlobalCap) {
		return nil
	}
	n, _ := strconv.Atoi(v.Value)
	return &n
}

// FileSiteCaps returns the caps per site that the config file set (the
// environment's are merged over them by runner).
func (s *Settings) FileSiteCaps() map[string]int {
	out := map[string]int{}
	for site, v := range s.siteCaps {
		if v.Source != "env "+Env(SiteCaps) {
			out[site], _ = strconv.Atoi(v.Value)
		}
	}
	return out
}

// SiteCaps returns every cap per site in force (file and environment),
// with its source, sorted by site.
func (s *Settings) SiteCaps() []SiteCap {
	out := make([]SiteCap, 0, len(s.siteCaps))
	for site, v := range s.siteCaps {
		out = append(out, SiteCap{Site: site, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Site < out[j].Site })
	return out
}

// SiteCap is one cap per site and its source.
type SiteCap struct {
	// Site is the site's name.
	Site string
	// Value is the cap and where it came from.
	Value
}

// relativeTo resolves a path written in the config file against the
// file's directory; absolute paths, ~/ paths and ssh-config stay as written.
func relativeTo(dir, p string) string {
	if filepath.IsAbs(p) || p == "~" || strings.HasPrefix(p, "~/") || p == inventory.SSHConfigPath {
		return p
	}
	return filepath.Join(dir, p)
}
