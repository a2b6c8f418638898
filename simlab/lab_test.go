package simlab

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/crypto/ssh"

	"netauto/inventory"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestPlan(t *testing.T) {
	specs := plan(24, false)
	if len(specs) != 24+10 {
		t.Fatalf("%d devices", len(specs))
	}
	names := map[string]bool{}
	perSite := map[string]map[inventory.Platform]bool{}
	for _, s := range specs[:24] {
		if names[s.Name] {
			t.Errorf("duplicate %s", s.Name)
		}
		names[s.Name] = true
		if !strings.HasPrefix(s.Name, s.Site+"-"+s.Role+"-") {
			t.Errorf("name %s for site %s role %s", s.Name, s.Site, s.Role)
		}
		if perSite[s.Site] == nil {
			perSite[s.Site] = map[inventory.Platform]bool{}
		}
		perSite[s.Site][s.Platform] = true
	}
	for site, ps := range perSite {
		if len(ps) < 4 {
			t.Errorf("site %s has only platforms %v", site, ps)
		}
	}
	if got := specs[:6]; got[0].Name != "chi1-core-1" || got[4].Name != "nyc2-edge-1" {
		t.Errorf("first names %s %s", got[0].Name, got[4].Name)
	}
	if n := len(plan(5, true)); n != 5 {
		t.Errorf("NoFaults: %d devices", n)
	}
}

func TestFilesAndInventory(t *testing.T) {
	l := startLab(t, Options{Devices: 6})
	inv, err := inventory.Load(l.InventoryPath())
	if err != nil {
		t.Fatalf("inventory: %v", err)
	}
	if len(inv.Devices) != len(l.Devices()) {
		t.Fatalf("inventory has %d devices, lab %d", len(inv.Devices), len(l.Devices()))
	}
	for _, d := range l.Devices() {
		dev, ok := inv.Device(d.Name)
		if !ok {
			t.Fatalf("%s missing from the inventory", d.Name)
		}
		if dev.Host+":"+strconv.Itoa(dev.Port) != d.Addr || dev.Platform != d.Platform || dev.Site != d.Site || dev.Username != Username {
			t.Errorf("%s: inventory %+v, lab %+v", d.Name, dev, d)
		}
		switch d.Auth {
		case AuthKey:
			if dev.KeyFile != l.KeyFile() {
				t.Errorf("%s: key_file %q", d.Name, dev.KeyFile)
			}
		case AuthPassword, AuthKbdInt:
			if dev.PasswordEnv != PasswordEnv {
				t.Errorf("%s: password_env %q", d.Name, dev.PasswordEnv)
			}
		}
		if d.Enable != (dev.EnablePasswordEnv == PasswordEnv) {
			t.Errorf("%s: enable_password_env %q", d.Name, dev.EnablePasswordEnv)
		}
		if dev.LegacyAlgorithms != (d.Fault == FaultLegacy) {
			t.Errorf("%s: legacy_algorithms %v", d.Name, dev.LegacyAlgorithms)
		}
		if d.Role != "" && (len(dev.Groups) != 1 || dev.Groups[0] != d.Role) {
			t.Errorf("%s: groups %v", d.Name, dev.Groups)
		}
	}
	for _, p := range []string{l.KeyFile(), l.InventoryPath(), l.KnownHostsPath()} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: %v %v", p, fi.Mode(), err)
		}
	}
}

// knownKeys reads the lab's known_hosts into address → key line.
func knownKeys(t *testing.T, l *Lab) map[string]string {
	t.Helper()
	f, err := os.Open(l.KnownHostsPath())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		host, key, _ := strings.Cut(sc.Text(), " ")
		out[host] = key
	}
	return out
}

