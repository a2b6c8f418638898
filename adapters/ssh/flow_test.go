package sshadapter

import (
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"netauto/inventory"
)

// countingConn counts the bytes read off a socket, apart from flowConn's
// own count.
type countingConn struct {
	net.Conn
	n atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// dialLabFlow logs in to a lab device over a counted socket, with or
// without a flowConn on top of it.
func (l *labEnv) dialLabFlow(t *testing.T, dev inventory.Device, withFlow bool) (*ssh.Client, *countingConn, *flowConn) {
	t.Helper()
	signer := l.labSigner(t)
	hk, err := knownhosts.New(l.lab.KnownHostsPath())
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort(dev.Host, strconv.Itoa(dev.Port))
	raw, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	counted := &countingConn{Conn: raw}
	var conn net.Conn = counted
	var flow *flowConn
	if withFlow {
		flow = newFlowConn(counted)
		conn = flow
	}
	sc, chans, reqs, err := ssh.NewClientConn(conn, addr, &ssh.ClientConfig{
		User: dev.Username, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)}, HostKeyCallback: hk,
	})
	if err != nil {
		t.Fatal(err)
	}
	c := ssh.NewClient(sc, chans, reqs)
	t.Cleanup(func() { c.Close() })
	return c, counted, flow
}

// startFlood starts `flood mb` on dev over a counted socket (see
// dialLabFlow) and returns the client, the count, the flowConn (nil
// without) and the output read through it.
func (l *labEnv) startFlood(t *testing.T, dev inventory.Device, mb int, withFlow bool) (*ssh.Client, *countingConn, *flowConn, io.Reader) {
	t.Helper()
	c, counted, flow := l.dialLabFlow(t, dev, withFlow)
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	stdout, err := s.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	r := flow.reader(stdout)
	if err := s.Start("flood " + strconv.Itoa(mb)); err != nil {
		t.Fatal(err)
	}
	flow.limit()
	return c, counted, flow, r
}

// settle is how much output slowFlood reads before it watches the gap:
// what came before the session started (before flowConn.limit) is not
// held back, and is read by then.
const settle = 2 << 20

// slowFlood reads `flood mb` from dev in 32 KiB reads, resting after each
// read, and returns the bytes read and the largest gap seen, once settle
// bytes are read, between bytes off the socket and bytes read out of the
// channel: what x/crypto buffered.
func slowFlood(t *testing.T, l *labEnv, dev inventory.Device, mb int, withFlow bool, rest time.Duration) (int64, int64, *flowConn) {
	t.Helper()
	_, counted, flow, r := l.startFlood(t, dev, mb, withFlow)
	deadline := time.Now().Add(60 * time.Second)
	buf := make([]byte, 32<<10)
	var got, gap int64
	for time.Now().Before(deadline) {
		n, err := r.Read(buf)
		got += int64(n)
		if got > settle {
			gap = max(gap, counted.n.Load()-got)
		}
		if err == io.EOF {
			return got, gap, flow
		}
		if err != nil {
			t.Fatalf("after %d bytes: %v", got, err)
		}
		time.Sleep(rest)
	}
	t.Fatalf("flood %d did not end within a minute (%d bytes read)", mb, got)
	return 0, 0, nil
}

// TestFlowBoundsBuffering: a reader slower than the device leaves at most
// about flowLimit in x/crypto's buffers with a flowConn, and close to the
// 2 MiB channel window without one; every byte arrives either way.
func TestFlowBoundsBuffering(t *testing.T) {
	l := startSimlab(t)
	dev := l.byPlatform(t, inventory.PlatformLinux)
	const mb = 8
	// One socket read past the limit and framing; on a loaded machine a
	// reader kept off the CPU for flowStuck looks like one waiting for
	// data, and the count's restart lets one more limit's worth in. Still
	// far under the 2 MiB the same reader leaves without flow control.
	const slack = flowLimit

	got, gap, _ := slowFlood(t, l, dev, mb, true, 200*time.Microsecond)
	if got != mb<<20 {
		t.Fatalf("with flow control: read %d bytes, want %d", got, mb<<20)
	}
	if gap > flowLimit+slack {
		t.Errorf("with flow control x/crypto held up to %d bytes, want at most %d", gap, flowLimit+slack)
	}
	t.Logf("with flow control: %d bytes, x/crypto held at most %d", got, gap)

	got, gap, _ = slowFlood(t, l, dev, mb, false, 200*time.Microsecond)
	if got != mb<<20 {
		t.Fatalf("without flow control: read %d bytes, want %d", got, mb<<20)
	}
	if gap < 1<<20 {
		t.Errorf("without flow control x/crypto held at most %d bytes; the slow reader should let it fill toward 2 MiB", gap)
	}
	t.Logf("without flow control: x/crypto held up to %d", gap)
}

