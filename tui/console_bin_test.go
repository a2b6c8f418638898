package tui

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// buildConsole builds the console test binary (tui/testdata/console, wired
// as main.go wires tui.Run) into dir and returns its path.
func buildConsole(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(dir, "console")
	if b, err := exec.Command("go", "build", "-o", out, "netauto/tui/testdata/console").CombinedOutput(); err != nil {
		t.Fatalf("build the console: %v\n%s", err, b)
	}
	return out
}

// isolatedEnv is the environment of a console started by a test: HOME, the
// XDG directories and SSH_AUTH_SOCK point into dir (no agent listens there),
// so nothing of the user's ssh config, keys or state is read or written.
// extra entries (KEY=VALUE) are appended.
func isolatedEnv(dir string, extra ...string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"XDG_CONFIG_HOME=" + filepath.Join(dir, ".config"),
		"XDG_STATE_HOME=" + filepath.Join(dir, ".local", "state"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, ".cache"),
		"XDG_DATA_HOME=" + filepath.Join(dir, ".local", "share"),
		"SSH_AUTH_SOCK=" + filepath.Join(dir, "no-agent.sock"),
		"TERM=xterm-256color",
		"LANG=C.UTF-8",
	}
	return append(env, extra...)
}
