package cli

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"netauto/simlab"
)

// Disk and database faults against the real binary: the database's
// directory made read-only mid-run, the disk full, and two netauto
// processes on one database. Mounts need root (CAP_SYS_ADMIN); where they
// are not permitted the tests say so and skip.

// mount runs mount(8) with args, skipping the test when mounting is not
// permitted here; the mount point is unmounted at cleanup.
func mount(t *testing.T, target string, args ...string) {
	t.Helper()
	out, err := exec.Command("mount", append(args, target)...).CombinedOutput()
	if err != nil {
		t.Skipf("mount %s not permitted here (needs root with CAP_SYS_ADMIN): %v: %s",
			strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", target).CombinedOutput(); err != nil {
			t.Logf("umount %s: %v: %s", target, err, out)
		}
	})
}

// remount changes the options of the mount at target.
func remount(t *testing.T, target, opts string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", opts, target).CombinedOutput(); err != nil {
		t.Fatalf("mount -o %s %s: %v: %s", opts, target, err, out)
	}
}

// labDevices returns the names of the lab's healthy devices that are
// linux (linux true) or network OSes (false).
func labDevices(lab *simlab.Lab, linux bool) []string {
	var out []string
	for _, d := range lab.Devices() {
		if (d.Platform == "linux") == linux && d.Fault == simlab.FaultNone {
			out = append(out, d.Name)
		}
	}
	return out
}

// deviceFlags turns names into --device flags.
func deviceFlags(names []string) []string {
	var out []string
	for _, n := range names {
		out = append(out, "--device", n)
	}
	return out
}

// integrityOK fails the test unless PRAGMA integrity_check of the
// database at path is ok.
func integrityOK(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
}

// storedOutput returns `netauto show` of every run, by run id.
func (h *harness) storedOutput(runs []map[string]any) map[int64]string {
	h.t.Helper()
	out := map[int64]string{}
	for _, m := range runs {
		id := int64(m["run_id"].(float64))
		out[id] = h.run("show", fmt.Sprint(id)).want(h.t, 0).stdout
	}
	return out
}

// checkKept fails unless every run of before is still stored with the
// same status, bytes and output.
func (h *harness) checkKept(before []map[string]any, output map[int64]string) {
	h.t.Helper()
	now := map[float64]map[string]any{}
	for _, m := range h.history() {
		now[m["run_id"].(float64)] = m
	}
	for _, m := range before {
		id := m["run_id"].(float64)
		n := now[id]
		if n == nil || n["status"] != m["status"] || n["bytes"] != m["bytes"] {
			h.t.Errorf("run %v was %v %v bytes, now %v", id, m["status"], m["bytes"], n)
			continue
		}
		if got := h.run("show", fmt.Sprint(int64(id))).stdout; got != output[int64(id)] {
			h.t.Errorf("run %v: output changed (%d bytes, was %d)", id, len(got), len(output[int64(id)]))
		}
	}
}

// checkAllFinished fails unless every stored run is ok or error with a
// reason, and returns the runs.
func (h *harness) checkAllFinished() []map[string]any {
	h.t.Helper()
	runs := h.history()
	for _, m := range runs {
		switch m["status"] {
		case "ok":
		case "error":
			if r, _ := m["error_reason"].(string); r == "" {
				h.t.Errorf("run %v on %v: error without a reason", m["run_id"], m["device"])
			}
		default:
			h.t.Errorf("run %v on %v: still %v", m["run_id"], m["device"], m["status"])
		}
	}
	return runs
}

