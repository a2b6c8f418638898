package sshadapter

import (
	"bytes"
	"regexp"
	"testing"

	"netauto/inventory"
)

func TestDetectPrompt(t *testing.T) {
	custom := regexp.MustCompile(`(?:([a-z0-9-]+)[>#])$`)
	cases := []struct {
		name     string
		platform inventory.Platform
		custom   *regexp.Regexp
		line     string
		ok       bool
		host     string
		mode     byte
	}{
		{"ios user", inventory.PlatformIOS, nil, "R1>", true, "R1", '>'},
		{"ios enable", inventory.PlatformIOS, nil, "R1#", true, "R1", '#'},
		{"ios config", inventory.PlatformIOS, nil, "R1(config-if)#", true, "R1", '#'},
		{"ios after CR", inventory.PlatformIOS, nil, "\r\x08\x08  \rcore-sw.lab#", true, "core-sw.lab", '#'},
		{"ios trailing blank", inventory.PlatformIOSXE, nil, "c9k# ", true, "c9k", '#'},
		{"ios output line", inventory.PlatformIOS, nil, "interface Gi0/1 is up", false, "", 0},
		{"ios more", inventory.PlatformIOS, nil, " --More-- ", false, "", 0},
		{"ios empty", inventory.PlatformIOS, nil, "", false, "", 0},
		{"ios two words", inventory.PlatformIOS, nil, "Building configuration#", false, "", 0},
		{"nxos", inventory.PlatformNXOS, nil, "n9k-1#", true, "n9k-1", '#'},
		{"eos", inventory.PlatformEOS, nil, "leaf1>", true, "leaf1", '>'},
		{"iosxr", inventory.PlatformIOSXR, nil, "RP/0/RSP0/CPU0:xr-pe1#", true, "xr-pe1", '#'},
		{"iosxr config", inventory.PlatformIOSXR, nil, "RP/0/RP0/CPU0:pe2(config)#", true, "pe2", '#'},
		{"iosxr plain", inventory.PlatformIOSXR, nil, "pe2#", false, "", 0},
		{"junos op", inventory.PlatformJunos, nil, "admin@mx1> ", true, "mx1", '>'},
		{"junos config", inventory.PlatformJunos, nil, "admin@mx1# ", true, "mx1", '#'},
		{"junos shell", inventory.PlatformJunos, nil, "root@mx1:RE:0% ", true, "mx1", '%'},
		{"junos no user", inventory.PlatformJunos, nil, "mx1>", false, "", 0},
		{"generic shell", inventory.PlatformGeneric, nil, "user@box:~$ ", true, "user@box:~", '$'},
		{"generic bracket", inventory.PlatformGeneric, nil, "[root@box tmp]# ", true, "root@box tmp", '#'},
		{"custom", inventory.PlatformGeneric, custom, "fw-1>", true, "fw-1", '>'},
		{"custom no match", inventory.PlatformGeneric, custom, "fw-1$", false, "", 0},
		{"too long", inventory.PlatformIOS, nil, string(bytes.Repeat([]byte("a"), 300)) + "#", false, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, ok := DetectPrompt([]byte(c.line), c.platform, c.custom)
			if ok != c.ok || p.Host != c.host || p.Mode != c.mode {
				t.Fatalf("DetectPrompt(%q) = %+v, %v; want host %q mode %q ok %v", c.line, p, ok, c.host, c.mode, c.ok)
			}
		})
	}
}

func FuzzPromptDetect(f *testing.F) {
	for _, s := range []string{"R1>", "R1#", "RP/0/RSP0/CPU0:xr#", "admin@mx1> ", "\r\x08 R1(config)#", "--More--", "user@h:~$ ", "x"} {
		f.Add([]byte(s), "ios")
	}
	custom := regexp.MustCompile(`(?:([a-z0-9-]+)[>#])$`)
	f.Fuzz(func(t *testing.T, line []byte, platform string) {
		for _, re := range []*regexp.Regexp{nil, custom} {
			p, ok := DetectPrompt(line, inventory.Platform(platform), re)
			p2, ok2 := DetectPrompt(line, inventory.Platform(platform), re)
			if p != p2 || ok != ok2 {
				t.Fatalf("not deterministic: %+v %v / %+v %v", p, ok, p2, ok2)
			}
			if !ok {
				if p != (Prompt{}) {
					t.Fatalf("no prompt but %+v", p)
				}
				continue
			}
			trimmed := bytes.TrimRight(line, " \t\r\n")
			switch {
			case p.Text == "" || p.Host == "":
				t.Fatalf("empty prompt parts %+v", p)
			case p.Mode != p.Text[len(p.Text)-1]:
				t.Fatalf("mode %q is not the last byte of %q", p.Mode, p.Text)
			case !bytes.HasSuffix(trimmed, []byte(p.Text)):
				t.Fatalf("prompt %q is not the end of %q", p.Text, line)
			case !bytes.Contains([]byte(p.Text), []byte(p.Host)):
				t.Fatalf("host %q not in prompt %q", p.Host, p.Text)
			case len(p.Text) > maxPromptLen || bytes.ContainsAny([]byte(p.Text), "\r\n"):
				t.Fatalf("prompt %q too long or multi-line", p.Text)
			}
		}
	})
}

func TestSkipEraseAndCRLF(t *testing.T) {
	if got := string(skipErase([]byte("\b\b\b   \b\b\b  indented"))); got != "  indented" {
		t.Errorf("skipErase = %q", got)
	}
	if got := string(skipErase([]byte("  no erase"))); got != "  no erase" {
		t.Errorf("skipErase kept %q", got)
	}
	if got := string(crlfToLF([]byte("a\r\nb\rc\r\n"))); got != "a\nb\rc\n" {
		t.Errorf("crlfToLF = %q", got)
	}
}
