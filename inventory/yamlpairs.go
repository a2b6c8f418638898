package inventory

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// pairWords are what yamlPairs adds to its messages: after "a mapping of
// WHAT names" (values) and after "merge keys (<<) are not supported"
// (mergeHint). The foreign formats add nothing.
type pairWords struct{ values, mergeHint string }

// yamlPairs calls fn for each key and value of mapping m. A non-mapping, a
// non-scalar or bad key, a merge key and a duplicate key are reported
// through bad (with the node to locate them) and skipped. what names a key
// for messages ("host", "group"); words adds to some of them.
func yamlPairs(m *yaml.Node, what string, words pairWords, bad func(n *yaml.Node, msg string), fn func(k, v *yaml.Node)) {
	d := deref(m)
	if isNull(d) {
		return
	}
	if d.Kind != yaml.MappingNode {
		bad(m, fmt.Sprintf("expected a mapping of %s names%s, not a %s", what, words.values, kindName(d)))
		return
	}
	seen := make(map[string]int)
	for i := 0; i+1 < len(d.Content); i += 2 {
		k, v := deref(d.Content[i]), d.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode || isNull(k):
			bad(d.Content[i], fmt.Sprintf("expected a %s name, not a %s", what, kindName(k)))
			continue
		case k.Tag == "!!merge" || k.Value == "<<":
			bad(k, "merge keys (<<) are not supported"+words.mergeHint)
			continue
		case !validName(k.Value):
			bad(k, fmt.Sprintf("bad %s name %q: names must not be empty or contain spaces or control characters", what, k.Value))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			bad(k, fmt.Sprintf("duplicate %s %q: already defined at line %d", what, k.Value, first))
			continue
		}
		seen[k.Value] = k.Line
		fn(k, v)
	}
}

// yamlLine finds the line number in a yaml.v3 error message.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// SplitYAMLError returns a yaml.v3 error's message without its "yaml: line
// N:" prefix, and N (0 when the message has none). The config file reports
// YAML errors through it too.
func SplitYAMLError(err error) (string, int) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return msg[len(m[0]):], n
	}
	return strings.TrimPrefix(msg, "yaml: "), 0
}

// yamlRoot parses one file of a foreign inventory as YAML and returns its
// root mapping (nil for an empty document), reporting invalid YAML and a
// root that is not a mapping (then false).
func (b *builder) yamlRoot(file string, data []byte) (*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg, line := SplitYAMLError(err)
		b.errAt(Source{File: file, Line: line}, "invalid YAML: %s", msg)
		return nil, false
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil, true
	}
	root := deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		b.errAt(Source{File: file, Line: root.Line}, "expected a mapping, not a %s", kindName(root))
		return nil, false
	}
	return root, true
}

// src is the source of a node in the YAML file being read.
func (b *builder) src(n *yaml.Node) Source { return Source{File: b.cur, Line: lineOf(n)} }

// eachPair calls fn for each key and value of mapping m of the YAML file
// being read, reporting a non-mapping and bad or duplicate keys.
func (b *builder) eachPair(m *yaml.Node, what string, fn func(k, v *yaml.Node)) {
	yamlPairs(m, what, pairWords{}, func(n *yaml.Node, msg string) { b.errAt(b.src(n), "%s", msg) }, fn)
}