// TestDatabaseReadOnlyMidRun: the database's directory becomes a
// read-only bind mount while `netauto run` streams. Descriptors the
// process already holds keep writing (the kernel checks a mount's
// read-only flag when a file is opened, not on every write), so the run
// finishes and keeps all its output; what cannot be done is anything that
// opens or removes a file there: a second netauto refuses to start with a
// one-line error naming the database (so does `netauto history`: the
// store opens read-write), and the first one's owner lock file cannot be
// removed at exit, which it reports. Once writable again,
// the next start finds every run finished and the file sound.
func TestDatabaseReadOnlyMidRun(t *testing.T) {
	if testing.Short() {
		t.Skip("mounts and runs the real binary")
	}
	lab := crashLab.get(t)
	h := newHarness(t, lab)
	names := labDevices(lab, false)[:12]
	h.run(append([]string{"run", "-c", "show version"}, deviceFlags(names[:3])...)...).want(t, 0)
	before := h.history()
	output := h.storedOutput(before)
	state := filepath.Dir(h.db)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd, stdout, stderr := h.start(ctx, append([]string{"run", "-c", "show tech-support"}, deviceFlags(names)...)...)
	sc := bufio.NewScanner(stdout)
	for seen := 0; seen < 20 && sc.Scan(); {
		if strings.Contains(sc.Text(), " | ") {
			seen++
		}
	}
	mount(t, state, "--bind", state)
	remount(t, state, "remount,ro,bind")

	second := h.run("run", "-c", "show version", "--device", names[0]).want(t, exitUsage)
	t.Logf("second netauto on the read-only database: %s", strings.TrimSpace(second.stderr))
	if !oneLineError(second.stderr, h.db, "read-only file system") {
		t.Errorf("second netauto on the read-only database: want one line naming %s and the cause, got:\n%s", h.db, second.stderr)
	}
	hist := h.run("history", "--limit", "0")
	t.Logf("netauto history on the read-only database: exit %d: %s", hist.code, strings.TrimSpace(hist.stderr))
	if hist.code != exitOK && !oneLineError(hist.stderr, h.db, "read-only file system") {
		t.Errorf("netauto history on the read-only database: want its runs or one line naming %s, got %s", h.db, hist)
	}
	for sc.Scan() {
	}
	err := cmd.Wait()
	t.Logf("first netauto: %v; stderr:\n%s", err, stderr.String())
	if code := cmd.ProcessState.ExitCode(); code != exitOK {
		t.Errorf("first netauto exit %d, want 0 (its runs were stored)", code)
	}

	remount(t, state, "remount,rw,bind")
	integrityOK(t, h.db)
	runs := h.checkAllFinished()
	if len(runs) != len(before)+len(names) {
		t.Errorf("%d runs stored, want %d", len(runs), len(before)+len(names))
	}
	for _, m := range runs[:len(names)] {
		if m["status"] != "ok" || m["bytes"].(float64) == 0 {
			t.Errorf("run %v on %v during the read-only mount: %v, %v bytes", m["run_id"], m["device"], m["status"], m["bytes"])
		}
	}
	h.checkKept(before, output)
}

