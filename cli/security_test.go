package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"netauto/simlab"
)

// TestBinarySecretsAndFileModes runs the real binary under umask 000 with
// default paths (no --db, --known-hosts or --log) on the lab's password
// devices (password login, keyboard-interactive login and enable) beside
// a dripping device that keeps the process alive. While it runs, its
// command line never holds the password; afterwards the password is in no
// file netauto wrote (database, WAL, log, known_hosts, everything under
// its state and config directories), byte for byte, and every such file
// is 0600 in 0700 directories.
func TestBinarySecretsAndFileModes(t *testing.T) {
	password := "Sekr1t-" + rand.Text()
	dir := t.TempDir()
	lab, err := simlab.Start(context.Background(), simlab.Options{Dir: filepath.Join(dir, "lab"), Devices: 1,
		Password: password, StreamDuration: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lab.Close() })
	h := newHarness(t, lab)
	if h.env[simlab.PasswordEnv] != password {
		t.Fatal("the harness does not export the lab password")
	}

	stateDir := filepath.Join(h.env["XDG_STATE_HOME"], "netauto")
	configDir := filepath.Join(h.env["XDG_CONFIG_HOME"], "netauto")
	// Password login, then keyboard-interactive login with enable.
	h.runSampled(t, password, stateDir, "lab-password", "whoami")
	out := h.runSampled(t, password, stateDir, "lab-kbdint", "show running-config")
	if !strings.Contains(out, "hostname lab-kbdint") {
		t.Errorf("lab-kbdint did not show its running config (enable):\n%s", out)
	}

	for _, want := range []string{filepath.Join(stateDir, "history.db"), filepath.Join(stateDir, "netauto.log"),
		filepath.Join(configDir, "known_hosts")} {
		if _, err := os.Stat(want); err != nil {
			t.Errorf("netauto did not write %s: %v", want, err)
		}
	}
	files := 0
	for _, root := range []string{stateDir, configDir} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			if perm := info.Mode().Perm(); d.IsDir() && perm != 0o700 || !d.IsDir() && perm != 0o600 {
				t.Errorf("%s has mode %o, want %o", path, perm, map[bool]os.FileMode{true: 0o700, false: 0o600}[d.IsDir()])
			}
			if d.IsDir() || !info.Mode().IsRegular() {
				return nil
			}
			files++
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if bytes.Contains(data, []byte(password)) {
				t.Errorf("the password is in %s", path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d files searched after the runs", files)
	// The two password runs are stored ok.
	for _, m := range h.runsByDevice(t) {
		if d := m["device"]; (d == "lab-password" || d == "lab-kbdint") && m["status"] != "ok" {
			t.Errorf("%v: %v %v", d, m["status"], m["error_reason"])
		}
	}
}

// runSampled runs the real binary under umask 000, with default paths, on
// device and fault-drip (which keeps the process alive a few seconds).
// While it runs it samples the process's command line, and the files in
// stateDir (the WAL exists only while the database is open), for the
// password. It returns stdout.
func (h *harness) runSampled(t *testing.T, password, stateDir, device, command string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const sh = `umask 000; exec "$0" "$@"`
	cmd := exec.CommandContext(ctx, "/bin/sh")
	cmd.Args = []string{"/bin/sh", "-c", sh, binary(t), "run", "--device", device, "--device", "fault-drip",
		"--accept-new-host-keys", "-c", command}
	for k, v := range h.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "NO_COLOR=1", "USER=tester")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	cmdline := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/cmdline"
	samples, wal := 0, 0
	var runErr error
	finished := false
sample:
	for i := range 2000 { // bounded: a run takes about 3 s
		select {
		case runErr = <-done:
			finished = true
			break sample
		case <-time.After(5 * time.Millisecond):
		}
		if b, err := os.ReadFile(cmdline); err == nil && len(b) > 0 {
			samples++
			if bytes.Contains(b, []byte(password)) {
				t.Errorf("the password is in the process's command line: %q", b)
			}
		}
		if i%20 == 0 {
			entries, _ := os.ReadDir(stateDir)
			for _, e := range entries {
				b, err := os.ReadFile(filepath.Join(stateDir, e.Name()))
				if err != nil {
					continue
				}
				if strings.HasSuffix(e.Name(), "-wal") && len(b) > 0 {
					wal++
				}
				if bytes.Contains(b, []byte(password)) {
					t.Errorf("the password is in %s while netauto runs", e.Name())
				}
			}
		}
	}
	if !finished {
		runErr = <-done // ctx kills it
	}
	t.Logf("%s: %d command-line samples, %d WAL samples", device, samples, wal)
	if samples < 10 || wal == 0 {
		t.Errorf("%s: only %d command-line and %d WAL samples while the run went on", device, samples, wal)
	}
	// fault-drip ends ok; a non-zero exit is a failed run.
	if runErr != nil {
		t.Fatalf("netauto run: %v\nstdout:\n%s\nstderr:\n%s", runErr, out.String(), errb.String())
	}
	if strings.Contains(out.String()+errb.String(), password) {
		t.Errorf("the password reached the terminal")
	}
	return out.String()
}

// runsByDevice lists the runs stored in the default database (no --db).
func (h *harness) runsByDevice(t *testing.T) []map[string]any {
	t.Helper()
	var out, errb bytes.Buffer
	code := h.Env().Main([]string{"history", "--json", "--limit", "0"}, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("history: exit %d: %s", code, errb.String())
	}
	return jsonLines(t, out.String())
}

// TestRunChangedHostKeyRefused: headless, a device whose key differs from
// the one in known_hosts is refused as changed, even with
// --accept-new-host-keys, and known_hosts is left as it was.
func TestRunChangedHostKeyRefused(t *testing.T) {
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	devs := lab.Devices()
	victim, other := devs[0], devs[1]
	data, err := os.ReadFile(h.knownHosts)
	if err != nil {
		t.Fatal(err)
	}
	var otherKey ssh.PublicKey
	var kept []string
	for _, line := range strings.SplitAfter(string(data), "\n") {
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
		t.Fatalf("no key for %s in the lab's known_hosts", other.Addr)
	}
	kept = append(kept, knownhosts.Line([]string{knownhosts.Normalize(victim.Addr)}, otherKey)+"\n")
	before := strings.Join(kept, "")
	writeTestFile(t, h.knownHosts, before)
	r := h.run("run", "--device", victim.Name, "--accept-new-host-keys", "-c", "show version").want(t, 1)
	want := "hostkey: key for " + knownhosts.Normalize(victim.Addr) + " changed"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("output lacks %q:\n%s", want, r)
	}
	if runs := h.history(); len(runs) != 1 || !strings.HasPrefix(runs[0]["error_reason"].(string), want) {
		t.Errorf("stored %v, want %q…", runs, want)
	}
	if after, _ := os.ReadFile(h.knownHosts); string(after) != before {
		t.Errorf("known_hosts changed:\n%s", after)
	}
}
