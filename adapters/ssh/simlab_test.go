package sshadapter

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"netauto/adapters"
	"netauto/inventory"
	"netauto/simlab"
)

// The adapter against the simulated lab: two sides written apart, tested
// together. Every platform's prompt, paging and enable path must give clean
// output, and every fault device must end with the right reason in time.

// labStreamDuration is how long show tech-support streams and fault-drip
// drips in these tests.
const labStreamDuration = 3 * time.Second

// labFloodBytes is what fault-flood sends per command.
const labFloodBytes = 4 << 20

// wrongEnableEnv holds a wrong enable password.
const wrongEnableEnv = "NETAUTO_LAB_WRONG"

// labEnv is a running lab, its inventory, and an adapter set up to reach it
// as netauto would: the lab's known_hosts, its key file, and the password
// through NETAUTO_LAB_PASSWORD.
type labEnv struct {
	lab *simlab.Lab
	inv *inventory.Inventory
	a   *Adapter
}

func startSimlab(t *testing.T) *labEnv {
	t.Helper()
	e := newTestEnv(t) // pins HOME and SSH_AUTH_SOCK
	lab, err := simlab.Start(context.Background(), simlab.Options{
		Dir:            t.TempDir(),
		Devices:        6, // one per platform
		StreamDuration: labStreamDuration,
		FloodBytes:     labFloodBytes,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := lab.Close(); err != nil {
			t.Errorf("lab Close: %v", err)
		}
	})
	inv, err := inventory.Load(lab.InventoryPath())
	if err != nil {
		t.Fatal(err)
	}
	e.Env[simlab.PasswordEnv] = lab.Password()
	e.Env[wrongEnableEnv] = "not-" + lab.Password()
	e.Config.KnownHostsFile = lab.KnownHostsPath()
	e.Config.LocalUser = "nobody-here" // the inventory names the user
	return &labEnv{lab: lab, inv: inv, a: e.adapter(t)}
}

// device returns the inventory entry of a lab device by name.
func (l *labEnv) device(t *testing.T, name string) inventory.Device {
	t.Helper()
	d, ok := l.inv.Device(name)
	if !ok {
		t.Fatalf("no device %s in the lab inventory", name)
	}
	return d
}

// byPlatform returns the first healthy device of a platform.
func (l *labEnv) byPlatform(t *testing.T, p inventory.Platform) inventory.Device {
	t.Helper()
	for _, d := range l.lab.Devices() {
		if d.Platform == p && d.Fault == simlab.FaultNone && d.Auth == simlab.AuthKey {
			return l.device(t, d.Name)
		}
	}
	t.Fatalf("no healthy %s device in the lab", p)
	return inventory.Device{}
}

// execReference runs command in an exec channel on a lab device with a plain
// x/crypto client: network OSes answer exec with the bare output (no echo,
// no prompt, no pager), the reference a shell run must match.
func (l *labEnv) execReference(t *testing.T, dev inventory.Device, command string) string {
	t.Helper()
	s, err := l.dialRaw(t, dev).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out, err := s.Output(command)
	var missing *ssh.ExitMissingError
	if err != nil && !errors.As(err, &missing) {
		t.Fatalf("exec %q: %v", command, err)
	}
	return strings.ReplaceAll(string(out), "\r\n", "\n")
}

