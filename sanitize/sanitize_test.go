package sanitize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// fataler is what checkSafe needs of *testing.T and *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// checkSafe fails when out holds anything but graphic runes, newline and
// tab, or is not valid UTF-8.
func checkSafe(t fataler, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("invalid UTF-8 in output %q", out)
	}
	for i, r := range out {
		if r == '\n' || r == '\t' {
			continue
		}
		if r < 0x20 || r == 0x7F || (r >= 0x80 && r <= 0x9F) || !unicode.IsGraphic(r) {
			t.Fatalf("control or non-graphic rune %U at %d in output %q", r, i, out)
		}
	}
}

type tcase struct{ name, in, want string }

var sequenceCases = []tcase{
	// CSI
	{"csi colors", "a\x1b[1;31mb\x1b[0mc", "abc"},
	{"csi private and clear", "\x1b[?25l\x1b[2J\x1b[Hx", "x"},
	{"csi truecolor", "\x1b[38;2;255;0;0mx", "x"},
	{"csi intermediate", "\x1b[1 qx", "x"},
	{"csi 8-bit raw", "\x9b1;31mx\x9b0m", "x"},
	{"csi 8-bit utf8", "\xc2\x9b1mx", "x"},
	{"csi aborted by CAN", "\x1b[12\x18x", "x"},
	{"csi aborted by SUB", "\x1b[12\x1ax", "x"},
	{"csi newline inside executes", "a\x1b[3\n1mb", "a\nb"},
	// OSC
	{"osc 0 title bel", "\x1b]0;evil title\x07ok", "ok"},
	{"osc 2 title st", "\x1b]2;evil\x1b\\ok", "ok"},
	{"osc 52 clipboard bel", "\x1b]52;c;cm0gLXJmIH4K\x07ok", "ok"},
	{"osc 52 clipboard st", "\x1b]52;c;cm0gLXJmIH4K\x1b\\ok", "ok"},
	{"osc 52 query", "\x1b]52;c;?\x07ok", "ok"},
	{"osc 8 hyperlink", "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"},
	{"osc 8-bit raw st", "\x9d0;t\x9cok", "ok"},
	{"osc 8-bit raw bel", "\x9d52;c;eA==\x07ok", "ok"},
	{"osc 8-bit utf8", "\xc2\x9d2;t\xc2\x9cok", "ok"},
	{"osc utf8 payload with 0x9c continuation", "\x1b]0;\xc5\x9c title\x07ok", "ok"},
	{"osc ended by another escape", "\x1b]0;t\x1b[31mok", "ok"},
	{"osc aborted by CAN", "\x1b]0;t\x18ok", "ok"},
	// DCS, SOS, PM, APC
	{"dcs decrqss", "\x1bP$q\"p\x1b\\ok", "ok"},
	{"dcs xtgettcap", "\x1bP+q544e\x1b\\ok", "ok"},
	{"dcs bel is payload", "\x1bPabc\x07def\x1b\\ok", "ok"},
	{"dcs 8-bit", "\x90$q m\x9cok", "ok"},
	{"dcs 8-bit utf8", "\xc2\x90q\xc2\x9cok", "ok"},
	{"sos pm apc", "\x1bXsos\x1b\\a\x1b^pm\x1b\\b\x1b_apc\x1b\\c", "abc"},
	{"sos pm apc 8-bit", "\x98s\x9ca\x9ep\x9cb\x9fq\x9cc", "abc"},
	// ESC
	{"two-byte esc", "a\x1b7b\x1b8c\x1bcd\x1b=e\x1b>f\x1bMg", "abcdefg"},
	{"esc intermediates", "\x1b(Bx\x1b#8y\x1b%Gz", "xyz"},
	{"esc esc", "\x1b\x1b[31mx", "x"},
	{"lone st", "a\x1b\\b", "ab"},
	{"esc then 8-bit text", "\x1b\xc3\xa9", "é"},
	// C0, DEL, C1
	{"c0 and del", "a\x00b\x07c\x0bd\x0ce\x1af\x7fg\x05\x06h\x1c\x1f", "abcdefgh"},
	{"tab kept", "a\tb\t", "a\tb\t"},
	{"c1 raw", "a\x85b\x84c\x8dd\x9ce", "abcde"},
	{"c1 utf8", "a\xc2\x85b\xc2\x80c\xc2\x8dd", "abcd"},
	{"c1 utf8 apc swallows to st", "a\xc2\x9fhidden\xc2\x9cb", "ab"},
	// UTF-8
	{"valid utf8", "café 日本 🙂 ×", "café 日本 🙂 ×"},
	{"invalid byte", "a\xffb", "a\uFFFDb"},
	{"truncated two-byte", "\xc3(", "\uFFFD("},
	{"truncated three-byte is one replacement", "\xe2\x82x", "\uFFFDx"},
	{"overlong", "\xc0\xaf", "\uFFFD\uFFFD"},
	{"stray continuation", "a\xa9b", "a\uFFFDb"},
	{"truncated at end", "ok\xe2\x82", "ok\uFFFD"},
	{"bidi and zero width dropped", "a\u202eb\u200bc\u2066d", "abcd"},
}

