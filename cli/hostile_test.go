package cli

import (
	"crypto/ed25519"
	"crypto/rand"
	bin "encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// hostileMessage is what the hostile server says when it refuses a
// session: terminal controls where an error message is expected.
const hostileMessage = "no\x1b]0;owned title\x07 \x1b]52;c;Y3VybCB4fHNo\x07 \x9b31mred\x9b0m \x1bP+q544e\x1b\\\r\nsecond line\x00\xff"

// startHostileServer serves SSH on 127.0.0.1 to anyone, and refuses every
// session with hostileMessage. It returns its address and host key.
func startHostileServer(t *testing.T) (string, ssh.PublicKey) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ssh.ServerConfig{NoClientAuth: true}
	cfg.AddHostKey(signer)
	addr := serveLocal(t, func(c net.Conn) {
		_, chans, reqs, err := ssh.NewServerConn(c, cfg)
		if err != nil {
			return
		}
		go ssh.DiscardRequests(reqs)
		for ch := range chans {
			ch.Reject(ssh.Prohibited, hostileMessage)
		}
	})
	return addr, signer.PublicKey()
}

// serveLocal listens on 127.0.0.1 and hands each connection to handle on
// a goroutine of its own, closing it after; the test's cleanup stops the
// listener and waits for the handlers. It returns the address.
func serveLocal(t *testing.T, handle func(c net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				handle(c)
			}()
		}
	}()
	return l.Addr().String()
}

// startHostileKex serves on 127.0.0.1 an SSH server whose key exchange
// offers only algorithms named hostileMessage: the client's "no common
// algorithm" error quotes the server's list.
func startHostileKex(t *testing.T) string {
	t.Helper()
	var payload []byte
	payload = append(payload, 20) // SSH_MSG_KEXINIT
	payload = append(payload, make([]byte, 16)...)
	name := strings.ReplaceAll(hostileMessage, ",", ";")
	for range 10 {
		payload = bin.BigEndian.AppendUint32(payload, uint32(len(name)))
		payload = append(payload, name...)
	}
	payload = append(payload, 0, 0, 0, 0, 0)
	pad := 16 - (5+len(payload))%16
	if pad < 4 {
		pad += 16
	}
	packet := bin.BigEndian.AppendUint32(nil, uint32(1+len(payload)+pad))
	packet = append(packet, byte(pad))
	packet = append(packet, payload...)
	packet = append(packet, make([]byte, pad)...)
	return serveLocal(t, func(c net.Conn) {
		c.Write(append([]byte("SSH-2.0-hostile\r\n"), packet...))
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		io.Copy(io.Discard, c)
	})
}

// TestHostileErrorMessage: what a server says (its refusal text, its
// algorithm names) becomes part of a run's reason; it must reach the
// terminal (live, summary, history, show, hostkeys scan) as one line of
// text, without its controls.
func TestHostileErrorMessage(t *testing.T) {
	h := newHarness(t, nil)
	addr, key := startHostileServer(t)
	writeTestFile(t, h.knownHosts, knownhosts.Line([]string{knownhosts.Normalize(addr)}, key)+"\n")
	inv := h.writeInventory(fmt.Sprintf("devices:\n  refuses:\n    host: 127.0.0.1\n    port: %s\n    platform: linux\n    username: x\n"+
		"  kex:\n    host: 127.0.0.1\n    port: %s\n    platform: linux\n    username: x\n", port(addr), port(startHostileKex(t))))
	r := h.run("run", "--inventory", inv, "--device", "refuses", "--device", "kex", "-c", "show version").want(t, 1)
	for name, s := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
		if hasControl(s) || strings.Contains(s, "\ufffd\ufffd") {
			t.Errorf("run %s holds controls: %q", name, s)
		}
	}
	if !strings.Contains(r.stdout+r.stderr, "second line") {
		t.Errorf("the refusal's text is missing:\n%s", r)
	}
	runs := h.history("--inventory", inv)
	if len(runs) != 2 {
		t.Fatalf("%d runs stored, want 2", len(runs))
	}
	for _, m := range runs {
		reason, _ := m["error_reason"].(string)
		if hasControl(reason) || !strings.HasPrefix(reason, "connect: ") {
			t.Errorf("%v: stored reason %q: want connect: … without controls", m["device"], reason)
		}
	}
	table := h.run("history", "--inventory", inv).want(t, 0)
	if hasControl(table.stdout) {
		t.Errorf("history table holds controls: %q", table.stdout)
	}
	scan := h.run("hostkeys", "scan", "--inventory", inv, "--device", "kex")
	if hasControl(scan.stdout+scan.stderr) || !strings.Contains(scan.stdout+scan.stderr, "no common") {
		t.Errorf("hostkeys scan shows controls or not the reason: %s", scan)
	}
	id := fmt.Sprint(int64(runs[0]["run_id"].(float64)))
	if s := h.run("show", "--inventory", inv, id); hasControl(s.stdout + s.stderr) {
		t.Errorf("show holds controls: %s", s)
	}
}

// port is the port of a host:port address.
func port(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}
