package inventory

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// brief is a device in one line, for comparing whole inventories.
func brief(d Device) string {
	return fmt.Sprintf("%s host=%s port=%d user=%s platform=%s groups=%s site=%s key=%s pw=%s enable=%s jump=%s",
		d.Name, d.Host, d.Port, d.Username, d.Platform, strings.Join(d.Groups, ","), d.Site, d.KeyFile,
		d.PasswordEnv, d.EnablePasswordEnv, d.Jump)
}

func briefs(inv *Inventory) []string {
	var out []string
	for _, d := range inv.Devices {
		out = append(out, brief(d))
	}
	return out
}

func mustOpen(t *testing.T, path string, opts Options) *Inventory {
	t.Helper()
	if opts.Home == "" {
		opts.Home = t.TempDir()
	}
	inv, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	return inv
}

func wantDevices(t *testing.T, inv *Inventory, want []string) {
	t.Helper()
	got := briefs(inv)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("devices:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

func wantFormat(t *testing.T, inv *Inventory, want Format) {
	t.Helper()
	if inv.Format != want {
		t.Errorf("format = %s", inv.Format)
	}
}

// wantSources checks where each named value of one device came from.
func wantSources(t *testing.T, src DeviceSources, want map[string]string) {
	t.Helper()
	for key, w := range want {
		if got := src[key].String(); got != w {
			t.Errorf("source of %s = %q, want %q", key, got, w)
		}
	}
}

func warnings(inv *Inventory) []string {
	var out []string
	for _, w := range inv.Warnings {
		out = append(out, w.Error())
	}
	return out
}

func TestOpenAnsibleINI(t *testing.T) {
	path := filepath.Join("testdata", "ansible-ini", "hosts.ini")
	inv := mustOpen(t, path, Options{})
	wantFormat(t, inv, FormatAnsibleINI)
	wantDevices(t, inv, []string{
		"bastion.example.net host=bastion.example.net port=2201 user=netops platform=linux groups=jumpers site=jumpers key= pw= enable= jump=",
		"chi1-core-1 host=10.10.0.1 port=0 user=netops platform=nxos groups=chi1_core,cisco site=chi1 key= pw=NETAUTO_PASSWORD enable= jump=",
		"chi1-core-2 host=10.10.0.2 port=2222 user=netops platform=nxos groups=chi1_core,cisco site=chi1 key= pw=NETAUTO_PASSWORD enable= jump=",
		"nyc2-edge-a host=nyc2-edge-a port=0 user=netops platform=eos groups=nyc2_edge,nyc2 site=nyc2 key=~/.ssh/netops ed25519 pw= enable= jump=",
		"nyc2-edge-b host=nyc2-edge-b port=0 user=netops platform=eos groups=nyc2_edge,nyc2 site=nyc2 key=~/.ssh/netops ed25519 pw= enable= jump=",
		"rtr01.chi1 host=rtr01.chi1 port=0 user=netops platform=ios groups=chi1_access,cisco site=chi1 key= pw=NETAUTO_PASSWORD enable= jump=",
		"rtr02.chi1 host=rtr02.chi1 port=0 user=netops platform=ios groups=chi1_access,cisco site=chi1 key= pw=NETAUTO_PASSWORD enable= jump=",
		"rtr03.chi1 host=rtr03.chi1 port=0 user=netops platform=ios groups=chi1_access,cisco site=chi1 key= pw=NETAUTO_PASSWORD enable= jump=",
	})
	wantWarn := []string{path + ":26: ansible_password ignored: netauto never reads passwords from inventory files; it reads $NETAUTO_PASSWORD, else asks for the password"}
	if got := warnings(inv); !reflect.DeepEqual(got, wantWarn) {
		t.Errorf("warnings = %q", got)
	}
	src := inv.Sources["chi1-core-2"]
	wantSources(t, src, map[string]string{
		SourceHost:        path + ":8",
		SourcePort:        path + ":8",
		SourceUsername:    path + ":3",
		SourcePlatform:    path + ":25",
		SourceSite:        path + ":27",
		SourcePasswordEnv: path + ":26 (ansible_password ignored)",
	})
	if got := inv.Sources["rtr01.chi1"][SourceHost].String(); got != path+":11 (inventory name)" {
		t.Errorf("rtr01 host source = %q", got)
	}
	if got := inv.Sources["bastion.example.net"][SourceSite].String(); got != "first group" {
		t.Errorf("bastion site source = %q", got)
	}
	if g := inv.Groups["cisco"]; g.Site != "chi1" {
		t.Errorf("group cisco = %+v", g)
	}
	if _, ok := inv.Groups["all"]; ok {
		t.Error("group all listed")
	}
	devs, err := inv.Select(Selection{Groups: []string{"cisco"}})
	if err != nil || len(devs) != 5 {
		t.Errorf("select cisco: %d devices, %v", len(devs), err)
	}
}

func TestOpenAnsibleYAMLWithVarsDirs(t *testing.T) {
	path := filepath.Join("testdata", "ansible-yaml", "inventory.yml")
	inv := mustOpen(t, path, Options{})
	wantFormat(t, inv, FormatAnsibleYAML)
	wantDevices(t, inv, []string{
		"chi1-rtr1 host=10.1.1.1 port=0 user=netops platform=junos groups=chi1,routers site=chicago-1 key= pw= enable=NETAUTO_ENABLE_PASSWORD jump=",
		"chi1-rtr2 host=chi1-rtr2 port=0 user=netops platform=iosxr groups=chi1,routers site=chicago-1 key= pw= enable=NETAUTO_ENABLE_PASSWORD jump=",
		"nyc2-rtr1 host=192.0.2.21 port=0 user=admin platform=iosxr groups=nyc2,routers site=nyc2 key= pw= enable=NETAUTO_ENABLE_PASSWORD jump=",
		"sw-a.lab host=sw-a.mgmt.example.net port=0 user=netops platform=eos groups=switches site=switches key= pw= enable= jump=",
		"sw-b.lab host=sw-b.mgmt.example.net port=0 user=netops platform=eos groups=switches site=switches key= pw= enable= jump=",
		"sw-c.lab host=sw-c.mgmt.example.net port=0 user=netops platform=eos groups=switches site=switches key= pw= enable= jump=",
	})
	gv := filepath.Join("testdata", "ansible-yaml", "group_vars")
	src := inv.Sources["chi1-rtr1"]
	wantSources(t, src, map[string]string{
		SourceHost:     filepath.Join("testdata", "ansible-yaml", "host_vars", "chi1-rtr1.yml") + ":1",
		SourceUsername: filepath.Join(gv, "all.yml") + ":2",
		SourceSite:     filepath.Join(gv, "chi1", "main.yml") + ":1",
	})
	if got := warnings(inv); len(got) != 1 || !strings.Contains(got[0], "routers.yml:3: ansible_become_password ignored") {
		t.Errorf("warnings = %q", got)
	}
	if inv.Groups["chi1"].Site != "chicago-1" || len(inv.Groups) != 4 {
		t.Errorf("groups = %+v", inv.Groups)
	}
}

func TestOpenNornir(t *testing.T) {
	dir := filepath.Join("testdata", "nornir")
	inv := mustOpen(t, dir, Options{})
	wantFormat(t, inv, FormatNornir)
	wantDevices(t, inv, []string{
		"core1.hq host=10.0.0.1 port=0 user=netbox-svc platform=ios groups=cisco site=hq key= pw=NETAUTO_PASSWORD enable= jump=",
		"edge1 host=10.0.1.1 port=2222 user=netbox-svc platform=ios groups=edge,cisco site=edge-dc key= pw=NETAUTO_PASSWORD enable= jump=",
		"mx1 host=10.0.2.1 port=0 user=juniper-admin platform=junos groups=juniper site=dc2 key= pw= enable= jump=",
		"nx1 host=10.0.4.1 port=0 user=netbox-svc platform=nxos groups= site=hq key= pw= enable= jump=",
		"xe1 host=10.0.3.1 port=0 user=netbox-svc platform=iosxe groups= site=hq key= pw= enable= jump=",
	})
	groups := filepath.Join(dir, "groups.yaml")
	if got := warnings(inv); len(got) != 1 || !strings.HasPrefix(got[0], groups+":4: password ignored") {
		t.Errorf("warnings = %q", got)
	}
	if got := inv.Sources["edge1"][SourcePlatform].String(); got != groups+":3" {
		t.Errorf("edge1 platform source = %q", got)
	}
	if got := inv.Sources["nx1"][SourceSite].String(); got != filepath.Join(dir, "defaults.yaml")+":4" {
		t.Errorf("nx1 site source = %q", got)
	}
}

func TestOpenSSHConfig(t *testing.T) {
	home, err := filepath.Abs(filepath.Join("testdata", "ssh", "home"))
	if err != nil {
		t.Fatal(err)
	}
	inv := mustOpen(t, SSHConfigPath, Options{Home: home})
	wantFormat(t, inv, FormatSSHConfig)
	wantDevices(t, inv, []string{
		"bastion host=bastion.example.net port=2201 user=jump platform=linux groups= site= key=~/.ssh/id_ed25519 pw= enable= jump=",
		"box1.lab host=192.0.2.50 port=0 user=labuser platform=linux groups= site= key=~/.ssh/id_ed25519 pw= enable= jump=",
		"core-sw1 host=core-sw1.mgmt.example.net port=0 user=me platform=ios groups=core site=chi1 key=~/.ssh/id_ed25519 pw= enable= jump=bastion",
		"core-sw2 host=core-sw2.mgmt.example.net port=0 user=me platform=ios groups=core site=chi1 key=~/.ssh/id_ed25519 pw= enable= jump=bastion",
		"edge-rtr host=198.51.100.7 port=22 user=me platform=eos groups= site= key=~/.ssh/id_ed25519 pw= enable= jump=",
	})
	conf := filepath.Join(home, ".ssh", "config")
	if got := inv.Sources["bastion"][SourceHost].String(); got != conf+":5 (HostName)" {
		t.Errorf("bastion host source = %q", got)
	}
	if got := inv.Sources["edge-rtr"][SourcePort].String(); got != filepath.Join(home, ".ssh", "conf.d", "10-routers.conf")+":4" {
		t.Errorf("edge-rtr port source = %q", got)
	}
	if got := inv.Sources["box1.lab"][SourcePlatform].String(); got != "default: ssh config" {
		t.Errorf("box1.lab platform source = %q", got)
	}
	// The path from the settings wins over ~/.ssh/config.
	inv = mustOpen(t, SSHConfigPath, Options{Home: home, SSHConfig: filepath.Join(home, ".ssh", "conf.d", "10-routers.conf")})
	if len(inv.Devices) != 1 || inv.Devices[0].Name != "edge-rtr" {
		t.Errorf("devices from the named config = %v", briefs(inv))
	}
}

// problemTexts returns the texts of a Problems error.
func problemTexts(t *testing.T, err error) []string {
	t.Helper()
	var p Problems
	if !errors.As(err, &p) {
		t.Fatalf("error %v is not Problems", err)
	}
	var out []string
	for _, e := range p {
		out = append(out, e.Error())
	}
	return out
}

func TestOpenMalformed(t *testing.T) {
	bad := filepath.Join("testdata", "bad")
	cases := []struct {
		path string
		opts Options
		want []string
	}{
		{filepath.Join(bad, "hosts.ini"), Options{}, []string{
			"hosts.ini:3: host pattern \"rtr[05:01]\": range [05:01]: start after end",
			"hosts.ini:6: unknown section kind \"child\"",
			"hosts.ini:10: host \"e1\": expected key=value, not \"ansible_user\"",
		}},
		{filepath.Join(bad, "inventory.yml"), Options{}, []string{
			"inventory.yml:4: unknown key \"host\" in group \"core\" (did you mean \"hosts\"?)",
			"inventory.yml:9: host \"e1\": ansible_port: expected a single value, not a list",
		}},
		{filepath.Join(bad, "nornir"), Options{}, []string{
			"hosts.yaml:2: unknown key \"hostnme\" in host \"r1\" (did you mean \"hostname\"?)",
		}},
		{filepath.Join(bad, "ssh_config"), Options{Format: FormatSSHConfig}, []string{
			"ssh_config:5: host \"jumpy\": ProxyJump hop \"user@:22\" has no host",
		}},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			c.opts.Home = t.TempDir()
			inv, err := Open(c.path, c.opts)
			if err == nil {
				t.Fatalf("no error; devices %v", briefs(inv))
			}
			got := problemTexts(t, err)
			if len(got) != len(c.want) {
				t.Fatalf("problems:\n%s", strings.Join(got, "\n"))
			}
			for i, w := range c.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

func TestOpenBadValuesAfterStructure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hosts")
	writeFile(t, path, "[chi1]\nrtr1 ansible_host=10.0.0.1 ansible_port=99999\nfw1 ansible_network_os=vyos.vyos.vyos\nsw1 ansible_host=\"{{ lookup('env', 'X') }}\"\n")
	_, err := Open(path, Options{Home: dir})
	got := problemTexts(t, err)
	want := []string{
		path + ":2: host \"rtr1\": bad ansible_port \"99999\": expected a number from 1 to 65535",
		path + ":3: host \"fw1\": unknown ansible_network_os \"vyos.vyos.vyos\"",
		path + ":4: host \"sw1\": ansible_host: netauto evaluates only {{ variable }} references",
	}
	if len(got) != len(want) {
		t.Fatalf("problems:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
}

func TestOpenNornirUnknownGroupAndPlatform(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "hosts.yaml"), "r1:\n  hostname: 10.0.0.1\n  groups: [cisko]\nr2:\n  platform: fortinet\n")
	writeFile(t, filepath.Join(dir, "groups.yaml"), "cisco: {platform: ios}\n")
	_, err := Open(dir, Options{Home: dir})
	got := problemTexts(t, err)
	if len(got) != 2 || !strings.Contains(got[0], "hosts.yaml:3: unknown group \"cisko\"") ||
		!strings.Contains(got[1], "hosts.yaml:5: host \"r2\": unknown platform \"fortinet\"") {
		t.Fatalf("problems:\n%s", strings.Join(got, "\n"))
	}
}

func TestOpenSSHConfigIncludeLoop(t *testing.T) {
	home := t.TempDir()
	writeFile(t, filepath.Join(home, ".ssh", "config"), "Host a\n  HostName 10.0.0.1\nInclude config\n")
	_, err := Open(SSHConfigPath, Options{Home: home})
	got := problemTexts(t, err)
	if len(got) != 1 || !strings.Contains(got[0], "Include loop") {
		t.Fatalf("problems: %q", got)
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name, data string
		want       Format
	}{
		{"empty", "", FormatNetauto},
		{"netauto", "devices:\n  r1: {host: a, platform: ios}\n", FormatNetauto},
		{"ansible yaml", "all:\n  hosts:\n    r1:\n", FormatAnsibleYAML},
		{"ansible ini", "# c\n[routers]\nr1\n", FormatAnsibleINI},
		{"ansible ini ungrouped", "r1 ansible_host=10.0.0.1\nr2\n", FormatAnsibleINI},
		{"ssh config", "Host r1\n  HostName 10.0.0.1\n", FormatSSHConfig},
	}
	for _, c := range cases {
		got, err := Detect("f", []byte(c.data))
		if err != nil || got != c.want {
			t.Errorf("%s: Detect = %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	if _, err := Detect("f", []byte("r1:\n  hostname: 10.0.0.1\n  platform: ios\n")); err == nil || !strings.Contains(err.Error(), "Nornir") {
		t.Errorf("Nornir hosts file: %v", err)
	}
	if _, err := Detect("f", []byte("foo:\n  bar: 1\n")); err == nil || !strings.Contains(err.Error(), "--inventory-format") {
		t.Errorf("unknown YAML: %v", err)
	}
}

func TestExpandHostPattern(t *testing.T) {
	cases := map[string][]string{
		"rtr[01:03].chi1": {"rtr01.chi1", "rtr02.chi1", "rtr03.chi1"},
		"[a:c]-sw":        {"a-sw", "b-sw", "c-sw"},
		"r[1:5:2]":        {"r1", "r3", "r5"},
		"s[1:2][a:b]":     {"s1a", "s1b", "s2a", "s2b"},
		"plain":           {"plain"},
	}
	for in, want := range cases {
		got, err := expandHostPattern(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"r[1:", "r]", "r[1:2:0]", "r[a:3]", "r[0:999999999]"} {
		if _, err := expandHostPattern(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestMapPlatform(t *testing.T) {
	for name, want := range map[string]Platform{
		"cisco.ios.ios": PlatformIOS, "arista.eos.eos": PlatformEOS, "junipernetworks.junos.junos": PlatformJunos,
		"cisco.nxos.nxos": PlatformNXOS, "cisco.iosxr.iosxr": PlatformIOSXR, "ios": PlatformIOS, "eos": PlatformEOS,
		"junos": PlatformJunos, "nxos": PlatformNXOS, "iosxr": PlatformIOSXR, "cisco_ios": PlatformIOS,
		"cisco_xe": PlatformIOSXE, "cisco_nxos": PlatformNXOS, "cisco_xr": PlatformIOSXR, "arista_eos": PlatformEOS,
		"juniper_junos": PlatformJunos, "linux": PlatformLinux, "cisco_iosxe": PlatformIOSXE, "Cisco_IOS": PlatformIOS,
	} {
		if got, ok := mapPlatform(name); !ok || got != want {
			t.Errorf("%s → %s, %v", name, got, ok)
		}
	}
	if _, ok := mapPlatform("vyos.vyos.vyos"); ok {
		t.Error("vyos mapped")
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats {
		if got, err := ParseFormat(string(f)); err != nil || got != f {
			t.Errorf("%s: %v %v", f, got, err)
		}
	}
	if _, err := ParseFormat("csv"); err == nil {
		t.Error("csv accepted")
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
