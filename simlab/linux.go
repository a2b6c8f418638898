package simlab

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// runShellLike serves a session on a device with a Unix-like shell (linux,
// and the fault devices), each command line through run: exec runs one
// line and reports its exit status; a shell runs lines until exit.
func (d *device) runShellLike(t *term, req request, run func(*term, string) (int, error)) *int {
	var code int
	if req.shell {
		code = d.linuxShell(t, run)
	} else {
		code, _ = run(t, req.command)
	}
	return &code
}

// linuxShell runs a bash-like prompt loop, each line through run; it
// returns the exit status of `exit N`, else of the last command.
func (d *device) linuxShell(t *term, run func(*term, string) (int, error)) int {
	if t.output(fmt.Sprintf("Welcome to %s (GNU/Linux %s x86_64)\n\nLast login: %s from 192.0.2.10\n",
		d.facts.model.family, d.facts.model.version, d.facts.started.Add(-time.Hour).Format("Mon Jan _2 15:04:05 2006"))) != nil {
		return 0
	}
	code := 0
	for {
		if t.write(Username+"@"+d.info.Name+":~$ ") != nil {
			return code
		}
		line, err := t.readLine(true)
		if err == errInterrupted {
			code = 130
			if t.write(t.nl) != nil {
				return code
			}
			continue
		}
		if err != nil {
			return code
		}
		code, err = run(t, line)
		switch {
		case err == errExit:
			return code
		case err == errInterrupted:
			if t.write("^C"+t.nl) != nil {
				return code
			}
		case err != nil:
			return code
		}
	}
}

// linuxCommand runs one command line the way /bin/sh would for the few
// commands the lab knows, returning its exit status. errExit means the line
// was `exit`; other errors mean the command was cut short.
func (d *device) linuxCommand(t *term, line string) (int, error) {
	args := shellWords(line)
	if len(args) == 0 {
		return 0, nil
	}
	f := d.facts
	switch args[0] {
	case "true", ":":
		return 0, nil
	case "false":
		return 1, nil
	case "exit":
		code := 0
		if len(args) > 1 {
			code, _ = strconv.Atoi(args[1])
		}
		return code & 0xff, errExit
	case "echo":
		return 0, t.output(strings.Join(args[1:], " ") + "\n")
	case "hostname":
		return 0, t.output(f.host + "\n")
	case "whoami":
		return 0, t.output(Username + "\n")
	case "id":
		return 0, t.output("uid=1000(netops) gid=1000(netops) groups=1000(netops),4(adm),27(sudo)\n")
	case "uname":
		return 0, t.output(uname(f, args[1:]) + "\n")
	case "uptime":
		return 0, t.output(linuxUptime(f) + "\n")
	case "cat":
		return d.cat(t, args[1:])
	case "sleep":
		secs, err := strconv.ParseFloat(strings.TrimSuffix(arg(args, 1), "s"), 64)
		if err != nil || secs < 0 {
			return 1, t.errOutput(fmt.Sprintf("sleep: invalid time interval '%s'\n", arg(args, 1)))
		}
		if err := t.sleep(time.Duration(secs * float64(time.Second))); err != nil {
			return 130, err
		}
		return 0, nil
	case "flood":
		mb, err := strconv.ParseInt(arg(args, 1), 10, 64)
		if err != nil || mb < 0 {
			return 2, t.errOutput("usage: flood MEGABYTES\n")
		}
		if err := t.flood(floodBlock(f, t.nl), mb<<20); err != nil {
			return 130, err
		}
		return 0, nil
	case "yes":
		word := "y"
		if len(args) > 1 {
			word = strings.Join(args[1:], " ")
		}
		unit := []byte(word + t.nl)
		block := bytes.Repeat(unit, max(1, (32<<10)/len(unit)))
		return 130, t.flood(block, -1)
	}
	return 127, t.errOutput(fmt.Sprintf("sh: 1: %s: not found\n", args[0]))
}

