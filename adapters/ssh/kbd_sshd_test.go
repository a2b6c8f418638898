package sshadapter

import (
	"strings"
	"testing"
	"time"

	"netauto/adapters"
)

// Keyboard-interactive against OpenSSH needs PAM (without it sshd has no
// keyboard-interactive device on Linux); password auth is off, so
// keyboard-interactive is the only way in, as on many network devices.
func TestKeyboardInteractiveSSHD(t *testing.T) {
	ensureTestUser(t)
	s := startSSHD(t, sshdOptions{Extra: []string{"UsePAM yes", "KbdInteractiveAuthentication yes"}})
	e := newTestEnv(t)
	e.trust(t, s.Addr(), s.HostKey)
	dev := linuxDevice(t, s)
	dev.Username, dev.KeyFile, dev.PasswordEnv = testUser, "", "NETAUTO_TEST_PW"
	e.Env["NETAUTO_TEST_PW"] = testPassword
	out, _, err := run(t, e.adapter(t), dev, "id -un")
	if err != nil || out != testUser+"\n" {
		t.Fatalf("%q, %v\n%s", out, err, readFile(t, s.Log))
	}
	// A wrong password is tried once, then the run ends auth.
	e.Env["NETAUTO_TEST_PW"] = "wrong"
	_, _, err = run(t, e.adapter(t), dev, "true")
	if adapters.ClassOf(err) != adapters.ClassAuth || !strings.Contains(err.Error(), "keyboard-interactive") {
		t.Fatalf("wrong password: err = %v", err)
	}
	failures := func() int { return strings.Count(readFile(t, s.Log), "Failed keyboard-interactive") }
	for i := 0; i < 100 && failures() == 0; i++ { // sshd logs after the client has left
		time.Sleep(20 * time.Millisecond)
	}
	if n := failures(); n != 1 {
		t.Errorf("sshd logged %d failed keyboard-interactive attempts, want 1:\n%s", n, readFile(t, s.Log))
	}
}
