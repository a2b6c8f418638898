package sshadapter

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
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

	"netauto/adapters/ssh/sshdtest"
	"netauto/inventory"
)

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
type sshd = sshdtest.Server

// sshdOptions adjust a test sshd.
type sshdOptions = sshdtest.Options

// startSSHD starts sshd on a kernel-chosen port with its own host key,
// authorizing the test client key (for root and every user).
func startSSHD(t testing.TB, o sshdOptions) *sshd {
	t.Helper()
	o.ClientKey = clientSigner.PublicKey()
	return sshdtest.Start(t, o)
}

// trustedSSHD starts an sshd with the default options and an isolated
// environment whose known_hosts trusts its host key.
func trustedSSHD(t testing.TB) (*sshd, *testEnv) {
	t.Helper()
	s := startSSHD(t, sshdOptions{})
	e := newTestEnv(t)
	e.trust(t, s.Addr(), s.HostKey)
	return s, e
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
func closedPort(t testing.TB) int { return sshdtest.FreePort(t) }
