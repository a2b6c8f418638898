package cli

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// lastRunID returns the id of the newest stored run.
func (h *harness) lastRunID() string {
	h.t.Helper()
	runs := h.history("--limit", "1")
	return strconv.FormatFloat(runs[0]["run_id"].(float64), 'f', 0, 64)
}

// One history shared by the search, diff, export and prune tests: runs
// stored from the lab, among them binary output (fault-escape) and a
// million lines (flood on the linux device).
func TestHistoryCommandsOnLabRuns(t *testing.T) {
	lab := faultLab.get(t)
	h := newHarness(t, lab)
	linux := linuxDevice(t, lab)
	ios := lab.Devices()[0].Name

	h.run("run", "--device", ios, "-c", "show version").want(t, 0)
	ver1 := h.lastRunID()
	h.run("run", "--device", ios, "-c", "show version").want(t, 0)
	ver2 := h.lastRunID()
	h.run("run", "--device", "fault-escape", "-c", "show version").want(t, 0)
	binary := h.lastRunID()
	h.run("run", "--device", linux, "-c", "flood 3").want(t, 0)
	big1 := h.lastRunID()
	h.run("run", "--device", linux, "-c", "flood 2").want(t, 0)
	big2 := h.lastRunID()

	t.Run("search", func(t *testing.T) {
		r := h.run("search", "CRC", "--limit", "3", "--device", linux).want(t, 0)
		if n := strings.Count(r.stdout, " CRC"); n != 3 {
			t.Errorf("want 3 CRC lines, got %d:\n%s", n, r)
		}
		r = h.run("search", `"input errors"`, "--json", "--limit", "2", "--context", "1").want(t, 0)
		for _, m := range jsonLines(t, r.stdout) {
			if !strings.Contains(m["text"].(string), "input errors") || len(m["before"].([]any)) != 1 {
				t.Errorf("hit %v", m)
			}
		}
		h.run("search", "nosuchwordanywhere").want(t, 1)
		if r := h.run("search", "10.0.0.1"); r.code != 2 || !strings.Contains(r.stderr, "double quotes") {
			t.Errorf("bad query: %s", r)
		}
		h.run("search", "CRC", "--since", "yesterday").want(t, 2)
	})

	t.Run("diff", func(t *testing.T) {
		h.run("diff", ver1, ver2, "--ignore-volatile").want(t, 0)
		h.run("diff", ver2, "--ignore-volatile").want(t, 0) // with the run before it
		r := h.run("diff", big1, big2).want(t, 1)
		if !strings.Contains(r.stdout, "--- #"+big1) || !strings.Contains(r.stdout, "\n@@ -") || strings.Count(r.stdout, "\n+") != 2 {
			t.Errorf("diff of the big runs:\n%.2000s", r.stdout)
		}
		r = h.run("diff", ver1, binary).want(t, 1)
		if hasControl(r.stdout) {
			t.Errorf("diff printed control characters")
		}
		h.run("diff", ver1).want(t, 2) // nothing before it
		h.run("diff", "999999", ver1).want(t, 2)
	})

	t.Run("export", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "out")
		h.run("export", "--dir", dir, "--run", binary+","+big1).want(t, 0)
		var idx struct {
			Runs []struct {
				RunID  int64  `json:"run_id"`
				Device string `json:"device"`
				File   string `json:"file"`
				Lines  int    `json:"lines"`
			} `json:"runs"`
		}
		data, err := os.ReadFile(filepath.Join(dir, "index.json"))
		if err != nil || json.Unmarshal(data, &idx) != nil || len(idx.Runs) != 2 {
			t.Fatalf("index.json: %v %s", err, data)
		}
		for _, r := range idx.Runs {
			if !strings.HasPrefix(r.File, r.Device+string(filepath.Separator)) || !strings.HasSuffix(r.File, "-show_version.txt") && !strings.HasSuffix(r.File, "-flood_3.txt") {
				t.Errorf("file name %q", r.File)
			}
			got, err := os.ReadFile(filepath.Join(dir, r.File))
			if err != nil {
				t.Fatal(err)
			}
			show := h.run("show", strconv.FormatInt(r.RunID, 10)).want(t, 0)
			if string(got) != show.stdout {
				t.Errorf("run %d: export differs from show (%d vs %d bytes)", r.RunID, len(got), len(show.stdout))
			}
			if r.Device == linux && r.Lines < 1 {
				t.Errorf("big run has %d lines, want 1M or more", r.Lines)
			}
		}
		h.run("export", "--device", ios, "--dir", dir).want(t, 0)
		h.run("export", "--device", ios).want(t, 2)
		if r := h.run("export", "--since", "1d", "--limit", "1", "--dir", filepath.Join(t.TempDir(), "day")).want(t, 0); !strings.Contains(r.stdout, "exported 1 run ") {
			t.Errorf("--since 1d --limit 1: %s", r)
		}
		if r := h.run("export", "--since", "2999-01-01", "--dir", filepath.Join(t.TempDir(), "future")).want(t, 0); !strings.Contains(r.stdout, "exported 0 runs") {
			t.Errorf("--since in the future: %s", r)
		}
	})

	t.Run("prune", func(t *testing.T) {
		before := len(h.history())
		r := h.run("prune", "--max-size", "1MB", "--dry-run").want(t, 0)
		if !strings.Contains(r.stdout, "would remove") || len(h.history()) != before {
			t.Fatalf("dry run: %s", r)
		}
		h.run("prune", "--older-than", "1x").want(t, 2)
		r = h.run("prune", "--max-size", "1MB").want(t, 0)
		after := h.history()
		if len(after) >= before || !strings.Contains(r.stdout, "removed") {
			t.Fatalf("prune: %d → %d runs: %s", before, len(after), r)
		}
		db, err := sql.Open("sqlite", "file:"+h.db)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var ok string
		var partial int
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("integrity_check %q %v", ok, err)
		}
		err = db.QueryRow(`SELECT count(*) FROM runs r WHERE r.bytes != COALESCE((SELECT sum(length(data)) FROM run_chunks c WHERE c.run_id = r.id), 0)`).Scan(&partial)
		if err != nil || partial != 0 {
			t.Fatalf("%d runs with missing output (%v)", partial, err)
		}
		if st, err := os.Stat(h.db); err != nil || st.Size() > 1e6 {
			t.Errorf("database still %d bytes (%v)", st.Size(), err)
		}
	})
}

// run --group-output folds identical outputs after the batch instead of
// printing live lines.
func TestRunGroupOutput(t *testing.T) {
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	r := h.run("run", "--all", "--group-output", "-c", "show clock", "-c", "show inventory").want(t, 0)
	if strings.Contains(r.stdout, " | ") {
		t.Errorf("live lines printed:\n%s", r)
	}
	for _, want := range []string{"==== show inventory · 5 devices, ", "---- ", "\n----\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("missing %q in\n%s", want, r)
		}
	}
	h.run("run", "--all", "--group-output", "--json", "-c", "show clock").want(t, 2)
}
