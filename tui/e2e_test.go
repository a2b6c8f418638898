package tui

import (
	"strings"
	"testing"
	"time"
)

// TestEndToEndInTmux drives the real `netauto` binary (no subcommand: the
// console, as an operator opens it) in tmux against `netauto lab`: select a
// site, run show version, see ok; run show tech-support, cancel with x, see
// canceled and the gauge at zero; quit, restart, see both in history; the
// pane title stays untouched.
func TestEndToEndInTmux(t *testing.T) {
	s := newTmuxServer(t)
	dir := t.TempDir()
	bin := buildNetauto(t)
	lab := startLabProcess(t, bin, dir, "--devices", "6", "--no-faults")

	const target = "console"
	argv := consoleArgv(bin, dir, lab.inventoryPath(), lab.knownHostsPath())
	start := func() {
		s.Start(target, 160, 48, isolatedEnv(dir, lab.passwordEnv), argv)
		s.Run("select-pane", "-t", target, "-T", "e2e-title")
	}

	start()
	s.WaitFor(target, "Inventory 6/6", "chi1")
	s.Keys(target, "Space", ":")
	s.Type(target, "show version")
	s.Keys(target, "Enter")
	screen := s.WaitUntil(target, "two ok runs", func(s string) bool { return strings.Count(s, "✓ ok") == 2 })
	if !strings.Contains(screen, "Configuration register") && !strings.Contains(screen, "uptime") {
		t.Errorf("no show version output on screen:\n%s", screen)
	}

	s.Keys(target, "A", "Down", "Down", "Space", ":")
	s.Type(target, "show tech-support")
	s.Keys(target, "Enter")
	s.WaitFor(target, "running", "show tech-support")
	s.Keys(target, "x")
	s.WaitFor(target, "⊘ canceled", "0/50")

	s.Keys(target, "q")
	time.Sleep(500 * time.Millisecond)
	s.WaitUntil(target, "the console to exit", func(s string) bool { return !strings.Contains(s, "Inventory 6/6") })
	s.Run("kill-session", "-t", target)
	start()
	s.WaitFor(target, "Inventory 6/6")
	s.Keys(target, "H")
	s.WaitFor(target, "History · 3 runs", "show tech-support", "show version", "canceled")
	s.Keys(target, "G", "Enter")
	s.WaitFor(target, "#1 ")
	if title := s.Title(target); title != "e2e-title" && title != "netauto" {
		t.Errorf("pane title changed to %q", title)
	}
}
