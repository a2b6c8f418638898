package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"netauto/inventory"
)

// FileName is the config file's name in the config directory.
const FileName = "config.yaml"

// PathEnv names the variable that names another config file.
const PathEnv = "NETAUTO_CONFIG"

// entry is one value written in the file and its line.
type entry struct {
	value string
	line  int
}

// File is a parsed config file. The zero value is an empty file (no
// config file).
type File struct {
	// Path is the file read; "" when there was none.
	Path     string
	values   map[Key]entry
	siteCaps map[string]entry
}

// FilePath returns the config file to read: the --config value, else
// $NETAUTO_CONFIG, else config.yaml in dir (the config directory).
// explicit is true when the file was named, so that a missing one is an
// error rather than "no config file".
func FilePath(flag string, getenv func(string) string, dir string) (path string, explicit bool) {
	if flag != "" {
		return flag, true
	}
	if p := getenv(PathEnv); p != "" {
		return p, true
	}
	return filepath.Join(dir, FileName), false
}

// Load reads the config file at path. A missing file that was not named
// explicitly is an empty config; problems in the file are
// inventory.Problems, each with file and line.
func Load(path string, explicit bool) (*File, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return &File{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse parses a config file's contents; filename is used in messages.
// Unknown keys and bad values are errors with file and line.
func Parse(filename string, data []byte) (*File, error) {
	f := &File{Path: filename, values: map[Key]entry{}, siteCaps: map[string]entry{}}
	var problems inventory.Problems
	bad := func(line int, format string, args ...any) {
		problems = append(problems, &inventory.Error{File: filename, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg, line := inventory.SplitYAMLError(err)
		bad(line, "invalid YAML: %s", msg)
		return nil, problems
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return f, nil
	}
	pairs(doc.Content[0], "", topKeys, bad, func(k, v *yaml.Node) {
		if sub, ok := sections[k.Value]; ok {
			pairs(v, k.Value, sub, bad, func(kk, vv *yaml.Node) {
				key := Key(k.Value + "." + kk.Value)
				if key == SiteCaps {
					f.parseSiteCaps(vv, bad)
					return
				}
				f.set(key, vv, bad)
			})
			return
		}
		f.set(Key(k.Value), v, bad)
	})
	if len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
		return nil, problems
	}
	return f, nil
}

// topKeys are the keys allowed at the top of the file and sections the
// nested mappings with their keys, both read off specs (in its order).
var topKeys, sections = keyTree()

// keyTree splits the keys of specs at their dot into top-level keys and
// the keys of each nested section.
func keyTree() ([]string, map[string][]string) {
	var top []string
	sub := map[string][]string{}
	for _, s := range specs {
		head, tail, nested := strings.Cut(string(s.key), ".")
		if !slices.Contains(top, head) {
			top = append(top, head)
		}
		if nested {
			sub[head] = append(sub[head], tail)
		}
	}
	return top, sub
}

// set checks and records one scalar value.
func (f *File) set(key Key, v *yaml.Node, bad func(int, string, ...any)) {
	s, _ := specFor(key)
	if v.Kind != yaml.ScalarNode || isNull(v) {
		bad(v.Line, "%s: expected a single value", key)
		return
	}
	val, err := check(s.kind, v.Value)
	if err != nil {
		bad(v.Line, "%s: %v", key, err)
		return
	}
	f.values[key] = entry{value: val, line: v.Line}
}

// parseSiteCaps reads caps.sites: a mapping of site names to caps.
func (f *File) parseSiteCaps(v *yaml.Node, bad func(int, string, ...any)) {
	pairs(v, string(SiteCaps), nil, bad, func(k, vv *yaml.Node) {
		if vv.Kind != yaml.ScalarNode {
			bad(vv.Line, "caps.sites.%s: expected a whole number", k.Value)
			return
		}
		val, err := check(kindCount, vv.Value)
		if err != nil {
			bad(vv.Line, "caps.sites.%s: %v", k.Value, err)
			return
		}
		f.siteCaps[k.Value] = entry{value: val, line: vv.Line}
	})
}

// pairs walks a mapping; valid, when not nil, lists the keys it may hold.
func pairs(m *yaml.Node, where string, valid []string, bad func(int, string, ...any), fn func(k, v *yaml.Node)) {
	if isNull(m) {
		return
	}
	name := "the top level"
	if where != "" {
		name = where
	}
	if m.Kind != yaml.MappingNode {
		bad(m.Line, "%s: expected a mapping of keys to values", name)
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.Kind == yaml.AliasNode || k.Kind == yaml.AliasNode {
			bad(k.Line, "%s: expected plain keys and values (no aliases)", name)
			continue
		}
		if valid != nil && !slices.Contains(valid, k.Value) {
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, name)
			if s := closest(k.Value, valid); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			bad(k.Line, "%s; valid keys: %s", msg, strings.Join(valid, ", "))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			bad(k.Line, "duplicate key %q in %s: already set at line %d", k.Value, name, first)
			continue
		}
		seen[k.Value] = k.Line
		fn(k, v)
	}
}

// isNull reports whether n is absent or an explicit null.
func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// closest returns the candidate sharing a prefix of 3 or more with s, or
// one edit away, for "did you mean" hints; "" when none.
func closest(s string, candidates []string) string {
	for _, c := range candidates {
		if len(s) >= 3 && len(c) >= 3 && (strings.HasPrefix(c, s[:3]) || strings.HasPrefix(s, c[:3])) {
			return c
		}
	}
	return ""
}
