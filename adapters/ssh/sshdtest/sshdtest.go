// Package sshdtest starts Debian's OpenSSH server on 127.0.0.1 for the tests
// that need a peer netauto did not write (the ssh adapter's and the
// runner's). It is imported by tests only.
package sshdtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// Path is where the server is expected.
const Path = "/usr/sbin/sshd"

// Options adjust a server.
type Options struct {
	// Port is the port to listen on; 0 takes a free one from the kernel
	// (and another should a start lose a race for it). A fixed port lets
	// a later server take over from a stopped one.
	Port int
	// ClientKey is authorized for every user.
	ClientKey ssh.PublicKey
	// HostKeyType is ssh-keygen's -t for the host key; "" is ed25519.
	HostKeyType string
	// SecondKey is ssh-keygen's -t of a second host key; "" is none.
	SecondKey string
	// Password turns PasswordAuthentication on.
	Password bool
	// Extra are more sshd_config lines; they win over the defaults
	// (sshd keeps the first value of a keyword).
	Extra []string
}

// Server is a running sshd -D -e, stopped at the test's cleanup.
type Server struct {
	Dir      string
	Port     int
	HostKey  ssh.PublicKey
	HostKey2 ssh.PublicKey // the second host key, when asked for
	Log      string        // sshd's log file

	t      testing.TB
	cmd    *exec.Cmd
	exited chan struct{}
}

// Require skips the test when sshd is not installed.
func Require(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(Path); err != nil {
		t.Skipf("%s not found: install openssh-server to run the tests against a real OpenSSH server", Path)
	}
}

// Start starts a server with its own host key(s), or skips the test when
// sshd is missing.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	Require(t)
	if os.Geteuid() == 0 {
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Fatalf("creating /run/sshd: %v", err)
		}
	}
	dir := t.TempDir()
	kt := o.HostKeyType
	if kt == "" {
		kt = "ed25519"
	}
	hostKeyPath := filepath.Join(dir, "host_key")
	hostKey := keygen(t, kt, hostKeyPath)
	var hostKey2 ssh.PublicKey
	hostKeyLines := []string{"HostKey " + hostKeyPath}
	if o.SecondKey != "" {
		p := filepath.Join(dir, "host_key2")
		hostKey2 = keygen(t, o.SecondKey, p)
		hostKeyLines = append(hostKeyLines, "HostKey "+p)
	}
	// sshd reads authorized_keys as the user logging in: it lives in a
	// directory of its own that every user can read (t.TempDir is 0700).
	akDir, err := os.MkdirTemp("", "netauto-sshd-keys-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(akDir) })
	if err := os.Chmod(akDir, 0o755); err != nil {
		t.Fatal(err)
	}
	authKeys := filepath.Join(akDir, "authorized_keys")
	var ak []byte
	if o.ClientKey != nil {
		ak = ssh.MarshalAuthorizedKey(o.ClientKey)
	}
	if err := os.WriteFile(authKeys, ak, 0o644); err != nil {
		t.Fatal(err)
	}
	pw := "no"
	if o.Password {
		pw = "yes"
	}
	for attempt := 0; attempt < 3; attempt++ {
		port := o.Port
		if port == 0 {
			port = FreePort(t)
		}
		conf := append(append([]string(nil), o.Extra...),
			"Port "+strconv.Itoa(port),
			"ListenAddress 127.0.0.1",
			strings.Join(hostKeyLines, "\n"),
			"PidFile none",
			"StrictModes no",
			"UsePAM no",
			"AuthorizedKeysFile "+authKeys,
			"PermitRootLogin yes",
			"PasswordAuthentication "+pw,
			"KbdInteractiveAuthentication no",
			"MaxStartups 500:30:1000",
			"MaxAuthTries 6",
			"LogLevel VERBOSE",
		)
		confPath := filepath.Join(dir, "sshd_config")
		if err := os.WriteFile(confPath, []byte(strings.Join(conf, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		logPath := filepath.Join(dir, fmt.Sprintf("sshd-%d.log", attempt))
		logFile, err := os.Create(logPath)
		if err != nil {
			t.Fatal(err)
		}
		s := &Server{Dir: dir, Port: port, HostKey: hostKey, HostKey2: hostKey2, Log: logPath,
			t: t, cmd: exec.Command(Path, "-D", "-e", "-f", confPath), exited: make(chan struct{})}
		s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
		if err := s.cmd.Start(); err != nil {
			logFile.Close()
			t.Fatalf("starting sshd: %v", err)
		}
		go func() { s.cmd.Wait(); logFile.Close(); close(s.exited) }()
		if s.listening() {
			t.Cleanup(s.Stop)
			return s
		}
		s.Stop()
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "sshd-*.log"))
	var text []byte
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		text = append(text, b...)
	}
	t.Fatalf("sshd did not start: %s", text)
	return nil
}

// keygen writes a host key of type kt to path with ssh-keygen and returns
// its public half.
func keygen(t testing.TB, kt, path string) ssh.PublicKey {
	t.Helper()
	if out, err := exec.Command("ssh-keygen", "-q", "-t", kt, "-N", "", "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	data, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	k, _, _, _, err := ssh.ParseAuthorizedKey(data)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// listening polls the port for up to 5 s, or until sshd exits.
func (s *Server) listening() bool {
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
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) }

// Stop kills the listening sshd (sessions it forked end with their
// connections) and waits for it; it may be called more than once.
func (s *Server) Stop() {
	s.cmd.Process.Signal(syscall.SIGCONT) // in case a test froze it
	s.cmd.Process.Kill()
	<-s.exited
}

// Freeze stops the listening sshd with SIGSTOP: the kernel still completes
// TCP connects into its backlog, but no version line ever comes back.
func (s *Server) Freeze() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		s.t.Fatal(err)
	}
}

// FreePort asks the kernel for a free 127.0.0.1 port.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
