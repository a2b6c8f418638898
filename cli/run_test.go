package cli

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"netauto/simlab"
)

// TestRunAllOK runs `show version` on every device of a small healthy lab:
// every run ok, exit 0, each line prefixed by its device, no control bytes,
// no prompt or echo, and a summary row per device.
func TestRunAllOK(t *testing.T) {
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	r := h.run("run", "--all", "-c", "show version").want(t, 0)

	if !strings.Contains(r.stderr, fmt.Sprintf("on %d devices", len(lab.Devices()))) {
		t.Errorf("no blast radius line in stderr:\n%s", r.stderr)
	}
	if hasControl(r.stdout) {
		t.Errorf("control bytes in output: %q", r.stdout)
	}
	width := 0
	for _, d := range lab.Devices() {
		width = max(width, len(d.Name))
	}
	for _, d := range lab.Devices() {
		prefix := d.Name + strings.Repeat(" ", width-len(d.Name)) + " | "
		var lines []string
		for _, l := range strings.Split(r.stdout, "\n") {
			if strings.HasPrefix(l, prefix) {
				lines = append(lines, strings.TrimPrefix(l, prefix))
			}
		}
		if len(lines) < 3 {
			t.Errorf("%s: only %d output lines", d.Name, len(lines))
			continue
		}
		for _, l := range lines {
			if strings.Contains(l, "show version") || strings.HasSuffix(strings.TrimSpace(l), "#") ||
				strings.HasSuffix(strings.TrimSpace(l), ">") || strings.Contains(l, "--More--") {
				t.Errorf("%s: echo, prompt or pager in output: %q", d.Name, l)
			}
		}
		row := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(d.Name) + `\s+ok\s`)
		if !row.MatchString(r.stdout) {
			t.Errorf("%s: no ok row in the summary:\n%s", d.Name, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, fmt.Sprintf("%d runs: %d ok, 0 failed", len(lab.Devices()), len(lab.Devices()))) {
		t.Errorf("no count line:\n%s", r.stdout)
	}
}

// TestRunJSON checks the JSON lines: only JSON on stdout, exact fields, a
// start before the output, seq from 1 without gaps, an end per run, and the
// summary on stderr.
func TestRunJSON(t *testing.T) {
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	r := h.run("run", "--site", "chi1", "--json", "-c", "show version", "-c", "show ip interface brief").want(t, 0)

	fields := map[string][]string{
		"start":  {"batch_id", "command", "device", "run_id", "site", "type"},
		"output": {"data", "device", "run_id", "seq", "type"},
		"end":    {"bytes", "device", "duration_ms", "error_reason", "exit_code", "run_id", "status", "type"},
	}
	type state struct {
		started, ended bool
		seq            float64
		device         string
		bytes          int
	}
	runs := map[float64]*state{}
	batches := map[any]bool{}
	for _, m := range jsonLines(t, r.stdout) {
		typ, _ := m["type"].(string)
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, fields[typ]) {
			t.Fatalf("%s line has fields %v, want %v", typ, keys, fields[typ])
		}
		id, ok := m["run_id"].(float64)
		if !ok || id != float64(int64(id)) {
			t.Fatalf("run_id %v is not an integer", m["run_id"])
		}
		s := runs[id]
		switch typ {
		case "start":
			if s != nil {
				t.Fatalf("run %v started twice", id)
			}
			runs[id] = &state{started: true, device: m["device"].(string)}
			batches[m["batch_id"]] = true
			if m["site"] != "chi1" {
				t.Errorf("site %v", m["site"])
			}
		case "output":
			if s == nil || s.ended {
				t.Fatalf("output outside start/end for run %v", id)
			}
			if m["seq"] != s.seq+1 {
				t.Fatalf("run %v: seq %v after %v", id, m["seq"], s.seq)
			}
			s.seq++
			if hasControl(m["data"].(string)) {
				t.Errorf("unsanitized data %q", m["data"])
			}
		case "end":
			if s == nil || s.ended {
				t.Fatalf("end without start for run %v", id)
			}
			s.ended = true
			if m["status"] != "ok" || m["error_reason"] != nil || m["bytes"].(float64) <= 0 {
				t.Errorf("run %v ended %v", id, m)
			}
		}
	}
	chi1 := 0
	for _, d := range lab.Devices() {
		if d.Site == "chi1" {
			chi1++
		}
	}
	if len(runs) != 2*chi1 {
		t.Fatalf("%d runs, want %d", len(runs), 2*chi1)
	}
	for id, s := range runs {
		if !s.ended || s.seq < 1 {
			t.Errorf("run %v: ended %v, %v chunks", id, s.ended, s.seq)
		}
	}
	if len(batches) != 1 {
		t.Errorf("%d batch ids, want 1", len(batches))
	}
	if !strings.Contains(r.stderr, "STATUS") || !strings.Contains(r.stderr, "COMMAND") {
		t.Errorf("no summary on stderr:\n%s", r.stderr)
	}
}