var lineCases = []tcase{
	// carriage return
	{"cr overwrite", "abcdef\rXY", "XYcdef"},
	{"crlf", "abc\r\ndef\r\n", "abc\ndef\n"},
	{"progress", "progress 10%\rprogress 100%\n", "progress 100%\n"},
	{"cr at end", "abc\r", "abc"},
	{"cr first", "\rabc", "abc"},
	{"cr longer", "ab\rcdef", "cdef"},
	{"cr over wide runes", "日本語\rx", "x本語"},
	{"cr multibyte over ascii", "abc\r日", "日bc"},
	// backspace
	{"more erased by backspaces", " --More-- \b\b\b\b\b\b\b\b\b\b", ""},
	{"more erased then next line", "Gi0/1 up\n --More-- \b\b\b\b\b\b\b\b\b\bGi0/2 up\n", "Gi0/1 up\nGi0/2 up\n"},
	{"more erased by bs space bs", "--More--" + strings.Repeat("\b \b", 8), ""},
	{"more erased ios style", " --More-- " + strings.Repeat("\b", 10) + strings.Repeat(" ", 10) + strings.Repeat("\b", 10) + "Gi0/3", "Gi0/3"},
	{"more erased mid line", "x --More-- " + strings.Repeat("\b", 10) + "y", "xy"},
	{"backspace erases", "abc\b\bX", "aX"},
	{"backspace at start", "\b\bab", "ab"},
	{"backspace in middle moves", "abcdef\rXY\bZ", "XZcdef"},
	{"backspace wide rune", "日本\b", "日"},
	// erase in line
	{"el 0 after cr", "abc\r\x1b[K", ""},
	{"el eos more", " --More-- \r\x1b[Kline", "line"},
	{"el 0 mid", "abcdef\rab\x1b[K", "ab"},
	{"el 0 explicit", "abcdef\rab\x1b[0K", "ab"},
	{"el 1", "abcdef\rabc\x1b[1K", "    ef"},
	{"el 2", "abcdef\rab\x1b[2Kx", "  x"},
	{"el private ignored", "abc\r\x1b[?Kx", "xbc"},
	{"el 8-bit", "abc\r\x9bKx", "x"},
}

func TestString(t *testing.T) {
	for _, group := range [][]tcase{sequenceCases, lineCases} {
		for _, tc := range group {
			t.Run(tc.name, func(t *testing.T) {
				got := String([]byte(tc.in))
				if got != tc.want {
					t.Errorf("String(%q)\n got %q\nwant %q", tc.in, got, tc.want)
				}
				checkSafe(t, got)
			})
		}
	}
}

func TestStreamLinesAndPartial(t *testing.T) {
	var s Stream
	var lines []string
	emit := func(l string) { lines = append(lines, l) }
	s.Feed([]byte("abc\nde"), emit)
	if len(lines) != 1 || lines[0] != "abc" || s.Partial() != "de" {
		t.Fatalf("lines %q partial %q", lines, s.Partial())
	}
	s.Feed([]byte("f\x1b[3"), emit)
	if s.Partial() != "def" {
		t.Fatalf("partial %q", s.Partial())
	}
	s.Feed([]byte("1mg\xe6\x97"), emit)
	if s.Partial() != "defg" {
		t.Fatalf("partial %q", s.Partial())
	}
	s.Feed([]byte("\xa5\n"), emit)
	if len(lines) != 2 || lines[1] != "defg日" {
		t.Fatalf("lines %q", lines)
	}
	s.Flush(emit)
	if len(lines) != 2 {
		t.Fatalf("empty flush emitted: %q", lines)
	}
	s.Feed([]byte("tail\xe2\x82"), emit)
	s.Flush(emit)
	if lines[2] != "tail\uFFFD" {
		t.Fatalf("flush: %q", lines)
	}
	// Flush drops an unfinished escape string: the next stream starts clean.
	s.Feed([]byte("\x1b]0;half a title"), emit)
	s.Flush(emit)
	s.Feed([]byte("ok\n"), emit)
	if got := lines[len(lines)-1]; got != "ok" || len(lines) != 4 {
		t.Fatalf("after flush: %q", lines)
	}
}

func TestUnterminatedStringIsBounded(t *testing.T) {
	for _, intro := range []string{"\x1b]0;", "\x1bP", "\x9d", "\x1b_"} {
		in := intro + strings.Repeat("A", MaxEscapeString+500) + "visible\n"
		got := String([]byte(in))
		if !strings.HasSuffix(got, "visible\n") || len(got) > 600 {
			t.Errorf("%q: got %d bytes ending %q", intro, len(got), got[max(0, len(got)-20):])
		}
	}
	got := String([]byte("\x1b[" + strings.Repeat("1;", MaxEscapeSeq) + "mvisible"))
	if !strings.HasSuffix(got, "visible") {
		t.Errorf("long CSI: %q", got)
	}
	checkSafe(t, got)
}

func TestLongLineIsEmittedInPieces(t *testing.T) {
	var s Stream
	total, pieces := 0, 0
	emit := func(l string) {
		if len(l) > MaxLineBytes+utf8.UTFMax {
			t.Fatalf("piece of %d bytes", len(l))
		}
		total += len(l)
		pieces++
	}
	chunk := []byte(strings.Repeat("0123456789abcdé", 2000))
	const rounds = 200 // ~6.4 MB without a newline
	for range rounds {
		s.Feed(chunk, emit)
		if len(s.Partial()) > MaxLineBytes+utf8.UTFMax {
			t.Fatalf("partial grew to %d", len(s.Partial()))
		}
	}
	s.Flush(emit)
	if total != rounds*len(chunk) || pieces < rounds*len(chunk)/MaxLineBytes {
		t.Fatalf("total %d of %d, %d pieces", total, rounds*len(chunk), pieces)
	}
}

func TestPlainTextUnchanged(t *testing.T) {
	in := "Interface              IP-Address      OK? Method Status                Protocol\n" +
		"GigabitEthernet0/0     10.0.0.1        YES NVRAM  up                    up\n" +
		"\tindented\tline\n" +
		"no newline at end"
	if got := String([]byte(in)); got != in {
		t.Fatalf("got %q", got)
	}
}
