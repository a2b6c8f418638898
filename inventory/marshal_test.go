package inventory

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func roundTrip(t *testing.T, inv *Inventory) *Inventory {
	t.Helper()
	out, err := Marshal(inv)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	back, err := Parse(inv.Path, out)
	if err != nil {
		t.Fatalf("Parse(Marshal): %v\n%s", err, out)
	}
	return back
}

func TestMarshalRoundTrip(t *testing.T) {
	srcs := map[string]string{
		"example": example,
		"select":  selectInv,
		"every key": `
defaults: {username: "007", platform: ios, agent: true, connect_timeout: 1m30s, key_file: "~/.ssh/id rsa"}
sites: {s1: {limit: 0}, s2: {limit: 12}}
groups:
  a: {port: 2200, username: "true", legacy_algorithms: true, site: s1}
  b: {jump: "u@h:22,[::1]:2222", idle_timeout: 45s, command_timeout: 10m, enable_password_env: EN}
  gen: {platform: generic, prompt_pattern: '^\S+[>#] ?$'}
devices:
  d1: {host: "::1", groups: [b, a], agent: false, password_env: PW, port: 22}
  d2: {host: h2, groups: [gen], legacy_algorithms: false, site: "#s"}
  d3: {host: h3, platform: linux, prompt_pattern: 'a: b # c'}
`,
	}
	for name, src := range srcs {
		t.Run(name, func(t *testing.T) {
			inv := mustParse(t, src)
			back := roundTrip(t, inv)
			back.Sources, inv.Sources = nil, nil // lines differ in the rewritten file
			if !reflect.DeepEqual(back, inv) {
				out, _ := Marshal(inv)
				t.Fatalf("round trip differs:\n got %+v\nwant %+v\nfile:\n%s", back, inv, out)
			}
		})
	}
}

func TestMarshalBuiltInventory(t *testing.T) {
	// An inventory built in code, as the simulated lab does: groups named by
	// devices but not defined are written as empty groups.
	limit := 3
	inv := &Inventory{
		Path:  "lab/inventory.yaml",
		Sites: map[string]Site{"lab-a": {Name: "lab-a", Limit: &limit}},
		Devices: []Device{
			{Name: "r1", Host: "127.0.0.1", Port: 40001, Platform: PlatformIOS, Site: "lab-a", Groups: []string{"healthy"}, KeyFile: "/tmp/lab/id_ed25519", CommandTimeout: time.Minute},
			{Name: "r2", Host: "127.0.0.1", Port: 40002, Platform: PlatformLinux, Site: "lab-b", Agent: true},
		},
	}
	back := roundTrip(t, inv)
	if !reflect.DeepEqual(back.Devices, inv.Devices) {
		t.Fatalf("devices:\n got %+v\nwant %+v", back.Devices, inv.Devices)
	}
	if _, ok := back.Groups["healthy"]; !ok {
		t.Errorf("group healthy not written")
	}
	if got := back.SiteLimits(); !reflect.DeepEqual(got, map[string]int{"lab-a": 3}) {
		t.Errorf("limits %v", got)
	}
}

func TestMarshalRefusesWhatCannotBeRead(t *testing.T) {
	inv := mustParse(t, example)
	inv.Devices[0].Username = "" // defaults set netops: cannot be unset per device
	if _, err := Marshal(inv); err == nil || !strings.Contains(err.Error(), `device "chi1-core-1": cannot be written`) {
		t.Errorf("unset inherited value: %v", err)
	}
	inv = mustParse(t, example)
	inv.Devices[1].Host = ""
	if _, err := Marshal(inv); err == nil || !strings.Contains(err.Error(), "missing host") {
		t.Errorf("missing host: %v", err)
	}
}
