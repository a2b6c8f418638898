package tui

// DefaultRingLines is how many lines of output the console keeps per run;
// older lines fall off the front (the full output stays in the store).
const DefaultRingLines = 5000

// maxLineBytes caps one line so that a device printing a gigabyte without a
// newline cannot grow the partial line without bound.
const maxLineBytes = 64 << 10

// lineRing is a bounded ring of sanitized output lines for one run. Lines are
// numbered from 0 in arrival order for the life of the run; once more than
// the capacity have arrived, the oldest are dropped and First() moves on.
// The last line may be partial (no newline seen yet); it is visible and
// grows until its newline arrives.
type lineRing struct {
	lines   []string // circular storage, len == capacity once full
	start   int      // index in lines of line number first
	count   int      // complete lines held
	first   int      // line number of the oldest line held
	partial string
}

// newLineRing returns a ring that holds up to capacity lines (at least 1).
func newLineRing(capacity int) *lineRing {
	if capacity < 1 {
		capacity = 1
	}
	return &lineRing{lines: make([]string, 0, capacity)}
}

// Append adds complete sanitized lines (without newlines) and sets the
// partial last line (text after the last newline; "" for none). Lines
// longer than maxLineBytes are cut.
func (r *lineRing) Append(lines []string, partial string) {
	for _, l := range lines {
		r.push(capLine(l))
	}
	r.partial = capLine(partial)
}

func capLine(s string) string {
	if len(s) > maxLineBytes {
		return s[:maxLineBytes]
	}
	return s
}

func (r *lineRing) push(line string) {
	if len(r.lines) < cap(r.lines) {
		r.lines = append(r.lines, line)
		r.count++
		return
	}
	r.lines[r.start] = line
	r.start = (r.start + 1) % len(r.lines)
	r.first++
}

// First returns the line number of the oldest line still held.
func (r *lineRing) First() int { return r.first }

// End returns one past the number of the newest line, counting the partial
// line when there is one.
func (r *lineRing) End() int {
	n := r.first + r.count
	if r.partial != "" {
		n++
	}
	return n
}

// Len returns how many lines (partial included) are held.
func (r *lineRing) Len() int { return r.End() - r.first }

// Dropped returns how many lines fell off the front.
func (r *lineRing) Dropped() int { return r.first }

// Line returns line number n, or "" when it is not held.
func (r *lineRing) Line(n int) string {
	if n < r.first || n >= r.End() {
		return ""
	}
	i := n - r.first
	if i == r.count {
		return r.partial
	}
	return r.lines[(r.start+i)%len(r.lines)]
}
