package cli

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestHistoryShowRoundTrip: runs stored by `run` are listed by `history`
// (newest first, exact JSON fields, filters) and `show` prints the same
// output the run printed live; --raw prints the stored bytes.
func TestHistoryShowRoundTrip(t *testing.T) {
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	dev := lab.Devices()[0].Name
	other := lab.Devices()[1].Name
	live := h.run("run", "--device", dev, "-c", "show version").want(t, 0)
	h.run("run", "--device", other, "-c", "show ip interface brief").want(t, 0)

	runs := h.history()
	if len(runs) != 2 {
		t.Fatalf("%d runs stored, want 2", len(runs))
	}
	wantKeys := []string{"batch_id", "bytes", "command", "device", "error_reason", "exit_code", "finished_at",
		"requested_by", "run_id", "site", "started_at", "status"}
	for _, m := range runs {
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, wantKeys) {
			t.Fatalf("history fields %v, want %v", keys, wantKeys)
		}
		if m["requested_by"] != "tester" || m["status"] != "ok" || m["started_at"] == nil || m["finished_at"] == nil {
			t.Errorf("run %v", m)
		}
	}
	if runs[0]["device"] != other || runs[1]["device"] != dev {
		t.Fatalf("not newest first: %v, %v", runs[0]["device"], runs[1]["device"])
	}
	if f := h.history("--device", dev); len(f) != 1 || f[0]["device"] != dev {
		t.Errorf("--device filter gave %v", f)
	}
	if f := h.history("--command", "show ip*"); len(f) != 1 || f[0]["device"] != other {
		t.Errorf("--command filter gave %v", f)
	}
	if f := h.history("--status", "error"); len(f) != 0 {
		t.Errorf("--status error gave %v", f)
	}

	id := fmt.Sprint(int64(runs[1]["run_id"].(float64)))
	shown := h.run("show", id).want(t, 0)
	var want strings.Builder
	prefix := dev + " | "
	for _, l := range strings.Split(live.stdout, "\n") {
		if strings.HasPrefix(l, prefix) {
			want.WriteString(strings.TrimPrefix(l, prefix) + "\n")
		}
	}
	if shown.stdout != want.String() {
		t.Errorf("show printed\n%q\nlive was\n%q", shown.stdout, want.String())
	}
	raw := h.run("show", id, "--raw").want(t, 0)
	if int64(len(raw.stdout)) != int64(runs[1]["bytes"].(float64)) {
		t.Errorf("--raw printed %d bytes, run has %v", len(raw.stdout), runs[1]["bytes"])
	}
	table := h.run("history").want(t, 0)
	if !strings.Contains(table.stdout, "DEVICE") || !strings.Contains(table.stdout, dev) {
		t.Errorf("history table:\n%s", table.stdout)
	}
	h.run("show", "999999").want(t, 1)
}

// TestShowSanitizes: output full of escape sequences is stored raw and
// shown clean.
func TestShowSanitizes(t *testing.T) {
	lab := faultLab.get(t)
	h := newHarness(t, lab)
	r := h.run("run", "--device", "fault-escape", "-c", "show version")
	if hasControl(r.stdout) {
		t.Fatalf("live output not sanitized: %q", r.stdout)
	}
	runs := h.history()
	id := fmt.Sprint(int64(runs[0]["run_id"].(float64)))
	if s := h.run("show", id).stdout; hasControl(s) || s == "" {
		t.Errorf("show output not sanitized or empty: %q", s)
	}
	if s := h.run("show", id, "--raw").stdout; !strings.Contains(s, "\x1b") {
		t.Errorf("--raw lost the escapes: %q", s)
	}
}
