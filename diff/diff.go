// Package diff compares two texts line by line and renders the result as
// a unified diff. It is a leaf: it imports nothing of netauto's, so any
// layer may use it (runner builds run comparisons on it; cli and tui show
// them).
//
// The algorithm is Myers' O(ND) difference algorithm in linear space (the
// bidirectional "middle snake" search, as in diff-match-patch), after
// trimming the lines the two texts share at their start and end. Lines are
// compared by a 64-bit hash of their (optionally masked) text.
//
// Limits, by design:
//   - Memory is the text of both sides plus 16 bytes per line, and O(N+M)
//     for the search (two vectors bounded by MaxCost); nothing is
//     quadratic. Two 1M-line outputs of ~40 bytes a line take ~110 MB.
//   - Time is O((N+M)·D) for D differing lines, but the search of one
//     region gives up past MaxCost edits and reports that region as all
//     deleted and all inserted (as GNU diff does for large files with its
//     heuristics): correct, though not minimal, for texts with nothing in
//     common.
//   - Two different lines whose hashes collide (probability ~2⁻⁶⁴ per
//     pair) would be taken as equal.
package diff

import (
	"hash/maphash"
)

// Op is what a span of lines does.
type Op byte

// The span operations, with the prefix a unified diff gives their lines.
const (
	Equal  Op = ' '
	Delete Op = '-'
	Insert Op = '+'
)

// DefaultMaxCost is the edit count past which a region is no longer
// searched for common lines.
const DefaultMaxCost = 1024

// seed hashes lines for one process.
var seed = maphash.MakeSeed()

// Lines holds one side's lines compactly: one buffer, line ends and line
// hashes. The zero value is empty and compares lines exactly.
type Lines struct {
	buf  []byte
	ends []int
	keys []uint64
	// Mask, when set, rewrites a line before it is hashed (the text kept
	// is the original): lines whose masks are equal compare equal. It is
	// how volatile parts (counters, timestamps) are ignored.
	Mask func(line string) string
}

// Add appends a line (without its newline).
func (l *Lines) Add(line string) {
	l.buf = append(l.buf, line...)
	l.ends = append(l.ends, len(l.buf))
	key := line
	if l.Mask != nil {
		key = l.Mask(line)
	}
	l.keys = append(l.keys, maphash.String(seed, key))
}

// Len returns the number of lines.
func (l *Lines) Len() int { return len(l.ends) }

// Line returns line i (from 0).
func (l *Lines) Line(i int) string {
	start := 0
	if i > 0 {
		start = l.ends[i-1]
	}
	return string(l.buf[start:l.ends[i]])
}

// Span is a run of lines with one operation: Equal lines a[A:A+N] and
// b[B:B+N]; Delete lines a[A:A+N] (B is where they were in b); Insert lines
// b[B:B+N] (A is where they go in a).
type Span struct {
	Op   Op
	A, B int
	N    int
}

// Compare returns the spans that turn a into b, in order; maxCost <= 0
// means DefaultMaxCost.
func Compare(a, b *Lines, maxCost int) []Span {
	if maxCost <= 0 {
		maxCost = DefaultMaxCost
	}
	d := &differ{a: a.keys, b: b.keys, maxCost: maxCost}
	d.compare(0, len(d.a), 0, len(d.b))
	return d.spans
}

// Same reports whether spans hold no change.
func Same(spans []Span) bool {
	for _, s := range spans {
		if s.Op != Equal {
			return false
		}
	}
	return true
}

// differ is one comparison in progress.
type differ struct {
	a, b    []uint64
	maxCost int
	spans   []Span
	v1, v2  []int // search vectors, reused
	work    int   // search steps so far, against workBudget
}

// workBudget bounds the search steps of one Compare (well under a second); past
// it, regions still differing are reported as deleted and inserted whole.
const workBudget = 20_000_000

// emit appends a span, merging it with the last one when they have the
// same operation.
func (d *differ) emit(op Op, a, b, n int) {
	if n == 0 {
		return
	}
	if k := len(d.spans); k > 0 && d.spans[k-1].Op == op {
		last := &d.spans[k-1]
		if op == Insert && last.B+last.N == b || op == Delete && last.A+last.N == a || op == Equal {
			last.N += n
			return
		}
	}
	d.spans = append(d.spans, Span{Op: op, A: a, B: b, N: n})
}

