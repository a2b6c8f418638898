package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReadingAHistoryOnAReadOnlyMount: the real binary reads a history
// whose directory is mounted read-only: history, show, search and export
// work and say once that the database cannot be written; prune, which
// writes, fails with that reason; the file is left as it was. The mount
// is a read-only bind mount in a mount namespace of the command's own
// (unshare -m), so it needs root.
func TestReadingAHistoryOnAReadOnlyMount(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: the history's directory is bind-mounted read-only in a mount namespace of its own")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("needs util-linux's unshare and mount to mount the history's directory read-only")
	}
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	h.run("run", "--group", "core", "-c", "show version").want(t, 0)
	h.run("search", "uptime").want(t, 0) // indexes the output
	runs := h.history()
	before, err := os.ReadFile(h.db)
	if err != nil {
		t.Fatal(err)
	}
	state := filepath.Dir(h.db)
	out := t.TempDir()

	// ro runs the binary with state mounted read-only over itself.
	ro := func(args ...string) result {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		inner := h.command(ctx, args...)
		script := `mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"`
		cmd := exec.CommandContext(ctx, unshare, append([]string{"-m", "sh", "-c", script, state}, inner.Args...)...)
		cmd.Env = inner.Env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stderr.String(), "unshare:") || strings.Contains(stderr.String(), "mount:") {
			t.Skipf("this machine does not allow a read-only bind mount in a mount namespace: %s", stderr.String())
		}
		return result{code, stdout.String(), stderr.String()}
	}
	const note = "read-only file system; reading it without writing"

	r := ro("history", "--json", "--limit", "0").want(t, 0)
	if got := jsonLines(t, r.stdout); len(got) != len(runs) {
		t.Errorf("history on the read-only mount lists %d runs, want %d\n%s", len(got), len(runs), r)
	}
	if strings.Count(r.stderr, note) != 1 {
		t.Errorf("history does not say once that it reads without writing:\n%s", r)
	}
	id := runs[0]["run_id"].(float64)
	r = ro("show", strconv.FormatInt(int64(id), 10)).want(t, 0)
	if !strings.Contains(r.stdout, "uptime") {
		t.Errorf("show on the read-only mount:\n%s", r)
	}
	r = ro("search", "--json", "uptime").want(t, 0)
	if hits := jsonLines(t, r.stdout); len(hits) != len(runs) {
		t.Errorf("search on the read-only mount found %d lines, want one per run (%d)\n%s", len(hits), len(runs), r)
	}
	ro("export", "--dir", out).want(t, 0)
	if _, err := os.Stat(filepath.Join(out, "index.json")); err != nil {
		t.Errorf("export from the read-only mount wrote no index: %v", err)
	}
	r = ro("prune", "--older-than", "1s")
	if r.code == 0 || !strings.Contains(r.stderr, "read-only file system") {
		t.Errorf("prune on the read-only mount:\n%s", r)
	}
	after, err := os.ReadFile(h.db)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the database file changed")
	}
}
