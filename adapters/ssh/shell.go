package sshadapter

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strings"

	"golang.org/x/crypto/ssh"

	"netauto/adapters"
	"netauto/inventory"
)

// maxTail bounds the unfinished line held back to look for a prompt: a line
// this long is output, never a prompt.
const maxTail = 4 << 10

// shell drives an interactive CLI: it waits for prompts, answers pagers and
// the enable password, and strips the echo and the final prompt.
type shell struct {
	st       *stream
	stdin    io.Writer
	platform inventory.Platform
	custom   *regexp.Regexp
	prompt   Prompt // learned from the first prompt
	tail     []byte // the unfinished last line
	midline  bool   // tail does not start at a line start
	held     []byte // Junos: whole lines that may belong to the next prompt
	partial  bool   // the last output handed on ended mid-line
}

// runShell runs command in a pty shell.
func (a *Adapter) runShell(ctx context.Context, dev inventory.Device, command string, session *ssh.Session, conn *connection, tm timeouts, dead <-chan struct{}, onChunk func([]byte)) (adapters.Result, error) {
	var custom *regexp.Regexp
	if dev.PromptPattern != "" {
		re, err := regexp.Compile(`(?:` + dev.PromptPattern + `)$`)
		if err != nil {
			return adapters.Result{}, adapters.Errorf(adapters.ClassConnect, err, "bad prompt_pattern: %v", err)
		}
		custom = re
	}
	modes := ssh.TerminalModes{ssh.ECHO: 1, ssh.TTY_OP_ISPEED: 38400, ssh.TTY_OP_OSPEED: 38400}
	if err := session.RequestPty("vt100", 0, 511, modes); err != nil {
		return adapters.Result{}, adapters.Errorf(adapters.ClassConnect, err, "pty refused: %v", err)
	}
	stdin, err := session.StdinPipe()
	if err != nil {
		return adapters.Result{}, err
	}
	stdout, err := session.StdoutPipe()
	if err != nil {
		return adapters.Result{}, err
	}
	stdout = conn.flow.reader(stdout) // counted from before the first byte
	if err := session.Shell(); err != nil {
		return adapters.Result{}, adapters.Errorf(adapters.ClassConnect, err, "shell refused: %v", err)
	}
	conn.flow.limit()
	st := newStream(ctx, tm.idle, dead)
	defer st.stop()
	st.add(stdout)
	sh := &shell{st: st, stdin: stdin, platform: dev.Platform, custom: custom}
	ch := newChunker(onChunk)

	err = a.shellSetup(ctx, sh, dev)
	if err == nil {
		err = sh.command(command, ch)
	}
	ch.flush()
	if err != nil {
		if errors.Is(err, errReadersDone) {
			err = adapters.Errorf(adapters.ClassClosed, nil, "session ended before the prompt returned")
		}
		var ae *adapters.Error
		if !errors.As(err, &ae) || ae.Class != adapters.ClassAuth {
			// ^C stops the command on the device (network OSes ignore
			// signals); then hang up.
			bounded(func() { stdin.Write([]byte{0x03}) })
		}
		session.Close()
		conn.Close()
		return adapters.Result{Bytes: ch.bytes}, err
	}
	return adapters.Result{Bytes: ch.bytes}, nil
}

// shellSetup waits for the first prompt, enters enable mode at a user-mode
// prompt (where the device has an enable password, or on EOS, which
// usually enables without one), and turns paging off.
func (a *Adapter) shellSetup(ctx context.Context, sh *shell, dev inventory.Device) error {
	if err := sh.waitFor(func(line []byte) bool {
		p, ok := DetectPrompt(line, sh.platform, sh.custom)
		if ok {
			sh.prompt = p
		}
		return ok
	}); err != nil {
		return err
	}
	if hasEnable(sh.platform) && sh.prompt.Mode == '>' &&
		(dev.EnablePasswordEnv != "" || sh.platform == inventory.PlatformEOS) {
		if err := a.enable(ctx, sh, dev); err != nil {
			return err
		}
	}
	if cmd := pagingOff(sh.platform); cmd != "" {
		if err := sh.send(cmd + "\n"); err != nil {
			return err
		}
		if err := sh.waitFor(sh.atPrompt); err != nil {
			return err
		}
	}
	return nil
}

