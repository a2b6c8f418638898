package inventory

import (
	"path/filepath"
	"slices"
	"strings"
)

// maxIncludeDepth bounds nested Include directives in an ssh config.
const maxIncludeDepth = 16

// sshKV is one keyword line of an ssh config.
type sshKV struct {
	key, value string
	src        Source
}

// sshBlock is one Host or Match block (or the lines before the first).
type sshBlock struct {
	patterns []string
	match    string // the Match criteria; "" for a Host block
	src      Source
	kvs      []sshKV
	// netauto holds "# netauto: key=value ..." directives of the block.
	netauto map[string]fvar
}

// sshConfig is an ssh config being read, Include directives followed.
type sshConfig struct {
	opts   Options
	b      *builder
	blocks []*sshBlock
	stack  []string // files being read, for loops
	// glob lists the files an Include pattern names (filepath.Glob).
	glob func(pattern string) ([]string, error)
}

// sshDirectiveKeys are the keys of a "# netauto:" comment in a Host block.
var sshDirectiveKeys = []string{"platform", "site", "groups", "password_env"}

// parseSSHConfig turns the Host entries of an ssh config (Include
// followed) into devices: every Host pattern without wildcards or negation
// is a device named after it, with HostName, Port, User, the first
// IdentityFile and ProxyJump resolved as ssh does (first value wins, Host
// blocks matched against the name). Devices are linux unless a
// "# netauto: platform=ios site=chi1 groups=core,edge" comment in the block
// says otherwise.
func parseSSHConfig(path string, data []byte, opts Options) (*Inventory, error) {
	return newSSHConfig(path, opts, filepath.Glob).parse(path, data)
}

// newSSHConfig prepares to read the ssh config at path.
func newSSHConfig(path string, opts Options, glob func(string) ([]string, error)) *sshConfig {
	return &sshConfig{opts: opts, b: newBuilder(path, FormatSSHConfig), glob: glob}
}

// parse reads the config's data and returns its devices.
func (c *sshConfig) parse(path string, data []byte) (*Inventory, error) {
	c.read(path, data, &sshBlock{src: Source{File: path}, netauto: map[string]fvar{}})
	if len(c.b.problems) > 0 {
		return c.b.finish()
	}
	seen := map[string]bool{}
	for _, blk := range c.blocks {
		if blk.match != "" {
			continue
		}
		for _, pat := range blk.patterns {
			if strings.ContainsAny(pat, "*?!") || seen[pat] {
				continue
			}
			seen[pat] = true
			c.b.add(c.host(pat, blk))
		}
	}
	return c.b.finish()
}

// read parses one file's lines into blocks; cur is the block its first
// lines belong to (the includer's block for an included file).
func (c *sshConfig) read(path string, data []byte, cur *sshBlock) {
	if len(c.stack) >= maxIncludeDepth || slices.Contains(c.stack, path) {
		c.b.errAt(Source{File: c.stack[len(c.stack)-1]}, "Include loop or nesting deeper than %d through %s", maxIncludeDepth, path)
		return
	}
	c.stack = append(c.stack, path)
	defer func() { c.stack = c.stack[:len(c.stack)-1] }()
	c.blocks = append(c.blocks, cur)
	for i, raw := range strings.Split(string(data), "\n") {
		src := Source{File: path, Line: i + 1}
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" {
			continue
		}
		if !validText(line) {
			c.b.errAt(src, "line holds control characters or invalid UTF-8")
			continue
		}
		if line[0] == '#' {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(line[1:]), "netauto:"); ok {
				c.directive(cur, rest, src)
			}
			continue
		}
		key, args := splitSSHLine(line)
		words, err := splitWords(args)
		if err != nil || len(words) == 0 {
			c.b.errAt(src, "%s: expected a value", key)
			continue
		}
		switch strings.ToLower(key) {
		case "host":
			cur = &sshBlock{patterns: words, src: src, netauto: map[string]fvar{}}
			c.blocks = append(c.blocks, cur)
		case "match":
			cur = &sshBlock{match: strings.Join(words, " "), src: src, netauto: map[string]fvar{}}
			c.blocks = append(c.blocks, cur)
		case "include":
			c.include(words, src, cur)
			// Lines after the Include continue the same block.
			cur = cur.continued()
			c.blocks = append(c.blocks, cur)
		default:
			cur.kvs = append(cur.kvs, sshKV{key: strings.ToLower(key), value: strings.Join(words, " "), src: src})
		}
	}
}

// continued starts a block that carries on blk after an Include: the same
// patterns, criteria, source and netauto directives, no keyword lines yet.
func (blk *sshBlock) continued() *sshBlock {
	return &sshBlock{patterns: blk.patterns, match: blk.match, src: blk.src, netauto: blk.netauto}
}

// splitSSHLine splits "Keyword value", "Keyword=value" or "Keyword = value".
func splitSSHLine(line string) (string, string) {
	i := strings.IndexAny(line, " \t=")
	if i < 0 {
		return line, ""
	}
	key, rest := line[:i], strings.TrimLeft(line[i:], " \t")
	rest = strings.TrimPrefix(rest, "=")
	return key, strings.TrimSpace(rest)
}

