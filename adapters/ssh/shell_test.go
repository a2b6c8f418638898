package sshadapter

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"netauto/adapters"
	"netauto/inventory"
)

// wantShowVersion is the fake device's show version, cleaned.
func wantShowVersion(host string) string {
	var b strings.Builder
	for i := 1; i <= fakeShowVersionLines; i++ {
		fmt.Fprintf(&b, "%s line %d of show version\n", host, i)
	}
	return b.String()
}

func fakeEnv(t *testing.T, d *fakeDevice) (*testEnv, *Adapter) {
	t.Helper()
	e := newTestEnv(t)
	e.trust(t, d.Addr(), d.HostKey)
	return e, e.adapter(t)
}

func TestShellPlatforms(t *testing.T) {
	cases := []struct {
		platform inventory.Platform
		host     string
		pattern  string
	}{
		{inventory.PlatformIOS, "r1-core", ""},
		{inventory.PlatformIOSXE, "c9k.lab", ""},
		{inventory.PlatformNXOS, "n9k-1", ""},
		{inventory.PlatformEOS, "leaf1", ""},
		{inventory.PlatformIOSXR, "xr-pe1", ""},
		{inventory.PlatformJunos, "mx1", ""},
		{inventory.PlatformGeneric, "gen1", `([a-z0-9-]+)[>#]`},
	}
	for _, c := range cases {
		t.Run(string(c.platform), func(t *testing.T) {
			d := startFakeDevice(t, c.platform, c.host, fakeOptions{banner: "Welcome\r\n\r\nAuthorized access only\r\n"})
			_, a := fakeEnv(t, d)
			dev := d.Device()
			dev.PromptPattern = c.pattern
			out, code, err := run(t, a, dev, "show version")
			if err != nil {
				t.Fatal(err)
			}
			if code != nil {
				t.Errorf("exit code = %d, want none in shell mode", *code)
			}
			if out != wantShowVersion(c.host) {
				t.Fatalf("output not clean:\n%q", out)
			}
		})
	}
}

func TestShellEnable(t *testing.T) {
	d := startFakeDevice(t, inventory.PlatformIOS, "sw1", fakeOptions{enablePassword: "en-secret"})
	e, _ := fakeEnv(t, d)
	dev := d.Device()
	dev.EnablePasswordEnv = "NETAUTO_ENABLE"

	_, _, err := run(t, e.adapter(t), dev, "show privilege")
	if err == nil || err.Error() != "auth: enable password required (set NETAUTO_ENABLE)" {
		t.Fatalf("no enable password: err = %v", err)
	}
	e.Env["NETAUTO_ENABLE"] = "wrong"
	_, _, err = run(t, e.adapter(t), dev, "show privilege")
	if adapters.ClassOf(err) != adapters.ClassAuth || !strings.Contains(err.Error(), "enable refused") {
		t.Fatalf("wrong enable password: err = %v", err)
	}
	e.Env["NETAUTO_ENABLE"] = "en-secret"
	out, _, err := run(t, e.adapter(t), dev, "show privilege")
	if err != nil || out != "Current privilege level is 15\n" {
		t.Fatalf("enabled: %q, %v", out, err)
	}
	// Without enable_password_env the device stays in user mode.
	dev.EnablePasswordEnv = ""
	out, _, err = run(t, e.adapter(t), dev, "show privilege")
	if err != nil || out != "Current privilege level is 1\n" {
		t.Fatalf("user mode: %q, %v", out, err)
	}
}

// TestShellEnableEOS: EOS enters enable at a ">" prompt even without an
// enable password, as netmiko and scrapli do; a device that then asks for
// a password nobody configured ends the run as auth, at once.
func TestShellEnableEOS(t *testing.T) {
	d := startFakeDevice(t, inventory.PlatformEOS, "leaf1", fakeOptions{})
	_, a := fakeEnv(t, d)
	out, _, err := run(t, a, d.Device(), "show privilege")
	if err != nil || out != "Current privilege level is 15\n" {
		t.Fatalf("eos without enable password: %q, %v", out, err)
	}

	d = startFakeDevice(t, inventory.PlatformEOS, "leaf2", fakeOptions{enablePassword: "en-secret"})
	e, _ := fakeEnv(t, d)
	dev := d.Device()
	dev.IdleTimeout = 20 * time.Second
	start := time.Now()
	_, _, err = run(t, e.adapter(t), dev, "show privilege")
	if err == nil || err.Error() != "auth: enable password required (set enable_password_env)" {
		t.Fatalf("eos asking an enable password: err = %v", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("took %v: waited for the idle timeout", took)
	}
	dev.EnablePasswordEnv = "NETAUTO_ENABLE"
	e.Env["NETAUTO_ENABLE"] = "en-secret"
	out, _, err = run(t, e.adapter(t), dev, "show privilege")
	if err != nil || out != "Current privilege level is 15\n" {
		t.Fatalf("eos with enable password: %q, %v", out, err)
	}
}

func TestShellInvalidCommand(t *testing.T) {
	d := startFakeDevice(t, inventory.PlatformIOS, "r2", fakeOptions{})
	_, a := fakeEnv(t, d)
	out, _, err := run(t, a, d.Device(), "shwo version")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "% Invalid input detected") || strings.Contains(out, "shwo") || strings.Contains(out, "r2>") {
		t.Fatalf("output = %q", out)
	}
}

