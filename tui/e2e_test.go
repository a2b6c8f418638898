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

// TestEndToEndInTmux drives the real console binary (tui/testdata/console,
// wired exactly as main.go will call tui.Run) in tmux against `netauto lab`:
// select a site, run show version, see ok; run show tech-support, cancel
// with x, see canceled and the gauge at zero; quit, restart, see both in
// history; the pane title stays untouched.
func TestEndToEndInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: end-to-end console test skipped")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	for pkg, out := range map[string]string{"netauto": filepath.Join(bin, "netauto"), "netauto/tui/testdata/console": filepath.Join(bin, "console")} {
		if b, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", pkg, err, b)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	labDir := filepath.Join(dir, "lab")
	lab := exec.CommandContext(ctx, filepath.Join(bin, "netauto"), "lab", "--dir", labDir, "--devices", "6", "--no-faults")
	stdout, _ := lab.StdoutPipe()
	lab.Env = append(os.Environ(), "HOME="+dir)
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

	session := "netauto-e2e-" + filepath.Base(dir)
	console := strings.Join([]string{filepath.Join(bin, "console"), "--inventory", filepath.Join(labDir, "inventory.yaml"),
		"--db", filepath.Join(dir, "history.db"), "--known-hosts", filepath.Join(labDir, "known_hosts"), "--log", filepath.Join(dir, "log")}, " ")
	tmux := func(args ...string) string {
		out, err := exec.Command("tmux", append([]string{"-L", session}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	start := func() {
		tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "48", "env HOME="+dir+" "+passwordEnv+" "+console+"; sleep 60")
		tmux("select-pane", "-t", session, "-T", "e2e-title")
	}
	capture := func() string { return tmux("capture-pane", "-p", "-t", session) }
	waitFor := func(what string, cond func(string) bool) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			s := capture()
			if cond(s) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s:\n%s", what, s)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	has := func(subs ...string) func(string) bool {
		return func(s string) bool {
			for _, sub := range subs {
				if !strings.Contains(s, sub) {
					return false
				}
			}
			return true
		}
	}
	defer exec.Command("tmux", "-L", session, "kill-server").Run()

	start()
	waitFor("the inventory", has("Inventory 6/6", "chi1"))
	tmux("send-keys", "-t", session, "Space", ":")
	tmux("send-keys", "-t", session, "-l", "show version")
	tmux("send-keys", "-t", session, "Enter")
	s := waitFor("two ok runs", func(s string) bool { return strings.Count(s, "✓ ok") == 2 })
	if !strings.Contains(s, "Configuration register") && !strings.Contains(s, "uptime") {
		t.Errorf("no show version output on screen:\n%s", s)
	}

	tmux("send-keys", "-t", session, "A", "Down", "Down", "Space", ":")
	tmux("send-keys", "-t", session, "-l", "show tech-support")
	tmux("send-keys", "-t", session, "Enter")
	waitFor("tech-support running", has("running", "show tech-support"))
	tmux("send-keys", "-t", session, "x")
	waitFor("canceled and gauge at zero", has("⊘ canceled", "0/50"))

	tmux("send-keys", "-t", session, "q")
	time.Sleep(500 * time.Millisecond)
	waitFor("the console to exit", func(s string) bool { return !strings.Contains(s, "Inventory 6/6") })
	tmux("kill-session", "-t", session)
	start()
	waitFor("the inventory again", has("Inventory 6/6"))
	tmux("send-keys", "-t", session, "H")
	waitFor("both launches in history", has("History · 3 runs", "show tech-support", "show version", "canceled"))
	tmux("send-keys", "-t", session, "G", "Enter")
	waitFor("stored output", func(s string) bool { return strings.Contains(s, "#1 ") })
	if title := strings.TrimSpace(tmux("display-message", "-p", "-t", session, "#{pane_title}")); title != "e2e-title" && title != "netauto" {
		t.Errorf("pane title changed to %q", title)
	}
}