// TestRunFaults: fault devices end with exit 1 and the reason of their
// fault; the healthy device in the same batch is unaffected.
func TestRunFaults(t *testing.T) {
	lab := faultLab.get(t)
	h := newHarness(t, lab)
	healthy := lab.Devices()[0].Name
	r := h.run("run", "--device", "fault-auth", "--device", "fault-drop", "--device", healthy,
		"-c", "show version").want(t, 1)
	want := map[string]string{"fault-auth": "auth: ", "fault-drop": "closed: ", healthy: ""}
	for _, m := range h.history() {
		prefix, ok := want[m["device"].(string)]
		if !ok {
			t.Fatalf("unexpected run %v", m)
		}
		reason, _ := m["error_reason"].(string)
		if prefix == "" {
			if m["status"] != "ok" {
				t.Errorf("%s: %v (%s)", m["device"], m["status"], reason)
			}
		} else if m["status"] != "error" || !strings.HasPrefix(reason, prefix) {
			t.Errorf("%s: status %v reason %q, want error %q…", m["device"], m["status"], reason, prefix)
		}
		delete(want, m["device"].(string))
	}
	if len(want) > 0 {
		t.Errorf("no runs for %v\n%s", want, r)
	}
}

// TestRunExitCode: `exit 3` on a linux device is stored with exit code 3,
// status error and reason `exit status 3`, and netauto exits 1.
func TestRunExitCode(t *testing.T) {
	lab := faultLab.get(t)
	h := newHarness(t, lab)
	dev := linuxDevice(t, lab)
	r := h.run("run", "--device", dev, "--json", "-c", "exit 3").want(t, 1)
	var end map[string]any
	for _, m := range jsonLines(t, r.stdout) {
		if m["type"] == "end" {
			end = m
		}
	}
	if end == nil || end["exit_code"] != float64(3) || end["status"] != "error" || end["error_reason"] != "exit status 3" {
		t.Fatalf("end line %v", end)
	}
	runs := h.history()
	if len(runs) != 1 || runs[0]["exit_code"] != float64(3) || runs[0]["error_reason"] != "exit status 3" {
		t.Fatalf("stored %v", runs)
	}
}

// linuxDevice names a linux device of lab.
func linuxDevice(t *testing.T, lab *simlab.Lab) string {
	t.Helper()
	names := labDevices(lab, true)
	if len(names) == 0 {
		t.Fatal("no linux device in the lab")
	}
	return names[0]
}

// TestRunUnknownHostKey: with a known_hosts that lacks the lab's keys the
// run is refused (hostkey: …); --accept-new-host-keys trusts and records
// the key, and the next run needs no flag.
func TestRunUnknownHostKey(t *testing.T) {
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	writeTestFile(t, h.knownHosts, "")
	dev := lab.Devices()[0].Name
	h.run("run", "--device", dev, "-c", "show version").want(t, 1)
	runs := h.history()
	if reason, _ := runs[0]["error_reason"].(string); !strings.HasPrefix(reason, "hostkey: ") {
		t.Fatalf("reason %q, want hostkey: …", reason)
	}
	h.run("run", "--device", dev, "--accept-new-host-keys", "-c", "show version").want(t, 0)
	data, _ := os.ReadFile(h.knownHosts)
	if len(data) == 0 {
		t.Fatal("accepted key not recorded in known_hosts")
	}
	h.run("run", "--device", dev, "-c", "show version").want(t, 0)
}

