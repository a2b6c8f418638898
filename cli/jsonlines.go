package cli

import (
	"bufio"
	"encoding/json"
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

// jsonOutput is an "output" line of `run --json`: one chunk, sanitized.
type jsonOutput struct {
	Type   string `json:"type"`
	RunID  int64  `json:"run_id"`
	Device string `json:"device"`
	Seq    int64  `json:"seq"`
	Data   string `json:"data"`
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