// TestDiskFull: the database lives on an 8 MiB tmpfs and a run floods
// more than that. The process must not hang nor claim success: every run
// whose output or end could not be stored ends error with reason
// `closed: history store: … database or disk is full`, the exit status is
// 1, what was stored before is kept, the file stays sound, and the
// history can still be read. After space is freed (the tmpfs grown), the
// next start finds every run finished: those whose end could not be
// written are error/interrupted, with the output that fitted.
func TestDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("mounts and runs the real binary")
	}
	lab := crashLab.get(t)
	h := newHarness(t, lab)
	full := filepath.Join(h.dir, "full")
	if err := os.MkdirAll(full, 0o700); err != nil {
		t.Fatal(err)
	}
	mount(t, full, "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs")
	h.db = filepath.Join(full, "history.db")
	linux := labDevices(lab, true)
	h.run(append([]string{"run", "-c", "uname -a"}, deviceFlags(linux)...)...).want(t, 0)
	before := h.history()
	output := h.storedOutput(before)

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := h.command(ctx, append([]string{"run", "-c", "flood 4"}, deviceFlags(linux)...)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("flood on a full disk: %v after %v; stderr:\n%s\nstdout ends:\n%s", err, time.Since(start).Round(time.Millisecond),
		stderr.String(), lastLines(stdout.String(), 14))
	if ctx.Err() != nil {
		t.Fatal("netauto did not end within 90 s on a full disk")
	}
	if cmd.ProcessState.ExitCode() == exitOK {
		t.Errorf("netauto exit 0 although the disk was full")
	}
	if !strings.Contains(stderr.String()+stdout.String(), "full") {
		t.Errorf("nothing says the disk is full:\nstdout:\n%s\nstderr:\n%s", lastLines(stdout.String(), 20), stderr.String())
	}
	integrityOK(t, h.db)
	// Still full: the history can be read, or says in one line why not.
	if r := h.run("history", "--limit", "0"); r.code != exitOK &&
		(!strings.Contains(r.stderr, "full") || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0) {
		t.Errorf("netauto history on the full disk: %s", r)
	}

	remount(t, full, "remount,size=256m")
	runs := h.checkAllFinished()
	if len(runs) != len(before)+len(linux) {
		t.Errorf("%d runs stored, want %d", len(runs), len(before)+len(linux))
	}
	for _, m := range runs[:len(linux)] {
		t.Logf("flood run %v on %v: %v %v, %v bytes", m["run_id"], m["device"], m["status"], m["error_reason"], m["bytes"])
	}
	h.checkKept(before, output)
}

// TestTwoProcessesOneDatabase: two `netauto run` processes stream into
// the same database at once while a third lists the history. Neither
// fails (no "database is locked"), the lister sees the live runs as
// running (never marked interrupted under a live owner), every run of
// both is stored ok with its output, and the file is sound.
func TestTwoProcessesOneDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real binary")
	}
	lab := crashLab.get(t)
	h := newHarness(t, lab)
	var a, b []string
	for i, name := range labDevices(lab, false)[:40] {
		if i%2 == 0 {
			a = append(a, name)
		} else {
			b = append(b, name)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	type outcome struct {
		code   int
		stderr string
	}
	results := make(chan outcome, 2)
	for _, names := range [][]string{a, b} {
		cmd := h.command(ctx, append([]string{"run", "--yes", "-c", "show tech-support"}, deviceFlags(names)...)...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() {
			_ = cmd.Wait()
			results <- outcome{cmd.ProcessState.ExitCode(), stderr.String()}
		}()
	}
	// While both stream: the history shows their runs live.
	deadline := time.Now().Add(20 * time.Second)
	running := 0
	for running == 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		for _, m := range h.history() {
			if m["status"] == "running" {
				running++
			}
			if m["error_reason"] == "interrupted" {
				t.Fatalf("run %v of a live process marked interrupted", m["run_id"])
			}
		}
	}
	if running == 0 {
		t.Error("history never showed a running run while two processes streamed")
	}
	for range 2 {
		r := <-results
		if r.code != exitOK {
			t.Errorf("a netauto sharing the database: exit %d\n%s", r.code, r.stderr)
		}
	}
	integrityOK(t, h.db)
	runs := h.checkAllFinished()
	if len(runs) != len(a)+len(b) {
		t.Errorf("%d runs stored, want %d", len(runs), len(a)+len(b))
	}
	for _, m := range runs {
		if m["status"] != "ok" || m["bytes"].(float64) == 0 {
			t.Errorf("run %v on %v: %v %v, %v bytes", m["run_id"], m["device"], m["status"], m["error_reason"], m["bytes"])
		}
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// oneLineError reports whether stderr ends in exactly one error line that
// names the database once ("history database PATH: …", the OS error may
// repeat the path) and says why.
func oneLineError(stderr, db, why string) bool {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	last := lines[len(lines)-1]
	errs := 0
	for _, l := range lines {
		if strings.Contains(l, "history database") {
			errs++
		}
	}
	return errs == 1 && strings.Count(last, "history database "+db) == 1 && strings.Contains(last, why)
}
