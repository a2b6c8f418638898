package sanitize

import "testing"

// FuzzStream checks that only graphic text, newline and tab survive, and
// that feeding in chunks gives the same text as feeding whole.
func FuzzStream(f *testing.F) {
	f.Add([]byte("\x1b]52;c;aGVsbG8=\x07\x1b]0;t\x1b\\\x1bP$q m\x1b\\\x9b31m\x9d0;x\x9cok\r\n"))
	f.Add(hostileSample())
	f.Fuzz(func(t *testing.T, in []byte) {
		whole := String(in)
		checkSafe(t, whole)
		var cuts []int
		if len(in) > 0 {
			step := 1 + int(in[0])%7
			for i := step; i < len(in); i += step {
				cuts = append(cuts, i)
			}
		}
		if got := feedChunks(in, cuts); got != whole {
			t.Fatalf("chunked differs:\n got %q\nwant %q", got, whole)
		}
		if got := feedChunksBytes(in, cuts); got != whole {
			t.Fatalf("chunked through FeedBytes differs:\n got %q\nwant %q", got, whole)
		}
	})
}