func TestKeysPersist(t *testing.T) {
	dir := t.TempDir()
	keysByName := func() map[string]string {
		l, err := Start(context.Background(), Options{Dir: dir, Devices: 6, Password: "x"})
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		known := knownKeys(t, l)
		out := map[string]string{}
		for _, d := range l.Devices() {
			_, port, _ := net.SplitHostPort(d.Addr)
			out[d.Name] = known["[127.0.0.1]:"+port]
		}
		// The written client key logs in, verified by the written known_hosts.
		c, err := dial(byPlatform(t, l, "linux").Addr, clientConfig(t, l, keyAuth(t, l)), 10*time.Second)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		c.Close()
		return out
	}
	first, second := keysByName(), keysByName()
	for name, key := range first {
		if key == "" || second[name] != key {
			t.Errorf("%s: host key %q then %q", name, key, second[name])
		}
	}
	if !strings.HasPrefix(first["fault-legacy"], "ssh-rsa ") || !strings.HasPrefix(first["chi1-core-1"], "ssh-ed25519 ") {
		t.Errorf("key types: legacy %q, healthy %q", first["fault-legacy"][:10], first["chi1-core-1"][:12])
	}
	if _, err := os.Stat(filepath.Join(dir, "hostkeys", "chi1-core-1")); err != nil {
		t.Error(err)
	}
}

func TestManyConnections(t *testing.T) {
	l := startLab(t, Options{Devices: 6, NoFaults: true})
	cfg := clientConfig(t, l, keyAuth(t, l))
	devs := l.Devices()
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	type conn struct {
		*ssh.Client
		DeviceInfo
	}
	clients := make(chan conn, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := devs[i%len(devs)]
			c, err := dial(d.Addr, cfg, 30*time.Second)
			if err != nil {
				errs <- err
				return
			}
			clients <- conn{c, d}
		}()
	}
	wg.Wait()
	close(errs)
	close(clients)
	for err := range errs {
		t.Errorf("dial: %v", err)
	}
	// All connected at once; each runs a command.
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			sess, err := c.NewSession()
			if err != nil {
				t.Error(err)
				return
			}
			defer sess.Close()
			cmd := "show version"
			if c.Platform == inventory.PlatformLinux {
				cmd = "uname -a"
			}
			out, err := sess.Output(cmd)
			if err != nil && !isExitMissing(err) || len(out) < 100 {
				t.Errorf("%s %s: %v %q", c.Name, cmd, err, out)
			}
		}()
	}
	wg.Wait()
}

func isExitMissing(err error) bool {
	var missing *ssh.ExitMissingError
	return errors.As(err, &missing)
}

func TestCloseEndsEverything(t *testing.T) {
	l, err := Start(context.Background(), Options{Dir: t.TempDir(), Devices: 6, Password: "pw", StreamDuration: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	cfg := clientConfig(t, l, keyAuth(t, l))

	// A stalled handshake, a hanging command, a flood nobody reads, a
	// streaming tech-support and an idle shell, all live at Close.
	raw, err := net.Dial("tcp", named(t, l, "fault-handshake").Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var clients []*ssh.Client
	for _, name := range []string{"fault-hang", "fault-flood", "chi1-core-1", "sfo3-core-1"} {
		c, err := dial(named(t, l, name).Addr, cfg, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		switch name {
		case "fault-hang", "fault-flood":
			err = sess.Start("anything")
		case "sfo3-core-1":
			sess.Stdin = strings.NewReader("terminal length 0\nshow tech-support\n")
			err = sess.Shell()
		default:
			err = sess.Shell()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(200 * time.Millisecond)

	done := make(chan error)
	go func() { done <- l.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	for _, c := range clients {
		c.Wait() // the lab closed the connection
		c.Close()
	}
	raw.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := raw.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Errorf("stalled handshake not closed: %d %v", n, err)
	}
	goleak.VerifyNone(t)
}

func TestStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	l, err := Start(ctx, Options{Dir: t.TempDir(), Devices: 1, NoFaults: true})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.Dial("tcp", l.Devices()[0].Addr)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still listening after ctx ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := l.Close(); err != nil {
		t.Error(err)
	}
}
