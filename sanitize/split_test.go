package sanitize

import (
	"strings"
	"testing"
)

// hostileSample joins every table input with the usual device output.
func hostileSample() []byte {
	var b strings.Builder
	for _, group := range [][]tcase{sequenceCases, lineCases} {
		for _, tc := range group {
			b.WriteString(tc.in)
			b.WriteString("\r\nRouter# show ip int brief\r\n")
		}
	}
	return []byte(b.String())
}

// feedChunks feeds in chunks cut at the given offsets and returns what
// String would: lines joined by newlines, then the flushed partial line.
func feedChunks(in []byte, cuts []int) string {
	var s Stream
	var out strings.Builder
	emit := func(l string) { out.WriteString(l); out.WriteByte('\n') }
	prev := 0
	for _, c := range cuts {
		s.Feed(in[prev:c], emit)
		prev = c
	}
	s.Feed(in[prev:], emit)
	var last string
	s.Flush(func(l string) { last = l })
	return out.String() + last
}

// feedChunksBytes is feedChunks through FeedBytes and FlushBytes.
func feedChunksBytes(in []byte, cuts []int) string {
	var s Stream
	var out strings.Builder
	emit := func(l []byte) { out.Write(l); out.WriteByte('\n') }
	prev := 0
	for _, c := range cuts {
		s.FeedBytes(in[prev:c], emit)
		prev = c
	}
	s.FeedBytes(in[prev:], emit)
	var last string
	s.FlushBytes(func(l []byte) { last = string(l) })
	return out.String() + last
}

func TestSplitAtEveryByte(t *testing.T) {
	in := hostileSample()
	whole := String(in)
	checkSafe(t, whole)
	every := make([]int, 0, len(in))
	for i := 1; i < len(in); i++ {
		every = append(every, i)
	}
	if got := feedChunks(in, every); got != whole {
		t.Fatalf("byte by byte differs from whole:\n got %q\nwant %q", got, whole)
	}
	if got := feedChunksBytes(in, every); got != whole {
		t.Fatalf("byte by byte through FeedBytes differs from whole:\n got %q\nwant %q", got, whole)
	}
}

func TestSplitInTwoEverywhere(t *testing.T) {
	in := hostileSample()
	whole := String(in)
	for i := 0; i <= len(in); i++ {
		if got := feedChunks(in, []int{i}); got != whole {
			t.Fatalf("cut at %d differs:\n got %q\nwant %q", i, got, whole)
		}
	}
}
