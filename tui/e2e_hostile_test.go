package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"netauto/inventory"
	"netauto/simlab"
)

// startLab serves a simulated fleet for one test.
func startLab(t *testing.T, opts simlab.Options) *simlab.Lab {
	t.Helper()
	opts.Dir = filepath.Join(t.TempDir(), "lab")
	lab, err := simlab.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lab.Close() })
	return lab
}

// launchOn filters the inventory down to device, selects it and launches
// command on it.
func launchOn(s *tmuxServer, target, device, command string) {
	s.t.Helper()
	s.Keys(target, "/")
	s.Type(target, device)
	s.Keys(target, "Enter")
	s.WaitFor(target, "Inventory 1/")
	s.Keys(target, "a", ":")
	s.Type(target, command)
	s.Keys(target, "Enter")
}

// TestEndToEndEscapeSequencesInTmux runs the console (the real `netauto`
// binary with no subcommand) in tmux against the lab's fault-escape device,
// whose output is laced with OSC 52 clipboard writes, title changes, DCS
// queries, screen clears and C1 controls. The terminal must be untouched:
// the screen shows the output's text in its pane with the console's layout
// intact, the pane title stays, and no clipboard write reaches tmux
// (set-clipboard on, so one would become a paste buffer; a control window
// proves tmux would catch one).
func TestEndToEndEscapeSequencesInTmux(t *testing.T) {
	s := newTmuxServer(t)
	dir := t.TempDir()
	bin := buildNetauto(t)
	lab := startLab(t, simlab.Options{Devices: 3})

	s.Start("console", 160, 48, isolatedEnv(dir), consoleArgv(bin, dir, lab.InventoryPath(), lab.KnownHostsPath()))
	s.Run("set-option", "-g", "set-clipboard", "on")
	s.Run("select-pane", "-t", "console", "-T", "e2e-title")

	// Control: a plain program's OSC 52 and OSC 2 do reach this tmux.
	s.Run("new-window", "-d", "-t", "console", "-n", "control",
		`printf '\033]52;c;Y29udHJvbA==\007\033]2;control-title\007'; sleep 60`)
	s.WaitForBuffers(1)
	if title := s.Title("console:control"); title != "control-title" {
		t.Fatalf("control window title is %q: this tmux does not take OSC 2, the title check would prove nothing", title)
	}
	s.Run("delete-buffer")
	s.WaitForBuffers(0)

	s.WaitFor("console", "Inventory")
	launchOn(s, "console", "fault-escape", "show version")
	// An OSC left open hides what follows it up to sanitize.MaxEscapeString
	// bytes, as a terminal would; the last lines are the open OSC's.
	screen := s.WaitFor("console", "✓ ok", "unterminated OSC at the end of a line:")

	for _, want := range []string{"OSC 52 clipboard write: (end)", "OSC 0 title change: (end)", "CSI clear screen and home: (end)",
		"C1 OSC (8-bit): (end)", "progress 100%(end)"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks the sanitized line %q:\n%s", want, screen)
		}
	}
	for _, bad := range []string{"owned by", "another title", "c1 title", "never closed", "Y3VybC", "544e", "hunter2"} {
		if strings.Contains(screen, bad) {
			t.Errorf("screen shows %q, part of an escape sequence or an erased text:\n%s", bad, screen)
		}
	}
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	if !strings.HasPrefix(lines[0], "netauto") || !strings.Contains(lines[len(lines)-1], "quit") {
		t.Errorf("the console's layout moved (top bar, help line):\n%s", screen)
	}
	if title := s.Title("console"); title != "e2e-title" && title != "netauto" {
		t.Errorf("pane title changed to %q", title)
	}
	if bufs := strings.TrimSpace(s.Run("list-buffers")); bufs != "" {
		t.Errorf("a clipboard write (OSC 52) reached tmux: %s", bufs)
	}
}

// TestEndToEndUnknownHostKeyInTmux starts the console with a known_hosts
// that lacks one device's key, launches on it, sees the dialog with the
// key's full SHA256 fingerprint, trusts it once and sees the run end ok;
// trusting once writes nothing to known_hosts.
func TestEndToEndUnknownHostKeyInTmux(t *testing.T) {
	s := newTmuxServer(t)
	dir := t.TempDir()
	bin := buildNetauto(t)
	lab := startLab(t, simlab.Options{Devices: 3, NoFaults: true})
	var dev simlab.DeviceInfo
	for _, d := range lab.Devices() {
		if d.Platform == inventory.PlatformIOSXR {
			dev = d
		}
	}
	if dev.Name == "" {
		t.Fatal("the lab has no iosxr device")
	}
	known, err := os.ReadFile(lab.KnownHostsPath())
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	var fingerprint string
	for _, line := range strings.SplitAfter(string(known), "\n") {
		if strings.HasPrefix(line, "["+strings.Replace(dev.Addr, ":", "]:", 1)+" ") {
			_, _, key, _, _, err := ssh.ParseKnownHosts([]byte(line))
			if err != nil {
				t.Fatal(err)
			}
			fingerprint = ssh.FingerprintSHA256(key)
			continue
		}
		kept = append(kept, line)
	}
	if fingerprint == "" {
		t.Fatalf("no known_hosts line for %s (%s):\n%s", dev.Name, dev.Addr, known)
	}
	knownHosts := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(knownHosts, []byte(strings.Join(kept, "")), 0o600); err != nil {
		t.Fatal(err)
	}

	s.Start("console", 160, 48, isolatedEnv(dir), consoleArgv(bin, dir, lab.InventoryPath(), knownHosts))
	s.WaitFor("console", "Inventory")
	launchOn(s, "console", dev.Name, "show version")
	s.WaitFor("console", "Unknown host key", dev.Name, fingerprint, "trust this key once")
	s.Keys("console", "o")
	screen := s.WaitFor("console", "✓ ok")
	if strings.Contains(screen, "Unknown host key") {
		t.Errorf("the dialog is still open after o:\n%s", screen)
	}
	after, err := os.ReadFile(knownHosts)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != strings.Join(kept, "") {
		t.Errorf("trust once changed known_hosts:\n%s", after)
	}
}
