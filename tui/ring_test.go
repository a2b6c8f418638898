package tui

import (
	"fmt"
	"strings"
	"testing"
)

func TestRingSplitsLinesAcrossWrites(t *testing.T) {
	r := newLineRing(10)
	r.Write("hel")
	if r.Len() != 1 || r.Line(0) != "hel" {
		t.Fatalf("partial line: len %d line %q", r.Len(), r.Line(0))
	}
	r.Write("lo\nwor")
	r.Write("ld\n")
	if r.Len() != 2 || r.Line(0) != "hello" || r.Line(1) != "world" {
		t.Fatalf("got %d lines %q %q", r.Len(), r.Line(0), r.Line(1))
	}
	r.Write("\n\nx")
	if r.End() != 5 || r.Line(2) != "" || r.Line(4) != "x" {
		t.Fatalf("end %d, lines %q", r.End(), []string{r.Line(2), r.Line(3), r.Line(4)})
	}
}

func TestRingIsBounded(t *testing.T) {
	r := newLineRing(100)
	for i := range 1000 {
		r.Write(fmt.Sprintf("line %d\n", i))
	}
	if r.Len() != 100 || r.First() != 900 || r.Dropped() != 900 || r.End() != 1000 {
		t.Fatalf("len %d first %d end %d", r.Len(), r.First(), r.End())
	}
	if r.Line(900) != "line 900" || r.Line(999) != "line 999" || r.Line(5) != "" {
		t.Fatalf("lines %q %q %q", r.Line(900), r.Line(999), r.Line(5))
	}
}

func TestRingCapsEndlessLine(t *testing.T) {
	r := newLineRing(4)
	chunk := strings.Repeat("x", 32<<10)
	for range 10 {
		r.Write(chunk)
	}
	if got := len(r.Line(0)); got != maxLineBytes {
		t.Fatalf("partial line is %d bytes, want cap %d", got, maxLineBytes)
	}
}
