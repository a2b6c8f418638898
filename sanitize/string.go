package sanitize

import "strings"

// String sanitizes a whole buffer at once: lines are joined by "\n", and a
// trailing newline in b is kept. It is the same as feeding b to a Stream and
// flushing it.
func String(b []byte) string {
	var s Stream
	var out strings.Builder
	out.Grow(len(b))
	s.feed(b, func(line []byte) {
		out.Write(line)
		out.WriteByte('\n')
	})
	s.finish()
	out.Write(s.line)
	return out.String()
}