// enable enters privileged mode with the enable password. Without
// enable_password_env (EOS) it sends enable with no password to give: a
// device that asks for one ends the run as auth.
func (a *Adapter) enable(ctx context.Context, sh *shell, dev inventory.Device) error {
	configured := dev.EnablePasswordEnv != ""
	var pw string
	if configured {
		pw = a.cfg.Getenv(dev.EnablePasswordEnv)
	}
	typed := configured && pw == ""
	if typed {
		if a.cfg.Password == nil {
			return adapters.Errorf(adapters.ClassAuth, nil, "enable password required (set %s)", dev.EnablePasswordEnv)
		}
		var err error
		pw, err = a.secrets.get("env:"+dev.EnablePasswordEnv, func() (string, error) {
			return a.cfg.Password(ctx, dev, "enable password")
		})
		sh.st.resetIdle() // time spent typing is not device silence
		if err != nil {
			return adapters.Errorf(adapters.ClassAuth, err, "enable password: %v", err)
		}
	}
	if err := sh.send("enable\n"); err != nil {
		return err
	}
	asked := false
	if err := sh.waitFor(func(line []byte) bool {
		asked = passwordPrompt.Match(line)
		return asked || sh.atPrompt(line)
	}); err != nil {
		return err
	}
	if asked && !configured {
		return adapters.Errorf(adapters.ClassAuth, nil, "enable password required (set enable_password_env)")
	}
	if asked {
		if err := sh.send(pw + "\n"); err != nil {
			return err
		}
		// A wrong password is asked for again (IOS three times, then
		// "% Bad secrets"): one try, no more.
		again := false
		if err := sh.waitFor(func(line []byte) bool {
			again = passwordPrompt.Match(line)
			return again || sh.atPrompt(line)
		}); err != nil {
			return err
		}
		if again {
			if typed {
				a.secrets.forget("env:"+dev.EnablePasswordEnv, pw)
			}
			return adapters.Errorf(adapters.ClassAuth, nil, "enable refused on %s (wrong enable password)", sh.prompt.Host)
		}
	}
	p, _ := DetectPrompt(sh.tail, sh.platform, sh.custom)
	if p.Mode != '#' {
		return adapters.Errorf(adapters.ClassAuth, nil, "enable refused on %s", sh.prompt.Host)
	}
	sh.prompt = p
	return nil
}

// atPrompt reports whether line is the device's prompt (any mode).
func (sh *shell) atPrompt(line []byte) bool {
	if sh.midline {
		return false
	}
	p, ok := DetectPrompt(line, sh.platform, sh.custom)
	return ok && p.Host == sh.prompt.Host
}

// send writes s to the shell; what was on the unfinished line is done with.
func (sh *shell) send(s string) error {
	sh.tail, sh.midline = nil, false
	if _, err := io.WriteString(sh.stdin, s); err != nil {
		return adapters.Errorf(adapters.ClassClosed, err, "writing to the device: %v", err)
	}
	return nil
}

// waitFor discards output until match accepts the unfinished line,
// answering pagers on the way.
func (sh *shell) waitFor(match func(line []byte) bool) error {
	for {
		p, err := sh.st.next(nil)
		if err != nil {
			return err
		}
		sh.tail = append(sh.tail, p...)
		if i := bytes.LastIndexByte(sh.tail, '\n'); i >= 0 {
			sh.tail = append(sh.tail[:0], sh.tail[i+1:]...)
		}
		if len(sh.tail) > maxTail {
			sh.tail = append(sh.tail[:0], sh.tail[len(sh.tail)-maxTail:]...)
		}
		if morePrompt(sh.tail) {
			if err := sh.send(" "); err != nil {
				return err
			}
			continue
		}
		if match(sh.tail) {
			return nil
		}
	}
}

