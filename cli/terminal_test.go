package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"netauto/simlab"
)

// ptyRun is the real binary running on a pseudo-terminal.
type ptyRun struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

// startOnPTY starts the binary with stdin, stdout and stderr on a pty and
// the harness's environment (colors allowed).
func startOnPTY(t *testing.T, h *harness, args ...string) *ptyRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	args = append(args, "--db", h.db, "--known-hosts", h.knownHosts)
	cmd := exec.CommandContext(ctx, binary(t), args...)
	for k, v := range h.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "TERM=xterm-256color", "USER=tester")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 160})
	if err != nil {
		t.Fatal(err)
	}
	p := &ptyRun{t: t, cmd: cmd, tty: tty, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			p.mu.Lock()
			p.out.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { tty.Close() })
	return p
}

// output is everything the terminal showed so far.
func (p *ptyRun) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// waitFor waits until the terminal shows s.
func (p *ptyRun) waitFor(s string) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(p.output(), s) {
		if time.Now().After(deadline) {
			p.t.Fatalf("terminal never showed %q:\n%s", s, p.output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// wait returns the exit status once the process and its output have ended.
func (p *ptyRun) wait() int {
	p.t.Helper()
	err := p.cmd.Wait()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	if err != nil {
		p.t.Fatal(err)
	}
	return 0
}

// TestTerminalPasswordPrompt: on a terminal, a password nobody set is asked
// once at a masked prompt, the run logs in with it, and the output is
// colored.
func TestTerminalPasswordPrompt(t *testing.T) {
	lab := faultLab.get(t)
	h := newHarness(t, lab)
	delete(h.env, simlab.PasswordEnv)
	p := startOnPTY(t, h, "run", "--device", "lab-password", "-c", "uname -a")
	p.waitFor("(device lab-password): ")
	io.WriteString(p.tty, lab.Password()+"\r")
	if code := p.wait(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, p.output())
	}
	out := p.output()
	if strings.Contains(out, lab.Password()) {
		t.Error("the password was echoed")
	}
	if !strings.Contains(out, "\x1b[") || !strings.Contains(out, "Linux") {
		t.Errorf("no colored output:\n%q", out)
	}
}

// TestTerminalConfirm: above 20 devices a terminal is asked before anything
// runs; anything but yes runs nothing and exits 2.
func TestTerminalConfirm(t *testing.T) {
	h := newHarness(t, nil)
	inv := "defaults: {platform: linux}\ndevices:\n"
	for i := range 21 {
		inv += fmt.Sprintf("  d%02d: {host: 127.0.0.1, port: 1}\n", i)
	}
	h.env["NETAUTO_INVENTORY"] = h.writeInventory(inv)
	p := startOnPTY(t, h, "run", "--all", "-c", "uname -a")
	p.waitFor("Run on 21 devices? [y/N] ")
	io.WriteString(p.tty, "n\r")
	if code := p.wait(); code != 2 {
		t.Fatalf("exit %d, want 2:\n%s", code, p.output())
	}
	if _, err := os.Stat(h.db); err == nil {
		t.Error("declined run opened the database")
	}

	p = startOnPTY(t, h, "run", "--all", "-c", "uname -a")
	p.waitFor("[y/N] ")
	io.WriteString(p.tty, "y\r")
	if code := p.wait(); code != 1 { // every device is a closed port
		t.Fatalf("exit %d, want 1:\n%s", code, p.output())
	}
	if runs := h.history(); len(runs) != 21 {
		t.Fatalf("%d runs stored, want 21", len(runs))
	}
}

// TestTerminalDemoConsole: `netauto demo` on a terminal opens the console
// on the demo lab (main.go wires package tui); q quits it, exit 0, and
// the temporary lab is gone.
func TestTerminalDemoConsole(t *testing.T) {
	h := newHarness(t, nil)
	h.env["TMPDIR"] = t.TempDir()
	p := startOnPTY(t, h, "demo")
	p.waitFor("demo lab")
	p.waitFor("chi1-core-1")
	io.WriteString(p.tty, "q")
	if code := p.wait(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, p.output())
	}
	if left, _ := os.ReadDir(h.env["TMPDIR"]); len(left) != 0 {
		t.Errorf("demo left %d entries in TMPDIR", len(left))
	}
}

// TestTerminalConsole: `netauto` alone on a terminal opens the console on
// the inventory named by the environment; q quits with exit 0.
func TestTerminalConsole(t *testing.T) {
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	p := startOnPTY(t, h)
	p.waitFor(lab.Devices()[0].Name)
	io.WriteString(p.tty, "q")
	if code := p.wait(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, p.output())
	}
}