func TestKeyboardInteractive(t *testing.T) {
	d := startFakeDevice(t, inventory.PlatformIOS, "kbd1", fakeOptions{kbdOnly: true, password: "kbd-pass"})
	e, _ := fakeEnv(t, d)
	dev := d.Device()
	dev.KeyFile, dev.PasswordEnv = "", "NETAUTO_KBD"
	e.Env["NETAUTO_KBD"] = "kbd-pass"
	out, _, err := run(t, e.adapter(t), dev, "show version")
	if err != nil || out != wantShowVersion("kbd1") {
		t.Fatalf("kbd-interactive: %q, %v", out, err)
	}
	e.Env["NETAUTO_KBD"] = "wrong"
	_, _, err = run(t, e.adapter(t), dev, "show version")
	if adapters.ClassOf(err) != adapters.ClassAuth {
		t.Fatalf("wrong password: err = %v, want auth", err)
	}
}

func TestPasswordThenKeyboardInteractiveTriesOnce(t *testing.T) {
	d := startFakeDevice(t, inventory.PlatformIOS, "both1", fakeOptions{password: "right"})
	e, _ := fakeEnv(t, d)
	dev := d.Device()
	dev.KeyFile, dev.PasswordEnv = "", "NETAUTO_PW"
	e.Env["NETAUTO_PW"] = "wrong"
	_, _, err := run(t, e.adapter(t), dev, "show version")
	if err == nil || !strings.HasPrefix(err.Error(), "auth: password rejected") {
		t.Fatalf("err = %v, want auth: password rejected (no second try by keyboard-interactive)", err)
	}
}

func TestShellCancel(t *testing.T) {
	d := startFakeDevice(t, inventory.PlatformIOS, "slow1", fakeOptions{})
	_, a := fakeEnv(t, d)
	var mu sync.Mutex
	var got strings.Builder
	cancelAfterOutput(t, a, d.Device(), "show slow", func(b []byte) {
		mu.Lock()
		got.Write(b)
		mu.Unlock()
	})
	for i := 0; i < 100 && !d.interrupted.Load(); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if !d.interrupted.Load() {
		t.Error("the device never received ^C")
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.HasPrefix(got.String(), "slow line 0\n") {
		t.Errorf("output = %q", got.String())
	}
}

func TestShellIdleTimeout(t *testing.T) {
	d := startFakeDevice(t, inventory.PlatformIOS, "hang1", fakeOptions{})
	_, a := fakeEnv(t, d)
	dev := d.Device()
	dev.IdleTimeout = 500 * time.Millisecond
	_, _, err := run(t, a, dev, "show hang")
	if err == nil || err.Error() != "timeout: idle" {
		t.Fatalf("err = %v, want timeout: idle", err)
	}
}

func TestKeepaliveDeadPeer(t *testing.T) {
	d := startFakeDevice(t, inventory.PlatformIOS, "deaf1", fakeOptions{ignoreKeepalive: true})
	e := newTestEnv(t)
	e.trust(t, d.Addr(), d.HostKey)
	e.Config.Keepalive = 100 * time.Millisecond
	_, _, err := run(t, e.adapter(t), d.Device(), "show hang")
	if err == nil || err.Error() != "closed: peer stopped answering keepalives" {
		t.Fatalf("err = %v, want closed: peer stopped answering keepalives", err)
	}
}

func TestShellSessionEnds(t *testing.T) {
	d := startFakeDevice(t, inventory.PlatformIOS, "bye1", fakeOptions{})
	_, a := fakeEnv(t, d)
	_, _, err := run(t, a, d.Device(), "exit")
	if adapters.ClassOf(err) != adapters.ClassClosed {
		t.Fatalf("err = %v, want closed: …", err)
	}
}

func TestPasswordSourceFails(t *testing.T) {
	d := startFakeDevice(t, inventory.PlatformIOS, "pw1", fakeOptions{password: "right"})
	e := newTestEnv(t)
	e.trust(t, d.Addr(), d.HostKey)
	e.Config.Password = func(ctx context.Context, dev inventory.Device, what string) (string, error) {
		return "", errors.New("prompt closed")
	}
	dev := d.Device()
	dev.KeyFile = ""
	_, _, err := run(t, e.adapter(t), dev, "show version")
	if adapters.ClassOf(err) != adapters.ClassAuth || !strings.Contains(err.Error(), "not given: prompt closed") {
		t.Fatalf("err = %v, want auth: password … not given: prompt closed", err)
	}
}
