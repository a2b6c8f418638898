package tui

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tmuxWait bounds every wait for the screen in the tmux tests.
const tmuxWait = 20 * time.Second

// tmuxServer is a private tmux server (its own socket in the test's
// temporary directory, no config file) in which a test runs the console
// like an operator's terminal would. The socket is a path (-S), not a name
// under the shared tmux directory (-L), whose creation races when servers
// of parallel tests start at once ("server exited unexpectedly").
type tmuxServer struct {
	t      *testing.T
	socket string
}

// newTmuxServer skips the test when tmux is missing or in -short mode, and
// returns a server that is killed when the test ends.
func newTmuxServer(t *testing.T) *tmuxServer {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end tmux test skipped in -short mode")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: end-to-end console test skipped")
	}
	s := &tmuxServer{t: t, socket: filepath.Join(t.TempDir(), "tmux.sock")}
	t.Cleanup(func() { exec.Command("tmux", "-S", s.socket, "kill-server").Run() })
	return s
}

// Run runs a tmux command on the server and returns its output.
func (s *tmuxServer) Run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", s.socket, "-f", "/dev/null"}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// Start opens session name, cols×rows, running argv with exactly env
// (KEY=VALUE entries; none may contain spaces), then sleeping so that the
// pane stays readable after the program exits.
func (s *tmuxServer) Start(name string, cols, rows int, env, argv []string) {
	s.t.Helper()
	shell := "env -i " + strings.Join(env, " ") + " " + strings.Join(argv, " ") + "; sleep 60"
	s.Run("new-session", "-d", "-s", name, "-x", strconv.Itoa(cols), "-y", strconv.Itoa(rows), shell)
}

// Capture returns the pane's text (no escape sequences).
func (s *tmuxServer) Capture(target string) string {
	s.t.Helper()
	return s.Run("capture-pane", "-p", "-t", target)
}

// Keys sends tmux key names (Enter, Space, Down...) to target.
func (s *tmuxServer) Keys(target string, keys ...string) {
	s.t.Helper()
	s.Run(append([]string{"send-keys", "-t", target}, keys...)...)
}

// Type sends text literally to target.
func (s *tmuxServer) Type(target, text string) {
	s.t.Helper()
	s.Run("send-keys", "-t", target, "-l", text)
}

// WaitFor polls target's screen until every want is on it, and returns
// the screen; it fails the test after tmuxWait.
func (s *tmuxServer) WaitFor(target string, want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(tmuxWait)
	for {
		screen := s.Capture(target)
		missing := ""
		for _, w := range want {
			if !strings.Contains(screen, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %q on screen:\n%s", missing, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// WaitUntil polls target's screen until cond holds on it, and returns the
// screen; it fails the test after tmuxWait, naming what it waited for.
func (s *tmuxServer) WaitUntil(target, what string, cond func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(tmuxWait)
	for {
		screen := s.Capture(target)
		if cond(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s:\n%s", what, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Title returns target's pane title.
func (s *tmuxServer) Title(target string) string {
	s.t.Helper()
	return strings.TrimSpace(s.Run("display-message", "-p", "-t", target, "#{pane_title}"))
}

// WaitForBuffers waits until the server holds n paste buffers.
func (s *tmuxServer) WaitForBuffers(n int) {
	s.t.Helper()
	deadline := time.Now().Add(tmuxWait)
	for {
		out := strings.TrimSpace(s.Run("list-buffers"))
		got := 0
		if out != "" {
			got = strings.Count(out, "\n") + 1
		}
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("tmux holds %d paste buffers, want %d:\n%s", got, n, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
