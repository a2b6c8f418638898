package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"netauto/runner"
	"netauto/sanitize"
	"netauto/store"
)

// FuzzJSONLines drives the printer of `netauto run --json` with whatever a
// device sends, cut into chunks anywhere, under any device name, command
// and reason: every line it writes is one valid JSON object; start comes
// first, output lines are numbered 1, 2, … and end comes last; the output
// text is exactly the sanitized text of the bytes sent (nothing but
// printable text, newline and tab), and the end line carries the reason.
func FuzzJSONLines(f *testing.F) {
	f.Add([]byte("Router# show version\r\nCisco IOS\r\n --More-- \b\b\b\b\b\b\b\b\b\b"), "r1", "show version", "", uint8(3))
	f.Add([]byte("\x1b]52;c;Y3VybA==\x07\x1b]0;t\x1b\\\x9b31mred\xff\xfe\"\\\u2028\n"), "dev \"q\"\x00", "x\x1b[2J", "closed: \x1b]0;x\x07", uint8(1))
	f.Add([]byte("no newline at the end"), "é日本", "", "timeout: idle", uint8(200))
	f.Fuzz(func(t *testing.T, data []byte, device, command, reason string, cut uint8) {
		var out bytes.Buffer
		p := &printer{
			opts:     printerOptions{json: true},
			out:      bufio.NewWriter(&out),
			views:    map[int64]*runView{},
			finished: map[int64]store.Run{},
			waiters:  map[int64]chan store.Run{},
		}
		const id = 7
		live := runner.LiveRun{ID: id, Device: device, Site: "s", Command: command, BatchID: "b"}
		p.handle(runner.Event{Kind: runner.Started, RunID: id, Live: live})
		step := 1 + int(cut)
		var seq int64
		for i := 0; i < len(data); i += step {
			seq++
			chunk := append([]byte(nil), data[i:min(i+step, len(data))]...)
			p.handle(runner.Event{Kind: runner.Output, RunID: id, Seq: seq, Data: chunk})
		}
		final := store.Run{ID: id, Device: device, Command: command, Status: store.StatusOK, Bytes: int64(len(data))}
		if reason != "" {
			final.Status, final.ErrorReason = store.StatusError, reason
		}
		p.handle(runner.Event{Kind: runner.Finished, RunID: id, Run: final})
		p.out.Flush()

		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if len(lines) < 2 {
			t.Fatalf("%d lines: %q", len(lines), out.String())
		}
		var text strings.Builder
		for i, line := range lines {
			var m struct {
				Type        string  `json:"type"`
				RunID       int64   `json:"run_id"`
				Device      string  `json:"device"`
				Seq         int64   `json:"seq"`
				Data        string  `json:"data"`
				ErrorReason *string `json:"error_reason"`
			}
			if !json.Valid([]byte(line)) || !utf8.ValidString(line) {
				t.Fatalf("line %d is not valid JSON: %q", i, line)
			}
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("line %d: %v: %q", i, err, line)
			}
			want := "output"
			switch i {
			case 0:
				want = "start"
			case len(lines) - 1:
				want = "end"
			}
			if m.Type != want || m.RunID != id || !validSame(m.Device, device) {
				t.Fatalf("line %d: type %q run %d device %q, want %s of run %d on %q", i, m.Type, m.RunID, m.Device, want, id, device)
			}
			if m.Type == "output" {
				if m.Seq != int64(i) {
					t.Fatalf("output line %d has seq %d", i, m.Seq)
				}
				text.WriteString(m.Data)
			}
			if m.Type == "end" && (reason == "") != (m.ErrorReason == nil) {
				t.Fatalf("end line %q for reason %q", line, reason)
			}
		}
		if want := sanitize.String(data); text.String() != want {
			t.Fatalf("output text %q, want the sanitized %q", text.String(), want)
		}
	})
}

// validSame reports whether got is s with each invalid UTF-8 byte replaced
// by U+FFFD, as encoding/json writes it.
func validSame(got, s string) bool {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r)
		i += n
	}
	return got == b.String()
}
