package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"netauto/simlab"
)

// TestEndToEndChangedHostKeyInTmux: in the console, a device whose key
// differs from the one in known_hosts is refused at once with a hostkey
// reason; no dialog offers to trust it, and known_hosts is untouched.
func TestEndToEndChangedHostKeyInTmux(t *testing.T) {
	s := newTmuxServer(t)
	dir := t.TempDir()
	bin := buildNetauto(t)
	lab := startLab(t, simlab.Options{Devices: 3, NoFaults: true})
	devs := lab.Devices()
	victim, other := devs[0], devs[1]
	known, err := os.ReadFile(lab.KnownHostsPath())
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	var otherKey ssh.PublicKey
	for _, line := range strings.SplitAfter(string(known), "\n") {
		_, hosts, key, _, _, err := ssh.ParseKnownHosts([]byte(line))
		if err == nil && hosts[0] == knownhosts.Normalize(other.Addr) {
			otherKey = key
		}
		if err == nil && hosts[0] == knownhosts.Normalize(victim.Addr) {
			continue
		}
		kept = append(kept, line)
	}
	if otherKey == nil {
		t.Fatalf("no known_hosts line for %s:\n%s", other.Addr, known)
	}
	kept = append(kept, knownhosts.Line([]string{knownhosts.Normalize(victim.Addr)}, otherKey)+"\n")
	knownHosts := filepath.Join(dir, "known_hosts")
	before := strings.Join(kept, "")
	if err := os.WriteFile(knownHosts, []byte(before), 0o600); err != nil {
		t.Fatal(err)
	}

	s.Start("console", 200, 48, isolatedEnv(dir), consoleArgv(bin, dir, lab.InventoryPath(), knownHosts))
	s.WaitFor("console", "Inventory")
	launchOn(s, "console", victim.Name, "show version")
	screen := s.WaitFor("console", "hostkey: key for", "changed")
	if strings.Contains(screen, "Unknown host key") || strings.Contains(screen, "trust this key") {
		t.Errorf("a dialog offers to trust a changed key:\n%s", screen)
	}
	if after, _ := os.ReadFile(knownHosts); string(after) != before {
		t.Errorf("known_hosts changed:\n%s", after)
	}
}
