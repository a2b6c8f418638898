package simlab

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// platformCase is what a test expects of one platform's shell.
type platformCase struct {
	platform string
	prompt   func(host string) string // the prompt a session starts at
	noPaging string                   // turns paging off
	more     string                   // the pager prompt
	erase    string                   // how the pager prompt is erased ("" = backspaces)
	long     string                   // a command longer than a page
	unknown  string                   // the error for "show foo"
}

var platformCases = []platformCase{
	{platform: "ios", prompt: func(h string) string { return h + ">" }, noPaging: "terminal length 0", more: " --More-- ",
		long: "show interfaces", unknown: "% Invalid input detected at '^' marker."},
	{platform: "iosxr", prompt: func(h string) string { return "RP/0/RSP0/CPU0:" + h + "#" }, noPaging: "terminal length 0",
		more: " --More-- ", long: "show interfaces", unknown: "% Invalid input detected at '^' marker."},
	{platform: "nxos", prompt: func(h string) string { return h + "# " }, noPaging: "terminal length 0", more: " --More-- ",
		long: "show interface", unknown: "% Invalid command at '^' marker."},
	{platform: "eos", prompt: func(h string) string { return h + ">" }, noPaging: "terminal length 0", more: " --More-- ",
		long: "show interfaces", unknown: "% Invalid input (at token 1: 'foo')"},
	{platform: "junos", prompt: func(h string) string { return "\r\n" + Username + "@" + h + "> " }, noPaging: "set cli screen-length 0",
		more: "---(more)---", erase: "\r", long: "show configuration", unknown: "syntax error, expecting <command>."},
}

func TestShellPlatforms(t *testing.T) {
	l := startLab(t, Options{Devices: 6, NoFaults: true})
	cfg := clientConfig(t, l, keyAuth(t, l))
	for _, pc := range platformCases {
		t.Run(pc.platform, func(t *testing.T) {
			d := byPlatform(t, l, pc.platform)
			s := openShell(t, mustDial(t, d, cfg))
			prompt := pc.prompt(d.Name)
			s.expect(prompt)

			// Paging is on: the long output stops at the pager prompt;
			// space shows the next page and erases the prompt.
			first := s.command(pc.long, pc.more)
			if !strings.HasPrefix(first, pc.long+"\r\n") {
				t.Errorf("command not echoed: %q", first[:min(len(first), 40)])
			}
			if n := strings.Count(first, "\r\n"); n > 24 {
				t.Errorf("first page has %d lines", n)
			}
			if strings.Contains(strings.ReplaceAll(first, "\r\n", ""), "\n") {
				t.Errorf("bare LF in output: %q", first)
			}
			s.send(" ")
			if pc.erase == "" {
				pc.erase = "\b\b\b"
			}
			s.expect(pc.erase)
			s.expect(pc.more)
			s.send("q")
			s.expect(prompt)

			// With paging off the whole output comes at once.
			s.command(pc.noPaging, prompt)
			out := s.command(pc.long, prompt)
			if strings.Contains(out, pc.more) {
				t.Errorf("pager prompt with paging off")
			}
			if strings.Count(out, "\r\n") < 25 {
				t.Errorf("%s: only %d lines", pc.long, strings.Count(out, "\r\n"))
			}

			// Abbreviations work as on real gear; unknown words are refused
			// in the platform's words.
			if pc.platform != "junos" {
				// The output, not the prompt after it (which holds the
				// host name), must be show version's.
				if out := strings.TrimSuffix(s.command("sh ver", prompt), prompt); !strings.Contains(out, "ersion") {
					t.Errorf("sh ver: %q", out)
				}
			}
			out = s.command("show foo", prompt)
			if !strings.Contains(out, pc.unknown) {
				t.Errorf("show foo: %q, want %q", out, pc.unknown)
			}
			if strings.Contains(pc.unknown, "^") {
				lines := strings.Split(out, "\r\n")
				col := strings.Index(lines[1], "^")
				promptWidth := len(prompt) - strings.LastIndex(prompt, "\n") - 1
				if col != promptWidth+len("show ") {
					t.Errorf("caret at column %d, want %d: %q", col, promptWidth+len("show "), out)
				}
			}
			s.send("exit\r")
			select {
			case <-s.done:
			case <-time.After(10 * time.Second):
				t.Fatal("exit did not end the session")
			}
		})
	}
}

