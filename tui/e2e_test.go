package tui

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
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
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	labDir := filepath.Join(dir, "lab")
	lab := exec.CommandContext(ctx, bin, "lab", "--dir", labDir, "--devices", "6", "--no-faults")
	stdout, _ := lab.StdoutPipe()
	lab.Env = isolatedEnv(dir)
	if err := lab.Start(); err != nil {
		t.Fatal(err)
	}
	defer lab.Wait()
	defer lab.Process.Signal(os.Interrupt)
	ready := make(chan struct{})
	var passwordEnv string
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "export NETAUTO_LAB_PASSWORD="); ok {
				passwordEnv = "NETAUTO_LAB_PASSWORD=" + v
			}
			if strings.Contains(sc.Text(), "Press Ctrl-C") {
				close(ready)
				for sc.Scan() {
				}
				return
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("lab did not start")
	}
	if passwordEnv == "" {
		t.Fatal("the lab did not print NETAUTO_LAB_PASSWORD")
	}

	const target = "console"
	argv := consoleArgv(bin, dir, filepath.Join(labDir, "inventory.yaml"), filepath.Join(labDir, "known_hosts"))
	start := func() {
		s.Start(target, 160, 48, isolatedEnv(dir, passwordEnv), argv)
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
