package sshadapter

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"netauto/adapters"
	"netauto/inventory"
)

func TestKeyAuthExec(t *testing.T) {
	s, e := trustedSSHD(t)
	a := e.adapter(t)
	out, code, err := run(t, a, linuxDevice(t, s), "echo hi; echo err >&2")
	if err != nil {
		t.Fatal(err)
	}
	if code == nil || *code != 0 {
		t.Errorf("exit code = %v, want 0", code)
	}
	if !strings.Contains(out, "hi\n") || !strings.Contains(out, "err\n") {
		t.Errorf("output = %q, want stdout and stderr", out)
	}
}

func TestExitStatus(t *testing.T) {
	s, e := trustedSSHD(t)
	_, code, err := run(t, e.adapter(t), linuxDevice(t, s), "exit 3")
	if err != nil {
		t.Fatal(err)
	}
	if code == nil || *code != 3 {
		t.Fatalf("exit code = %v, want 3", code)
	}
}

func TestPasswordAuth(t *testing.T) {
	ensureTestUser(t)
	s := startSSHD(t, sshdOptions{Password: true})
	e := newTestEnv(t)
	e.trust(t, s.Addr(), s.HostKey)
	dev := linuxDevice(t, s)
	dev.Username, dev.KeyFile, dev.PasswordEnv = testUser, "", "NETAUTO_TEST_PW"

	t.Run("env", func(t *testing.T) {
		e.Env["NETAUTO_TEST_PW"] = testPassword
		defer delete(e.Env, "NETAUTO_TEST_PW")
		out, _, err := run(t, e.adapter(t), dev, "id -un")
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(out) != testUser {
			t.Fatalf("id -un = %q", out)
		}
	})
	t.Run("missing", func(t *testing.T) {
		_, _, err := run(t, e.adapter(t), dev, "true")
		if err == nil || err.Error() != "auth: password required (set NETAUTO_TEST_PW)" {
			t.Fatalf("err = %v, want auth: password required (set NETAUTO_TEST_PW)", err)
		}
	})
	t.Run("wrong", func(t *testing.T) {
		e.Env["NETAUTO_TEST_PW"] = "wrong-password"
		defer delete(e.Env, "NETAUTO_TEST_PW")
		_, _, err := run(t, e.adapter(t), dev, "true")
		if adapters.ClassOf(err) != adapters.ClassAuth {
			t.Fatalf("err = %v, want auth: …", err)
		}
	})
	t.Run("asked once", func(t *testing.T) {
		var asked atomic.Int32
		e2 := *e
		e2.Config.Password = func(ctx context.Context, d inventory.Device, what string) (string, error) {
			asked.Add(1)
			return testPassword, nil
		}
		a := e2.adapter(t)
		for i := 0; i < 3; i++ {
			if _, _, err := run(t, a, dev, "true"); err != nil {
				t.Fatal(err)
			}
		}
		if n := asked.Load(); n != 1 {
			t.Fatalf("password asked %d times, want 1", n)
		}
	})
}

func TestHostKeyChangedRefused(t *testing.T) {
	s := startSSHD(t, sshdOptions{})
	other := startSSHD(t, sshdOptions{})
	e := newTestEnv(t)
	e.trust(t, s.Addr(), other.HostKey) // the wrong key for s
	_, _, err := run(t, e.adapter(t), linuxDevice(t, s), "true")
	want := "hostkey: key for [127.0.0.1]:" + itoa(s.Port) + " changed (fingerprint SHA256:"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("err = %v, want prefix %q", err, want)
	}
}