// include reads the files an Include names (globs; relative to ~/.ssh; in
// name order). Files that do not exist are skipped, as ssh does.
func (c *sshConfig) include(patterns []string, src Source, cur *sshBlock) {
	for _, pat := range patterns {
		p := ExpandHome(pat, c.opts.Home)
		if !filepath.IsAbs(p) {
			p = filepath.Join(c.opts.Home, ".ssh", p)
		}
		matches, err := c.glob(p)
		if err != nil {
			c.b.errAt(src, "Include %q: %v", pat, err)
			continue
		}
		for _, m := range matches {
			data, err := readLimited(m)
			if err != nil {
				c.b.errAt(src, "Include %q: %v", pat, err)
				continue
			}
			c.read(m, data, cur.continued())
		}
	}
}

// directive parses "# netauto: key=value ..." into the block.
func (c *sshConfig) directive(blk *sshBlock, rest string, src Source) {
	words, err := splitWords(rest)
	if err != nil {
		c.b.errAt(src, "netauto comment: %v", err)
		return
	}
	for _, w := range words {
		k, v, ok := strings.Cut(w, "=")
		if !ok || !slices.Contains(sshDirectiveKeys, k) || v == "" {
			c.b.errAt(src, "netauto comment: expected key=value with key one of %s, not %q", strings.Join(sshDirectiveKeys, ", "), w)
			continue
		}
		blk.netauto[k] = fvar{value: v, src: src, name: "netauto " + k}
	}
}

// matches reports whether a Host block applies to alias: one pattern
// matches and no negated one does. Match blocks other than "Match all" are
// not evaluated (they apply to no device).
func (blk *sshBlock) matches(alias string) bool {
	if blk.match != "" {
		return strings.EqualFold(blk.match, "all")
	}
	if blk.patterns == nil {
		return true // lines before the first Host
	}
	hit := false
	for _, p := range blk.patterns {
		neg := strings.HasPrefix(p, "!")
		if sshGlob(strings.TrimPrefix(p, "!"), alias) {
			if neg {
				return false
			}
			hit = true
		}
	}
	return hit
}

// sshGlob matches name against an ssh pattern: * any run, ? one character.
func sshGlob(pattern, name string) bool {
	for len(pattern) > 0 {
		switch pattern[0] {
		case '*':
			for i := len(name); i >= 0; i-- {
				if sshGlob(pattern[1:], name[i:]) {
					return true
				}
			}
			return false
		case '?':
			if name == "" {
				return false
			}
			pattern, name = pattern[1:], name[1:]
		default:
			if name == "" || !strings.EqualFold(pattern[:1], name[:1]) {
				return false
			}
			pattern, name = pattern[1:], name[1:]
		}
	}
	return name == ""
}

// host resolves one Host name to a foreign host.
func (c *sshConfig) host(alias string, own *sshBlock) foreignHost {
	fh := foreignHost{
		name:            alias,
		src:             own.src,
		vars:            map[string]fvar{},
		platformVar:     "netauto platform",
		defaultPlatform: fvar{value: string(PlatformLinux), name: "platform", src: Source{Note: "default: ssh config"}},
	}
	first := map[string]sshKV{}
	for _, blk := range c.blocks {
		if !blk.matches(alias) {
			continue
		}
		for _, kv := range blk.kvs {
			if _, ok := first[kv.key]; !ok {
				first[kv.key] = kv
			}
		}
	}
	set := func(key, fv string) {
		if kv, ok := first[key]; ok && !strings.EqualFold(kv.value, "none") {
			fh.vars[fv] = fvar{value: kv.value, src: kv.src, name: kv.key}
		}
	}
	set("hostname", fvHost)
	set("port", fvPort)
	set("user", fvUsername)
	set("identityfile", fvKeyFile)
	if v, ok := fh.vars[fvHost]; ok {
		v.value = strings.ReplaceAll(v.value, "%h", alias)
		v.src.Note = "HostName"
		fh.vars[fvHost] = v
	}
	for k, v := range own.netauto {
		switch k {
		case "platform":
			fh.vars[fvPlatform] = v
		case "site":
			fh.vars[fvSite] = v
		case "password_env":
			fh.vars[fvPasswordEnv] = v
		case "groups":
			for _, g := range strings.Split(v.value, ",") {
				if g = strings.TrimSpace(g); g != "" && !slices.Contains(fh.groups, g) {
					fh.groups = append(fh.groups, g)
					if _, ok := c.b.inv.Groups[g]; !ok {
						c.b.inv.Groups[g] = Group{Name: g}
					}
				}
			}
		}
	}
	if kv, ok := first["proxyjump"]; ok && !strings.EqualFold(kv.value, "none") {
		c.jump(&fh, kv)
	}
	return fh
}

// jump records a ProxyJump as the device's jump chain after checking it.
func (c *sshConfig) jump(fh *foreignHost, kv sshKV) {
	for _, hop := range strings.Split(kv.value, ",") {
		if msg := checkHop(strings.TrimPrefix(hop, "ssh://")); msg != "" {
			c.b.errAt(kv.src, "host %q: ProxyJump hop %q %s", fh.name, hop, msg)
			return
		}
	}
	fh.vars[fvJump] = fvar{value: kv.value, src: kv.src, name: "ProxyJump"}
}
