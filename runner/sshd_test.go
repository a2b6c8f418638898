package runner_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"os"
	"os/user"
	"testing"

	"golang.org/x/crypto/ssh"

	"netauto/adapters/ssh/sshdtest"
)

// The fault tests reach a real OpenSSH server too (sshdtest, shared with
// the ssh adapter's tests): one with a host key of its own, the test's
// client key, and a port that a later server can take over (a host key
// that changes between two runs).

// sshd is an OpenSSH server on 127.0.0.1 started by a test.
type sshd = sshdtest.Server

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

// startSSHD starts sshd with a fresh host key on port (0: a free one),
// authorizing clientKey. It is stopped at cleanup.
func startSSHD(t testing.TB, port int, clientKey ssh.PublicKey) *sshd {
	t.Helper()
	return sshdtest.Start(t, sshdtest.Options{Port: port, ClientKey: clientKey})
}