func TestHostKeyUnknown(t *testing.T) {
	s := startSSHD(t, sshdOptions{})
	e := newTestEnv(t)
	dev := linuxDevice(t, s)

	var asked atomic.Int32
	var lastQ HostKeyQuestion
	var mu sync.Mutex
	decider := func(d Decision) HostKeyDecider {
		return func(ctx context.Context, q HostKeyQuestion) (Decision, error) {
			asked.Add(1)
			mu.Lock()
			lastQ = q
			mu.Unlock()
			time.Sleep(50 * time.Millisecond) // let concurrent runs pile up
			return d, nil
		}
	}

	e.Config.HostKeys = decider(Refuse)
	_, _, err := run(t, e.adapter(t), dev, "true")
	want := "hostkey: unknown key for [127.0.0.1]:" + itoa(s.Port) + " (fingerprint SHA256:"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("err = %v, want prefix %q", err, want)
	}
	if lastQ.Fingerprint == "" || lastQ.Device.Name != "lx" || lastQ.Host != "[127.0.0.1]:"+itoa(s.Port) {
		t.Fatalf("question = %+v", lastQ)
	}

	// No decider at all refuses too.
	e.Config.HostKeys = nil
	if _, _, err := run(t, e.adapter(t), dev, "true"); adapters.ClassOf(err) != adapters.ClassHostKey {
		t.Fatalf("nil decider: err = %v", err)
	}

	// TrustAlways from 8 concurrent runs: asked once, recorded once.
	asked.Store(0)
	e.Config.HostKeys = decider(TrustAlways)
	a := e.adapter(t)
	var g errgroup.Group
	for i := 0; i < 8; i++ {
		g.Go(func() error { _, _, err := run(t, a, dev, "true"); return err })
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("asked %d times, want 1", n)
	}
	data := readFile(t, e.OwnHosts)
	if n := strings.Count(data, "\n"); n != 1 {
		t.Errorf("known_hosts has %d lines, want 1:\n%s", n, data)
	}
	assertMode(t, e.OwnHosts, 0o600)
	assertMode(t, dirOf(e.OwnHosts), 0o700)

	// A new Adapter (a new process) knows the key without asking.
	e.Config.HostKeys = decider(Refuse)
	if _, _, err := run(t, e.adapter(t), dev, "true"); err != nil {
		t.Fatalf("recorded key not trusted: %v", err)
	}
}

// A host known by its ecdsa key is asked for that key, though ed25519 is
// preferred: otherwise its ed25519 key would look like a changed key.
func TestHostKeyAlgorithmFromKnownHosts(t *testing.T) {
	s := startSSHD(t, sshdOptions{SecondKey: "ecdsa"})
	e := newTestEnv(t)
	e.trust(t, s.Addr(), s.HostKey2)
	if _, _, err := run(t, e.adapter(t), linuxDevice(t, s), "true"); err != nil {
		t.Fatalf("known ecdsa key: %v", err)
	}
	e2 := newTestEnv(t)
	e2.trust(t, s.Addr(), s.HostKey)
	if _, _, err := run(t, e2.adapter(t), linuxDevice(t, s), "true"); err != nil {
		t.Fatalf("known ed25519 key: %v", err)
	}
}

func TestTrustOnceIsNotRecorded(t *testing.T) {
	s := startSSHD(t, sshdOptions{})
	e := newTestEnv(t)
	var asked atomic.Int32
	e.Config.HostKeys = func(ctx context.Context, q HostKeyQuestion) (Decision, error) {
		asked.Add(1)
		return TrustOnce, nil
	}
	a := e.adapter(t)
	for i := 0; i < 2; i++ {
		if _, _, err := run(t, a, linuxDevice(t, s), "true"); err != nil {
			t.Fatal(err)
		}
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("asked %d times, want 1 (trusted for the session)", n)
	}
	if fileExists(e.OwnHosts) {
		t.Errorf("TrustOnce wrote %s", e.OwnHosts)
	}
}

func TestScanHostKey(t *testing.T) {
	s := startSSHD(t, sshdOptions{})
	e := newTestEnv(t)
	a := e.adapter(t)
	k, err := a.ScanHostKey(context.Background(), linuxDevice(t, s))
	if err != nil {
		t.Fatal(err)
	}
	if k.Known || k.Changed || k.Fingerprint != fingerprint(s.HostKey) {
		t.Fatalf("scanned %+v, want unknown key %s", k, fingerprint(s.HostKey))
	}
	if err := a.TrustKey(k); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, e.adapter(t), linuxDevice(t, s), "true"); err != nil {
		t.Fatalf("after TrustKey: %v", err)
	}
	k2, err := a.ScanHostKey(context.Background(), linuxDevice(t, s))
	if err != nil || !k2.Known {
		t.Fatalf("rescan = %+v, %v; want known", k2, err)
	}
}

func TestLegacyAlgorithms(t *testing.T) {
	s := startSSHD(t, sshdOptions{HostKeyType: "rsa", Extra: []string{
		"KexAlgorithms diffie-hellman-group14-sha1",
		"HostKeyAlgorithms ssh-rsa",
		"Ciphers aes128-cbc",
	}})
	e := newTestEnv(t)
	e.trust(t, s.Addr(), s.HostKey)
	dev := linuxDevice(t, s)
	_, _, err := run(t, e.adapter(t), dev, "true")
	if adapters.ClassOf(err) != adapters.ClassConnect || !strings.Contains(err.Error(), "legacy_algorithms") {
		t.Fatalf("without legacy: err = %v, want connect: no common … legacy_algorithms hint", err)
	}
	dev.LegacyAlgorithms = true
	out, _, err := run(t, e.adapter(t), dev, "echo legacy")
	if err != nil || out != "legacy\n" {
		t.Fatalf("with legacy: %q, %v", out, err)
	}
}

