package inventory

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const example = `defaults: {username: netops, platform: ios}
sites:
  chi1: {limit: 5}
groups:
  core: {site: chi1}
  edge: {site: nyc2, platform: eos}
devices:
  chi1-core-1: {host: 10.0.0.1, groups: [core]}
  nyc2-edge-1: {host: 10.1.0.1, port: 2222, groups: [edge], key_file: ~/.ssh/id_ed25519}
  lab-box:     {host: 127.0.0.1, platform: linux, site: lab, password_env: LAB_PASSWORD}
`

func mustParse(t *testing.T, src string) *Inventory {
	t.Helper()
	inv, err := Parse("inv.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return inv
}

func TestParseExample(t *testing.T) {
	inv := mustParse(t, example)
	want := []Device{
		{Name: "chi1-core-1", Host: "10.0.0.1", Username: "netops", Platform: PlatformIOS, Groups: []string{"core"}, Site: "chi1"},
		{Name: "lab-box", Host: "127.0.0.1", Username: "netops", Platform: PlatformLinux, Site: "lab", PasswordEnv: "LAB_PASSWORD"},
		{Name: "nyc2-edge-1", Host: "10.1.0.1", Port: 2222, Username: "netops", Platform: PlatformEOS, Groups: []string{"edge"}, Site: "nyc2", KeyFile: "~/.ssh/id_ed25519"},
	}
	if !reflect.DeepEqual(inv.Devices, want) {
		t.Fatalf("devices:\n got %+v\nwant %+v", inv.Devices, want)
	}
	if inv.Path != "inv.yaml" {
		t.Errorf("Path = %q", inv.Path)
	}
	five := 5
	wantSites := map[string]Site{"chi1": {Name: "chi1", Limit: &five}, "nyc2": {Name: "nyc2"}, "lab": {Name: "lab"}}
	if !reflect.DeepEqual(inv.Sites, wantSites) {
		t.Errorf("sites = %+v", inv.Sites)
	}
	if got := inv.SiteLimits(); !reflect.DeepEqual(got, map[string]int{"chi1": 5}) {
		t.Errorf("SiteLimits = %v", got)
	}
	if g := inv.Groups["edge"]; g.Name != "edge" || g.Site != "nyc2" || g.Platform != PlatformEOS {
		t.Errorf("group edge = %+v", g)
	}
	if d, ok := inv.Device("lab-box"); !ok || d.Host != "127.0.0.1" {
		t.Errorf("Device(lab-box) = %+v, %v", d, ok)
	}
	if _, ok := inv.Device("nope"); ok {
		t.Error("Device(nope) found")
	}
}

func TestParseEveryKeyAndPrecedence(t *testing.T) {
	inv := mustParse(t, `
defaults:
  username: netops
  platform: ios
  agent: true
  connect_timeout: 5s
  command_timeout: 2m
groups:
  a: {port: 2200, username: ga, legacy_algorithms: true}
  b: {port: 2201, site: s-b, idle_timeout: 30s, jump: "jumper@bastion:2222,[::1]:22"}
  gen: {platform: generic, prompt_pattern: '[>#]\s*$'}
devices:
  d1:
    host: h1
    groups: [a, b]
    enable_password_env: EN
    agent: false
  d2: {host: h2, groups: [b, a], username: own, site: own-site}
  d3: {host: h3, groups: [gen]}
`)
	d1, _ := inv.Device("d1")
	want1 := Device{Name: "d1", Host: "h1", Port: 2200, Username: "ga", Platform: PlatformIOS, Groups: []string{"a", "b"},
		Site: "s-b", EnablePasswordEnv: "EN", Agent: false, Jump: "jumper@bastion:2222,[::1]:22", LegacyAlgorithms: true,
		ConnectTimeout: 5 * time.Second, CommandTimeout: 2 * time.Minute, IdleTimeout: 30 * time.Second}
	if !reflect.DeepEqual(d1, want1) {
		t.Errorf("d1:\n got %+v\nwant %+v", d1, want1)
	}
	d2, _ := inv.Device("d2")
	if d2.Port != 2201 || d2.Username != "own" || d2.Site != "own-site" || !d2.Agent || !d2.LegacyAlgorithms {
		t.Errorf("d2 = %+v", d2)
	}
	d3, _ := inv.Device("d3")
	if d3.Platform != PlatformGeneric || d3.PromptPattern != `[>#]\s*$` || d3.Site != "" {
		t.Errorf("d3 = %+v", d3)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "\n# nothing\n", "devices:\n"} {
		inv := mustParse(t, src)
		if len(inv.Devices) != 0 {
			t.Errorf("%q: devices %v", src, inv.Devices)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string // each "LINE: fragment", in order
	}{
		{"unknown key suggests", "devices:\n  r1: {host: h, platform: ios, hots: x}\n",
			[]string{`inv.yaml:2: unknown key "hots" in device "r1" (did you mean "host"?); valid keys: host, groups, site, port,`}},
		{"unknown key in defaults", "defaults:\n  usernme: x\n", []string{`inv.yaml:2: unknown key "usernme" in defaults (did you mean "username"?)`}},
		{"misspelt keys are not reported again as missing", "defaults: {platfrom: ios}\ndevices:\n  r1: {hostname: a}\n",
			[]string{`inv.yaml:1: unknown key "platfrom" in defaults (did you mean "platform"?)`, `inv.yaml:3: unknown key "hostname" in device "r1" (did you mean "host"?)`}},
		{"unknown section", "device:\n  r1: {host: h}\n", []string{`inv.yaml:1: unknown key "device" in the top level (did you mean "devices"?)`}},
		{"missing host", "defaults: {platform: ios}\ndevices:\n  r1: {port: 22}\n", []string{`inv.yaml:3: device "r1": missing host`}},
		{"null device", "defaults: {platform: ios}\ndevices:\n  r1:\n", []string{`inv.yaml:3: device "r1": missing host`}},
		{"unknown group", "defaults: {platform: ios}\ngroups:\n  core: {}\ndevices:\n  r1:\n    host: h\n    groups: [cores]\n",
			[]string{`inv.yaml:7: device "r1": unknown group "cores" (did you mean "core"?)`}},
		{"unknown group none defined", "defaults: {platform: ios}\ndevices:\n  r1: {host: h, groups: [x]}\n",
			[]string{`inv.yaml:3: device "r1": unknown group "x": no groups are defined`}},
		{"bad port", "defaults: {platform: ios}\ndevices:\n  r1: {host: h, port: 70000}\n  r2: {host: h, port: 0}\n  r3: {host: h, port: ssh}\n",
			[]string{`inv.yaml:3: device "r1": bad port "70000": expected a number from 1 to 65535`, `inv.yaml:4: device "r2": bad port "0"`, `inv.yaml:5: device "r3": bad port "ssh"`}},
		{"bad duration", "defaults: {platform: ios, idle_timeout: 30}\n",
			[]string{`inv.yaml:1: defaults: bad duration "30" for idle_timeout: expected a positive Go duration such as 30s`}},
		{"unknown platform", "devices:\n  r1: {host: h, platform: cisco}\n",
			[]string{`inv.yaml:2: device "r1": unknown platform "cisco": expected one of ios, iosxe, iosxr, nxos, eos, junos, linux, generic`}},
		{"no platform", "devices:\n  r1: {host: h}\n", []string{`inv.yaml:2: device "r1": no platform`}},
		{"generic without prompt", "devices:\n  r1: {host: h, platform: generic}\n", []string{`inv.yaml:2: device "r1": platform generic needs prompt_pattern`}},
		{"bad prompt pattern", "devices:\n  r1: {host: h, platform: generic, prompt_pattern: '[oops'}\n",
			[]string{`inv.yaml:2: device "r1": prompt_pattern "[oops" is not a valid regular expression`}},
		{"duplicate device", "defaults: {platform: ios}\ndevices:\n  r1: {host: a}\n  r2: {host: b}\n  r1: {host: c}\n",
			[]string{`inv.yaml:5: duplicate device "r1": already defined at line 3`}},
		{"duplicate key", "devices:\n  r1: {host: a, platform: ios, host: b}\n", []string{`inv.yaml:2: duplicate key "host": already defined at line 2`}},
		{"password", "defaults: {platform: ios}\ndevices:\n  r1:\n    host: a\n    password: hunter2\n",
			[]string{`inv.yaml:5: device "r1": passwords are never written in the inventory file; name an environment variable with password_env`}},
		{"enable password", "groups:\n  g: {enable_password: x}\n", []string{`inv.yaml:2: group "g": passwords are never written in the inventory file; name an environment variable with enable_password_env`}},
		{"host in group", "groups:\n  g: {host: x}\n", []string{`inv.yaml:2: group "g": host is set per device, not in a group`}},
		{"site in defaults", "defaults: {site: x}\n", []string{`inv.yaml:1: defaults: site is set per device, not in defaults`}},
		{"bad bool", "defaults: {agent: yes please}\n", []string{`inv.yaml:1: defaults: agent: expected true or false`}},
		{"bad limit", "sites:\n  chi1: {limit: -1}\n  nyc2: {limt: 3}\n",
			[]string{`inv.yaml:2: site "chi1": bad limit "-1"`, `inv.yaml:3: unknown key "limt" in site "nyc2" (did you mean "limit"?)`}},
		{"groups not a list", "defaults: {platform: ios}\ndevices:\n  r1: {host: a, groups: core}\n",
			[]string{`inv.yaml:3: device "r1": groups: expected a list of group names`}},
		{"bad jump", "defaults: {platform: ios, jump: 'u@h:99999'}\n", []string{`inv.yaml:1: defaults: jump: hop "u@h:99999" has a bad port`}},
		{"host with space", "defaults: {platform: ios}\ndevices:\n  r1: {host: 'a b'}\n", []string{`inv.yaml:3: device "r1": host: "a b" must not contain spaces`}},
		{"not a mapping", "- a\n- b\n", []string{`inv.yaml:1: expected a mapping with the sections defaults, sites, groups, devices`}},
		{"devices a list", "devices:\n  - r1\n", []string{`inv.yaml:2: expected a mapping of device names to their settings, not a list`}},
		{"bad yaml", "devices:\n  r1: {host: a\n  r2: b\n", []string{`inv.yaml:`, `invalid YAML:`}},
		{"merge key", "defaults: &d {platform: ios}\ndevices:\n  r1: {<<: *d, host: a}\n", []string{`inv.yaml:3: merge keys (<<) are not supported`}},
		{"several problems", "defaults: {platform: ios}\ndevices:\n  r1: {port: 1}\n  r2: {host: b, port: 0}\n  r3: {host: c, colour: red}\n",
			[]string{`inv.yaml:3: device "r1": missing host`, `inv.yaml:4: device "r2": bad port`, `inv.yaml:5: unknown key "colour" in device "r3"; valid keys:`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv, err := Parse("inv.yaml", []byte(tc.src))
			if err == nil {
				t.Fatalf("no error; inventory %+v", inv)
			}
			if inv != nil {
				t.Errorf("inventory returned with error")
			}
			var probs Problems
			if !errors.As(err, &probs) {
				t.Fatalf("error %T is not Problems", err)
			}
			var one *Error
			if !errors.As(err, &one) || one.File != "inv.yaml" {
				t.Errorf("errors.As *Error: %+v", one)
			}
			lines := strings.Split(err.Error(), "\n")
			if tc.name == "bad yaml" {
				if len(lines) != 1 || !strings.HasPrefix(lines[0], tc.want[0]) || !strings.Contains(lines[0], tc.want[1]) {
					t.Fatalf("got %q", err)
				}
				return
			}
			if len(lines) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(lines), len(tc.want), err)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("problem %d:\n got %s\nwant prefix %s", i, lines[i], w)
				}
			}
		})
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inventory.yaml")
	if err := os.WriteFile(path, []byte(example), 0o600); err != nil {
		t.Fatal(err)
	}
	inv, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Path != path || len(inv.Devices) != 3 {
		t.Errorf("Load: path %q, %d devices", inv.Path, len(inv.Devices))
	}
	if err := os.WriteFile(path, []byte("devices:\n  r1: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.HasPrefix(err.Error(), path+":2: ") {
		t.Errorf("Load bad file: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load missing: %v", err)
	}
}

func TestExpandHome(t *testing.T) {
	for _, tc := range []struct{ in, home, want string }{
		{"~/.ssh/id", "/home/u", "/home/u/.ssh/id"},
		{"~", "/home/u", "/home/u"},
		{"/abs/key", "/home/u", "/abs/key"},
		{"rel/key", "/home/u", "rel/key"},
		{"~other/key", "/home/u", "~other/key"},
		{"~/.ssh/id", "", "~/.ssh/id"},
	} {
		if got := ExpandHome(tc.in, tc.home); got != tc.want {
			t.Errorf("ExpandHome(%q, %q) = %q, want %q", tc.in, tc.home, got, tc.want)
		}
	}
}
