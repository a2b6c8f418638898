package simlab

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// run executes command on a new session of c and returns stdout, stderr and
// the exit status (-1 when none was sent).
func run(t *testing.T, c *ssh.Client, command string) (string, string, int) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	defer sess.Close()
	var out, errOut bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errOut
	err = sess.Run(command)
	var exit *ssh.ExitError
	var missing *ssh.ExitMissingError
	switch {
	case err == nil:
		return out.String(), errOut.String(), 0
	case errors.As(err, &exit):
		return out.String(), errOut.String(), exit.ExitStatus()
	case errors.As(err, &missing):
		return out.String(), errOut.String(), -1
	}
	t.Fatalf("run %q: %v", command, err)
	return "", "", 0
}

func TestLinuxExec(t *testing.T) {
	l := startLab(t, Options{Devices: 6, NoFaults: true})
	d := byPlatform(t, l, "linux")
	c := mustDial(t, d, clientConfig(t, l, keyAuth(t, l)))
	cases := []struct {
		cmd, out, errOut string
		code             int
	}{
		{cmd: "echo hi there", out: "hi there\n"},
		{cmd: `echo "a  b" 'c'`, out: "a  b c\n"},
		{cmd: "exit 3", code: 3},
		{cmd: "false", code: 1},
		{cmd: "hostname", out: d.Name + "\n"},
		{cmd: "frobnicate --now", errOut: "sh: 1: frobnicate: not found\n", code: 127},
		{cmd: "cat /nope", errOut: "cat: /nope: No such file or directory\n", code: 1},
		{cmd: "sleep 0.1"},
	}
	for _, tc := range cases {
		out, errOut, code := run(t, c, tc.cmd)
		if out != tc.out || errOut != tc.errOut || code != tc.code {
			t.Errorf("%q: got (%q, %q, %d), want (%q, %q, %d)", tc.cmd, out, errOut, code, tc.out, tc.errOut, tc.code)
		}
	}
	if out, _, _ := run(t, c, "uname -a"); !strings.HasPrefix(out, "Linux "+d.Name+" ") {
		t.Errorf("uname -a: %q", out)
	}
	if out, _, _ := run(t, c, "uptime"); !strings.Contains(out, " up ") || !strings.Contains(out, "load average") {
		t.Errorf("uptime: %q", out)
	}
	out, _, code := run(t, c, "flood 1")
	if len(out) != 1<<20 || code != 0 || strings.Contains(out, "\r") || !strings.HasSuffix(strings.SplitAfter(out, "\n")[0], "\n") {
		t.Errorf("flood 1: %d bytes, exit %d", len(out), code)
	}

	// cat copies standard input.
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	sess.Stdin = strings.NewReader("line one\nline two\n")
	got, err := sess.Output("cat")
	if err != nil || string(got) != "line one\nline two\n" {
		t.Errorf("cat: %q, %v", got, err)
	}
}

func TestLinuxShell(t *testing.T) {
	l := startLab(t, Options{Devices: 6, NoFaults: true})
	d := byPlatform(t, l, "linux")
	s := openShell(t, mustDial(t, d, clientConfig(t, l, keyAuth(t, l))))
	prompt := Username + "@" + d.Name + ":~$ "
	s.expect(prompt)
	if out := s.command("echo hello", prompt); out != "echo hello\r\nhello\r\n"+prompt {
		t.Errorf("echo: %q", out)
	}
	s.send("yes\r")
	s.expect("y\r\ny\r\n")
	s.send("\x03")
	s.expect(prompt)
	s.send("exit 4\r")
	<-s.done
	var exit *ssh.ExitError
	if err := s.sess.Wait(); !errors.As(err, &exit) || exit.ExitStatus() != 4 {
		t.Errorf("exit 4: %v", err)
	}
}
