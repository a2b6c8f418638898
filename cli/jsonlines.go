package cli

import (
	"bufio"
	"encoding/json"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// jsonStart is the "start" line of `run --json`.
type jsonStart struct {
	Type    string `json:"type"`
	RunID   int64  `json:"run_id"`
	BatchID string `json:"batch_id"`
	Device  string `json:"device"`
	Site    string `json:"site"`
	Command string `json:"command"`
}

// jsonEnd is the "end" line of `run --json`.
type jsonEnd struct {
	Type        string  `json:"type"`
	RunID       int64   `json:"run_id"`
	Device      string  `json:"device"`
	Status      string  `json:"status"`
	ExitCode    *int    `json:"exit_code"`
	Bytes       int64   `json:"bytes"`
	ErrorReason *string `json:"error_reason"`
	DurationMS  int64   `json:"duration_ms"`
}

// writeJSON writes v as one JSON line. The values are plain structs that
// always encode.
func writeJSON(w *bufio.Writer, v any) {
	b, _ := json.Marshal(v)
	w.Write(b)
	w.WriteByte('\n')
}

// An "output" line of `run --json` is written piecewise, as its text is
// sanitized, instead of through encoding/json: output is most of what
// --json writes, and building and escaping a copy of every chunk cost more
// than the rest of the run. The line is
// {"type":"output","run_id":N,"device":"…","seq":N,"data":"…"}.

// startJSONOutput writes an output line up to the opening quote of data.
func startJSONOutput(w *bufio.Writer, runID int64, device string, seq int64) {
	w.WriteString(`{"type":"output","run_id":`)
	w.WriteString(strconv.FormatInt(runID, 10))
	w.WriteString(`,"device":"`)
	writeJSONStringBody(w, device)
	w.WriteString(`","seq":`)
	w.WriteString(strconv.FormatInt(seq, 10))
	w.WriteString(`,"data":"`)
}

// endJSONOutput closes an output line.
func endJSONOutput(w *bufio.Writer) { w.WriteString("\"}\n") }

// writeJSONBytesBody is writeJSONStringBody for a line in the sanitizer's
// buffer, without copying it into a string: the string shares b's memory
// only for the call, and neither the escaping nor bufio.Writer keeps it.
func writeJSONBytesBody(w *bufio.Writer, b []byte) {
	writeJSONStringBody(w, unsafe.String(unsafe.SliceData(b), len(b)))
}

// writeJSONStringBody writes s escaped for the inside of a JSON string:
// quote, backslash and control characters escaped, U+2028 and U+2029
// escaped (as encoding/json does), invalid UTF-8 as U+FFFD.
func writeJSONStringBody(w *bufio.Writer, s string) {
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			w.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				w.WriteByte('\\')
				w.WriteByte(c)
			case '\n':
				w.WriteString(`\n`)
			case '\t':
				w.WriteString(`\t`)
			case '\r':
				w.WriteString(`\r`)
			default:
				w.WriteString(`\u00`)
				w.WriteByte(hex[c>>4])
				w.WriteByte(hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			w.WriteString(s[start:i])
			w.WriteString("\ufffd")
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			w.WriteString(s[start:i])
			w.WriteString(`\u202`)
			w.WriteByte(hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	w.WriteString(s[start:])
}
