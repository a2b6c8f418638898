package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestHostkeysScan: a scan prints the fingerprint of an unknown key as new
// and records nothing; --accept records it; the next scan says known and a
// run then trusts the device without --accept-new-host-keys.
func TestHostkeysScan(t *testing.T) {
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	writeTestFile(t, h.knownHosts, "")
	dev := lab.Devices()[1].Name
	row := func(state string) *regexp.Regexp {
		return regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(dev) + `\s+\[127\.0\.0\.1\]:\d+\s+ssh-\S+\s+SHA256:\S+\s+` + state)
	}

	r := h.run("hostkeys", "scan", "--device", dev).want(t, 0)
	if !row("new$").MatchString(r.stdout) {
		t.Fatalf("scan:\n%s", r)
	}
	if data, _ := os.ReadFile(h.knownHosts); len(data) != 0 {
		t.Fatalf("scan without --accept wrote known_hosts: %q", data)
	}
	r = h.run("hostkeys", "scan", "--device", dev, "--accept").want(t, 0)
	if !row("new: recorded$").MatchString(r.stdout) {
		t.Fatalf("scan --accept:\n%s", r)
	}
	r = h.run("hostkeys", "scan", "--device", dev).want(t, 0)
	if !row("known$").MatchString(r.stdout) {
		t.Fatalf("scan after accept:\n%s", r)
	}
	h.run("run", "--device", dev, "-c", "show version").want(t, 0)

	r = h.run("hostkeys", "scan", "--all", "--inventory", h.writeInventory(
		"defaults: {platform: linux}\ndevices:\n  closed: {host: 127.0.0.1, port: 1}\n")).want(t, 1)
	if !strings.Contains(r.stdout, "connect: ") {
		t.Errorf("unreachable device:\n%s", r)
	}
	h.run("hostkeys", "--all").want(t, 2)
	h.run("hostkeys", "scan").want(t, 2)
}
