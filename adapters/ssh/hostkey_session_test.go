package sshadapter

import (
	"context"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"

	"netauto/inventory"
)

// forwarder is a TCP relay on 127.0.0.1 whose backend can be swapped, so
// that one address is served by different SSH servers in turn.
type forwarder struct {
	Port    int
	backend atomic.Value // string: host:port to dial
	l       net.Listener
	wg      sync.WaitGroup
	mu      sync.Mutex
	conns   []net.Conn
}

func startForwarder(t testing.TB, backend string) *forwarder {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &forwarder{Port: l.Addr().(*net.TCPAddr).Port, l: l}
	f.backend.Store(backend)
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			b, err := net.Dial("tcp", f.backend.Load().(string))
			if err != nil {
				c.Close()
				continue
			}
			f.mu.Lock()
			f.conns = append(f.conns, c, b)
			f.mu.Unlock()
			f.wg.Add(2)
			go f.pipe(c, b)
			go f.pipe(b, c)
		}
	}()
	t.Cleanup(func() {
		l.Close()
		f.mu.Lock()
		for _, c := range f.conns {
			c.Close()
		}
		f.mu.Unlock()
		f.wg.Wait()
	})
	return f
}

func (f *forwarder) pipe(dst, src net.Conn) {
	defer f.wg.Done()
	io.Copy(dst, src)
	dst.Close()
	src.Close()
}

// swap points new connections at backend.
func (f *forwarder) swap(backend string) { f.backend.Store(backend) }

// TestTrustOnceThenChangedKey: a key trusted once (in memory) makes the
// host known for the session, so a different key at the same address is
// refused as changed, and the operator is not asked about it as if the host
// were new.
func TestTrustOnceThenChangedKey(t *testing.T) {
	first := startFakeDevice(t, inventory.PlatformIOS, "sw1", fakeOptions{})
	second := startFakeDevice(t, inventory.PlatformIOS, "sw1", fakeOptions{})
	fw := startForwarder(t, first.Addr())
	e := newTestEnv(t)
	var asked atomic.Int32
	e.Config.HostKeys = func(context.Context, HostKeyQuestion) (Decision, error) {
		asked.Add(1)
		return TrustOnce, nil
	}
	a := e.adapter(t)
	dev := first.Device()
	dev.Port = fw.Port

	if _, _, err := run(t, a, dev, "show version"); err != nil {
		t.Fatalf("first run (trusted once): %v", err)
	}
	if n := asked.Load(); n != 1 {
		t.Fatalf("asked %d times on first contact, want 1", n)
	}

	fw.swap(second.Addr())
	_, _, err := run(t, a, dev, "show version")
	want := "hostkey: key for [127.0.0.1]:" + itoa(fw.Port) + " changed (fingerprint " + fingerprint(second.HostKey) + ")"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("asked %d times, want 1: a changed key is refused, never asked about", n)
	}
	if fileExists(e.OwnHosts) {
		t.Errorf("a key was recorded in netauto's known_hosts:\n%s", readFile(t, e.OwnHosts))
	}

	// The key trusted once still works.
	fw.swap(first.Addr())
	if _, _, err := run(t, a, dev, "show version"); err != nil {
		t.Fatalf("key trusted once no longer trusted: %v", err)
	}
}
