package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"netauto/simlab"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.DiscardHandler))
	code := m.Run()
	for _, l := range labs {
		if l.lab != nil {
			l.lab.Close()
		}
		os.RemoveAll(l.dir)
	}
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// sharedLab is a lab started once for the whole package (starting one costs
// host keys and listeners), each test using its own HOME, database and
// known_hosts beside it.
type sharedLab struct {
	once sync.Once
	dir  string
	lab  *simlab.Lab
	err  error
	opts simlab.Options
}

// The package's labs: a small healthy fleet of network devices (ios,
// iosxr, nxos, eos, junos), and six healthy devices (the sixth is linux)
// with every fault and password device.
var (
	healthyLab = &sharedLab{opts: simlab.Options{Devices: 5, NoFaults: true, StreamDuration: 20 * time.Second}}
	faultLab   = &sharedLab{opts: simlab.Options{Devices: 6, FloodBytes: 2 << 20, StreamDuration: 5 * time.Second}}
	labs       = []*sharedLab{healthyLab, faultLab}
)

// get starts the lab on first use.
func (s *sharedLab) get(t *testing.T) *simlab.Lab {
	t.Helper()
	s.once.Do(func() {
		s.dir, s.err = os.MkdirTemp("", "netauto-cli-lab-")
		if s.err != nil {
			return
		}
		opts := s.opts
		opts.Dir = s.dir
		s.lab, s.err = simlab.Start(context.Background(), opts)
	})
	if s.err != nil {
		t.Fatalf("starting lab: %v", s.err)
	}
	return s.lab
}

// harness is one test's private environment: HOME, XDG directories and
// SSH_AUTH_SOCK in temp dirs, a database, and netauto's known_hosts (a copy
// of the lab's, unless emptied).
type harness struct {
	t          *testing.T
	lab        *simlab.Lab
	dir        string
	env        map[string]string
	db         string
	knownHosts string
}

// newHarness prepares a test against lab.
func newHarness(t *testing.T, lab *simlab.Lab) *harness {
	t.Helper()
	dir := t.TempDir()
	h := &harness{
		t:          t,
		lab:        lab,
		dir:        dir,
		db:         filepath.Join(dir, "state", "history.db"),
		knownHosts: filepath.Join(dir, "known_hosts"),
		env: map[string]string{
			"HOME":            filepath.Join(dir, "home"),
			"XDG_CONFIG_HOME": filepath.Join(dir, "config"),
			"XDG_STATE_HOME":  filepath.Join(dir, "xdgstate"),
			"SSH_AUTH_SOCK":   filepath.Join(dir, "no-agent.sock"),
			"PATH":            os.Getenv("PATH"),
		},
	}
	if err := os.MkdirAll(h.env["HOME"], 0o700); err != nil {
		t.Fatal(err)
	}
	if lab != nil {
		h.env["NETAUTO_INVENTORY"] = lab.InventoryPath()
		h.env[simlab.PasswordEnv] = lab.Password()
		data, err := os.ReadFile(lab.KnownHostsPath())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(h.knownHosts, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

// Env is the in-process environment of the harness.
func (h *harness) Env() Env {
	return Env{
		Getenv: func(k string) string { return h.env[k] },
		User:   "tester",
	}
}

// result is what one invocation printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// String shows the result for failure messages.
func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// run runs netauto in-process with the harness's --db and --known-hosts
// appended.
func (h *harness) run(args ...string) result {
	h.t.Helper()
	args = append(args, "--db", h.db, "--known-hosts", h.knownHosts)
	var out, errb bytes.Buffer
	code := h.Env().Main(args, strings.NewReader(""), &out, &errb)
	return result{code, out.String(), errb.String()}
}

// want fails the test unless r exited with code.
func (r result) want(t *testing.T, code int) result {
	t.Helper()
	if r.code != code {
		t.Fatalf("want exit %d, got %s", code, r)
	}
	return r
}

// history returns the stored runs, newest first, through `history --json`.
func (h *harness) history(args ...string) []map[string]any {
	h.t.Helper()
	r := h.run(append([]string{"history", "--json", "--limit", "0"}, args...)...).want(h.t, 0)
	return jsonLines(h.t, r.stdout)
}

// jsonLines parses one JSON object per line.
func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON line: %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// writeInventory writes an inventory file into the harness dir and returns
// its path.
func (h *harness) writeInventory(text string) string {
	h.t.Helper()
	p := filepath.Join(h.dir, fmt.Sprintf("inventory-%d.yaml", time.Now().UnixNano()))
	writeTestFile(h.t, p, text)
	return p
}

// device returns the lab's device named name.
func labDevice(t *testing.T, lab *simlab.Lab, name string) simlab.DeviceInfo {
	t.Helper()
	for _, d := range lab.Devices() {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("lab has no device %s", name)
	return simlab.DeviceInfo{}
}

// The real binary, built once per package run.
var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// binary builds netauto into a temp dir on first use.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "netauto-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "netauto")
		cmd := exec.Command("go", "build", "-o", binPath, "netauto")
		out, err := cmd.CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// command returns the real binary ready to run with the harness's
// environment (and nothing else of the test process's).
func (h *harness) command(ctx context.Context, args ...string) *exec.Cmd {
	h.t.Helper()
	args = append(args, "--db", h.db, "--known-hosts", h.knownHosts)
	cmd := exec.CommandContext(ctx, binary(h.t), args...)
	for k, v := range h.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "NO_COLOR=1", "USER=tester")
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// start starts the binary as command does, with its stdout as a pipe and
// its stderr collected in the returned builder.
func (h *harness) start(ctx context.Context, args ...string) (*exec.Cmd, io.ReadCloser, *strings.Builder) {
	h.t.Helper()
	cmd := h.command(ctx, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		h.t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	return cmd, stdout, &stderr
}

// hasControl reports whether s holds a control character other than
// newline and tab: C0, DEL or C1 (U+0080–U+009F).
func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) {
			return true
		}
	}
	return false
}