// TestFlowFastReaderNotHeld: a reader that keeps up is never held back and
// loses nothing, with reads that often end exactly on a packet.
func TestFlowFastReaderNotHeld(t *testing.T) {
	l := startSimlab(t)
	dev := l.byPlatform(t, inventory.PlatformLinux)
	got, _, flow := slowFlood(t, l, dev, 16, true, 0)
	if got != 16<<20 {
		t.Fatalf("read %d bytes, want %d", got, 16<<20)
	}
	t.Logf("held back: %v", flow.heldBack())
}

// TestFlowStuckReadersResync: when the count says the buffers are full but
// every reader waits for data, the socket is read again after flowStuck
// (the count was off), so output that follows still arrives.
func TestFlowStuckReadersResync(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	flow := newFlowConn(client)
	defer flow.Close()
	data := make(chan []byte)
	defer close(data) // ends the reader's Read
	r := flow.reader(&blockingReader{c: data})
	flow.limit()
	// Pretend framing and other messages pushed the count over the limit
	// while the channel's buffer is empty.
	flow.mu.Lock()
	flow.received = flowLimit + 1
	flow.mu.Unlock()

	readerIn := make(chan struct{})
	go func() {
		close(readerIn)
		r.Read(make([]byte, 16)) // waits for data forever, as a drained channel does
	}()
	<-readerIn
	done := make(chan error, 1)
	go func() {
		_, err := flow.Read(make([]byte, 4))
		done <- err
	}()
	go server.Write([]byte("next"))
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("socket Read still held 5 s after every reader began waiting")
	}
}

// blockingReader returns what arrives on c.
type blockingReader struct{ c chan []byte }

func (b *blockingReader) Read(p []byte) (int, error) { return copy(p, <-b.c), nil }

// TestFlowCloseReleasesHeldRead: closing the connection ends a Read the
// flow holds back.
func TestFlowCloseReleasesHeldRead(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	flow := newFlowConn(client)
	flow.reader(&blockingReader{}) // attached, never reading
	flow.limit()
	flow.mu.Lock()
	flow.received = 2 * flowLimit
	flow.mu.Unlock()
	done := make(chan error, 1)
	go func() {
		_, err := flow.Read(make([]byte, 4))
		done <- err
	}()
	select {
	case <-done:
		t.Fatal("Read went through with the backlog over the limit")
	case <-time.After(50 * time.Millisecond):
	}
	if !flow.heldBack() {
		t.Error("heldBack is false while a Read is held")
	}
	flow.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Read on a closed connection returned no error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("held Read not released by Close")
	}
}

// TestKeepaliveWaitsForHeldFlow: keepalive answers queue behind output the
// run has not taken yet, so a wait during which the flow held the socket
// does not count as a dead peer; once the run reads again, they arrive.
func TestKeepaliveWaitsForHeldFlow(t *testing.T) {
	l := startSimlab(t)
	dev := l.byPlatform(t, inventory.PlatformLinux)
	c, _, flow, r := l.startFlood(t, dev, 16, true)
	var deadCalls atomic.Int32
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		keepalive(c, flow, 20*time.Millisecond, stop, func() { deadCalls.Add(1) })
	}()
	// Read a little, then stop reading for 30 keepalive intervals.
	buf := make([]byte, 32<<10)
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatal(err)
	}
	time.Sleep(600 * time.Millisecond)
	if n := deadCalls.Load(); n != 0 {
		t.Fatalf("keepalive declared the peer dead while the flow held its answers")
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	if n := deadCalls.Load(); n != 0 {
		t.Fatalf("keepalive declared the peer dead %d times", n)
	}
}

// TestFlowNotLimitedBeforeStart: until limit is called (the session has
// started) the socket is read whatever the count, so the reply to the
// start request is read even behind a window of output nobody reads yet.
// The lab starts a command's output before it answers the exec request:
// with the limit applied from attaching the readers, a run of `yes` hung
// in Start once (TestHistoryToolsOnLabRuns under -race).
func TestFlowNotLimitedBeforeStart(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	flow := newFlowConn(client)
	defer flow.Close()
	flow.reader(&blockingReader{}) // attached, not reading yet
	flow.mu.Lock()
	flow.received = 2 * flowLimit
	flow.mu.Unlock()
	go server.Write([]byte("reply"))
	done := make(chan error, 1)
	go func() {
		_, err := flow.Read(make([]byte, 8))
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("socket Read held before limit was called")
	}
}
