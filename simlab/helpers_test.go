package simlab

import (
	"bytes"
	"context"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// startLab starts a small lab in a temporary directory, closed at cleanup.
func startLab(t testing.TB, opts Options) *Lab {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	if opts.StreamDuration == 0 {
		opts.StreamDuration = time.Second
	}
	if opts.FloodBytes == 0 {
		opts.FloodBytes = 2 << 20
	}
	if opts.Password == "" {
		opts.Password = "lab-secret"
	}
	l, err := Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

// named returns the lab's device of that name.
func named(t testing.TB, l *Lab, name string) DeviceInfo {
	t.Helper()
	for _, d := range l.Devices() {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no device %s", name)
	return DeviceInfo{}
}

// byPlatform returns the first healthy device of a platform.
func byPlatform(t *testing.T, l *Lab, p string) DeviceInfo {
	t.Helper()
	for _, d := range l.Devices() {
		if string(d.Platform) == p && d.Fault == FaultNone && d.Auth == AuthKey {
			return d
		}
	}
	t.Fatalf("no healthy %s device", p)
	return DeviceInfo{}
}

// clientConfig is an x/crypto client config that verifies host keys with
// the lab's known_hosts and logs in with auth.
func clientConfig(t testing.TB, l *Lab, auth ...ssh.AuthMethod) *ssh.ClientConfig {
	t.Helper()
	cb, err := knownhosts.New(l.KnownHostsPath())
	if err != nil {
		t.Fatalf("knownhosts: %v", err)
	}
	return &ssh.ClientConfig{User: Username, Auth: auth, HostKeyCallback: cb}
}

// keyAuth is public key auth with the lab's client key.
func keyAuth(t testing.TB, l *Lab) ssh.AuthMethod {
	t.Helper()
	data, err := os.ReadFile(l.KeyFile())
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.ParsePrivateKey(data)
	if err != nil {
		t.Fatal(err)
	}
	return ssh.PublicKeys(s)
}

// dial connects and logs in, with the handshake bounded by a deadline.
func dial(addr string, cfg *ssh.ClientConfig, timeout time.Duration) (*ssh.Client, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(timeout))
	sc, chans, reqs, err := ssh.NewClientConn(c, addr, cfg)
	if err != nil {
		c.Close()
		return nil, err
	}
	c.SetDeadline(time.Time{})
	return ssh.NewClient(sc, chans, reqs), nil
}

// mustDial is dial that fails the test on error; the client is closed at
// cleanup.
func mustDial(t *testing.T, d DeviceInfo, cfg *ssh.ClientConfig) *ssh.Client {
	t.Helper()
	c, err := dial(d.Addr, cfg, 10*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", d.Name, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// shell is an interactive session under a pty, with its output collected.
type shell struct {
	t    *testing.T
	sess *ssh.Session
	in   interface{ Write([]byte) (int, error) }
	mu   sync.Mutex
	out  bytes.Buffer
	mark int
	done chan struct{}
}

// openShell requests a pty and a shell on c.
func openShell(t *testing.T, c *ssh.Client) *shell {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	if err := sess.RequestPty("xterm", 24, 80, ssh.TerminalModes{}); err != nil {
		t.Fatalf("pty: %v", err)
	}
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	s := &shell{t: t, sess: sess, in: in, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		buf := make([]byte, 32<<10)
		for {
			n, err := out.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		sess.Close()
		<-s.done
	})
	return s
}

// send types text.
func (s *shell) send(text string) {
	s.t.Helper()
	if _, err := s.in.Write([]byte(text)); err != nil {
		s.t.Fatalf("send %q: %v", text, err)
	}
}

// expect waits until want appears after the mark and returns the text up to
// and including it, moving the mark past it.
func (s *shell) expect(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.mu.Lock()
		rest := s.out.String()[s.mark:]
		if i := strings.Index(rest, want); i >= 0 {
			s.mark += i + len(want)
			s.mu.Unlock()
			return rest[:i+len(want)]
		}
		s.mu.Unlock()
		select {
		case <-s.done:
			s.t.Fatalf("session ended waiting for %q; got %q", want, rest)
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %q; got %q", want, rest)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// command types line and returns the output up to the next prompt.
func (s *shell) command(line, prompt string) string {
	s.t.Helper()
	s.send(line + "\r")
	return s.expect(prompt)
}
