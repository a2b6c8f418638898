package sshadapter

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"netauto/inventory"
)

// fakeDevice is a tiny network-OS-like SSH server for shell-mode tests: a
// prompt per platform, enable with a password, paging until turned off,
// echo of typed input, ^C.
type fakeDevice struct {
	Port     int
	HostKey  ssh.PublicKey
	platform inventory.Platform
	host     string
	opts     fakeOptions

	interrupted atomic.Bool // a ^C stopped "show slow"

	l    net.Listener
	wg   sync.WaitGroup
	mu   sync.Mutex
	conn []net.Conn
}

type fakeOptions struct {
	kbdOnly         bool   // only keyboard-interactive auth
	password        string // login password ("" = key auth only)
	enablePassword  string // "" = no enable password asked
	startEnabled    bool
	ignoreKeepalive bool // never answer global requests
	banner          string
}

const fakeShowVersionLines = 60

func startFakeDevice(t testing.TB, platform inventory.Platform, host string, o fakeOptions) *fakeDevice {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ssh.ServerConfig{}
	cfg.AddHostKey(signer)
	if !o.kbdOnly {
		cfg.PublicKeyCallback = func(c ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if bytes.Equal(k.Marshal(), clientSigner.PublicKey().Marshal()) {
				return nil, nil
			}
			return nil, fmt.Errorf("unknown key")
		}
	}
	if o.password != "" && !o.kbdOnly {
		cfg.PasswordCallback = func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if string(pw) == o.password {
				return nil, nil
			}
			return nil, fmt.Errorf("wrong password")
		}
	}
	if o.password != "" {
		cfg.KeyboardInteractiveCallback = func(c ssh.ConnMetadata, ch ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			ans, err := ch("", "", []string{"Password: "}, []bool{false})
			if err != nil {
				return nil, err
			}
			if len(ans) == 1 && ans[0] == o.password {
				return nil, nil
			}
			return nil, fmt.Errorf("wrong password")
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &fakeDevice{Port: l.Addr().(*net.TCPAddr).Port, HostKey: signer.PublicKey(), platform: platform, host: host, opts: o, l: l}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			d.mu.Lock()
			d.conn = append(d.conn, c)
			d.mu.Unlock()
			d.wg.Add(1)
			go func() {
				defer d.wg.Done()
				d.serve(c, cfg)
			}()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		d.mu.Lock()
		for _, c := range d.conn {
			c.Close()
		}
		d.mu.Unlock()
		d.wg.Wait()
	})
	return d
}

// Addr is 127.0.0.1:port.
func (d *fakeDevice) Addr() string { return fmt.Sprintf("127.0.0.1:%d", d.Port) }

// Device is an inventory entry for the fake device.
func (d *fakeDevice) Device() inventory.Device {
	return inventory.Device{Name: d.host, Host: "127.0.0.1", Port: d.Port, Username: "admin",
		Platform: d.platform, KeyFile: clientKeyPath}
}

func (d *fakeDevice) serve(c net.Conn, cfg *ssh.ServerConfig) {
	defer c.Close()
	sc, chans, reqs, err := ssh.NewServerConn(c, cfg)
	if err != nil {
		return
	}
	defer sc.Close()
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		for r := range reqs {
			if d.opts.ignoreKeepalive {
				continue
			}
			r.Reply(false, nil) // like a switch: unknown request, but answered
		}
	}()
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "no")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			return
		}
		shell := make(chan struct{})
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			started := false
			for r := range creqs {
				switch r.Type {
				case "pty-req":
					r.Reply(true, nil)
				case "shell":
					r.Reply(!started, nil)
					if !started {
						started = true
						close(shell)
					}
				default:
					r.Reply(false, nil)
				}
			}
		}()
		select {
		case <-shell:
		case <-time.After(10 * time.Second):
			ch.Close()
			continue
		}
		d.shell(ch)
		ch.Close()
		return // one session per connection, like a switch
	}
}

// prompt renders the platform's prompt.
func (d *fakeDevice) prompt(enabled bool) string {
	mode := ">"
	if enabled {
		mode = "#"
	}
	switch d.platform {
	case inventory.PlatformIOSXR:
		return "RP/0/RSP0/CPU0:" + d.host + "#"
	case inventory.PlatformJunos:
		return "admin@" + d.host + mode + " "
	default:
		return d.host + mode
	}
}

// shell is the CLI loop.
func (d *fakeDevice) shell(ch ssh.Channel) {
	input := make(chan byte, 1024)
	go func() {
		defer close(input)
		buf := make([]byte, 256)
		for {
			n, err := ch.Read(buf)
			for _, b := range buf[:n] {
				input <- b
			}
			if err != nil {
				return
			}
		}
	}()
	w := func(s string) bool { _, err := ch.Write([]byte(s)); return err == nil }
	enabled := d.opts.startEnabled
	paging := true
	if d.opts.banner != "" {
		w(d.opts.banner)
	}
	// readLine reads a line, echoing unless silent; ok=false on EOF.
	readLine := func(silent bool) (string, bool) {
		var line []byte
		for b := range input {
			switch b {
			case '\r', '\n':
				w("\r\n")
				return string(line), true
			case 0x03:
				w("^C\r\n")
				return "", true
			default:
				line = append(line, b)
				if !silent {
					w(string(b))
				}
			}
		}
		return "", false
	}
	w("\r\n")
	for {
		if !w(d.prompt(enabled)) {
			return
		}
		line, ok := readLine(false)
		if !ok {
			return
		}
		cmd := strings.TrimSpace(line)
		switch {
		case cmd == "":
		case cmd == "exit":
			return
		case cmd == "enable":
			if d.opts.enablePassword == "" {
				enabled = true
				continue
			}
			w("Password: ")
			pw, ok := readLine(true)
			if !ok {
				return
			}
			if pw == d.opts.enablePassword {
				enabled = true
			} else {
				w("% Access denied\r\n")
			}
		case cmd == "terminal length 0" || cmd == "set cli screen-length 0":
			paging = false
			if d.platform == inventory.PlatformJunos {
				w("Screen length set to 0\r\n")
			}
		case cmd == "show version":
			for i := 1; i <= fakeShowVersionLines; i++ {
				if paging && i%24 == 0 {
					w(" --More-- ")
					b, ok := <-input
					if !ok {
						return
					}
					w("\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b")
					if b != ' ' {
						break
					}
				}
				w(fmt.Sprintf("%s line %d of show version\r\n", d.host, i))
			}
		case cmd == "show privilege":
			if enabled {
				w("Current privilege level is 15\r\n")
			} else {
				w("Current privilege level is 1\r\n")
			}
		case cmd == "show slow":
			tick := time.NewTicker(50 * time.Millisecond)
		slow:
			for i := 0; ; i++ {
				select {
				case b, ok := <-input:
					if !ok {
						tick.Stop()
						return
					}
					if b == 0x03 {
						d.interrupted.Store(true)
						w("^C\r\n")
						break slow
					}
				case <-tick.C:
					if !w(fmt.Sprintf("slow line %d\r\n", i)) {
						tick.Stop()
						return
					}
				}
			}
			tick.Stop()
		case cmd == "show hang":
			if _, ok := <-input; !ok { // silent until a key (^C)
				return
			}
		default:
			w("                 ^\r\n% Invalid input detected at '^' marker.\r\n")
		}
	}
}
