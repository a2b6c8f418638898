package diff

import (
	"bufio"
	"fmt"
	"io"
)

// DefaultContext is the number of unchanged lines a hunk shows around
// its changes.
const DefaultContext = 3

// Hunk is one block of a unified diff: changes with up to context
// unchanged lines around them.
type Hunk struct {
	// A and B are the first lines (from 0) the hunk covers in each side;
	// ALen and BLen how many.
	A, ALen, B, BLen int
	// Lines are the hunk's lines in order.
	Lines []HunkLine
}

// HunkLine is one line of a hunk.
type HunkLine struct {
	Op   Op
	Text string
}

// Header is the hunk's "@@ -a,n +b,m @@" line (line numbers from 1).
func (h Hunk) Header() string {
	return fmt.Sprintf("@@ -%s +%s @@", rangeText(h.A, h.ALen), rangeText(h.B, h.BLen))
}

// rangeText renders a hunk range the way diff -u does.
func rangeText(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// Hunks groups the changes of spans into hunks with context lines of
// unchanged text around them; changes closer than 2×context lines share
// a hunk. context < 0 means DefaultContext.
func Hunks(a, b *Lines, spans []Span, context int) []Hunk {
	if context < 0 {
		context = DefaultContext
	}
	var (
		hunks []Hunk
		cur   *Hunk
	)
	add := func(op Op, text string) {
		cur.Lines = append(cur.Lines, HunkLine{op, text})
		if op != Insert {
			cur.ALen++
		}
		if op != Delete {
			cur.BLen++
		}
	}
	for i, s := range spans {
		if s.Op != Equal {
			if cur == nil {
				lead := 0
				if i > 0 && spans[i-1].Op == Equal {
					lead = min(context, spans[i-1].N)
				}
				hunks = append(hunks, Hunk{A: s.A - lead, B: s.B - lead})
				cur = &hunks[len(hunks)-1]
				for k := lead; k > 0; k-- {
					add(Equal, a.Line(s.A-k))
				}
			}
			for k := range s.N {
				if s.Op == Delete {
					add(Delete, a.Line(s.A+k))
				} else {
					add(Insert, b.Line(s.B+k))
				}
			}
			continue
		}
		if cur == nil {
			continue
		}
		last := i == len(spans)-1
		if s.N <= 2*context && !last {
			for k := range s.N {
				add(Equal, a.Line(s.A+k))
			}
			continue
		}
		for k := range min(context, s.N) {
			add(Equal, a.Line(s.A+k))
		}
		cur = nil
	}
	return hunks
}

// WriteUnified writes hunks as a unified diff of nameA and nameB (the
// "---" and "+++" lines, then each hunk). Nothing is written for no hunks.
func WriteUnified(w io.Writer, nameA, nameB string, hunks []Hunk) error {
	if len(hunks) == 0 {
		return nil
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(bw, "--- %s\n+++ %s\n", nameA, nameB)
	for _, h := range hunks {
		bw.WriteString(h.Header())
		bw.WriteByte('\n')
		for _, l := range h.Lines {
			bw.WriteByte(byte(l.Op))
			bw.WriteString(l.Text)
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}
