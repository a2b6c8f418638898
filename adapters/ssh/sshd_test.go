package sshadapter

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"netauto/inventory"
)

const sshdPath = "/usr/sbin/sshd"

// clientKeyPath is the test client's private key (ed25519), written once by
// TestMain; clientSigner is the same key in memory.
var (
	clientKeyPath string
	clientSigner  ssh.Signer
	clientPrivate ed25519.PrivateKey
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "netauto-ssh-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := writeClientKey(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	if streamFile.path != "" {
		os.RemoveAll(filepath.Dir(streamFile.path))
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

func writeClientKey(dir string) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := ssh.MarshalPrivateKey(priv, "netauto test")
	if err != nil {
		return err
	}
	clientKeyPath = filepath.Join(dir, "id_test")
	if err := os.WriteFile(clientKeyPath, pem.EncodeToMemory(block), 0o600); err != nil {
		return err
	}
	clientPrivate = priv
	clientSigner, err = ssh.NewSignerFromKey(priv)
	return err
}

// sshd is a Debian OpenSSH server started by a test on 127.0.0.1.
type sshd struct {
	Dir      string
	Port     int
	HostKey  ssh.PublicKey
	HostKey2 ssh.PublicKey // the second host key, when asked for
	Log      string        // sshd's log file
}

// Addr is 127.0.0.1:port.
func (s *sshd) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) }

// sshdOptions adjust a test sshd.
type sshdOptions struct {
	hostKeyType string   // ssh-keygen -t; "" is ed25519
	secondKey   string   // ssh-keygen -t of a second host key; "" none
	password    bool     // PasswordAuthentication yes
	extra       []string // more sshd_config lines
}

func requireSSHD(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(sshdPath); err != nil {
		t.Skipf("%s not found: install openssh-server to run the real-sshd tests", sshdPath)
	}
}

