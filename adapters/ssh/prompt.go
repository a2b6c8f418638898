package sshadapter

import (
	"bytes"
	"regexp"

	"netauto/inventory"
)

// Prompt is a CLI prompt found at the end of a device's output.
type Prompt struct {
	// Host is the hostname the prompt shows (for a custom pattern: its
	// first group, else the whole match).
	Host string
	// Mode is the prompt's last character: '>' user mode, '#' privileged,
	// '%' or '$' a shell.
	Mode byte
	// Text is the prompt as shown, without surrounding blanks.
	Text string
}

// maxPromptLen bounds what can be a prompt; longer lines are output.
const maxPromptLen = 256

var (
	// ios, iosxe, nxos, eos: "host>", "host#", "host(config-if)#".
	ciscoPrompt = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._/-]{0,62})(?:\([A-Za-z0-9._/:-]{1,40}\))?([>#])$`)
	// iosxr: "RP/0/RSP0/CPU0:host#", "RP/0/RP0/CPU0:host(config)#".
	iosxrPrompt = regexp.MustCompile(`^[A-Za-z]{1,8}/\d+/[A-Za-z0-9]{1,16}/CPU\d+:([A-Za-z0-9][A-Za-z0-9._-]{0,62})(?:\([A-Za-z0-9._/:-]{1,40}\))?(#)$`)
	// junos: "user@host>", "user@host#", "user@host:RE:0%".
	junosPrompt = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}@([A-Za-z0-9][A-Za-z0-9._-]{0,62})(?::[A-Za-z0-9:]{1,16})?([>#%])$`)
	// generic: "host>", "user@host:~$", "[user@host dir]#".
	genericPrompt = regexp.MustCompile(`^\[?([A-Za-z0-9][A-Za-z0-9._@:~/ -]{0,126}?)\]?([>#$%])$`)
)

// DetectPrompt reports whether line (the last, unfinished line of output)
// is a prompt of the platform, and which. custom, when non-nil (a device's
// prompt_pattern), replaces the platform's pattern. Text after the last
// carriage return counts, trailing blanks are ignored. It is a pure
// function: no state, safe for concurrent use.
func DetectPrompt(line []byte, platform inventory.Platform, custom *regexp.Regexp) (Prompt, bool) {
	line = bytes.TrimRight(line, " \t\r\n")
	if i := bytes.LastIndexByte(line, '\r'); i >= 0 {
		line = line[i+1:]
	}
	line = bytes.TrimLeft(line, " \t")
	if len(line) == 0 || len(line) > maxPromptLen || bytes.IndexByte(line, '\n') >= 0 {
		return Prompt{}, false
	}
	if custom != nil {
		m := custom.FindSubmatchIndex(line)
		if m == nil || m[1] != len(line) || m[0] == m[1] {
			return Prompt{}, false
		}
		host := line[m[0]:m[1]]
		if len(m) >= 4 && m[2] >= 0 && m[3] > m[2] {
			host = line[m[2]:m[3]]
		}
		text := line[m[0]:m[1]]
		return Prompt{Host: string(host), Mode: text[len(text)-1], Text: string(text)}, true
	}
	var re *regexp.Regexp
	switch platform {
	case inventory.PlatformIOS, inventory.PlatformIOSXE, inventory.PlatformNXOS, inventory.PlatformEOS:
		re = ciscoPrompt
	case inventory.PlatformIOSXR:
		re = iosxrPrompt
	case inventory.PlatformJunos:
		re = junosPrompt
	default:
		re = genericPrompt
	}
	m := re.FindSubmatch(line)
	if m == nil {
		return Prompt{}, false
	}
	return Prompt{Host: string(m[1]), Mode: m[2][0], Text: string(line)}, true
}

// pagingOff is the command that turns paging off on a platform ("" none).
func pagingOff(p inventory.Platform) string {
	switch p {
	case inventory.PlatformJunos:
		return "set cli screen-length 0"
	case inventory.PlatformGeneric, inventory.PlatformLinux:
		return ""
	default:
		return "terminal length 0"
	}
}

// hasEnable reports whether the platform has an enable (privileged) mode.
func hasEnable(p inventory.Platform) bool {
	switch p {
	case inventory.PlatformIOS, inventory.PlatformIOSXE, inventory.PlatformEOS, inventory.PlatformNXOS:
		return true
	}
	return false
}

// morePrompt finds a pager prompt ("--More--", junos "---(more 42%)---")
// in the unfinished line.
func morePrompt(line []byte) bool {
	return bytes.Contains(line, []byte("--More--")) || bytes.Contains(line, []byte("---(more"))
}

// passwordPrompt matches the enable password question.
var passwordPrompt = regexp.MustCompile(`(?i)password:\s*$`)
