package sanitize

// enterCSI starts a control sequence.
func (s *Stream) enterCSI() {
	s.state, s.n, s.param, s.complex = stCSI, 0, 0, false
}

// enterString starts an OSC (osc true) or a DCS, SOS, PM or APC string.
func (s *Stream) enterString(osc bool) {
	s.state, s.n, s.osc, s.strNeed = stString, 0, osc, 0
}

// escByte handles one byte inside an escape sequence or string.
func (s *Stream) escByte(c byte, emit sink) {
	if s.state == stStringEsc {
		if c == '\\' { // ST: the string ends
			s.state = stGround
			return
		}
		// An ESC not followed by a backslash ends the string and starts a
		// new sequence, whose first byte after ESC is c.
		s.state, s.n = stEsc, 0
	}
	switch c {
	case 0x18, 0x1A: // CAN, SUB abort any sequence
		s.state = stGround
		return
	case 0x1B:
		if s.state == stString {
			s.state = stStringEsc
		} else {
			s.state, s.n = stEsc, 0
		}
		return
	}
	if s.state == stString {
		s.stringByte(c)
		return
	}
	if c >= 0x80 { // not part of a 7-bit sequence: abort, and c is text
		s.state = stGround
		s.ground(c, emit)
		return
	}
	if c < 0x20 { // C0 controls inside a sequence are executed, as on a terminal
		s.control(c, emit)
		return
	}
	if c == 0x7F {
		return
	}
	s.n++
	if s.n > MaxEscapeSeq {
		s.state = stGround
		s.ground(c, emit)
		return
	}
	switch s.state {
	case stEsc:
		s.escFinal(c)
	case stEscInter:
		if c >= 0x30 { // final byte; intermediates (0x20–0x2F) keep waiting
			s.state = stGround
		}
	case stCSI:
		s.csiByte(c, emit)
	}
}

// escFinal handles the byte right after ESC.
func (s *Stream) escFinal(c byte) {
	switch {
	case c == '[':
		s.enterCSI()
	case c == ']':
		s.enterString(true)
	case c == 'P' || c == 'X' || c == '^' || c == '_':
		s.enterString(false)
	case c < 0x30:
		s.state = stEscInter
	default: // a two-byte sequence, dropped
		s.state = stGround
	}
}

// csiByte handles a parameter, intermediate or final byte of a CSI.
func (s *Stream) csiByte(c byte, emit sink) {
	switch {
	case c >= '0' && c <= '9':
		s.param = min(s.param*10+int(c-'0'), 1<<16)
	case c >= 0x40: // final byte
		s.state = stGround
		if c == 'K' && !s.complex {
			s.eraseInLine(s.param)
		}
	default: // ; : < = > ? and intermediates
		s.complex = true
	}
}

// stringByte handles one payload byte of an OSC, DCS, SOS, PM or APC. BEL
// ends an OSC; ST ends any string, as ESC \ (handled by escByte), as the raw
// byte 0x9C or as UTF-8 U+009C. Other UTF-8 in the payload is skipped whole
// so that its continuation bytes are not taken for ST.
func (s *Stream) stringByte(c byte) {
	s.n++
	if s.n > MaxEscapeString {
		s.state = stGround // abandoned: what follows shows as text
		return
	}
	if c == 0x07 && s.osc {
		s.state = stGround
		return
	}
	if c < 0x80 {
		s.strNeed = 0
		return
	}
	if s.strNeed > 0 && c <= 0xBF {
		s.strNeed--
		if s.strLead == 0xC2 && c == 0x9C {
			s.state = stGround
		}
		return
	}
	s.strNeed = 0
	switch {
	case c == 0x9C:
		s.state = stGround
	case c >= 0xC2 && c <= 0xDF:
		s.strLead, s.strNeed = c, 1
	case c >= 0xE0 && c <= 0xEF:
		s.strLead, s.strNeed = c, 2
	case c >= 0xF0 && c <= 0xF4:
		s.strLead, s.strNeed = c, 3
	}
}
