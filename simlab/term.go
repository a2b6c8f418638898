package simlab

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

var (
	// errInterrupted: ^C (or q at a pager prompt) ended the current output.
	errInterrupted = errors.New("interrupted")
	// errGone: the client or the lab went away.
	errGone = errors.New("session gone")
	// errExit: the user logged out.
	errExit = errors.New("exit")
)

// Control bytes the terminal reacts to.
const (
	ctrlC     = 0x03
	backspace = 0x08
	del       = 0x7f
	esc       = 0x1b
)

// term is a session's side of the conversation: input read by a goroutine
// into a channel, output with the platform's line ending, a pager and ^C
// handling where there is a terminal.
type term struct {
	ctx     context.Context
	stop    context.CancelFunc
	ch      ssh.Channel
	in      chan []byte // closed at input EOF; nil once seen closed
	pending []byte      // input received but not yet consumed
	skipLF  bool        // the last line ended in CR: a following LF is part of it
	// nl is the line ending: CRLF for network gear and ptys, LF for exec.
	nl string
	// intr: 0x03 interrupts (shell or pty), rather than being data.
	intr bool
	// pageLen is the terminal length; 0 turns paging off.
	pageLen         int
	more, moreErase string
	shown           int // lines shown since the last pause
}

// newTerm starts the input reader of a session.
func newTerm(ctx context.Context, ch ssh.Channel, req request, d *device) *term {
	ctx, stop := context.WithCancel(ctx)
	in := make(chan []byte, 4)
	t := &term{ctx: ctx, stop: stop, ch: ch, in: in, nl: "\r\n", intr: req.shell || req.pty}
	if d.profile == nil && !req.pty {
		t.nl = "\n"
	}
	if d.profile != nil && req.shell {
		t.pageLen = 24
		t.more, t.moreErase = d.profile.more, d.profile.moreErase
	}
	d.lab.wg.Add(1)
	go func() {
		defer d.lab.wg.Done()
		defer close(in)
		buf := make([]byte, 4096)
		for {
			n, err := ch.Read(buf)
			if n > 0 {
				select {
				case in <- bytes.Clone(buf[:n]):
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return t
}

// stopInput ends the input reader (once the channel is closed, its Read
// returns).
func (t *term) stopInput() { t.stop() }

// write sends s as it is.
func (t *term) write(s string) error {
	if _, err := io.WriteString(t.ch, s); err != nil {
		return errGone
	}
	return nil
}

// lines converts LF line ends to the session's line ending.
func (t *term) lines(s string) string {
	if t.nl == "\n" {
		return s
	}
	return strings.ReplaceAll(s, "\n", t.nl)
}

// receive waits for more input (block) or takes what is there (!block). It
// returns io.EOF when the client has sent EOF and nothing is pending.
func (t *term) receive(block bool) error {
	for {
		if t.in == nil {
			return io.EOF
		}
		if block {
			select {
			case b, ok := <-t.in:
				if !ok {
					t.in = nil
					return io.EOF
				}
				t.pending = append(t.pending, b...)
				return nil
			case <-t.ctx.Done():
				return errGone
			}
		}
		select {
		case b, ok := <-t.in:
			if !ok {
				t.in = nil
				return nil
			}
			t.pending = append(t.pending, b...)
		default:
			return nil
		}
	}
}

// readByte returns the next input byte, waiting for it.
func (t *term) readByte() (byte, error) {
	for len(t.pending) == 0 {
		if err := t.receive(true); err != nil {
			return 0, err
		}
	}
	b := t.pending[0]
	t.pending = t.pending[1:]
	return b, nil
}

// interrupted reports whether a ^C has arrived; it consumes the input up to
// and including the ^C.
func (t *term) interrupted() bool {
	if !t.intr {
		return false
	}
	t.receive(false)
	i := bytes.IndexByte(t.pending, ctrlC)
	if i < 0 {
		return false
	}
	t.pending = t.pending[i+1:]
	return true
}

// readLine reads one line, echoing what is typed when echo is set. Backspace
// and DEL erase, escape sequences (arrow keys) are ignored, ^C abandons the
// line with errInterrupted, CR, LF or CRLF end it.
func (t *term) readLine(echo bool) (string, error) {
	var line []byte
	inEsc := false
	for {
		b, err := t.readByte()
		if err != nil {
			if err == io.EOF && len(line) > 0 {
				return string(line), nil
			}
			return "", err
		}
		if t.skipLF {
			t.skipLF = false
			if b == '\n' {
				continue
			}
		}
		switch {
		case inEsc:
			// ESC [ params final: the final byte is in 0x40..0x7e.
			if b != '[' && b >= 0x40 && b <= 0x7e {
				inEsc = false
			}
		case b == esc:
			inEsc = true
		case b == '\r' || b == '\n':
			// The line end is echoed even when the characters are not
			// (a password), as real gear does.
			t.skipLF = b == '\r'
			if err := t.write(t.nl); err != nil {
				return "", err
			}
			return string(line), nil
		case b == ctrlC && t.intr:
			if echo {
				t.write("^C")
			}
			return "", errInterrupted
		case b == backspace || b == del:
			if len(line) > 0 {
				line = line[:len(line)-1]
				if echo {
					if err := t.write("\b \b"); err != nil {
						return "", err
					}
				}
			}
		case b >= 0x20 || b == '\t':
			line = append(line, b)
			if echo {
				if err := t.write(string(b)); err != nil {
					return "", err
				}
			}
		}
	}
}

// output writes text (LF line ends) with the session's line ending, pausing
// at the pager prompt every page when paging is on. It returns
// errInterrupted when ^C arrives or the pager is quit.
func (t *term) output(text string) error {
	// Sized for text with its line ends converted, up to one flush's worth
	// (32 KiB and the line that crosses it), so it rarely has to grow.
	buf := make([]byte, 0, min(len(text)+len(text)/8, 36<<10))
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		_, err := t.ch.Write(buf)
		buf = buf[:0]
		if err != nil {
			return errGone
		}
		if t.interrupted() {
			return errInterrupted
		}
		return nil
	}
	for len(text) > 0 {
		if t.pageLen > 0 && t.shown >= t.pageLen-1 {
			if err := flush(); err != nil {
				return err
			}
			if err := t.pause(); err != nil {
				return err
			}
		}
		line, rest, found := strings.Cut(text, "\n")
		buf = append(buf, line...)
		if found {
			buf = append(buf, t.nl...)
			t.shown++
		}
		text = rest
		if len(buf) >= 32<<10 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// pause shows the pager prompt and waits: space shows another page, Return
// one more line, anything else (q, ^C) ends the output. The prompt is then
// erased.
func (t *term) pause() error {
	if err := t.write(t.more); err != nil {
		return err
	}
	b, err := t.readByte()
	for err == nil && b == '\n' && t.skipLF {
		t.skipLF = false
		b, err = t.readByte()
	}
	if err != nil {
		return err
	}
	if err := t.write(t.moreErase); err != nil {
		return err
	}
	switch b {
	case ' ':
		t.shown = 0
	case '\r', '\n':
		t.skipLF = b == '\r'
		t.shown = t.pageLen - 2
	default:
		return errInterrupted
	}
	return nil
}

// sleep waits for d, returning early with errInterrupted on ^C or errGone
// when the session ends. While waiting it checks every second that the
// channel is still open, so a silent command notices a client that left.
func (t *term) sleep(d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	probe := time.NewTicker(time.Second)
	defer probe.Stop()
	for {
		select {
		case <-timer.C:
			return nil
		case <-t.ctx.Done():
			return errGone
		case b, ok := <-t.in:
			if !ok {
				t.in = nil // a nil channel blocks: stop selecting on it
				continue
			}
			t.pending = append(t.pending, b...)
			if t.interrupted() {
				return errInterrupted
			}
		case <-probe.C:
			if _, err := t.ch.SendRequest("keepalive@openssh.com", false, nil); err != nil {
				return errGone
			}
		}
	}
}

// stream writes lines spread evenly over d, in small batches, as a device
// producing a long report does.
func (t *term) stream(lines []string, d time.Duration) error {
	const tick = 200 * time.Millisecond
	ticks := max(int(d/tick), 1)
	for i := range ticks {
		lo, hi := i*len(lines)/ticks, (i+1)*len(lines)/ticks
		if hi > lo {
			if err := t.output(strings.Join(lines[lo:hi], "\n") + "\n"); err != nil {
				return err
			}
		}
		if err := t.sleep(tick); err != nil {
			return err
		}
	}
	return nil
}
