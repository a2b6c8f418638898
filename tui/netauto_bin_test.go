package tui

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// netautoBin is the real `netauto` binary the end-to-end tests drive, built
// at most once per package run into a temporary directory that TestMain
// removes.
var netautoBin struct {
	once      sync.Once
	dir, path string
	err       error
	out       []byte
}

// TestMain runs the package's tests, then removes the directory of the
// netauto binary if a test built one.
func TestMain(m *testing.M) {
	code := m.Run()
	if netautoBin.dir != "" {
		os.RemoveAll(netautoBin.dir)
	}
	os.Exit(code)
}

// netautoTags are the build tags of the binary; the console speed test
// adds keytrace (see keytrace.go).
var netautoTags string

// buildNetauto returns the path of the real `netauto` binary (package main
// of this module, the one operators run), building it on the first call.
func buildNetauto(t *testing.T) string {
	t.Helper()
	netautoBin.once.Do(func() {
		netautoBin.dir, netautoBin.err = os.MkdirTemp("", "netauto-tui-e2e-")
		if netautoBin.err != nil {
			return
		}
		netautoBin.path = filepath.Join(netautoBin.dir, "netauto")
		netautoBin.out, netautoBin.err = exec.Command("go", "build", "-tags", netautoTags, "-o", netautoBin.path, "netauto").CombinedOutput()
	})
	if netautoBin.err != nil {
		t.Fatalf("build netauto: %v\n%s", netautoBin.err, netautoBin.out)
	}
	return netautoBin.path
}

// consoleArgv is the command line that opens the console (`netauto` with
// no subcommand) on inventory, with the history database in dir and the
// given known_hosts file. Its log goes to netauto.log in the state
// directory of isolatedEnv(dir).
func consoleArgv(bin, dir, inventory, knownHosts string) []string {
	return []string{bin, "--inventory", inventory, "--db", filepath.Join(dir, "history.db"), "--known-hosts", knownHosts}
}

// isolatedEnv is the environment of a netauto started by a test: HOME, the
// XDG directories and SSH_AUTH_SOCK point into dir (no agent listens there),
// so nothing of the user's ssh config, keys, netauto config or state is read
// or written. extra entries (KEY=VALUE) are appended.
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
