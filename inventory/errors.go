package inventory

import (
	"strconv"
	"strings"
)

// Error is one problem in an inventory file, located by file and line.
type Error struct {
	// File is the inventory file's name.
	File string
	// Line is the 1-based line of the problem; 0 when unknown.
	Line int
	// Msg says what is wrong and what was expected.
	Msg string
}

// Error returns "FILE:LINE: msg".
func (e *Error) Error() string {
	if e.Line <= 0 {
		return e.File + ": " + e.Msg
	}
	return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
}

// Problems is every problem found in one inventory file, in line order.
type Problems []*Error

// Error lists each problem as "FILE:LINE: msg", one per line.
func (p Problems) Error() string {
	var b strings.Builder
	for i, e := range p {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the individual problems, so errors.As finds an *Error.
func (p Problems) Unwrap() []error {
	out := make([]error, len(p))
	for i, e := range p {
		out[i] = e
	}
	return out
}