// dialRaw logs in to a key-auth lab device with a plain x/crypto client,
// closed at cleanup.
func (l *labEnv) dialRaw(t *testing.T, dev inventory.Device) *ssh.Client {
	t.Helper()
	signer := l.labSigner(t)
	hk, err := knownhosts.New(l.lab.KnownHostsPath())
	if err != nil {
		t.Fatal(err)
	}
	c, err := ssh.Dial("tcp", net.JoinHostPort(dev.Host, strconv.Itoa(dev.Port)), &ssh.ClientConfig{
		User: dev.Username, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: hk, Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// labSigner is the lab's client key.
func (l *labEnv) labSigner(t *testing.T) ssh.Signer {
	t.Helper()
	key, err := os.ReadFile(l.lab.KeyFile())
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return signer
}

// rawShell is a pty shell on a lab device, driven byte by byte as the
// adapter drives it.
type rawShell struct {
	in  io.WriteCloser
	out chan []byte
	buf []byte
}

func (l *labEnv) openRawShell(t *testing.T, dev inventory.Device) *rawShell {
	t.Helper()
	s, err := l.dialRaw(t, dev).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("vt100", 0, 511, ssh.TerminalModes{ssh.ECHO: 1}); err != nil {
		t.Fatal(err)
	}
	in, _ := s.StdinPipe()
	stdout, _ := s.StdoutPipe()
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	r := &rawShell{in: in, out: make(chan []byte, 64)}
	go func() {
		defer close(r.out)
		for {
			b := make([]byte, 32<<10)
			n, err := stdout.Read(b)
			if n > 0 {
				r.out <- b[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		s.Close()
		for range r.out { // until the reader ends
		}
	})
	return r
}

// expect reads until the output holds want (at its end, trailing blanks
// aside, when atEnd), within d, and drops what was read.
func (r *rawShell) expect(t *testing.T, want string, atEnd bool, d time.Duration) {
	t.Helper()
	deadline := time.After(d)
	for {
		got := string(r.buf)
		if atEnd && strings.HasSuffix(strings.TrimRight(got, " "), want) || !atEnd && strings.Contains(got, want) {
			r.buf = r.buf[:0]
			return
		}
		select {
		case p, ok := <-r.out:
			if !ok {
				t.Fatalf("session ended waiting for %q: %q", want, r.buf[max(0, len(r.buf)-200):])
			}
			r.buf = append(r.buf, p...)
		case <-deadline:
			t.Fatalf("no %q within %v: %q", want, d, r.buf[max(0, len(r.buf)-200):])
		}
	}
}

func (r *rawShell) send(t *testing.T, s string) {
	t.Helper()
	if _, err := io.WriteString(r.in, s); err != nil {
		t.Fatal(err)
	}
}

// digits masks numbers, which tick between two runs (uptimes, clocks).
var digits = regexp.MustCompile(`[0-9]+`)

// checkClean fails when out shows any trace of the CLI around a command:
// its echo, a prompt, a pager prompt or its erasure, carriage returns.
func checkClean(t *testing.T, dev inventory.Device, command, out string) {
	t.Helper()
	if strings.TrimSpace(out) == "" {
		t.Fatalf("%s: %q gave no output", dev.Name, command)
	}
	for _, bad := range []string{"--More--", "---(more", "\b", "\r", command + "\n", "{master:0}"} {
		if strings.Contains(out, bad) {
			t.Errorf("%s: %q output contains %q:\n%s", dev.Name, command, bad, out)
		}
	}
	for i, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if p, ok := DetectPrompt([]byte(line), dev.Platform, nil); ok && p.Host == dev.Name {
			t.Errorf("%s: %q output line %d is a prompt: %q", dev.Name, command, i+1, line)
		}
		if strings.Contains(line, "@"+dev.Name+">") || strings.HasSuffix(line, dev.Name+"#") || strings.HasSuffix(line, dev.Name+"# ") {
			t.Errorf("%s: %q output line %d holds a prompt: %q", dev.Name, command, i+1, line)
		}
	}
}

func TestSimlabPlatforms(t *testing.T) {
	l := startSimlab(t)
	cases := []struct {
		platform inventory.Platform
		version  string // a command whose output names the host
		long     string // longer than a page; its exec output is the reference
		unknown  string // what the platform says to "show bogus"
	}{
		{inventory.PlatformIOS, "show version", "show interfaces", "% Invalid input detected at '^' marker."},
		{inventory.PlatformIOSXR, "show version", "show interfaces", "% Invalid input detected at '^' marker."},
		{inventory.PlatformNXOS, "show version", "show interface", "% Invalid command at '^' marker."},
		{inventory.PlatformEOS, "show version", "show interfaces", "% Invalid input (at token 1: 'bogus')"},
		{inventory.PlatformJunos, "show version", "show interfaces", "syntax error, expecting <command>."},
	}
	for _, c := range cases {
		t.Run(string(c.platform), func(t *testing.T) {
			t.Parallel()
			dev := l.byPlatform(t, c.platform)

			out, code, err := run(t, l.a, dev, c.version)
			if err != nil {
				t.Fatalf("%s: %v", c.version, err)
			}
			if code != nil {
				t.Errorf("exit code %d, want none from a shell", *code)
			}
			checkClean(t, dev, c.version, out)
			name := dev.Name
			if c.platform == inventory.PlatformEOS {
				name = "Arista" // EOS show version does not name the host
			}
			if !strings.Contains(out, name) {
				t.Errorf("%s lacks %q:\n%s", c.version, name, out)
			}

			out, _, err = run(t, l.a, dev, c.long)
			if err != nil {
				t.Fatalf("%s: %v", c.long, err)
			}
			checkClean(t, dev, c.long, out)
			want := l.execReference(t, dev, c.long)
			if c.platform == inventory.PlatformIOSXR {
				// XR stamps every show output with the time first.
				_, want, _ = strings.Cut(want, "\n")
				_, out, _ = strings.Cut(out, "\n")
			}
			if strings.Count(want, "\n") < 48 {
				t.Fatalf("%s is too short to page: %d lines", c.long, strings.Count(want, "\n"))
			}
			if digits.ReplaceAllString(out, "N") != digits.ReplaceAllString(want, "N") {
				t.Errorf("%s not whole:\n got %d lines, want %d\n--- got (end) ---\n%s", c.long,
					strings.Count(out, "\n"), strings.Count(want, "\n"), out[max(0, len(out)-400):])
			}

			out, _, err = run(t, l.a, dev, "show bogus")
			if err != nil {
				t.Fatalf("show bogus: %v", err)
			}
			if !strings.Contains(out, c.unknown) {
				t.Errorf("show bogus: want %q in:\n%q", c.unknown, out)
			}
			checkClean(t, dev, "show bogus", out)

			if c.platform == inventory.PlatformJunos {
				// The lab's junos device is a QFX: {master:0} shows above
				// its prompt, after a blank line, and neither is output.
				sh := l.openRawShell(t, dev)
				sh.expect(t, "\r\n\r\n{master:0}\r\n"+simlab.Username+"@"+dev.Name+">", true, 5*time.Second)
				if strings.HasSuffix(out, "\n\n") {
					t.Errorf("show bogus: the blank line before the prompt stayed: %q", out)
				}
			}
		})
	}

	t.Run("ios-enable", func(t *testing.T) {
		t.Parallel()
		dev := l.byPlatform(t, inventory.PlatformIOS)
		if dev.EnablePasswordEnv != simlab.PasswordEnv {
			t.Fatalf("lab ios device has enable_password_env %q", dev.EnablePasswordEnv)
		}
		// show running-config exists only in enable mode, and is longer
		// than a page.
		out, _, err := run(t, l.a, dev, "show running-config")
		if err != nil {
			t.Fatal(err)
		}
		checkClean(t, dev, "show running-config", out)
		if !strings.HasPrefix(out, "Building configuration...\n") || !strings.HasSuffix(strings.TrimRight(out, "\n"), "\nend") ||
			!strings.Contains(out, "\nhostname "+dev.Name+"\n") {
			t.Errorf("show running-config not whole:\n%s", out)
		}

		// A wrong enable password is asked for again, as IOS does: the run
		// ends at once as auth, not at the idle timeout.
		dev.EnablePasswordEnv = wrongEnableEnv
		dev.IdleTimeout = 10 * time.Second
		start := time.Now()
		_, _, err = run(t, l.a, dev, "show clock")
		if err == nil || !strings.HasPrefix(err.Error(), "auth: enable refused") {
			t.Errorf("wrong enable password: %v", err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("wrong enable password took %v", took)
		}
	})

	t.Run("eos-enable", func(t *testing.T) {
		t.Parallel()
		dev := l.byPlatform(t, inventory.PlatformEOS)
		if dev.EnablePasswordEnv != "" {
			t.Fatalf("lab eos device has enable_password_env %q", dev.EnablePasswordEnv)
		}
		// EOS starts in user mode, where show running-config is refused;
		// the adapter enables without a password, as on real gear.
		out, _, err := run(t, l.a, dev, "show running-config")
		if err != nil {
			t.Fatal(err)
		}
		// Not checkClean: EOS's own first line names the command. The
		// prefix shows the echo gone, the suffix the prompt.
		if !strings.HasPrefix(out, "! Command: show running-config\n") || !strings.HasSuffix(out, "\nend\n") ||
			!strings.Contains(out, "\nhostname "+dev.Name+"\n") || strings.ContainsAny(out, "\r\b") {
			t.Errorf("show running-config not whole and clean:\n%q", out)
		}
	})

	t.Run("linux", func(t *testing.T) {
		t.Parallel()
		dev := l.byPlatform(t, inventory.PlatformLinux)
		for _, cmd := range []string{"uname -a", "show version"} {
			out, code, err := run(t, l.a, dev, cmd)
			if cmd == "uname -a" {
				if err != nil || code == nil || *code != 0 {
					t.Fatalf("uname -a: code %v, err %v", code, err)
				}
				if !strings.HasPrefix(out, "Linux "+dev.Name+" ") || strings.Count(out, "\n") != 1 {
					t.Errorf("uname -a: %q", out)
				}
				checkClean(t, dev, cmd, out)
				continue
			}
			// Unknown on linux: the shell's complaint, exit 127.
			if err != nil || code == nil || *code != 127 {
				t.Fatalf("%s: code %v, err %v", cmd, code, err)
			}
			if !strings.Contains(out, "not found") {
				t.Errorf("%s: %q", cmd, out)
			}
		}
	})
}

func TestSimlabFaults(t *testing.T) {
	l := startSimlab(t)
	cases := []struct {
		device  string
		command string
		tweak   func(*inventory.Device)
		within  time.Duration
		reason  string // a prefix of the error; "" = ok
		check   func(t *testing.T, out string)
	}{
		{device: "fault-auth", within: 5 * time.Second, reason: "auth: "},
		{device: "fault-handshake", within: 3 * time.Second, reason: "timeout: connect",
			tweak: func(d *inventory.Device) { d.ConnectTimeout = time.Second }},
		{device: "fault-hang", within: 4 * time.Second, reason: "timeout: idle",
			tweak: func(d *inventory.Device) { d.IdleTimeout = time.Second }},
		{device: "fault-drop", within: 5 * time.Second, reason: "closed: ",
			check: func(t *testing.T, out string) {
				if !strings.Contains(out, "line protocol is") {
					t.Errorf("no partial output before the drop: %q", out)
				}
			}},
		{device: "fault-drip", within: labStreamDuration + 4*time.Second,
			check: func(t *testing.T, out string) {
				n := int(labStreamDuration / (500 * time.Millisecond))
				if got := strings.Count(out, " drip "); got != n {
					t.Errorf("%d drip lines, want %d:\n%s", got, n, out)
				}
			}},
		{device: "fault-flood", within: 20 * time.Second,
			check: func(t *testing.T, out string) {
				if len(out) != labFloodBytes {
					t.Errorf("flood gave %d bytes, want %d", len(out), labFloodBytes)
				}
			}},
		{device: "fault-escape", within: 5 * time.Second,
			check: func(t *testing.T, out string) {
				// Raw bytes are kept: sanitizing is the display's job.
				for _, raw := range []string{"\x1b]52;c;", "\x1bP+q544e\x1b\\", "\x9b31m", "\xff\xfe", "hunter2\b"} {
					if !strings.Contains(out, raw) {
						t.Errorf("raw %q missing from the output", raw)
					}
				}
			}},
		{device: "fault-legacy", command: "show version", within: 10 * time.Second,
			check: func(t *testing.T, out string) {
				if !strings.Contains(out, "fault-legacy uptime is") {
					t.Errorf("show version: %q", out)
				}
			}},
		{device: "fault-legacy", command: "show version", within: 5 * time.Second, reason: "hostkey|connect",
			tweak: func(d *inventory.Device) { d.LegacyAlgorithms = false }},
		{device: "lab-password", command: "whoami", within: 5 * time.Second,
			check: func(t *testing.T, out string) {
				if out != simlab.Username+"\n" {
					t.Errorf("whoami: %q", out)
				}
			}},
		{device: "lab-kbdint", command: "show running-config", within: 10 * time.Second,
			check: func(t *testing.T, out string) {
				if !strings.Contains(out, "\nhostname lab-kbdint\n") || strings.Contains(out, "\r") {
					t.Errorf("show running-config (needs enable): %q", out)
				}
			}},
	}
	for _, c := range cases {
		name := c.device
		if c.tweak != nil {
			name += "-tweaked"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dev := l.device(t, c.device)
			if c.device == "fault-legacy" && !dev.LegacyAlgorithms {
				t.Fatal("fault-legacy lacks legacy_algorithms in the lab inventory")
			}
			if c.tweak != nil {
				c.tweak(&dev)
			}
			cmd := c.command
			if cmd == "" {
				cmd = "uname -a"
			}
			start := time.Now()
			out, _, err := run(t, l.a, dev, cmd)
			took := time.Since(start)
			t.Logf("%s: %v after %v, %d bytes", cmd, err, took.Round(time.Millisecond), len(out))
			if took > c.within {
				t.Errorf("took %v, want within %v", took, c.within)
			}
			switch {
			case c.reason == "" && err != nil:
				t.Fatalf("want ok, got %v", err)
			case c.reason != "" && err == nil:
				t.Fatalf("want %q, got ok with %q", c.reason, out)
			case c.reason != "":
				cls := string(adapters.ClassOf(err))
				if !regexp.MustCompile(`^(`+c.reason+`)`).MatchString(err.Error()) || cls == "" {
					t.Fatalf("want %q, got %v (class %q)", c.reason, err, cls)
				}
			}
			if c.check != nil {
				c.check(t, out)
			}
		})
	}
}

func TestSimlabCancelTechSupport(t *testing.T) {
	l := startSimlab(t)
	dev := l.byPlatform(t, inventory.PlatformIOS)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan struct{}, 1)
	var o output
	done := make(chan error, 1)
	go func() {
		_, err := l.a.Run(ctx, dev, "show tech-support", func(p []byte) {
			o.add(p)
			select {
			case got <- struct{}{}:
			default:
			}
		})
		done <- err
	}()
	select {
	case <-got:
	case err := <-done:
		t.Fatalf("ended before any output: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no output from show tech-support")
	}
	cancel()
	start := time.Now()
	var err error
	select {
	case err = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("cancel took %v, want within 1s", took)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want canceled", err)
	}
	if strings.Contains(o.String(), "show logging ---") {
		t.Errorf("stream ran to its end before the cancel")
	}
	// The next run finds the device ready.
	out, _, err := run(t, l.a, dev, "show clock")
	if err != nil || strings.Count(out, "\n") != 1 {
		t.Errorf("after cancel: %q, %v", out, err)
	}

	// What the adapter's cancel sends, ^C, brings the device back to its
	// prompt mid-stream, within the second a cancel has.
	sh := l.openRawShell(t, dev)
	sh.expect(t, dev.Name+">", true, 5*time.Second)
	sh.send(t, "enable\n")
	sh.expect(t, "Password:", true, 5*time.Second)
	sh.send(t, l.lab.Password()+"\n")
	sh.expect(t, dev.Name+"#", true, 5*time.Second)
	sh.send(t, "terminal length 0\nshow tech-support\n")
	sh.expect(t, "------------------ show version ------------------\r\n", false, 5*time.Second)
	sh.send(t, "\x03")
	sh.expect(t, dev.Name+"#", true, time.Second)
}
