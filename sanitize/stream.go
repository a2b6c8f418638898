// Package sanitize makes device output safe to show on a terminal.
//
// Remote output is hostile: a device (or whatever answers on its address)
// can send escape sequences that set the clipboard (OSC 52), change the
// window title, query the terminal (DCS) or move the cursor. This package
// lets through only printable text, newline and tab:
//
//   - CSI (ESC [ … final, and 8-bit CSI 0x9B), OSC (ESC ] … BEL or ST, and
//     8-bit OSC 0x9D), DCS, SOS, PM and APC strings (ESC P/X/^/_ … ST, and
//     their 8-bit forms) and two-byte ESC sequences are removed whole;
//   - C1 controls, as raw bytes 0x80–0x9F or UTF-8-encoded U+0080–U+009F,
//     act as their 7-bit equivalents (and are removed with their strings);
//   - every other C0 control and DEL is dropped; CAN and SUB abort a
//     sequence, as on a terminal;
//   - invalid UTF-8 becomes U+FFFD (one per maximal invalid subpart, as in
//     the WHATWG decoder); runes that are not graphic (format characters such
//     as bidi overrides, private use, unassigned code points) are dropped.
//
// Each line is emulated the way a terminal would show it, so text drawn over
// itself reads right: a carriage return moves to column 0 and later text
// overwrites ("abcdef\rXY" shows "XYcdef"; "\r\n" is a plain newline); a
// backspace at the end of the line erases the last character and elsewhere
// moves the cursor left (so the pager's " --More-- " followed by backspaces,
// or by "\b \b" pairs, leaves nothing); CSI K (erase in line) is honoured.
// Columns are counted in runes.
//
// Bounds: an escape string (OSC, DCS, ...) longer than MaxEscapeString bytes
// without its terminator is abandoned and what follows shows as text, so a
// device cannot hide output forever; a line longer than MaxLineBytes without a
// newline is emitted in pieces of about that size, so memory stays bounded.
package sanitize

import "unicode/utf8"

// MaxLineBytes is the longest line a Stream holds; a longer line is emitted
// in pieces of about this many bytes.
const MaxLineBytes = 64 << 10

// MaxEscapeString is the longest OSC, DCS, SOS, PM or APC payload a Stream
// waits through before abandoning the sequence; MaxEscapeSeq bounds CSI and
// ESC sequences the same way.
const (
	MaxEscapeString = 4 << 10
	MaxEscapeSeq    = 256
)

// state is where the parser is in an escape sequence.
type state uint8

const (
	stGround    state = iota // text
	stEsc                    // after ESC
	stEscInter               // ESC and intermediate bytes, waiting for the final byte
	stCSI                    // CSI parameters and intermediates
	stString                 // OSC, DCS, SOS, PM or APC payload
	stStringEsc              // ESC inside a string: a backslash ends it (ST)
)

// Stream sanitizes one output stream fed in chunks of any size: escape
// sequences and UTF-8 runes split between chunks are handled. The zero value
// is ready to use. A Stream is not safe for concurrent use.
type Stream struct {
	line []byte // the current line: UTF-8, printable runes and tabs only
	cur  int    // cursor, a byte offset into line on a rune boundary

	state state
	n     int  // bytes seen in the current escape sequence or string
	osc   bool // the string is an OSC (BEL ends it too)

	// CSI parameters, kept only as far as erase-in-line needs them.
	param   int
	complex bool // private marker, intermediates or several parameters

	// UTF-8 decoding of text, byte by byte across chunks.
	u8buf  [4]byte
	u8n    int
	u8need int
	u8lo   byte
	u8hi   byte

	// UTF-8 inside a string, to tell ST (U+009C) from a continuation byte.
	strLead byte
	strNeed int
}

// sink receives a finished line; the slice is only valid during the call.
type sink func(line []byte)

// Feed sanitizes p and calls emit with every line it completes, without the
// newline. The unfinished rest of the line is kept; Partial shows it.
func (s *Stream) Feed(p []byte, emit func(line string)) {
	s.feed(p, func(b []byte) { emit(string(b)) })
}

// FeedBytes is Feed without a string per line: emit gets each completed
// line as a slice that is valid only until it returns (the Stream reuses
// its memory). Printing a large output this way allocates nothing per
// line.
func (s *Stream) FeedBytes(p []byte, emit func(line []byte)) { s.feed(p, emit) }

// FlushBytes is Flush with FeedBytes' kind of emit.
func (s *Stream) FlushBytes(emit func(line []byte)) {
	s.finish()
	if len(s.line) > 0 {
		s.newline(emit)
	}
}

// Partial returns the sanitized text of the line not yet ended by a newline.
func (s *Stream) Partial() string { return string(s.line) }

// Flush ends the stream: an unfinished UTF-8 sequence becomes U+FFFD, an
// unfinished escape sequence is dropped, and the partial line, if any, is
// emitted. The Stream is then ready for a new stream.
func (s *Stream) Flush(emit func(line string)) {
	s.FlushBytes(func(b []byte) { emit(string(b)) })
}

// finish resolves what a stream's end leaves pending, keeping the line.
func (s *Stream) finish() {
	if s.u8need > 0 {
		s.u8need, s.u8n = 0, 0
		s.putRune('\uFFFD', func([]byte) {})
	}
	s.state = stGround
}

// feed is Feed with a byte-slice sink.
func (s *Stream) feed(p []byte, emit sink) {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if s.state != stGround {
			s.escByte(c, emit)
			continue
		}
		if s.u8need == 0 {
			if c-0x20 < 0x5f { // a run of printable ASCII: the fast path
				n := printableRun(p[i:])
				s.text(p[i:i+n], emit)
				i += n - 1
				continue
			}
			if c >= 0xC2 && c <= 0xF4 { // a whole multi-byte rune in this chunk
				if r, n := utf8.DecodeRune(p[i:]); n > 1 {
					s.textRune(r, emit)
					i += n - 1
					continue
				}
			}
		}
		s.ground(c, emit)
	}
}