func TestProxyJump(t *testing.T) {
	jump := startSSHD(t, sshdOptions{Extra: []string{"AllowTcpForwarding yes"}})
	target := startSSHD(t, sshdOptions{})
	e := newTestEnv(t)
	e.trust(t, jump.Addr(), jump.HostKey)
	e.trust(t, target.Addr(), target.HostKey)
	dev := linuxDevice(t, target)
	dev.Jump = "root@127.0.0.1:" + itoa(jump.Port)
	out, _, err := run(t, e.adapter(t), dev, "echo $SSH_CONNECTION")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, " "+itoa(target.Port)) {
		t.Errorf("SSH_CONNECTION = %q, want the target port", out)
	}

	// Two hops: jump → jump again → target.
	dev.Jump = "root@127.0.0.1:" + itoa(jump.Port) + ",root@127.0.0.1:" + itoa(jump.Port)
	if _, _, err := run(t, e.adapter(t), dev, "true"); err != nil {
		t.Fatalf("two hops: %v", err)
	}

	// The jump host's key is verified too.
	e2 := newTestEnv(t)
	e2.trust(t, target.Addr(), target.HostKey)
	dev.Jump = "root@127.0.0.1:" + itoa(jump.Port)
	_, _, err = run(t, e2.adapter(t), dev, "true")
	if err == nil || !strings.HasPrefix(err.Error(), "hostkey: jump host 127.0.0.1: unknown key for [127.0.0.1]:"+itoa(jump.Port)) {
		t.Fatalf("unknown jump key: err = %v", err)
	}
}

func TestSSHConfig(t *testing.T) {
	jump := startSSHD(t, sshdOptions{})
	target := startSSHD(t, sshdOptions{})
	e := newTestEnv(t)
	e.trust(t, jump.Addr(), jump.HostKey)
	e.trust(t, target.Addr(), target.HostKey)
	conf := strings.Join([]string{
		"Host bastion",
		"  HostName 127.0.0.1",
		"  Port " + itoa(jump.Port),
		"  User root",
		"  IdentityFile " + clientKeyPath,
		"Host core-*",
		"  HostName 127.0.0.1",
		"  Port " + itoa(target.Port),
		"  User " + loginUser(t),
		"  IdentityFile " + clientKeyPath,
		"Host core-behind",
		"  ProxyJump bastion",
		"",
	}, "\n")
	writeFile(t, e.Config.SSHConfigFile, conf)
	a := e.adapter(t)
	dev := inventory.Device{Name: "core1", Host: "core-direct", Platform: inventory.PlatformLinux}
	out, _, err := run(t, a, dev, "id -un")
	if err != nil || out != loginUser(t)+"\n" {
		t.Fatalf("alias: %q, %v", out, err)
	}
	dev.Host = "core-behind"
	out, _, err = run(t, a, dev, "echo $SSH_CLIENT")
	if err != nil || !strings.HasPrefix(out, "127.0.0.1 ") {
		t.Fatalf("ProxyJump from ssh config: %q, %v", out, err)
	}
	// Inventory values win: a wrong port in the inventory is used.
	dev.Host, dev.Port = "core-direct", closedPort(t)
	if _, _, err := run(t, a, dev, "true"); adapters.ClassOf(err) != adapters.ClassConnect {
		t.Fatalf("inventory port should win: err = %v", err)
	}
}

