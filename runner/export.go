package runner

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"netauto/store"
)

// ExportedRun is one run's entry in an export's index.json.
type ExportedRun struct {
	RunID       int64   `json:"run_id"`
	BatchID     string  `json:"batch_id"`
	Device      string  `json:"device"`
	Site        string  `json:"site"`
	Command     string  `json:"command"`
	Status      string  `json:"status"`
	ExitCode    *int    `json:"exit_code"`
	ErrorReason string  `json:"error_reason,omitempty"`
	Bytes       int64   `json:"bytes"`
	Lines       int     `json:"lines"`
	StartedAt   *string `json:"started_at"`
	FinishedAt  *string `json:"finished_at"`
	// File is the output's path relative to the export directory.
	File string `json:"file"`
}

// ExportIndex is the content of index.json.
type ExportIndex struct {
	ExportedAt string        `json:"exported_at"`
	Database   string        `json:"database"`
	Runs       []ExportedRun `json:"runs"`
}

// Export writes each run's sanitized output to dir/DEVICE/TIME-COMMAND.txt
// (names made safe for any file system; TIME is the start in UTC,
// 20061231T150405Z; a clash gets the run id added) and an index.json
// describing them, which replaces an earlier one in dir. It returns the
// index.
func Export(ctx context.Context, st *store.Store, runs []store.Run, dir string) (ExportIndex, error) {
	idx := ExportIndex{ExportedAt: time.Now().UTC().Format(time.RFC3339), Database: st.Path(), Runs: []ExportedRun{}}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return idx, err
	}
	used := map[string]bool{}
	for _, r := range runs {
		rel := exportName(r, used)
		n, err := exportRun(ctx, st, r.ID, filepath.Join(dir, rel))
		if err != nil {
			return idx, fmt.Errorf("export run %d: %w", r.ID, err)
		}
		idx.Runs = append(idx.Runs, ExportedRun{
			RunID: r.ID, BatchID: r.BatchID, Device: r.Device, Site: r.Site, Command: r.Command,
			Status: string(r.Status), ExitCode: r.ExitCode, ErrorReason: r.ErrorReason, Bytes: r.Bytes, Lines: n,
			StartedAt: rfc3339(r.StartedAt), FinishedAt: rfc3339(r.FinishedAt), File: rel,
		})
	}
	data, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return idx, err
	}
	return idx, writeFileAtomic(filepath.Join(dir, "index.json"), append(data, '\n'))
}

// exportRun writes one run's sanitized output to path and returns its line count.
func exportRun(ctx context.Context, st *store.Store, id int64, path string) (int, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return 0, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	n := 0
	err = OutputLines(ctx, st, id, func(_ int, l string) {
		w.WriteString(l)
		w.WriteByte('\n')
		n++
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// exportName is a run's file path relative to the export directory.
func exportName(r store.Run, used map[string]bool) string {
	t := r.StartedAt
	if t.IsZero() {
		t = r.CreatedAt
	}
	base := t.UTC().Format("20060102T150405Z") + "-" + SafeName(r.Command)
	rel := filepath.Join(SafeName(r.Device), base+".txt")
	if used[rel] {
		rel = filepath.Join(SafeName(r.Device), fmt.Sprintf("%s-%d.txt", base, r.ID))
	}
	used[rel] = true
	return rel
}

// SafeName turns s into a file name safe on any file system: letters,
// digits, '.', '-' and '_' kept, runs of anything else one '_', no
// leading dot, at most 80 bytes; "" becomes "_".
func SafeName(s string) string {
	var b strings.Builder
	under := false
	for _, r := range s {
		ok := r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_')
		if !ok {
			if !under {
				b.WriteByte('_')
			}
			under = true
			continue
		}
		b.WriteRune(r)
		under = false
	}
	out := strings.Trim(b.String(), "_")
	out = strings.TrimLeft(out, ".")
	if len(out) > 80 {
		out = out[:80]
	}
	if out == "" {
		return "_"
	}
	return out
}

// rfc3339 renders t for JSON, nil when zero.
func rfc3339(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

// writeFileAtomic writes data to path through a temporary file and a rename.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
