package sanitize

import (
	"unicode"
	"unicode/utf8"
)

// ground handles one byte of text outside any escape sequence, decoding
// UTF-8 byte by byte so that a rune split between chunks decodes whole.
func (s *Stream) ground(c byte, emit sink) {
	if s.u8need > 0 {
		if c >= s.u8lo && c <= s.u8hi {
			s.u8buf[s.u8n] = c
			s.u8n++
			s.u8need--
			s.u8lo, s.u8hi = 0x80, 0xBF
			if s.u8need == 0 {
				r, _ := utf8.DecodeRune(s.u8buf[:s.u8n])
				s.u8n = 0
				s.textRune(r, emit)
			}
			return
		}
		// The sequence broke off: one U+FFFD for it, then c on its own.
		s.u8need, s.u8n = 0, 0
		s.putRune(utf8.RuneError, emit)
	}
	switch {
	case c == 0x1B:
		s.state, s.n = stEsc, 0
	case c < 0x80:
		if c-0x20 < 0x5f {
			s.putRune(rune(c), emit)
		} else {
			s.control(c, emit)
		}
	case c <= 0x9F: // a raw 8-bit C1 control
		s.c1(c)
	default:
		s.startRune(c, emit)
	}
}

// startRune begins a multi-byte UTF-8 sequence with lead byte c, or replaces
// a byte that cannot start one. The ranges are those of RFC 3629, so
// overlong forms and surrogates are invalid.
func (s *Stream) startRune(c byte, emit sink) {
	need, lo, hi := 0, byte(0x80), byte(0xBF)
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c == 0xED:
		need, hi = 2, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90
	case c == 0xF4:
		need, hi = 3, 0x8F
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	default:
		s.putRune(utf8.RuneError, emit)
		return
	}
	s.u8buf[0], s.u8n, s.u8need, s.u8lo, s.u8hi = c, 1, need, lo, hi
}

// textRune shows a decoded rune: a C1 control acts as one, a graphic rune
// is drawn, anything else is dropped.
func (s *Stream) textRune(r rune, emit sink) {
	switch {
	case r >= 0x80 && r <= 0x9F:
		s.c1(byte(r))
	case unicode.IsGraphic(r):
		s.putRune(r, emit)
	}
}

// control executes a C0 control or DEL: newline, carriage return,
// backspace and tab act on the line; the others are dropped.
func (s *Stream) control(c byte, emit sink) {
	switch c {
	case '\n':
		s.newline(emit)
	case '\r':
		s.cur = 0
	case '\b':
		s.backspace()
	case '\t':
		s.putRune('\t', emit)
	}
}

// c1 acts on an 8-bit C1 control: those that open a sequence or a string
// start it; the others (ST included) are dropped.
func (s *Stream) c1(c byte) {
	switch c {
	case 0x9B: // CSI
		s.enterCSI()
	case 0x9D: // OSC
		s.enterString(true)
	case 0x90, 0x98, 0x9E, 0x9F: // DCS, SOS, PM, APC
		s.enterString(false)
	}
}
