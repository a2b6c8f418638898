package sanitize

import (
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// tokens are the pieces hostile output is built from.
var tokens = []string{
	"\x1b", "[", "]", "P", "X", "^", "_", "\\", "\x07", "\x18", "\x1a", "\x7f", "\x00",
	"\x9b", "\x9c", "\x9d", "\x90", "\x85", "\xc2", "\xc2\x9b", "\xc2\x9c", "\xc2\x9d",
	"\xe2\x82", "\xff", "\xc5\x9c", "日", "é", "\u202e",
	"\r", "\b", "\n", "\t", "\r\n", " --More-- ", "\b \b",
	"a", "Z", "0", "1", ";", "?", "m", "K", "q", " ", "$", "52;c;",
}

func TestPropertyOnlySafeTextSurvives(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		parts := rapid.SliceOfN(rapid.SampledFrom(tokens), 0, 200).Draw(t, "parts")
		in := []byte(strings.Join(parts, ""))
		whole := String(in)
		checkSafe(t, whole)
		cuts := rapid.SliceOfN(rapid.IntRange(0, len(in)), 0, 8).Draw(t, "cuts")
		slices.Sort(cuts)
		if got := feedChunks(in, cuts); got != whole {
			t.Fatalf("chunked at %v differs:\n got %q\nwant %q", cuts, got, whole)
		}
		if got := feedChunksBytes(in, cuts); got != whole {
			t.Fatalf("chunked at %v through FeedBytes differs:\n got %q\nwant %q", cuts, got, whole)
		}
	})
}

func TestPropertyPlainTextIsKept(t *testing.T) {
	plain := rapid.StringMatching(`[ -~\t\n]{0,300}`)
	rapid.Check(t, func(t *rapid.T) {
		in := plain.Draw(t, "in")
		if got := String([]byte(in)); got != in {
			t.Fatalf("plain text changed:\n got %q\nwant %q", got, in)
		}
	})
}
