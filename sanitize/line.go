package sanitize

import (
	"bytes"
	"slices"
	"unicode/utf8"
)

// text draws a run of printable ASCII at the cursor.
func (s *Stream) text(b []byte, emit sink) {
	for len(b) > 0 {
		if s.cur != len(s.line) { // overwriting after a carriage return
			s.putRune(rune(b[0]), emit)
			b = b[1:]
			continue
		}
		n := min(len(b), MaxLineBytes-len(s.line))
		s.line = append(s.line, b[:n]...)
		s.cur = len(s.line)
		b = b[n:]
		if len(s.line) >= MaxLineBytes {
			s.split(emit)
		}
	}
}

// putRune draws r at the cursor: appended at the end of the line, else
// overwriting the rune under the cursor.
func (s *Stream) putRune(r rune, emit sink) {
	if s.cur == len(s.line) {
		s.line = utf8.AppendRune(s.line, r)
		s.cur = len(s.line)
	} else {
		_, old := utf8.DecodeRune(s.line[s.cur:])
		if r < utf8.RuneSelf && old == 1 {
			s.line[s.cur] = byte(r)
			s.cur++
		} else {
			var enc [utf8.UTFMax]byte
			n := utf8.EncodeRune(enc[:], r)
			s.line = slices.Replace(s.line, s.cur, s.cur+old, enc[:n]...)
			s.cur += n
		}
	}
	if len(s.line) >= MaxLineBytes {
		s.split(emit)
	}
}

// backspace erases the last rune when the cursor is at the end of the line
// (how pagers erase their prompt) and otherwise moves the cursor left.
func (s *Stream) backspace() {
	if s.cur == 0 {
		return
	}
	_, n := utf8.DecodeLastRune(s.line[:s.cur])
	if s.cur == len(s.line) {
		s.line = s.line[:s.cur-n]
	}
	s.cur -= n
}

// eraseInLine emulates CSI Ps K: 0 erases from the cursor to the end of the
// line, 1 from the start through the cursor, 2 the whole line.
func (s *Stream) eraseInLine(mode int) {
	switch mode {
	case 0:
		s.line = s.line[:s.cur]
	case 1:
		end := s.cur
		if end < len(s.line) {
			_, n := utf8.DecodeRune(s.line[end:])
			end += n
		}
		s.blank(end)
	case 2:
		s.line = s.line[:s.cur]
		s.blank(s.cur)
	}
}

// blank replaces the runes of line[:end] with spaces, keeping the cursor
// on the same column.
func (s *Stream) blank(end int) {
	cols := utf8.RuneCount(s.line[:end])
	curCol := utf8.RuneCount(s.line[:s.cur])
	s.line = slices.Replace(s.line, 0, end, bytes.Repeat([]byte{' '}, cols)...)
	s.cur = curCol
}

// newline emits the line and starts the next one.
func (s *Stream) newline(emit sink) {
	emit(s.line)
	if cap(s.line) > 8<<10 { // let a long line's buffer go
		s.line = nil
	}
	s.line, s.cur = s.line[:0], 0
}

// split emits an overlong line as a piece and goes on with an empty line.
func (s *Stream) split(emit sink) {
	emit(s.line)
	s.line, s.cur = s.line[:0], 0
}
