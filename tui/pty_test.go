//go:build perf

package tui

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// Window of stripped screen text the pty reader keeps: once the text
// passes ptyTextMax bytes, only the last ptyTextKeep are kept.
const (
	ptyTextMax  = 4 << 20
	ptyTextKeep = 1 << 20
)

// ptyConsole is a program running on a pseudo-terminal, as in a terminal
// emulator: a reader goroutine drains everything it writes (it never
// blocks on a full pty), strips the escape sequences, and keeps the text
// with the time each piece arrived, so that a test can time how long a
// keypress takes to show on screen.
type ptyConsole struct {
	t     *testing.T
	cmd   *exec.Cmd
	pty   *os.File
	start time.Time
	done  chan struct{} // closed when the reader ends (the program closed the pty)

	mu    sync.Mutex
	strip textStripper
	text  []byte    // stripped text, a window ending at the newest byte
	base  int       // absolute offset of text[0]
	raw   int64     // bytes read from the pty in all
	first time.Time // when the first byte arrived
	watch *ptyWatch
}

// ptyWatch waits for marker to appear in the text at or after from.
type ptyWatch struct {
	marker []byte
	from   int
	hit    chan time.Time // buffered, size 1: when the read that completed it returned
}

// startPTY starts cmd on a new pty of cols×rows and begins reading.
func startPTY(t *testing.T, cmd *exec.Cmd, cols, rows int) *ptyConsole {
	t.Helper()
	c := &ptyConsole{t: t, cmd: cmd, done: make(chan struct{})}
	c.start = time.Now()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		t.Fatalf("start %s on a pty: %v", cmd.Path, err)
	}
	c.pty = f
	go c.read()
	t.Cleanup(c.stop)
	return c
}

// read drains the pty until the program closes it.
func (c *ptyConsole) read() {
	defer close(c.done)
	buf := make([]byte, 64<<10)
	for {
		n, err := c.pty.Read(buf)
		at := time.Now()
		if n > 0 {
			c.mu.Lock()
			if c.raw == 0 {
				c.first = at
			}
			c.raw += int64(n)
			c.text = c.strip.Append(c.text, buf[:n])
			if w := c.watch; w != nil {
				from := max(w.from-len(w.marker)+1, c.base) - c.base
				if bytes.Contains(c.text[from:], w.marker) {
					w.hit <- at
					c.watch = nil
				}
			}
			if len(c.text) > ptyTextMax && c.watch == nil {
				cut := len(c.text) - ptyTextKeep
				c.text = append(c.text[:0], c.text[cut:]...)
				c.base += cut
			}
			c.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// Mark returns the current end of the text: what arrives later is at or
// after it.
func (c *ptyConsole) Mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base + len(c.text)
}

// watchFor arms a watch for marker at or after from; the returned channel
// gets the arrival time (at once when the text already has it).
func (c *ptyConsole) watchFor(marker string, from int) <-chan time.Time {
	w := &ptyWatch{marker: []byte(marker), from: from, hit: make(chan time.Time, 1)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if start := max(from, c.base) - c.base; start <= len(c.text) && bytes.Contains(c.text[start:], w.marker) {
		w.hit <- time.Now()
		return w.hit
	}
	c.watch = w
	return w.hit
}

// WaitFor waits until marker shows at or after from and returns when it
// arrived; it fails the test after timeout.
func (c *ptyConsole) WaitFor(marker string, from int, timeout time.Duration) time.Time {
	c.t.Helper()
	at, err := c.wait(c.watchFor(marker, from), timeout)
	if err != nil {
		c.t.Fatalf("waiting for %q: %v; screen text so far ends with:\n%s", marker, err, c.tail(2000))
	}
	return at
}

// KeyLatency sends key and returns the time until marker (which must not be
// on screen after the current mark) arrives on the pty.
func (c *ptyConsole) KeyLatency(key, marker string, timeout time.Duration) (sent, at time.Time, err error) {
	hit := c.watchFor(marker, c.Mark())
	sent = time.Now()
	c.Send(key)
	at, err = c.wait(hit, timeout)
	return sent, at, err
}

func (c *ptyConsole) wait(hit <-chan time.Time, timeout time.Duration) (time.Time, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case at := <-hit:
		return at, nil
	case <-c.done:
		select {
		case at := <-hit:
			return at, nil
		default:
		}
		return time.Time{}, errors.New("the program closed its terminal")
	case <-timer.C:
		c.mu.Lock()
		c.watch = nil
		c.mu.Unlock()
		return time.Time{}, fmt.Errorf("not on screen after %v", timeout)
	}
}

// Send types s (raw bytes: "\r" is enter, "\x1b" esc).
func (c *ptyConsole) Send(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.pty, s); err != nil {
		c.t.Fatalf("write to pty: %v", err)
	}
}

// tail returns the last n bytes of the text.
func (c *ptyConsole) tail(n int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.text[max(len(c.text)-n, 0):])
}

// RawBytes returns how many bytes the program has written to its terminal.
func (c *ptyConsole) RawBytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.raw
}

// Exited waits up to timeout for the program to exit and reports whether
// it did.
func (c *ptyConsole) Exited(timeout time.Duration) bool {
	select {
	case <-c.done:
	case <-time.After(timeout):
		return false
	}
	waited := make(chan struct{})
	go func() { c.cmd.Wait(); close(waited) }()
	select {
	case <-waited:
		return true
	case <-time.After(timeout):
		return false
	}
}

// stop kills the program if it still runs and closes the pty.
func (c *ptyConsole) stop() {
	if c.cmd.ProcessState == nil && c.cmd.Process != nil {
		c.cmd.Process.Kill()
		c.cmd.Wait()
	}
	c.pty.Close()
	<-c.done
}

// textStripper removes terminal control sequences from a byte stream that
// may split them across reads, keeping printable text (UTF-8 included).
type textStripper struct{ state int }

// textStripper states.
const (
	stripGround = iota
	stripEsc
	stripCSI
	stripString    // OSC, DCS, APC, PM, SOS: until BEL or ST
	stripStringEsc // ESC seen inside a string
)

// Append strips p and appends its text to dst.
func (s *textStripper) Append(dst, p []byte) []byte {
	for _, b := range p {
		switch s.state {
		case stripGround:
			switch {
			case b == 0x1b:
				s.state = stripEsc
			case b < 0x20 || b == 0x7f:
			default:
				dst = append(dst, b)
			}
		case stripEsc:
			switch {
			case b == '[':
				s.state = stripCSI
			case b == ']' || b == 'P' || b == '_' || b == '^' || b == 'X':
				s.state = stripString
			case b >= 0x20 && b <= 0x2f: // intermediate: ESC ( B and the like
			default:
				s.state = stripGround
			}
		case stripCSI:
			if b >= 0x40 && b <= 0x7e {
				s.state = stripGround
			}
		case stripString:
			switch b {
			case 0x07:
				s.state = stripGround
			case 0x1b:
				s.state = stripStringEsc
			}
		case stripStringEsc:
			if b == '\\' {
				s.state = stripGround
			} else {
				s.state = stripString
			}
		}
	}
	return dst
}