// command sends the command and streams its output to ch until the prompt
// returns: whole lines are handed on as they come (CRLF made LF), the
// unfinished last line is held back until it proves not to be the prompt.
func (sh *shell) command(command string, ch *chunker) (err error) {
	defer func() {
		if err != nil {
			sh.release(ch) // no prompt came: what was held is output
		}
	}()
	if err := sh.send(command + "\n"); err != nil {
		return err
	}
	echo := strings.TrimSpace(command)
	echoPending := echo != ""
	erase := false
	for {
		p, err := sh.st.next(ch.due())
		if errors.Is(err, errFlushDue) {
			ch.flush()
			continue
		}
		if err != nil {
			return err
		}
		if erase {
			p = skipErase(p)
			erase = false
		}
		data := p
		if len(sh.tail) > 0 {
			data = append(sh.tail, p...)
		}
		sh.tail = nil
		if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
			lines := data[: i+1 : i+1]
			sh.tail = data[i+1:]
			sh.midline = false
			if echoPending {
				lines = stripEcho(lines, echo)
				echoPending = false
			}
			sh.emit(ch, crlfToLF(lines))
		} else {
			sh.tail = data
		}
		switch {
		case echoPending:
			// The echo line is not complete yet: keep holding it.
		case sh.atPrompt(sh.tail):
			sh.tail, sh.held = nil, nil
			return nil
		case morePrompt(sh.tail):
			if err := sh.send(" "); err != nil {
				return err
			}
			erase = true
		case len(sh.tail) > maxTail:
			sh.release(ch)
			ch.add(sh.tail)
			sh.tail, sh.midline, sh.partial = nil, true, true
		}
	}
}

// emit hands on whole lines of output. On Junos, the lines a prompt brings
// before it (a blank line, then "{master:0}" on a multi-RE or
// virtual-chassis system) are held back until more output shows they are
// the command's; when the prompt comes they are dropped with it.
func (sh *shell) emit(ch *chunker, lines []byte) {
	if sh.platform != inventory.PlatformJunos {
		ch.add(lines)
		return
	}
	if len(sh.held) > 0 {
		lines = append(sh.held, lines...)
		sh.held = nil
	}
	n := junosTrailer(lines, !sh.partial)
	sh.partial = false
	if n < len(lines) {
		ch.add(lines[: len(lines)-n : len(lines)-n])
	}
	if n > 0 {
		sh.held = append([]byte(nil), lines[len(lines)-n:]...)
	}
}

// release hands on the lines held back as a possible prompt's.
func (sh *shell) release(ch *chunker) {
	if len(sh.held) > 0 {
		ch.add(sh.held)
		sh.held = nil
	}
}

// junosStatus is the line Junos shows above its prompt on a multi-RE or
// virtual-chassis system: {master:0}, {backup}, {primary:node0}.
var junosStatus = regexp.MustCompile(`^\{[A-Za-z0-9:_-]{1,40}\}$`)

// junosTrailer measures the end of lines (whole lines, LF ends) that may be
// what Junos prints before a prompt: a blank line, a status line, or a
// blank line and then a status line. startsLine says whether lines starts
// at the beginning of a line.
func junosTrailer(lines []byte, startsLine bool) int {
	if len(lines) == 0 {
		return 0
	}
	body := lines[:len(lines)-1] // without the last LF
	i := bytes.LastIndexByte(body, '\n')
	if i < 0 && !startsLine {
		return 0
	}
	last := body[i+1:]
	switch {
	case len(last) == 0:
		return 1
	case !junosStatus.Match(last):
		return 0
	}
	n := len(last) + 1
	if i >= 0 && (i > 0 && body[i-1] == '\n' || i == 0 && startsLine) {
		n++ // the blank line before it
	}
	return n
}

// stripEcho removes the first line when it is the echo of the command
// (possibly after the prompt).
func stripEcho(lines []byte, echo string) []byte {
	i := bytes.IndexByte(lines, '\n')
	first := bytes.TrimRight(lines[:i], " \r")
	if bytes.HasSuffix(first, []byte(echo)) {
		return lines[i+1:]
	}
	return lines
}

// skipErase drops what a pager prints after it is answered: backspaces,
// blanks and carriage returns that erase "--More--".
func skipErase(p []byte) []byte {
	last := -1
	for i, b := range p {
		if b == '\b' || b == '\r' {
			last = i
			continue
		}
		if b != ' ' {
			break
		}
	}
	return p[last+1:]
}

// crlfToLF turns the pty's CRLF line ends into LF, in place.
func crlfToLF(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	out := b[:0]
	for i := 0; i < len(b); i++ {
		if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			continue
		}
		out = append(out, b[i])
	}
	return out
}