// startSSHD starts sshd -D -e on a kernel-chosen port with its own host key,
// authorizing the test client key (for root and every user).
func startSSHD(t testing.TB, o sshdOptions) *sshd {
	t.Helper()
	requireSSHD(t)
	if os.Geteuid() == 0 {
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Fatalf("creating /run/sshd: %v", err)
		}
	}
	dir := t.TempDir()
	kt := o.hostKeyType
	if kt == "" {
		kt = "ed25519"
	}
	hostKeyPath := filepath.Join(dir, "host_key")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", kt, "-N", "", "-f", hostKeyPath).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	hostKey := readPublicKey(t, hostKeyPath+".pub")
	var hostKey2 ssh.PublicKey
	hostKeyLines := []string{"HostKey " + hostKeyPath}
	if o.secondKey != "" {
		p := filepath.Join(dir, "host_key2")
		if out, err := exec.Command("ssh-keygen", "-q", "-t", o.secondKey, "-N", "", "-f", p).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v: %s", err, out)
		}
		hostKey2 = readPublicKey(t, p+".pub")
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
	if err := os.WriteFile(authKeys, ssh.MarshalAuthorizedKey(clientSigner.PublicKey()), 0o644); err != nil {
		t.Fatal(err)
	}
	for attempt := 0; attempt < 3; attempt++ {
		port := freePort(t)
		pw := "no"
		if o.password {
			pw = "yes"
		}
		// sshd keeps the first value of a keyword: the extras go first.
		conf := append(append([]string(nil), o.extra...),
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
		cmd := exec.Command(sshdPath, "-D", "-e", "-f", confPath)
		cmd.Stdout, cmd.Stderr = logFile, logFile
		if err := cmd.Start(); err != nil {
			logFile.Close()
			t.Fatalf("starting sshd: %v", err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		stop := func() {
			cmd.Process.Kill()
			<-exited
			logFile.Close()
		}
		if waitListening(port, exited) {
			t.Cleanup(stop)
			return &sshd{Dir: dir, Port: port, HostKey: hostKey, HostKey2: hostKey2, Log: logPath}
		}
		stop()
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

func readPublicKey(t testing.TB, path string) ssh.PublicKey {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	k, _, _, _, err := ssh.ParseAuthorizedKey(data)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// waitListening polls the port for up to 5 s, or until the process exits.
func waitListening(port int, exited <-chan struct{}) bool {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
		if err == nil {
			c.Close()
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
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

// testEnv is an isolated home for one test: HOME and SSH_AUTH_SOCK pinned to
// temp paths, an empty ssh config and known_hosts, and an environment map.
type testEnv struct {
	Home     string
	Env      map[string]string
	Config   Config
	OwnHosts string
}

func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("SSH_AUTH_SOCK", filepath.Join(home, "no-agent.sock"))
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	e := &testEnv{Home: home, Env: map[string]string{}}
	e.OwnHosts = filepath.Join(home, ".config", "netauto", "known_hosts")
	e.Config = Config{
		KnownHostsFile: e.OwnHosts,
		UserKnownHosts: filepath.Join(home, ".ssh", "known_hosts"),
		SSHConfigFile:  filepath.Join(home, ".ssh", "config"),
		Home:           home,
		LocalUser:      "root",
		Getenv:         func(k string) string { return e.Env[k] },
		ConnectTimeout: 5 * time.Second,
		CommandTimeout: 60 * time.Second,
		IdleTimeout:    30 * time.Second,
	}
	return e
}

// adapter builds an Adapter from the env's Config.
func (e *testEnv) adapter(t testing.TB) *Adapter {
	t.Helper()
	a, err := New(e.Config)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// trust writes host keys into the user's known_hosts.
func (e *testEnv) trust(t testing.TB, addr string, key ssh.PublicKey) {
	t.Helper()
	f, err := os.OpenFile(e.Config.UserKnownHosts, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(knownhosts.Line([]string{knownhosts.Normalize(addr)}, key) + "\n"); err != nil {
		t.Fatal(err)
	}
}

// linuxDevice is a login on s with the test key, as the test user (whose
// /bin/sh reads no rc files that could print) when running as root.
func linuxDevice(t testing.TB, s *sshd) inventory.Device {
	return inventory.Device{
		Name:     "lx",
		Host:     "127.0.0.1",
		Port:     s.Port,
		Username: loginUser(t),
		Platform: inventory.PlatformLinux,
		KeyFile:  clientKeyPath,
	}
}

// output collects a run's chunks.
type output struct {
	chunks [][]byte
}

func (o *output) add(b []byte) { o.chunks = append(o.chunks, b) }

func (o *output) String() string {
	var sb strings.Builder
	for _, c := range o.chunks {
		sb.Write(c)
	}
	return sb.String()
}

// run runs command with a fresh output collector.
func run(t testing.TB, a *Adapter, dev inventory.Device, command string) (string, *int, error) {
	t.Helper()
	var o output
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := a.Run(ctx, dev, command, o.add)
	if err == nil && res.Bytes != int64(len(o.String())) {
		t.Errorf("Result.Bytes = %d, handed over %d", res.Bytes, len(o.String()))
	}
	return o.String(), res.ExitCode, err
}

const (
	testUser     = "netautotest"
	testPassword = "Corr3ct-Horse-Battery"
)

// loginUser is the user the key-auth tests log in as: the test user when
// running as root (sshd as root can log anyone in), else the current user.
func loginUser(t testing.TB) string {
	t.Helper()
	if os.Geteuid() != 0 {
		if u := os.Getenv("USER"); u != "" {
			return u
		}
		return "root"
	}
	testUserOnce.Do(func() { testUserErr = createTestUser() })
	if testUserErr != nil {
		t.Fatal(testUserErr)
	}
	return testUser
}

var (
	testUserOnce sync.Once
	testUserErr  error
)

// ensureTestUser creates the password user (idempotent); it needs root.
func ensureTestUser(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("password tests create a local user and need root")
	}
	testUserOnce.Do(func() { testUserErr = createTestUser() })
	if testUserErr != nil {
		t.Fatal(testUserErr)
	}
}

// createTestUser adds the test user with /bin/sh and sets its password.
func createTestUser() error {
	if err := exec.Command("id", testUser).Run(); err != nil {
		if out, err := exec.Command("useradd", "-M", "-d", "/tmp", "-s", "/bin/sh", testUser).CombinedOutput(); err != nil {
			if exec.Command("id", testUser).Run() != nil {
				return fmt.Errorf("useradd: %v: %s", err, out)
			}
		}
	}
	cmd := exec.Command("chpasswd")
	cmd.Stdin = strings.NewReader(testUser + ":" + testPassword + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("chpasswd: %v: %s", err, out)
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

func fingerprint(k ssh.PublicKey) string { return ssh.FingerprintSHA256(k) }

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func dirOf(path string) string { return filepath.Dir(path) }

func assertMode(t testing.TB, path string, want os.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		t.Errorf("%s mode = %o, want %o", path, got, want)
	}
}

// closedPort returns a 127.0.0.1 port nothing listens on.
func closedPort(t testing.TB) int { return freePort(t) }