// TestRunDryRun lists the devices and sites and runs nothing.
func TestRunDryRun(t *testing.T) {
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	r := h.run("run", "--site", "nyc2", "--device", "chi1-*", "--dry-run", "-c", "show version").want(t, 0)
	for _, d := range lab.Devices() {
		selected := d.Site == "nyc2" || strings.HasPrefix(d.Name, "chi1-")
		row := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(d.Name) + `\s+` + d.Site + `\s`)
		if row.MatchString(r.stdout) != selected {
			t.Errorf("%s (site %s): listed %v, want %v\n%s", d.Name, d.Site, !selected, selected, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "nothing was run") {
		t.Errorf("no closing line:\n%s", r.stdout)
	}
	if _, err := os.Stat(h.db); err == nil {
		t.Error("dry run created the database")
	}
}

// TestUsageErrors: every usage or start-up mistake exits 2 with a message
// and runs nothing.
func TestUsageErrors(t *testing.T) {
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	many := "defaults: {platform: linux}\ndevices:\n"
	for i := range 21 {
		many += fmt.Sprintf("  d%02d: {host: 127.0.0.1, port: 1}\n", i)
	}
	manyInv := h.writeInventory(many)
	badInv := h.writeInventory("devices:\n  r1: {host: 10.0.0.1, prot: 22}\n")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no selector", []string{"run", "-c", "show version"}, "no devices selected"},
		{"no command", []string{"run", "--all"}, "no command"},
		{"unknown flag", []string{"run", "--all", "-c", "x", "--frobnicate"}, "frobnicate"},
		{"unknown device", []string{"run", "--device", "nope-*", "-c", "x"}, `"nope-*"`},
		{"unquoted command", []string{"run", "--all", "-c", "show", "version"}, "quote the command"},
		{"unknown command", []string{"frob"}, `unknown command "frob"`},
		{"bad timeout", []string{"run", "--all", "-c", "x", "--connect-timeout", "soon"}, "connect-timeout"},
		{"many without yes", []string{"run", "--all", "-c", "x", "--inventory", manyInv}, "--yes"},
		{"bad inventory", []string{"run", "--all", "-c", "x", "--inventory", badInv}, badInv + ":2:"},
		{"missing inventory", []string{"run", "--all", "-c", "x", "--inventory", h.dir + "/none.yaml"}, "not found"},
		{"bad env cap", []string{"run", "--all", "-c", "show version", "--env-bad"}, "NET_AUTO_AUTOMATION_GLOBAL_LIMIT"},
		{"show without id", []string{"show"}, "RUN_ID"},
		{"history bad status", []string{"history", "--status", "done"}, "unknown status"},
		{"lab without dir", []string{"lab"}, "--dir"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			if args[len(args)-1] == "--env-bad" {
				args = args[:len(args)-1]
				h.env["NET_AUTO_AUTOMATION_GLOBAL_LIMIT"] = "lots"
				defer delete(h.env, "NET_AUTO_AUTOMATION_GLOBAL_LIMIT")
			}
			r := h.run(args...).want(t, 2)
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, r.stderr)
			}
			if strings.Count(strings.TrimSpace(r.stderr), "\n") > 2 {
				t.Errorf("message longer than a line or two:\n%s", r.stderr)
			}
		})
	}
	if _, err := os.Stat(h.db); err == nil {
		runs := h.history()
		if len(runs) > 0 {
			t.Errorf("usage errors stored runs: %v", runs)
		}
	}
}

// TestGlobalFlagsAnywhere: --inventory, --db and --known-hosts work before
// the subcommand and after it.
func TestGlobalFlagsAnywhere(t *testing.T) {
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	delete(h.env, "NETAUTO_INVENTORY")
	dev := lab.Devices()[0].Name
	var out, errb strings.Builder
	code := h.Env().Main([]string{"--inventory", lab.InventoryPath(), "--db=" + h.db, "run",
		"--device", dev, "-c", "show version", "--known-hosts", h.knownHosts}, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	if runs := h.history(); len(runs) != 1 || runs[0]["device"] != dev {
		t.Fatalf("stored %v", runs)
	}
}

// TestHelp: every command has help that explains it with examples, exit 0.
func TestHelp(t *testing.T) {
	h := newHarness(t, nil)
	for _, args := range [][]string{
		{"--help"}, {"help"}, {}, {"help", "run"}, {"run", "--help"}, {"history", "-h"},
		{"show", "--help"}, {"lab", "--help"}, {"demo", "--help"}, {"hostkeys", "--help"},
	} {
		var out, errb strings.Builder
		code := h.Env().Main(args, strings.NewReader(""), &out, &errb)
		if code != 0 || !strings.Contains(out.String(), "Usage:") || !strings.Contains(out.String(), "Examples:") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out.String(), errb.String())
		}
	}
}
