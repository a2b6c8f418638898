package sanitize

import (
	"strings"
	"testing"
)

// overwriteModel is a plain model of a terminal line for text made of
// printable ASCII, tab, carriage return, backspace and newline: CR moves
// the cursor to column 0, text overwrites from there, backspace erases the
// last character when the cursor is at the end of the line (a pager erasing
// its prompt) and otherwise moves left, newline ends the line.
func overwriteModel(in []byte) string {
	var out strings.Builder
	var line []byte
	cur := 0
	for _, c := range in {
		switch c {
		case '\n':
			out.Write(line)
			out.WriteByte('\n')
			line, cur = line[:0], 0
		case '\r':
			cur = 0
		case '\b':
			if cur > 0 {
				if cur == len(line) {
					line = line[:cur-1]
				}
				cur--
			}
		default:
			if cur == len(line) {
				line = append(line, c)
			} else {
				line[cur] = c
			}
			cur++
		}
	}
	out.Write(line)
	return out.String()
}

// FuzzOverwrite: on text of printable ASCII, tab, CR, backspace and
// newline (each fuzz byte mapped to one of them), String matches the
// terminal model exactly, whole and fed in chunks: "10%\r100%" shows
// "100%", "abc\rX" shows "Xbc", a pager prompt erased by backspaces
// leaves nothing.
func FuzzOverwrite(f *testing.F) {
	f.Add([]byte("abcdef\rXY\n"), uint8(3))
	f.Add([]byte(" --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bnext\n"), uint8(1))
	f.Fuzz(func(t *testing.T, raw []byte, step uint8) {
		if len(raw) >= MaxLineBytes {
			return
		}
		in := make([]byte, len(raw))
		for i, b := range raw {
			switch {
			case b == '\r' || b == '\n' || b == '\b' || b == '\t' || (b >= 0x20 && b < 0x7f):
				in[i] = b
			case b%4 == 0:
				in[i] = '\r'
			case b%4 == 1:
				in[i] = '\b'
			default:
				in[i] = ' ' + b%95
			}
		}
		want := overwriteModel(in)
		if got := String(in); got != want {
			t.Fatalf("String(%q)\n got %q\nwant %q", in, got, want)
		}
		var cuts []int
		for i := 1 + int(step)%13; i < len(in); i += 1 + int(step)%13 {
			cuts = append(cuts, i)
		}
		if got := feedChunks(in, cuts); got != want {
			t.Fatalf("chunked %q at %v\n got %q\nwant %q", in, cuts, got, want)
		}
	})
}
