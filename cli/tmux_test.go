package cli

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunEscapesInTmux runs the real `netauto run` in a tmux pane against
// the lab's fault-escape device (OSC 52 clipboard writes, OSC 0/2 titles,
// DCS queries, 8-bit C1 controls, screen clears). The terminal must be
// untouched: the pane shows the output's text, its title stays, and no
// clipboard write reaches tmux (set-clipboard on; a control window proves
// that this tmux takes a plain program's OSC 2 and OSC 52).
func TestRunEscapesInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("tmux test skipped in -short mode")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	lab := faultLab.get(t)
	h := newHarness(t, lab)
	bin := binary(t)
	socket := filepath.Join(t.TempDir(), "tmux.sock") // a path: named sockets share a directory whose creation races
	tmux := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("tmux", append([]string{"-S", socket, "-f", "/dev/null"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	t.Cleanup(func() { exec.Command("tmux", "-S", socket, "kill-server").Run() })
	waitFor := func(target string, cond func(string) bool) string {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			s := tmux("capture-pane", "-p", "-J", "-S", "-", "-t", target)
			if cond(s) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out; pane %s:\n%s", target, s)
			}
		}
	}

	env := []string{"NO_COLOR=1", "USER=tester"}
	for k, v := range h.env {
		env = append(env, k+"="+v)
	}
	argv := []string{bin, "run", "--device", "fault-escape", "-c", "show-escapes", "--db", h.db, "--known-hosts", h.knownHosts}
	// The pane waits for Enter, so that its title is set before netauto runs.
	tmux("new-session", "-d", "-s", "run", "-x", "200", "-y", "60",
		"read go; env -i "+strings.Join(env, " ")+" "+strings.Join(argv, " ")+"; echo EXIT=$?; sleep 60")
	tmux("set-option", "-g", "set-clipboard", "on")
	tmux("select-pane", "-t", "run", "-T", "cli-title")

	// Control: a plain program's OSC 52 and OSC 2 do reach this tmux.
	tmux("new-window", "-d", "-t", "run", "-n", "control",
		`printf '\033]52;c;Y29udHJvbA==\007\033]2;control-title\007'; sleep 60`)
	waitFor("run:control", func(string) bool {
		return strings.TrimSpace(tmux("list-buffers")) != "" &&
			strings.TrimSpace(tmux("display-message", "-p", "-t", "run:control", "#{pane_title}")) == "control-title"
	})
	tmux("delete-buffer")

	tmux("send-keys", "-t", "run:0", "Enter")
	screen := waitFor("run:0", func(s string) bool { return strings.Contains(s, "EXIT=") })
	if !strings.Contains(screen, "EXIT=0") {
		t.Errorf("netauto run did not exit 0:\n%s", screen)
	}
	for _, want := range []string{
		"fault-escape | OSC 52 clipboard write: (end)",
		"fault-escape | OSC 0 title change: (end)",
		"fault-escape | DCS query (XTGETTCAP): (end)",
		"fault-escape | CSI clear screen and home: (end)",
		"fault-escape | C1 OSC (8-bit): (end)",
		"fault-escape | progress 100%(end)rogress 10%", // CR overwrote the line's start
		"fault-escape | backspaces: password: *******(end)",
		"fault-escape | Interface status for fault-escape",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("pane lacks the sanitized line %q:\n%s", want, screen)
		}
	}
	for _, bad := range []string{"owned by", "another title", "c1 title", "Y3VybC", "544e", "hunter2", "\x1b"} {
		if strings.Contains(screen, bad) {
			t.Errorf("pane shows %q, part of an escape sequence or erased text:\n%s", bad, screen)
		}
	}
	if !strings.Contains(screen, "1 run: 1 ok, 0 failed") {
		t.Errorf("no summary, or the screen was cleared:\n%s", screen)
	}
	if title := strings.TrimSpace(tmux("display-message", "-p", "-t", "run:0", "#{pane_title}")); title != "cli-title" {
		t.Errorf("pane title changed to %q", title)
	}
	if bufs := strings.TrimSpace(tmux("list-buffers")); bufs != "" {
		t.Errorf("a clipboard write (OSC 52) reached tmux: %s", bufs)
	}
}
