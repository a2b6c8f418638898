package inventory

import (
	"fmt"
	"strconv"
	"strings"
)

// iniKind is what the lines of an INI section hold.
type iniKind int

const (
	iniHosts iniKind = iota
	iniVars
	iniChildren
)

// parseINI reads an Ansible INI inventory: [group] sections of host lines
// ("name [key=value ...]", names may hold ranges), [group:vars] sections of
// key=value lines, [group:children] sections of group names. Host lines
// before any section belong to ungrouped.
func (a *ansible) parseINI(data []byte) {
	group, kind := ansUngrouped, iniHosts
	for i, raw := range strings.Split(string(data), "\n") {
		src := Source{File: a.file, Line: i + 1}
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if !validText(line) {
			a.b.errAt(src, "line holds control characters or invalid UTF-8")
			continue
		}
		if line[0] == '[' {
			group, kind = a.iniSection(line, src)
			continue
		}
		if group == "" {
			continue // inside a bad section header, already reported
		}
		switch kind {
		case iniHosts:
			a.iniHostLine(line, group, src)
		case iniVars:
			key, value, ok := strings.Cut(line, "=")
			key = strings.TrimSpace(key)
			if !ok || key == "" || strings.ContainsAny(key, " \t") {
				a.b.errAt(src, "[%s:vars]: expected key=value, not %q", group, line)
				continue
			}
			setVar(a.group(group, src).vars, key, unquote(stripComment(strings.TrimSpace(value))), src)
		case iniChildren:
			child := stripComment(line)
			if a.noteGroupName(child, src) {
				if child == ansAll {
					a.b.errAt(src, "[%s:children]: all cannot be a child group", group)
					continue
				}
				a.addChild(group, child, src)
			}
		}
	}
}

// iniSection parses a section header; it returns "" as the group when the
// header is bad (the problem is recorded).
func (a *ansible) iniSection(line string, src Source) (string, iniKind) {
	end := strings.IndexByte(line, ']')
	if end < 0 {
		a.b.errAt(src, "section header %q has no closing ]", line)
		return "", iniHosts
	}
	if rest := strings.TrimSpace(line[end+1:]); rest != "" && rest[0] != '#' && rest[0] != ';' {
		a.b.errAt(src, "unexpected text %q after section header", rest)
		return "", iniHosts
	}
	name, suffix, _ := strings.Cut(line[1:end], ":")
	if !a.noteGroupName(name, src) {
		return "", iniHosts
	}
	kind := iniHosts
	switch suffix {
	case "":
	case "vars":
		kind = iniVars
	case "children":
		kind = iniChildren
	default:
		a.b.errAt(src, "unknown section kind %q in [%s:%s]: expected [%s], [%s:vars] or [%s:children]", suffix, name, suffix, name, name, name)
		return "", iniHosts
	}
	a.group(name, src)
	return name, kind
}

// iniHostLine parses "pattern[:port] key=value ...".
func (a *ansible) iniHostLine(line, group string, src Source) {
	words, err := splitWords(line)
	if err != nil {
		a.b.errAt(src, "%v", err)
		return
	}
	if len(words) == 0 {
		return
	}
	pattern, port := words[0], ""
	if i := strings.LastIndexByte(pattern, ':'); i > 0 && strings.Count(pattern, ":") == 1 {
		if _, err := strconv.Atoi(pattern[i+1:]); err == nil {
			pattern, port = pattern[:i], pattern[i+1:]
		}
	}
	var vars [][2]string
	for _, w := range words[1:] {
		k, v, ok := strings.Cut(w, "=")
		if !ok || k == "" {
			a.b.errAt(src, "host %q: expected key=value, not %q", pattern, w)
			return
		}
		vars = append(vars, [2]string{k, v})
	}
	for _, name := range a.hostPattern(pattern, src) {
		h := a.addHost(name, src, group)
		if port != "" {
			setVar(h.vars, "ansible_port", port, src)
		}
		for _, kv := range vars {
			setVar(h.vars, kv[0], kv[1], src)
		}
	}
}

// splitWords splits a host line into words as a shell would: white space
// separates, single and double quotes group, an unquoted # starts a comment.
func splitWords(line string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		quote byte
		in    bool
	)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case c == '#' && !in:
			return words, nil
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed %c quote", quote)
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

// stripComment removes a trailing " #comment" or " ;comment".
func stripComment(s string) string {
	for _, sep := range []string{" #", "\t#", " ;", "\t;"} {
		if i := strings.Index(s, sep); i >= 0 && !strings.ContainsAny(s[:i], `'"`) {
			s = s[:i]
		}
	}
	return strings.TrimSpace(s)
}

// unquote removes one pair of matching outer quotes.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// validText reports whether s is valid UTF-8 without control characters
// other than tab.
func validText(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' || (r < 0x20 && r != '\t') || r == 0x7f {
			return false
		}
	}
	return true
}
