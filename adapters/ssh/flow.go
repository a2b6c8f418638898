package sshadapter

import (
	"io"
	"net"
	"sync"
	"time"
)

// Flow control below x/crypto's channel window.
//
// x/crypto/ssh gives every channel a fixed 2 MiB receive window and keeps
// what arrives in its own buffers until the run reads it, so a run that
// falls behind (its output waits for the store) holds 2 MiB of heap, and a
// hundred of them 200 MB. flowConn is the final hop's transport: while more
// than flowLimit bytes have come off the socket and not yet been read out
// of the channel, it stops reading the socket. The backlog then waits in
// the kernel's socket buffers and TCP stops the device, and only the runs
// the store is actually taking keep x/crypto's goroutines busy. It holds
// the socket only once the session has started (limit): before, the run
// waits for a reply that may come behind the output.
//
// The count covers x/crypto's whole receive path: packets decrypted and
// queued for its dispatcher (up to 16) as well as the channel buffers. It
// is an estimate: bytes off the socket also carry packet framing, MACs and
// other messages. Each byte read counts 1/1024 extra, a little under the
// framing of a full 32 KB packet (34 bytes or more), so on bulk output the
// count runs high by a few bytes per megabyte; small packets (an echoing
// shell) add more. When the socket has been held and every reader has
// waited for data for flowStuck, the buffers are empty whatever the count
// says, and it starts again from zero. flowStuck is long because a reader
// may wait for the CPU that long on a loaded machine. (A short read is no
// such sign: the channel's buffer may be empty while packets wait for the
// dispatcher.)
//
// A held socket is read again once the count is down to flowResume, not
// just under flowLimit: each wake-up then reads several packets, instead
// of one wake-up of x/crypto's reader per packet while the count hovers at
// the limit.
const (
	flowLimit  = 256 << 10
	flowResume = flowLimit / 2
	flowStuck  = 50 * time.Millisecond
)

// flowConn wraps a connection's socket; see the comment above.
type flowConn struct {
	net.Conn
	wake chan struct{} // capacity 1; nudges a held Read

	mu       sync.Mutex
	received int64         // bytes read off the socket
	consumed int64         // bytes read out of the channel, plus resyncs
	readers  []*flowReader // attached and not ended
	limited  bool          // limit was called and readers remain
	closed   bool
	waiting  bool // a Read is held and wants a nudge
	held     bool // a Read was held since heldBack last looked
}

func newFlowConn(c net.Conn) *flowConn {
	return &flowConn{Conn: c, wake: make(chan struct{}, 1)}
}

// Read reads the socket once the backlog is at most flowLimit.
func (c *flowConn) Read(p []byte) (int, error) {
	c.admit()
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		c.received += int64(n)
		c.mu.Unlock()
	}
	return n, err
}

// Close closes the socket and releases a held Read.
func (c *flowConn) Close() error {
	c.mu.Lock()
	c.closed = true
	c.nudge()
	c.mu.Unlock()
	return c.Conn.Close()
}

// admit waits while the backlog is over flowLimit (until a reader brings
// it down to flowResume).
func (c *flowConn) admit() {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	c.mu.Lock()
	defer c.mu.Unlock()
	var heldAt time.Time
	for c.limited && !c.closed && c.received-c.consumed > flowLimit {
		if heldAt.IsZero() {
			heldAt = time.Now()
		}
		// Look again after flowStuck at the latest (nothing nudges
		// when the readers start waiting: that happens on every read).
		look := flowStuck
		if since, ok := c.allWaitingSince(); ok {
			if heldAt.After(since) {
				since = heldAt
			}
			look = flowStuck - time.Since(since)
			if look <= 0 {
				// Nothing came in and every reader waited for
				// data all along: the buffers are empty and the
				// count was off.
				c.consumed = c.received
				return
			}
		}
		if timer == nil {
			timer = time.NewTimer(look)
		} else {
			timer.Reset(look)
		}
		c.held = true
		c.waiting = true
		c.mu.Unlock()
		select {
		case <-c.wake:
		case <-timer.C:
		}
		c.mu.Lock()
		c.waiting = false
	}
}

// allWaitingSince reports whether every reader is inside Read, and since
// when the last of them.
func (c *flowConn) allWaitingSince() (time.Time, bool) {
	var latest time.Time
	for _, r := range c.readers {
		if r.since.IsZero() {
			return time.Time{}, false
		}
		if r.since.After(latest) {
			latest = r.since
		}
	}
	return latest, len(c.readers) > 0
}

// nudge wakes a held Read; c.mu is held.
func (c *flowConn) nudge() {
	if !c.waiting {
		return
	}
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// reader returns r (a channel's stdout or stderr), counting what the run
// reads out of it. Attach the readers before the session starts, so that
// output arriving first is counted. A nil c returns r itself.
func (c *flowConn) reader(r io.Reader) io.Reader {
	if c == nil {
		return r
	}
	f := &flowReader{c: c, r: r}
	c.mu.Lock()
	c.readers = append(c.readers, f)
	c.mu.Unlock()
	return f
}

// limit turns the limit on, until every reader has ended. Call it once the
// run reads its output continuously: after Start or Shell has returned.
// Before, the run waits for the request's reply, which a device may send
// behind a window of output (the lab does): held back by the limit, it
// would never come.
func (c *flowConn) limit() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.limited = len(c.readers) > 0
	c.mu.Unlock()
}

// heldBack reports whether a Read was held since the last call: the peer's
// silence may then be this side's doing.
func (c *flowConn) heldBack() bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.held || c.waiting
	c.held = false
	return h
}

// flowReader is one channel stream of a flowConn.
type flowReader struct {
	c     *flowConn
	r     io.Reader
	since time.Time // when the current Read began; zero outside Read
}

func (f *flowReader) Read(p []byte) (int, error) {
	c := f.c
	c.mu.Lock()
	f.since = time.Now()
	c.mu.Unlock()

	n, err := f.r.Read(p)

	c.mu.Lock()
	defer c.mu.Unlock()
	f.since = time.Time{}
	was := c.received - c.consumed
	c.consumed += int64(n) + int64(n)>>10 // with the framing of full packets
	if err != nil {
		f.detach()
	}
	if now := c.received - c.consumed; (was > flowResume && now <= flowResume) || !c.limited {
		c.nudge()
	}
	return n, err
}

// detach removes an ended reader; with none left the limit is lifted.
func (f *flowReader) detach() {
	c := f.c
	for i, r := range c.readers {
		if r == f {
			c.readers = append(c.readers[:i], c.readers[i+1:]...)
			break
		}
	}
	if len(c.readers) == 0 {
		c.limited = false
	}
}
