package inventory

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Format names an inventory format.
type Format string

// The inventory formats Open reads.
const (
	// FormatAuto detects the format from the path and the content.
	FormatAuto Format = "auto"
	// FormatNetauto is netauto's own YAML (see Parse).
	FormatNetauto Format = "netauto"
	// FormatAnsibleINI is an Ansible inventory in INI form.
	FormatAnsibleINI Format = "ansible-ini"
	// FormatAnsibleYAML is an Ansible inventory in YAML form.
	FormatAnsibleYAML Format = "ansible-yaml"
	// FormatNornir is a Nornir SimpleInventory directory (hosts.yaml,
	// groups.yaml, defaults.yaml).
	FormatNornir Format = "nornir"
	// FormatSSHConfig is the Host entries of an OpenSSH client config.
	FormatSSHConfig Format = "ssh-config"
)

// Formats lists every format name accepted by ParseFormat, auto first.
var Formats = []Format{FormatAuto, FormatNetauto, FormatAnsibleINI, FormatAnsibleYAML, FormatNornir, FormatSSHConfig}

// ParseFormat checks a format name; "" is FormatAuto.
func ParseFormat(s string) (Format, error) {
	if s == "" {
		return FormatAuto, nil
	}
	for _, f := range Formats {
		if Format(s) == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown inventory format %q: expected one of %s", s, formatList())
}

// SSHConfigPath is the inventory path that means "the user's ssh config"
// (Options.SSHConfig).
const SSHConfigPath = "ssh-config"

// DefaultSiteVar is the variable that names a host's site in Ansible and
// Nornir inventories unless Options.SiteVar names another.
const DefaultSiteVar = "site"

// DefaultPasswordEnv is the environment variable a device imported from a
// foreign inventory reads its login password from when that inventory had a
// password for it (the password itself is never read). When the variable is
// unset, the console asks for the password and a headless run asks at a
// terminal prompt or ends "auth: password required".
const DefaultPasswordEnv = "NETAUTO_PASSWORD"

// DefaultEnablePasswordEnv is the enable-password counterpart of
// DefaultPasswordEnv (for Ansible's ansible_become_password).
const DefaultEnablePasswordEnv = "NETAUTO_ENABLE_PASSWORD"

// Options tune Open.
type Options struct {
	// Format is the inventory's format; "" or FormatAuto detects it.
	Format Format
	// SiteVar names the Ansible or Nornir (data.<name>) variable holding a
	// host's site; "" means DefaultSiteVar. Without it a host's site is the
	// name of its first group.
	SiteVar string
	// SSHConfig is the ssh config read when the path is SSHConfigPath or the
	// format is FormatSSHConfig with path ""; "" means ~/.ssh/config.
	SSHConfig string
	// Home is the user's home directory, for ~ in paths and relative
	// ssh-config Include directives; "" means os.UserHomeDir.
	Home string
}

// maxInventoryBytes bounds the size of one inventory file read by Open.
const maxInventoryBytes = 64 << 20

// Open reads the inventory at path in any supported format: netauto YAML,
// an Ansible INI or YAML inventory (with group_vars/ and host_vars/ beside
// it), a Nornir SimpleInventory directory, or an ssh config (path
// SSHConfigPath). The format is detected from the path and the content
// unless opts.Format names it. Problems are returned as Problems with file
// and line; problems that do not stop the load are in Inventory.Warnings.
func Open(path string, opts Options) (*Inventory, error) {
	if opts.SiteVar == "" {
		opts.SiteVar = DefaultSiteVar
	}
	if opts.Home == "" {
		opts.Home, _ = os.UserHomeDir()
	}
	format := opts.Format
	if format == "" {
		format = FormatAuto
	}
	if path == SSHConfigPath || (format == FormatSSHConfig && path == "") {
		path = opts.SSHConfig
		if path == "" {
			path = filepath.Join(opts.Home, ".ssh", "config")
		}
		format = FormatSSHConfig
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	if fi.IsDir() {
		if format != FormatAuto && format != FormatNornir {
			return nil, fmt.Errorf("inventory: %s is a directory; only a Nornir inventory (--inventory-format nornir) is a directory", path)
		}
		return openNornir(path, opts)
	}
	if format == FormatNornir {
		return nil, fmt.Errorf("inventory: %s: a Nornir inventory is the directory holding hosts.yaml, groups.yaml and defaults.yaml", path)
	}
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	if format == FormatAuto {
		if format, err = Detect(path, data); err != nil {
			return nil, err
		}
	}
	switch format {
	case FormatNetauto:
		return Parse(path, data)
	case FormatAnsibleINI:
		return parseAnsible(path, data, opts, false)
	case FormatAnsibleYAML:
		return parseAnsible(path, data, opts, true)
	case FormatSSHConfig:
		return parseSSHConfig(path, data, opts)
	}
	return nil, fmt.Errorf("inventory: unknown format %q", format)
}

// readLimited reads a file of at most maxInventoryBytes.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxInventoryBytes+1))
	if err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	if len(data) > maxInventoryBytes {
		return nil, fmt.Errorf("inventory: %s is larger than %d MiB", path, maxInventoryBytes>>20)
	}
	return data, nil
}

// iniSection matches an Ansible INI section header.
var iniSection = regexp.MustCompile(`(?m)^\[[^\]\s]+\][ \t]*([#;].*)?\r?$`)

// sshKeyword matches a line of an ssh config that starts a block or includes one.
var sshKeyword = regexp.MustCompile(`(?im)^[ \t]*(host|match|include)([ \t]+|[ \t]*=)\S`)

// Detect tells the format of an inventory file from its content: netauto
// YAML (top-level keys among defaults, sites, groups, devices), Ansible
// YAML (groups with hosts, vars and children), Ansible INI ([group]
// sections or bare host lines) or an ssh config (Host, Match or Include
// lines). It returns an error naming --inventory-format when it cannot
// tell.
func Detect(path string, data []byte) (Format, error) {
	ambiguous := func(why string) (Format, error) {
		return "", fmt.Errorf("inventory: cannot tell the format of %s (%s); name it with --inventory-format (%s)", path, why, formatList())
	}
	if iniSection.Match(data) {
		return FormatAnsibleINI, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err == nil && len(doc.Content) > 0 {
		root := deref(doc.Content[0])
		if root != nil && root.Kind == yaml.MappingNode {
			return detectYAML(root, ambiguous)
		}
		if isNull(root) {
			return FormatNetauto, nil // empty: an empty inventory
		}
	} else if err == nil {
		return FormatNetauto, nil // empty file
	}
	if sshKeyword.Match(data) {
		return FormatSSHConfig, nil
	}
	if strings.Contains(string(data), "=") || !strings.Contains(string(data), ":") {
		return FormatAnsibleINI, nil // bare host lines: ungrouped hosts
	}
	return ambiguous("neither YAML mapping, INI sections nor ssh config")
}

// detectYAML tells netauto YAML from Ansible YAML by the top-level keys and
// the keys of their values.
func detectYAML(root *yaml.Node, ambiguous func(string) (Format, error)) (Format, error) {
	netauto, ansible, nornir := true, false, false
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := deref(root.Content[i]), deref(root.Content[i+1])
		if !slices.Contains(topKeys, k.Value) {
			netauto = false
		}
		if v == nil || v.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j < len(v.Content); j += 2 {
			switch deref(v.Content[j]).Value {
			case "hosts", "children", "vars":
				ansible = true
			case "hostname", "platform", "data", "connection_options":
				nornir = true
			}
		}
	}
	switch {
	case netauto && !ansible:
		return FormatNetauto, nil
	case ansible:
		return FormatAnsibleYAML, nil
	case nornir:
		return ambiguous("it looks like a Nornir hosts file: give the directory that holds hosts.yaml")
	}
	return ambiguous("a YAML mapping that is neither netauto's sections (defaults, sites, groups, devices) nor Ansible groups (hosts, vars, children)")
}

// formatList is the format names joined for messages.
func formatList() string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}
