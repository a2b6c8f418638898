package simlab

import (
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	cmds := iosProfile.commands
	cases := []struct {
		line    string
		enabled bool
		want    string // the command's words, or the error kind
		col     int
	}{
		{line: "show version", want: "show version"},
		{line: "sh ver", want: "show version"},
		{line: "SH IP INT BR", want: "show ip interface brief"},
		{line: "  show   int", want: "show interfaces"},
		{line: "term len 0", want: "terminal length <n>"},
		{line: "sh in", want: "ambiguous", col: 3},
		{line: "show", want: "incomplete", col: 4},
		{line: "show foo bar", want: "invalid", col: 5},
		{line: "term len x", want: "invalid", col: 9},
		{line: "show run", want: "invalid", col: 5},
		{line: "show run", enabled: true, want: "show running-config"},
	}
	for _, tc := range cases {
		c, _, perr := match(cmds, tokenize(tc.line), tc.enabled, tc.line)
		got := ""
		switch {
		case perr != nil:
			got = [...]string{"invalid", "incomplete", "ambiguous"}[perr.kind]
			if perr.col != tc.col {
				t.Errorf("%q: error at column %d, want %d", tc.line, perr.col, tc.col)
			}
		default:
			got = strings.Join(c.words, " ")
		}
		if got != tc.want {
			t.Errorf("%q: %s, want %s", tc.line, got, tc.want)
		}
	}
}

func TestPipes(t *testing.T) {
	l := startLab(t, Options{Devices: 6, NoFaults: true})
	cfg := clientConfig(t, l, keyAuth(t, l))

	ios := byPlatform(t, l, "ios")
	out, _, _ := run(t, mustDial(t, ios, cfg), "show interfaces | include line protocol")
	lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
	for _, line := range lines {
		if !strings.Contains(line, "line protocol") {
			t.Errorf("include kept %q", line)
		}
	}
	if len(lines) < 4 {
		t.Errorf("include: %q", out)
	}

	junos := byPlatform(t, l, "junos")
	s := openShell(t, mustDial(t, junos, cfg))
	prompt := Username + "@" + junos.Name + "> "
	s.expect(prompt)
	if out := s.command("show configuration | no-more", prompt); strings.Contains(out, junosMore) || !strings.Contains(out, "host-name "+junos.Name) {
		t.Errorf("no-more: %q", out)
	}
	if out := s.command("show version | match Hostname", prompt); !strings.HasPrefix(out, "show version | match Hostname\r\nHostname: "+junos.Name+"\r\n\r\n") {
		t.Errorf("match: %q", out)
	}
}
