package simlab

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

func TestFaults(t *testing.T) {
	l := startLab(t, Options{Devices: 1, StreamDuration: time.Second, FloodBytes: 3 << 20})
	key := clientConfig(t, l, keyAuth(t, l))

	t.Run("auth", func(t *testing.T) {
		d := named(t, l, "fault-auth")
		pw := ssh.Password(l.Password())
		kbd := ssh.KeyboardInteractive(func(_, _ string, q []string, _ []bool) ([]string, error) {
			return make([]string, len(q)), nil
		})
		for _, auth := range []ssh.AuthMethod{keyAuth(t, l), pw, kbd} {
			_, err := dial(d.Addr, clientConfig(t, l, auth), 10*time.Second)
			if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
				t.Errorf("want an auth failure, got %v", err)
			}
		}
	})

	t.Run("handshake", func(t *testing.T) {
		d := named(t, l, "fault-handshake")
		start := time.Now()
		_, err := dial(d.Addr, key, 300*time.Millisecond)
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("want a timeout, got %v", err)
		}
		if time.Since(start) > 5*time.Second {
			t.Errorf("dial took %v", time.Since(start))
		}
	})

	t.Run("hang", func(t *testing.T) {
		c := mustDial(t, named(t, l, "fault-hang"), key)
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out, _ := sess.StdoutPipe()
		if err := sess.Start("show version"); err != nil {
			t.Fatalf("the command is accepted: %v", err)
		}
		got := make(chan int, 1)
		go func() {
			n, _ := out.Read(make([]byte, 1))
			got <- n
		}()
		select {
		case n := <-got:
			if n > 0 {
				t.Errorf("fault-hang printed something")
			}
		case <-time.After(500 * time.Millisecond):
		}
		c.Close()
	})

	t.Run("drop", func(t *testing.T) {
		c := mustDial(t, named(t, l, "fault-drop"), key)
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out, err := sess.Output("show interfaces")
		if len(out) == 0 || err == nil {
			t.Errorf("want some output then an error, got %d bytes, %v", len(out), err)
		}
		var exit *ssh.ExitError
		if errors.As(err, &exit) {
			t.Errorf("a dropped connection sends no exit status: %v", err)
		}
		waited := make(chan error, 1)
		go func() { waited <- c.Wait() }()
		select {
		case <-waited:
		case <-time.After(5 * time.Second):
			t.Error("connection still open")
		}
	})

	t.Run("drip", func(t *testing.T) {
		c := mustDial(t, named(t, l, "fault-drip"), key)
		start := time.Now()
		out, _, code := run(t, c, "show logging")
		if elapsed := time.Since(start); elapsed < 3*dripInterval {
			t.Errorf("4 lines in %v: not a drip", elapsed)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if code != 0 || len(lines) != 4 || !strings.Contains(lines[3], "drip 4/4: show logging") {
			t.Errorf("drip: exit %d, %q", code, out)
		}
	})

	t.Run("flood", func(t *testing.T) {
		c := mustDial(t, named(t, l, "fault-flood"), key)
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer sess.Close()
		out, _ := sess.StdoutPipe()
		if err := sess.Start("show version"); err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, out)
		if err != nil || n != 3<<20 {
			t.Errorf("flood: %d bytes, %v", n, err)
		}
		if err := sess.Wait(); err != nil {
			t.Errorf("flood exit: %v", err)
		}
	})

	t.Run("escape", func(t *testing.T) {
		c := mustDial(t, named(t, l, "fault-escape"), key)
		out, _, code := run(t, c, "show version")
		for _, want := range []string{"\x1b]52;c;", "\x1b]0;", "\x1bP", "\x1b[", "\x9b", "\x9d", "\b"} {
			if !strings.Contains(out, want) {
				t.Errorf("escape output lacks %q", want)
			}
		}
		if code != 0 {
			t.Errorf("exit %d", code)
		}
		// In a shell the fault shows on every command, then the prompt.
		s := openShell(t, c)
		prompt := Username + "@fault-escape:~$ "
		s.expect(prompt)
		if out := s.command("show clock", prompt); !strings.Contains(out, "\x1b]52;") {
			t.Errorf("shell: %q", out)
		}
	})

	t.Run("legacy", func(t *testing.T) {
		d := named(t, l, "fault-legacy")
		if _, err := dial(d.Addr, key, 10*time.Second); err == nil {
			t.Fatal("default algorithms connected to the legacy device")
		}
		cfg := *key
		cfg.KeyExchanges = []string{ssh.InsecureKeyExchangeDH1SHA1}
		cfg.Ciphers = []string{ssh.InsecureCipherAES128CBC}
		cfg.HostKeyAlgorithms = []string{ssh.KeyAlgoRSA}
		c := mustDial(t, d, &cfg)
		s := openShell(t, c)
		s.expect(d.Name + ">")
		s.command("terminal length 0", d.Name+">")
		if out := s.command("show version", d.Name+">"); !strings.Contains(out, "Version 12.2(55)SE12") {
			t.Errorf("show version: %q", out)
		}
	})

	t.Run("password", func(t *testing.T) {
		d := named(t, l, "lab-password")
		if _, err := dial(d.Addr, key, 10*time.Second); err == nil {
			t.Error("key auth accepted by the password device")
		}
		if _, err := dial(d.Addr, clientConfig(t, l, ssh.Password("wrong")), 10*time.Second); err == nil {
			t.Error("wrong password accepted")
		}
		c := mustDial(t, d, clientConfig(t, l, ssh.Password(l.Password())))
		if out, _, code := run(t, c, "hostname"); out != "lab-password\n" || code != 0 {
			t.Errorf("hostname: %q %d", out, code)
		}
	})

	t.Run("kbdint", func(t *testing.T) {
		d := named(t, l, "lab-kbdint")
		if _, err := dial(d.Addr, clientConfig(t, l, ssh.Password(l.Password())), 10*time.Second); err == nil {
			t.Error("password auth accepted by the keyboard-interactive device")
		}
		var asked []string
		kbd := ssh.KeyboardInteractive(func(_, _ string, q []string, echo []bool) ([]string, error) {
			asked = append(asked, q...)
			if len(q) != 1 || echo[0] {
				return nil, errors.New("unexpected questions")
			}
			return []string{l.Password()}, nil
		})
		c := mustDial(t, d, clientConfig(t, l, kbd))
		if len(asked) != 1 || asked[0] != "Password: " {
			t.Errorf("questions %q", asked)
		}
		s := openShell(t, c)
		s.expect("lab-kbdint>")
		s.send("enable\r")
		s.expect("Password: ")
		s.command(l.Password(), "lab-kbdint#")
	})
}