// arg is args[i], or "" when there are fewer.
func arg(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

// errOutput writes to standard error: the channel's extended data in exec
// mode, the terminal itself under a pty.
func (t *term) errOutput(s string) error {
	if t.nl == "\n" {
		if _, err := io.WriteString(t.ch.Stderr(), s); err != nil {
			return errGone
		}
		return nil
	}
	return t.output(s)
}

// cat prints the lab's few files, or copies standard input to the output
// when given no file (until EOF, or ^C under a terminal).
func (d *device) cat(t *term, files []string) (int, error) {
	if len(files) == 0 {
		for {
			if len(t.pending) > 0 {
				data := t.pending
				t.pending = nil
				if t.intr {
					if i := bytes.IndexByte(data, ctrlC); i >= 0 {
						t.write(t.lines(string(data[:i])))
						return 130, errInterrupted
					}
				}
				if t.write(string(data)) != nil {
					return 1, errGone
				}
			}
			if err := t.receive(true); err == io.EOF {
				return 0, nil
			} else if err != nil {
				return 1, err
			}
		}
	}
	code := 0
	for _, name := range files {
		text, ok := linuxFile(d.facts, name)
		if !ok {
			code = 1
			if err := t.errOutput(fmt.Sprintf("cat: %s: No such file or directory\n", name)); err != nil {
				return code, err
			}
			continue
		}
		if err := t.output(text); err != nil {
			return 1, err
		}
	}
	return code, nil
}

// linuxFile is the content of one of the lab's files.
func linuxFile(f *facts, name string) (string, bool) {
	switch name {
	case "/etc/hostname":
		return f.host + "\n", true
	case "/proc/version":
		return fmt.Sprintf("Linux version %s (buildd@lcy02-amd64-010) (gcc (GCC) 12.3.0, GNU ld 2.40) #1 SMP\n", f.model.version), true
	case "/proc/uptime":
		up := f.uptime().Seconds()
		return fmt.Sprintf("%.2f %.2f\n", up, up*1.9), true
	case "/etc/os-release":
		id := strings.ToLower(strings.Fields(f.model.family)[0])
		return fmt.Sprintf("PRETTY_NAME=%q\nNAME=%q\nID=%s\nHOME_URL=\"https://www.%s.org/\"\n", f.model.family, strings.Fields(f.model.family)[0], id, id), true
	}
	return "", false
}

// uname answers uname with its few flags.
func uname(f *facts, flags []string) string {
	if len(flags) == 0 || flags[0] == "-s" {
		return "Linux"
	}
	switch flags[0] {
	case "-r":
		return f.model.version
	case "-n":
		return f.host
	}
	return fmt.Sprintf("Linux %s %s #1 SMP PREEMPT_DYNAMIC %s x86_64 GNU/Linux",
		f.host, f.model.version, f.bootTime().Add(-30*24*time.Hour).Format("Mon Jan _2 15:04:05 UTC 2006"))
}

// linuxUptime is uptime's line: " 10:14:03 up 84 days,  3:04,  1 user,  load average: ...".
func linuxUptime(f *facts) string {
	up := f.uptime()
	r := f.rng(17)
	return fmt.Sprintf(" %s up %d days, %2d:%02d,  1 user,  load average: %.2f, %.2f, %.2f",
		time.Now().UTC().Format("15:04:05"), int(up.Hours())/24, int(up.Hours())%24, int(up.Minutes())%60,
		r.Float64(), r.Float64()/2, r.Float64()/3)
}

// shellWords splits a command line into words, honouring single and double
// quotes and backslash escapes.
func shellWords(line string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range line {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case r == '\\' && quote != '\'':
			escaped, inWord = true, true
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// floodBlock is about 32 KB of show-command-like lines, whole lines only,
// that a flood repeats.
func floodBlock(f *facts, nl string) []byte {
	const size = 32 << 10
	src := strings.Split(strings.TrimRight(iosInterfaces(f), "\n"), "\n")
	var b []byte
	for i := 0; ; i++ {
		line := src[i%len(src)] + nl
		if len(b)+len(line) > size {
			return b
		}
		b = append(b, line...)
	}
}

// flood writes block over and over until n bytes are out (the last block
// cut short), or forever when n < 0, in large writes for speed.
func (t *term) flood(block []byte, n int64) error {
	for n != 0 {
		chunk := block
		if n > 0 && int64(len(chunk)) > n {
			chunk = chunk[:n]
		}
		if _, err := t.ch.Write(chunk); err != nil || t.ctx.Err() != nil {
			return errGone
		}
		if n > 0 {
			n -= int64(len(chunk))
		}
		if t.interrupted() {
			return errInterrupted
		}
	}
	return nil
}
