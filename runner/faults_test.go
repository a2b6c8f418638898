package runner_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	sshadapter "netauto/adapters/ssh"
	"netauto/adapters/ssh/sshdtest"
	"netauto/inventory"
	"netauto/quota"
	"netauto/runner"
	"netauto/simlab"
	"netauto/store"
)

// Faults mid-run through the whole runner: a real store on a temp file, a
// real quota manager, the real SSH adapter, and peers that misbehave (the
// simulated lab's fault devices, and OpenSSH's sshd). Every run must end
// with the reason of its fault within its timeout (plus slack for a loaded
// machine), the quota must be idle afterwards, and no goroutine may be left
// (goleak, in TestMain).

// slack is what a run may take beyond the timeout that ends it, on a
// loaded 2-core machine under -race.
const slack = 4 * time.Second

// isolate pins HOME, the XDG directories and SSH_AUTH_SOCK to a temp dir
// and returns it with the environment the adapter sees.
func isolate(t *testing.T) (string, map[string]string) {
	t.Helper()
	home := t.TempDir()
	env := map[string]string{
		"HOME":            home,
		"XDG_CONFIG_HOME": filepath.Join(home, "config"),
		"XDG_STATE_HOME":  filepath.Join(home, "state"),
		"SSH_AUTH_SOCK":   filepath.Join(home, "no-agent.sock"),
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	return home, env
}

// newSSHAdapter builds the adapter netauto builds (runner.NewAdapter),
// headless, over the given netauto known_hosts file.
func newSSHAdapter(t *testing.T, home string, env map[string]string, knownHosts string, acceptNew bool) *sshadapter.Adapter {
	t.Helper()
	s, err := runner.Settings{
		Home:              home,
		KnownHostsPath:    knownHosts,
		Getenv:            func(k string) string { return env[k] },
		AcceptNewHostKeys: acceptNew,
		ConnectTimeout:    5 * time.Second,
		CommandTimeout:    60 * time.Second,
		IdleTimeout:       30 * time.Second,
	}.WithDefaults()
	if err != nil {
		t.Fatal(err)
	}
	a, err := runner.NewAdapter(s, runner.Callbacks{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// startLab starts a simulated lab, closed at cleanup (before goleak looks).
func startLab(t *testing.T, opts simlab.Options) (*simlab.Lab, *inventory.Inventory) {
	t.Helper()
	opts.Dir = filepath.Join(t.TempDir(), "lab")
	lab, err := simlab.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lab.Close() })
	inv, err := inventory.Load(lab.InventoryPath())
	if err != nil {
		t.Fatal(err)
	}
	return lab, inv
}

// labDevice is the lab inventory's entry for name.
func labDevice(t *testing.T, inv *inventory.Inventory, name string) inventory.Device {
	t.Helper()
	d, ok := inv.Device(name)
	if !ok {
		t.Fatalf("no device %s in the lab inventory", name)
	}
	return d
}

// faultCase is one run expected to end with a reason within a bound.
type faultCase struct {
	name    string
	dev     inventory.Device
	command string
	reason  string        // prefix of the stored reason; "" = ok
	within  time.Duration // from admission to the stored end
}

// runFaults launches every case at once in one batch, then checks each
// run's stored end, and that the quota is idle and no run is live.
func runFaults(t *testing.T, h *harness, cases []faultCase) {
	t.Helper()
	batch := store.NewBatchID()
	ids := make([]int64, len(cases))
	for i, c := range cases {
		ids[i] = h.execute(runner.Request{Device: c.dev, Command: c.command, BatchID: batch, RequestedBy: "faults"})
	}
	for i, c := range cases {
		run := h.wait(ids[i])
		took := run.FinishedAt.Sub(run.StartedAt)
		t.Logf("%-16s %s %q after %v, %d bytes", c.name, run.Status, run.ErrorReason, took.Round(time.Millisecond), run.Bytes)
		switch {
		case c.reason == "" && run.Status != store.StatusOK:
			t.Errorf("%s: %s %q, want ok", c.name, run.Status, run.ErrorReason)
		case c.reason != "" && (run.Status != store.StatusError || !strings.HasPrefix(run.ErrorReason, c.reason)):
			t.Errorf("%s: %s %q, want error %q…", c.name, run.Status, run.ErrorReason, c.reason)
		}
		if run.StartedAt.IsZero() || took > c.within {
			t.Errorf("%s: ended %v after admission (started %v), want within %v", c.name, took, run.StartedAt, c.within)
		}
		stored, err := h.store.Run(context.Background(), ids[i])
		if err != nil || !stored.Status.Finished() || stored.ErrorReason != run.ErrorReason {
			t.Errorf("%s: stored %+v (%v), want the finished run", c.name, stored, err)
		}
	}
	h.assertQuotaIdle()
	if live := h.sup.Active(); len(live) != 0 {
		t.Errorf("%d runs still live: %+v", len(live), live)
	}
}

// closedPortDevice is a device on a 127.0.0.1 port nothing listens on.
func closedPortDevice(t *testing.T) inventory.Device {
	return inventory.Device{Name: "unreachable", Host: "127.0.0.1", Port: sshdtest.FreePort(t), Site: "lab-faults",
		Platform: inventory.PlatformLinux, Username: "netops"}
}

// TestFaultsFromSimlab: every fault device of the lab, in one batch beside
// a healthy run, a refused port and a key that does not match.
func TestFaultsFromSimlab(t *testing.T) {
	home, env := isolate(t)
	lab, inv := startLab(t, simlab.Options{Devices: 2, StreamDuration: 2 * time.Second, FloodBytes: 1 << 20})
	env[simlab.PasswordEnv] = lab.Password()

	// netauto's known_hosts: the lab's, but the second healthy device's
	// line carries the first one's key, as after a key change.
	devs := lab.Devices()
	known := filepath.Join(home, "known_hosts")
	var lines []string
	var firstKey ssh.PublicKey
	data, err := os.ReadFile(lab.KnownHostsPath())
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.SplitAfter(string(data), "\n") {
		_, hosts, key, _, _, err := ssh.ParseKnownHosts([]byte(line))
		if err != nil {
			lines = append(lines, line)
			continue
		}
		switch hosts[0] {
		case knownhosts.Normalize(devs[0].Addr):
			firstKey = key
		case knownhosts.Normalize(devs[1].Addr):
			continue
		}
		lines = append(lines, line)
	}
	if firstKey == nil {
		t.Fatalf("no known_hosts line for %s", devs[0].Addr)
	}
	lines = append(lines, knownhosts.Line([]string{knownhosts.Normalize(devs[1].Addr)}, firstKey)+"\n")
	if err := os.WriteFile(known, []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}

	// Accepting new keys changes nothing for a changed one.
	h := newHarness(t, quota.DefaultLimits(), newSSHAdapter(t, home, env, known, true))
	dev := func(name string, tweak func(*inventory.Device)) inventory.Device {
		d := labDevice(t, inv, name)
		if tweak != nil {
			tweak(&d)
		}
		return d
	}
	runFaults(t, h, []faultCase{
		{name: "healthy", dev: dev(devs[0].Name, nil), command: "show version", within: 10 * time.Second},
		{name: "hostkey-changed", dev: dev(devs[1].Name, nil), command: "show version", reason: "hostkey: key for " + knownhosts.Normalize(devs[1].Addr) + " changed", within: 5 * time.Second},
		{name: "auth", dev: dev("fault-auth", nil), command: "uname", reason: "auth: ", within: 10 * time.Second},
		{name: "handshake", dev: dev("fault-handshake", func(d *inventory.Device) { d.ConnectTimeout = time.Second }),
			command: "uname", reason: "timeout: connect", within: time.Second + slack},
		{name: "hang", dev: dev("fault-hang", func(d *inventory.Device) { d.IdleTimeout = time.Second }),
			command: "uname", reason: "timeout: idle", within: time.Second + slack},
		{name: "drip-cmd-timeout", dev: dev("fault-drip", func(d *inventory.Device) { d.CommandTimeout = time.Second }),
			command: "uname", reason: "timeout: command", within: time.Second + slack},
		{name: "drop", dev: dev("fault-drop", nil), command: "uname", reason: "closed: ", within: 10 * time.Second},
		{name: "refused", dev: closedPortDevice(t), command: "uname", reason: "connect: ", within: 5 * time.Second},
		{name: "password", dev: dev("lab-password", nil), command: "whoami", within: 10 * time.Second},
	})
}

// TestLabStoppedWith100ActiveRuns: 100 runs stream show tech-support from
// the lab; the lab is stopped under them. Every run ends closed within a
// bound, and the quota is idle.
func TestLabStoppedWith100ActiveRuns(t *testing.T) {
	home, env := isolate(t)
	lab, inv := startLab(t, simlab.Options{Devices: 5, NoFaults: true, StreamDuration: 3 * time.Minute})
	env[simlab.PasswordEnv] = lab.Password() // enable
	h := newHarness(t, limits(200), newSSHAdapter(t, home, env, lab.KnownHostsPath(), false))
	devs := lab.Devices() // eos too: the adapter enables it without a password
	const n = 100
	batch := store.NewBatchID()
	ids := make([]int64, n)
	for i := range n {
		d := labDevice(t, inv, devs[i%len(devs)].Name)
		// 100 handshakes at once on two cores under -race: the 5 s connect
		// timeout of the other fault tests is too tight here.
		d.ConnectTimeout = 60 * time.Second
		cmd := "show tech-support"
		if d.Platform == inventory.PlatformJunos {
			cmd = "request support information"
		}
		ids[i] = h.execute(runner.Request{Device: d, Command: cmd, BatchID: batch, Queue: true})
	}
	// Every run streaming: admitted, logged in, output arriving.
	deadline := time.Now().Add(90 * time.Second)
	for {
		streaming := 0
		live := h.sup.Active()
		for _, r := range live {
			if r.Bytes > 0 {
				streaming++
			}
		}
		if streaming == n {
			break
		}
		if len(live) < n {
			for _, id := range ids {
				if r, err := h.store.Run(context.Background(), id); err == nil && r.Status.Finished() {
					t.Fatalf("run %d (%s %s) ended before the lab stopped: %s %q", id, r.Device, r.Command, r.Status, r.ErrorReason)
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d runs streaming after 90 s", streaming, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if snap := h.quota.Snapshot(); snap.Global.Active != n {
		t.Errorf("quota global active %d while %d runs stream", snap.Global.Active, n)
	}
	stopped := time.Now()
	if err := lab.Close(); err != nil {
		t.Fatalf("lab Close: %v", err)
	}
	t.Logf("lab closed in %v", time.Since(stopped).Round(time.Millisecond))
	reasons := map[string]int{}
	for _, id := range ids {
		run := h.wait(id)
		if run.Status != store.StatusError || !strings.HasPrefix(run.ErrorReason, "closed: ") {
			t.Errorf("run %d: %s %q, want error closed: …", id, run.Status, run.ErrorReason)
		}
		if after := run.FinishedAt.Sub(stopped); after > 10*time.Second {
			t.Errorf("run %d ended %v after the lab stopped", id, after)
		}
		if run.Bytes == 0 {
			t.Errorf("run %d stored no output", id)
		}
		reasons[run.ErrorReason]++
	}
	t.Logf("reasons: %v", reasons)
	h.assertQuotaIdle()
	if live := h.sup.Active(); len(live) != 0 {
		t.Errorf("%d runs still live", len(live))
	}
}

// TestFaultsFromSSHD: the same faults from OpenSSH: a session killed under
// the run, a command that goes quiet, one that never ends, a server frozen
// before its version line, a key it does not accept, a refused port.
func TestFaultsFromSSHD(t *testing.T) {
	home, env := isolate(t)
	clientKey := filepath.Join(home, "id_ed25519")
	ck := writeKey(t, clientKey)
	srv := startSSHD(t, 0, ck)
	frozen := startSSHD(t, 0, ck)
	frozen.Freeze()
	stranger := filepath.Join(home, "id_stranger")
	writeKey(t, stranger)

	known := filepath.Join(home, "known_hosts")
	writeKnownHosts(t, known, srv, frozen)
	h := newHarness(t, quota.DefaultLimits(), newSSHAdapter(t, home, env, known, false))
	dev := func(s *sshd, tweak func(*inventory.Device)) inventory.Device {
		d := inventory.Device{Name: "sshd-" + strconv.Itoa(s.Port), Host: "127.0.0.1", Port: s.Port, Site: "lab",
			Username: sshLogin(t), Platform: inventory.PlatformLinux, KeyFile: clientKey}
		if tweak != nil {
			tweak(&d)
		}
		return d
	}
	runFaults(t, h, []faultCase{
		{name: "ok", dev: dev(srv, nil), command: "echo hi", within: 10 * time.Second},
		{name: "drop", dev: dev(srv, nil), command: "echo partial; sleep 0.2; kill -9 $PPID; sleep 5",
			reason: "closed: ", within: 10 * time.Second},
		{name: "idle", dev: dev(srv, func(d *inventory.Device) { d.IdleTimeout = time.Second }),
			command: "echo before; sleep 30", reason: "timeout: idle", within: time.Second + slack},
		{name: "command", dev: dev(srv, func(d *inventory.Device) { d.CommandTimeout = time.Second }),
			command: "while :; do echo tick; sleep 0.1; done", reason: "timeout: command", within: time.Second + slack},
		{name: "handshake", dev: dev(frozen, func(d *inventory.Device) { d.ConnectTimeout = time.Second }),
			command: "true", reason: "timeout: connect", within: time.Second + slack},
		{name: "auth", dev: dev(srv, func(d *inventory.Device) { d.KeyFile = stranger }),
			command: "true", reason: "auth: ", within: 10 * time.Second},
		{name: "refused", dev: closedPortDevice(t), command: "true", reason: "connect: ", within: 5 * time.Second},
	})
}

// TestHostKeyChangesBetweenRuns: a run trusts sshd's key (accept-new, as
// `netauto run --accept-new-host-keys`); sshd is replaced on the same port
// by one with another key; the next run is refused, by this adapter and by
// a fresh one (the next process), and known_hosts still holds the first
// key only.
func TestHostKeyChangesBetweenRuns(t *testing.T) {
	home, env := isolate(t)
	clientKey := filepath.Join(home, "id_ed25519")
	ck := writeKey(t, clientKey)
	first := startSSHD(t, 0, ck)
	known := filepath.Join(home, "config", "netauto", "known_hosts")
	a := newSSHAdapter(t, home, env, known, true)
	h := newHarness(t, quota.DefaultLimits(), a)
	d := inventory.Device{Name: "moved", Host: "127.0.0.1", Port: first.Port, Site: "lab",
		Username: sshLogin(t), Platform: inventory.PlatformLinux, KeyFile: clientKey}
	runFaults(t, h, []faultCase{{name: "first", dev: d, command: "echo hi", within: 10 * time.Second}})
	before, err := os.ReadFile(known)
	if err != nil || !strings.Contains(string(before), string(ssh.MarshalAuthorizedKey(first.HostKey))[:40]) {
		t.Fatalf("first key not recorded (%v):\n%s", err, before)
	}

	first.Stop()
	second := startSSHD(t, first.Port, ck)
	want := "hostkey: key for [127.0.0.1]:" + strconv.Itoa(first.Port) + " changed (fingerprint " + ssh.FingerprintSHA256(second.HostKey) + ")"
	runFaults(t, h, []faultCase{{name: "same process", dev: d, command: "echo hi", reason: want, within: 5 * time.Second}})
	h2 := newHarness(t, quota.DefaultLimits(), newSSHAdapter(t, home, env, known, true))
	runFaults(t, h2, []faultCase{{name: "next process", dev: d, command: "echo hi", reason: want, within: 5 * time.Second}})
	if after, _ := os.ReadFile(known); string(after) != string(before) {
		t.Errorf("known_hosts changed after a refused key:\n%s\nwas\n%s", after, before)
	}
}

// writeKnownHosts writes the servers' host keys to path.
func writeKnownHosts(t *testing.T, path string, servers ...*sshd) {
	t.Helper()
	var b strings.Builder
	for _, s := range servers {
		b.WriteString(knownhosts.Line([]string{knownhosts.Normalize(s.Addr())}, s.HostKey) + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}
