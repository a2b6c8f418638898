package runner_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// The fault tests reach a real OpenSSH server too. This is the least of a
// harness: adapters/ssh has the full one (test users, PAM, second host
// keys); here a server needs only a host key of its own, the test's client
// key, and a port that a later server can take over (a host key that
// changes between two runs).

const sshdPath = "/usr/sbin/sshd"

// sshd is an OpenSSH server on 127.0.0.1 started by a test.
type sshd struct {
	t       testing.TB
	dir     string
	Port    int
	HostKey ssh.PublicKey
	cmd     *exec.Cmd
	exited  chan struct{}
}

// writeKey writes a fresh ed25519 private key in OpenSSH format to path and
// returns its public half.
func writeKey(t testing.TB, path string) ssh.PublicKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// sshLogin is the user a test server logs in: the current user (sshd run
// by anyone else than root can log in only its own user).
func sshLogin(t testing.TB) string {
	t.Helper()
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	return u.Username
}

// startSSHD starts sshd -D -e with a fresh host key on port (0: a free
// one), authorizing clientKey. It is stopped at cleanup.
func startSSHD(t testing.TB, port int, clientKey ssh.PublicKey) *sshd {
	t.Helper()
	if _, err := os.Stat(sshdPath); err != nil {
		t.Skipf("%s not found: install openssh-server to run the real-sshd fault tests", sshdPath)
	}
	if os.Geteuid() == 0 {
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	hostKey := writeKey(t, filepath.Join(dir, "host_key"))
	authKeys := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(authKeys, ssh.MarshalAuthorizedKey(clientKey), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil { // sshd reads authorized_keys as the user
		t.Fatal(err)
	}
	fixed := port != 0
	for attempt := 0; attempt < 3; attempt++ {
		if !fixed {
			port = freePort(t)
		}
		conf := strings.Join([]string{
			"Port " + strconv.Itoa(port),
			"ListenAddress 127.0.0.1",
			"HostKey " + filepath.Join(dir, "host_key"),
			"PidFile none",
			"StrictModes no",
			"UsePAM no",
			"AuthorizedKeysFile " + authKeys,
			"PermitRootLogin yes",
			"PasswordAuthentication no",
			"KbdInteractiveAuthentication no",
			"MaxStartups 500:30:1000",
		}, "\n") + "\n"
		confPath := filepath.Join(dir, "sshd_config")
		if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		log, err := os.Create(filepath.Join(dir, fmt.Sprintf("sshd-%d.log", attempt)))
		if err != nil {
			t.Fatal(err)
		}
		s := &sshd{t: t, dir: dir, Port: port, HostKey: hostKey, exited: make(chan struct{})}
		s.cmd = exec.Command(sshdPath, "-D", "-e", "-f", confPath)
		s.cmd.Stdout, s.cmd.Stderr = log, log
		if err := s.cmd.Start(); err != nil {
			log.Close()
			t.Fatal(err)
		}
		go func() { s.cmd.Wait(); log.Close(); close(s.exited) }()
		if s.listening() {
			t.Cleanup(s.Stop)
			return s
		}
		s.Stop()
	}
	t.Fatalf("sshd did not start; logs in %s", dir)
	return nil
}

// listening polls the port for up to 5 s, or until sshd exits.
func (s *sshd) listening() bool {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return false
		default:
		}
		c, err := net.DialTimeout("tcp", s.Addr(), time.Second)
		if err == nil {
			c.Close()
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// Addr is 127.0.0.1:port.
func (s *sshd) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) }

// Stop kills the listening sshd (sessions it forked end with their
// connections) and waits for it; it is idempotent.
func (s *sshd) Stop() {
	s.cmd.Process.Signal(syscall.SIGCONT) // in case a test froze it
	s.cmd.Process.Kill()
	<-s.exited
}

// Freeze stops the listening sshd with SIGSTOP: the kernel still completes
// TCP connects into its backlog, but no version line ever comes back.
func (s *sshd) Freeze() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		s.t.Fatal(err)
	}
}

// freePort asks the kernel for a free 127.0.0.1 port.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
