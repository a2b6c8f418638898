package inventory

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// maxAliasDepth bounds how many aliases deref follows.
const maxAliasDepth = 16

// deref follows YAML aliases to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxAliasDepth; i++ {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is absent or an explicit YAML null.
func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// str decodes a scalar value for key; ok is false (and a problem recorded)
// when v is not a non-empty scalar.
func (p *parser) str(ctx, key string, v *yaml.Node) (string, bool) {
	d := deref(v)
	if isNull(d) {
		p.errf(v, "%s: %s: expected a value", ctx, key)
		return "", false
	}
	if d.Kind != yaml.ScalarNode {
		p.errf(v, "%s: %s: expected a single value, not a %s", ctx, key, kindName(d))
		return "", false
	}
	if d.Value == "" {
		p.errf(v, "%s: %s: expected a value, got an empty string", ctx, key)
		return "", false
	}
	return d.Value, true
}

// word decodes a scalar that must not contain white space or control
// characters (host names, variable names, paths).
func (p *parser) word(ctx, key string, v *yaml.Node) (string, bool) {
	s, ok := p.str(ctx, key, v)
	if !ok {
		return "", false
	}
	if !validName(s) {
		p.errf(v, "%s: %s: %q must not contain spaces or control characters", ctx, key, s)
		return "", false
	}
	return s, true
}

// port decodes a TCP port, 1–65535.
func (p *parser) port(ctx string, v *yaml.Node) int {
	s, ok := p.str(ctx, "port", v)
	if !ok {
		return 0
	}
	n, ok := parsePort(s)
	if !ok {
		p.errf(v, "%s: bad port %q: expected a number from 1 to 65535", ctx, s)
		return 0
	}
	return n
}

// parsePort reads a TCP port number, 1–65535.
func parsePort(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= 65535
}

// boolean decodes true or false.
func (p *parser) boolean(ctx, key string, v *yaml.Node) *bool {
	d := deref(v)
	var b bool
	if d == nil || d.Kind != yaml.ScalarNode || d.Tag != "!!bool" || d.Decode(&b) != nil {
		p.errf(v, "%s: %s: expected true or false", ctx, key)
		return nil
	}
	return &b
}

// duration decodes a Go duration such as 30s or 2m.
func (p *parser) duration(ctx, key string, v *yaml.Node) time.Duration {
	s, ok := p.str(ctx, key, v)
	if !ok {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		p.errf(v, "%s: bad duration %q for %s: expected a positive Go duration such as 30s, 2m or 1h30m", ctx, s, key)
		return 0
	}
	return d
}

// platform decodes a known platform name.
func (p *parser) platform(ctx string, v *yaml.Node) Platform {
	s, ok := p.str(ctx, "platform", v)
	if !ok {
		return ""
	}
	pl := Platform(s)
	if !pl.Known() {
		p.errf(v, "%s: unknown platform %q: expected one of %s", ctx, s, platformList())
		return ""
	}
	return pl
}

// pattern decodes a prompt pattern that must compile as a regular expression.
func (p *parser) pattern(ctx string, v *yaml.Node) string {
	s, ok := p.str(ctx, "prompt_pattern", v)
	if !ok {
		return ""
	}
	if _, err := regexp.Compile(s); err != nil {
		p.errf(v, "%s: prompt_pattern %q is not a valid regular expression: %v", ctx, s, err)
		return ""
	}
	return s
}

// jump decodes a ProxyJump chain: [user@]host[:port][,...].
func (p *parser) jump(ctx string, v *yaml.Node) string {
	s, ok := p.word(ctx, "jump", v)
	if !ok {
		return ""
	}
	for _, hop := range strings.Split(s, ",") {
		if msg := checkHop(hop); msg != "" {
			p.errf(v, "%s: jump: hop %q %s; expected [user@]host[:port][,...]", ctx, hop, msg)
			return ""
		}
	}
	return s
}

// checkHop validates one ProxyJump hop and returns what is wrong, or "".
func checkHop(hop string) string {
	if i := strings.LastIndexByte(hop, '@'); i >= 0 {
		if i == 0 {
			return "has an empty user"
		}
		hop = hop[i+1:]
	}
	host, port := hop, ""
	if strings.HasPrefix(hop, "[") {
		end := strings.IndexByte(hop, ']')
		if end < 0 {
			return "has an unclosed ["
		}
		host = hop[1:end]
		rest := hop[end+1:]
		if rest != "" {
			after, ok := strings.CutPrefix(rest, ":")
			if !ok {
				return "has text after ]"
			}
			port = after
		}
	} else if strings.Count(hop, ":") == 1 {
		host, port, _ = strings.Cut(hop, ":")
	}
	if host == "" {
		return "has no host"
	}
	if port != "" {
		if _, ok := parsePort(port); !ok {
			return "has a bad port"
		}
	}
	return ""
}

// validName reports whether s is usable as a name: not empty, no white
// space, no control characters.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFFFD' {
			return false
		}
	}
	return true
}

// kindName names a node's kind for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	default:
		return "value"
	}
}

// lineOf returns a node's line, or 0.
func lineOf(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	return n.Line
}

// quoteAll quotes each name for messages.
func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