func TestEnable(t *testing.T) {
	l := startLab(t, Options{Devices: 6, NoFaults: true})
	cfg := clientConfig(t, l, keyAuth(t, l))

	ios := byPlatform(t, l, "ios")
	s := openShell(t, mustDial(t, ios, cfg))
	s.expect(ios.Name + ">")
	s.command("terminal length 0", ios.Name+">")
	if out := s.command("show running-config", ios.Name+">"); !strings.Contains(out, "% Invalid input") {
		t.Errorf("running-config in user mode: %q", out)
	}
	s.send("enable\r")
	s.expect("Password: ")
	s.send("wrong\r")
	s.expect("Password: ")
	s.send(l.Password() + "\r")
	out := s.expect(ios.Name + "#")
	if strings.Contains(out, l.Password()) || strings.Contains(out, "wrong") {
		t.Errorf("password echoed: %q", out)
	}
	out = s.command("show running-config", ios.Name+"#")
	if !strings.Contains(out, "hostname "+ios.Name+"\r\n") || !strings.Contains(out, "Current configuration : ") {
		t.Errorf("running-config: %q", out)
	}
	s.command("disable", ios.Name+">")

	// EOS refuses privileged commands in user mode in its own words, and
	// enters enable without a password.
	eos := byPlatform(t, l, "eos")
	s = openShell(t, mustDial(t, eos, cfg))
	s.expect(eos.Name + ">")
	s.command("terminal length 0", eos.Name+">")
	for _, cmd := range []string{"show running-config", "sh run", "show tech-support"} {
		if out := s.command(cmd, eos.Name+">"); !strings.Contains(out, "\r\n% Invalid input (privileged mode required)\r\n") {
			t.Errorf("eos %s in user mode: %q", cmd, out)
		}
	}
	if out := s.command("show foo", eos.Name+">"); !strings.Contains(out, "% Invalid input (at token 1: 'foo')") {
		t.Errorf("eos show foo in user mode: %q", out)
	}
	s.command("enable", eos.Name+"#")
	if out := s.command("show running-config", eos.Name+"#"); !strings.Contains(out, "hostname "+eos.Name+"\r\n") {
		t.Errorf("eos running-config: %q", out)
	}
}

func TestInterrupt(t *testing.T) {
	l := startLab(t, Options{Devices: 6, NoFaults: true})
	d := byPlatform(t, l, "nxos")
	s := openShell(t, mustDial(t, d, clientConfig(t, l, keyAuth(t, l))))
	prompt := d.Name + "# "
	s.expect(prompt)
	s.command("terminal length 0", prompt)
	s.send("show tech-support\r")
	s.expect("------------------ show version")
	s.send("\x03")
	out := s.expect(prompt)
	if strings.Contains(out, "show logging ---") {
		t.Errorf("^C did not stop the stream: %q", out)
	}
	s.command("show ip interface brief", prompt)
}

func TestExecNetworkOS(t *testing.T) {
	// Exec on network gear: output with CRLF, no prompt, no exit status.
	l := startLab(t, Options{Devices: 7, NoFaults: true})
	cfg := clientConfig(t, l, keyAuth(t, l))
	var outs []string
	for _, d := range l.Devices() {
		if d.Platform != "iosxr" {
			continue
		}
		sess, err := mustDial(t, d, cfg).NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out, err := sess.Output("show version")
		var missing *ssh.ExitMissingError
		if !errors.As(err, &missing) {
			t.Errorf("%s: want no exit status, got %v", d.Name, err)
		}
		if !strings.Contains(string(out), d.Name+" uptime is") {
			t.Errorf("%s: %q", d.Name, out)
		}
		outs = append(outs, strings.ReplaceAll(strings.SplitN(string(out), "\n", 2)[1], d.Name, "HOST"))
	}
	if len(outs) != 2 {
		t.Fatalf("want 2 iosxr devices, got %d", len(outs))
	}
	if outs[0] == outs[1] {
		t.Errorf("show version is the same on two devices")
	}
}