// compare diffs a[a0:a1] against b[b0:b1].
func (d *differ) compare(a0, a1, b0, b1 int) {
	n := 0
	for a0+n < a1 && b0+n < b1 && d.a[a0+n] == d.b[b0+n] {
		n++
	}
	d.emit(Equal, a0, b0, n)
	a0, b0 = a0+n, b0+n
	tail := 0
	for a0 < a1-tail && b0 < b1-tail && d.a[a1-tail-1] == d.b[b1-tail-1] {
		tail++
	}
	a1, b1 = a1-tail, b1-tail
	switch {
	case a0 == a1:
		d.emit(Insert, a0, b0, b1-b0)
	case b0 == b1:
		d.emit(Delete, a0, b0, a1-a0)
	default:
		if x, y, ok := d.bisect(a0, a1, b0, b1); ok && (x > a0 || y > b0) && (x < a1 || y < b1) {
			d.compare(a0, x, b0, y)
			d.compare(x, a1, y, b1)
		} else {
			d.emit(Delete, a0, b0, a1-a0)
			d.emit(Insert, a1, b0, b1-b0)
		}
	}
	d.emit(Equal, a1, b1, tail)
}

// bisect finds where a shortest edit path of a[a0:a1] → b[b0:b1] crosses
// its middle (the regions differ at both ends). Past maxCost edits it
// settles for the furthest point the forward search reached (not minimal,
// but every common run before it is kept); once the comparison's work
// budget is spent it gives up (ok false).
func (d *differ) bisect(a0, a1, b0, b1 int) (x, y int, ok bool) {
	A, B := d.a[a0:a1], d.b[b0:b1]
	n, m := len(A), len(B)
	if d.work > workBudget {
		return 0, 0, false
	}
	maxD := min((n+m+1)/2, d.maxCost)
	off := maxD + 1
	size := 2*maxD + 3
	if cap(d.v1) < size {
		d.v1, d.v2 = make([]int, size), make([]int, size)
	}
	v1, v2 := d.v1[:size], d.v2[:size]
	for i := range v1 {
		v1[i], v2[i] = -1, -1
	}
	v1[off+1], v2[off+1] = 0, 0
	delta := n - m
	front := delta%2 != 0
	k1start, k1end, k2start, k2end := 0, 0, 0, 0
	for dd := 0; dd < maxD; dd++ {
		for k1 := -dd + k1start; k1 <= dd-k1end; k1 += 2 {
			i := off + k1
			var x1 int
			if k1 == -dd || (k1 != dd && v1[i-1] < v1[i+1]) {
				x1 = v1[i+1]
			} else {
				x1 = v1[i-1] + 1
			}
			y1 := x1 - k1
			from := x1
			for x1 < n && y1 < m && A[x1] == B[y1] {
				x1++
				y1++
			}
			d.work += x1 - from + 1
			v1[i] = x1
			switch {
			case x1 > n:
				k1end += 2
			case y1 > m:
				k1start += 2
			case front:
				if j := off + delta - k1; j >= 0 && j < size && v2[j] != -1 && x1 >= n-v2[j] {
					return a0 + x1, b0 + y1, true
				}
			}
		}
		for k2 := -dd + k2start; k2 <= dd-k2end; k2 += 2 {
			i := off + k2
			var x2 int
			if k2 == -dd || (k2 != dd && v2[i-1] < v2[i+1]) {
				x2 = v2[i+1]
			} else {
				x2 = v2[i-1] + 1
			}
			y2 := x2 - k2
			from := x2
			for x2 < n && y2 < m && A[n-x2-1] == B[m-y2-1] {
				x2++
				y2++
			}
			d.work += x2 - from + 1
			v2[i] = x2
			switch {
			case x2 > n:
				k2end += 2
			case y2 > m:
				k2start += 2
			case !front:
				if j := off + delta - k2; j >= 0 && j < size && v1[j] != -1 {
					x1 := v1[j]
					y1 := x1 - (j - off)
					if x1 >= n-x2 {
						return a0 + x1, b0 + y1, true
					}
				}
			}
		}
	}
	// Too expensive: split at the forward diagonal that got furthest.
	best := -1
	for k := -maxD + 1; k < maxD; k++ {
		if x1 := v1[off+k]; x1 >= 0 && x1 <= n && x1-k >= 0 && x1-k <= m && 2*x1-k > best {
			best, x, y = 2*x1-k, x1, x1-k
		}
	}
	return a0 + x, b0 + y, best > 0
}