func TestFanOut100(t *testing.T) {
	s, e := trustedSSHD(t)
	a := e.adapter(t)
	dev := linuxDevice(t, s)
	var g errgroup.Group
	g.SetLimit(50)
	var ok atomic.Int32
	for i := 0; i < 100; i++ {
		g.Go(func() error {
			var o output
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			res, err := a.Run(ctx, dev, "echo hi", o.add)
			if err != nil {
				return err
			}
			if o.String() != "hi\n" || res.ExitCode == nil || *res.ExitCode != 0 {
				return errors.New("bad run: " + o.String())
			}
			ok.Add(1)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if ok.Load() != 100 {
		t.Fatalf("%d of 100 ok", ok.Load())
	}
}

func TestConnectRefused(t *testing.T) {
	e := newTestEnv(t)
	dev := inventory.Device{Name: "gone", Host: "127.0.0.1", Port: closedPort(t), Platform: inventory.PlatformLinux}
	_, _, err := run(t, e.adapter(t), dev, "true")
	if adapters.ClassOf(err) != adapters.ClassConnect || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("err = %v, want connect: connection refused …", err)
	}
}

func TestHandshakeNeverCompletes(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns []net.Conn
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // accept, say nothing
			mu.Unlock()
		}
	}()
	defer func() {
		l.Close()
		<-done
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	e := newTestEnv(t)
	dev := inventory.Device{Name: "mute", Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port,
		Platform: inventory.PlatformLinux, ConnectTimeout: 500 * time.Millisecond}
	start := time.Now()
	_, _, err = run(t, e.adapter(t), dev, "true")
	if err == nil || err.Error() != "timeout: connect" {
		t.Fatalf("err = %v, want timeout: connect", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("took %v with a 500ms connect timeout", el)
	}
}

func TestIdleTimeout(t *testing.T) {
	s, e := trustedSSHD(t)
	dev := linuxDevice(t, s)
	dev.IdleTimeout = 1500 * time.Millisecond
	out, _, err := run(t, e.adapter(t), dev, "echo before; sleep 30")
	if err == nil || err.Error() != "timeout: idle" {
		t.Fatalf("err = %v, want timeout: idle", err)
	}
	// On a loaded machine the shell may start after the idle timeout;
	// output that did arrive is handed on whole.
	if out != "before\n" && out != "" {
		t.Errorf("output before the timeout = %q", out)
	}
}

func TestCommandTimeout(t *testing.T) {
	s, e := trustedSSHD(t)
	dev := linuxDevice(t, s)
	dev.CommandTimeout = time.Second
	_, _, err := run(t, e.adapter(t), dev, "while :; do echo tick; sleep 0.1; done")
	if err == nil || err.Error() != "timeout: command" {
		t.Fatalf("err = %v, want timeout: command", err)
	}
}

func TestCancel(t *testing.T) {
	s, e := trustedSSHD(t)
	cancelAfterOutput(t, e.adapter(t), linuxDevice(t, s), "echo go; sleep 30", func([]byte) {})
}

// cancelAfterOutput runs command through a, cancels once the first output
// has come (each piece goes to onChunk first), and checks that Run then
// returns, within a second, an error wrapping context.Canceled.
func cancelAfterOutput(t *testing.T, a *Adapter, dev inventory.Device, command string, onChunk func([]byte)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{})
	var once sync.Once
	errc := make(chan error, 1)
	go func() {
		_, err := a.Run(ctx, dev, command, func(b []byte) {
			onChunk(b)
			once.Do(func() { close(started) })
		})
		errc <- err
	}()
	select {
	case <-started:
	case <-time.After(20 * time.Second):
		t.Fatal("no output")
	}
	cancel()
	at := time.Now()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want one wrapping context.Canceled", err)
		}
		if el := time.Since(at); el > time.Second {
			t.Fatalf("returned %v after cancel, want within 1s", el)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestClosedMidOutput(t *testing.T) {
	s, e := trustedSSHD(t)
	// Kill the session's sshd process: the connection drops mid-run.
	out, _, err := run(t, e.adapter(t), linuxDevice(t, s), "echo partial; sleep 0.2; kill -9 $PPID; sleep 5")
	if adapters.ClassOf(err) != adapters.ClassClosed {
		t.Fatalf("err = %v, want closed: …", err)
	}
	if out != "partial\n" {
		t.Errorf("output = %q", out)
	}
}

func TestChunksMerged(t *testing.T) {
	s, e := trustedSSHD(t)
	a := e.adapter(t)
	var o output
	// 2000 small writes, then 3 MB in large ones.
	_, err := a.Run(context.Background(), linuxDevice(t, s),
		"i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done; head -c 3000000 /dev/zero | tr '\\0' x",
		o.add)
	if err != nil {
		t.Fatal(err)
	}
	got := o.String()
	if !strings.HasPrefix(got, "line 0\nline 1\n") || strings.Count(got, "x") != 3000000 || !strings.Contains(got, "line 1999\n") {
		t.Fatalf("output wrong: %d bytes", len(got))
	}
	if len(o.chunks) > 200 {
		t.Errorf("%d chunks for %d bytes: small reads not merged", len(o.chunks), len(got))
	}
	for _, c := range o.chunks {
		if len(c) > chunkSize {
			t.Fatalf("chunk of %d bytes > %d", len(c), chunkSize)
		}
	}
}
