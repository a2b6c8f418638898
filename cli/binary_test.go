package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"netauto/simlab"
)

// TestBinarySIGINT sends SIGINT to the real binary while `show
// tech-support` streams: it exits 130 and every run is stored
// error/canceled with the output received so far.
func TestBinarySIGINT(t *testing.T) {
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd, stdout, stderr := h.start(ctx, "run", "--group", "core", "-c", "show tech-support")
	// Wait until every device of the group has printed live output (each
	// run must have stored some bytes when canceled), then interrupt.
	waiting := map[string]bool{}
	for _, d := range lab.Devices() {
		if d.Role == "core" {
			waiting[d.Name] = true
		}
	}
	lines := bufio.NewScanner(stdout)
	for len(waiting) > 0 && lines.Scan() {
		if name, _, ok := strings.Cut(lines.Text(), " | "); ok {
			delete(waiting, strings.TrimSpace(name))
		}
	}
	if len(waiting) > 0 {
		t.Fatalf("no live output from %v before EOF; stderr:\n%s", waiting, stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	sent := time.Now()
	var rest bytes.Buffer
	for lines.Scan() {
		rest.WriteString(lines.Text() + "\n")
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("want exit 130, got %v\nstderr:\n%s", err, stderr.String())
	}
	if d := time.Since(sent); d > 10*time.Second {
		t.Errorf("took %v to stop after SIGINT", d)
	}
	runs := h.history()
	if len(runs) == 0 {
		t.Fatal("no runs stored")
	}
	for _, m := range runs {
		if m["status"] != "error" || m["error_reason"] != "canceled" || m["bytes"].(float64) == 0 {
			t.Errorf("run %v: %v %v %v bytes", m["device"], m["status"], m["error_reason"], m["bytes"])
		}
	}
	if !strings.Contains(rest.String(), "canceled") {
		t.Errorf("summary does not show canceled:\n%s", rest.String())
	}
	logData, err := os.ReadFile(filepath.Join(h.env["XDG_STATE_HOME"], "netauto", "netauto.log"))
	if err != nil || !strings.Contains(string(logData), "run stop") {
		t.Errorf("no run telemetry in the log file (%v):\n%s", err, logData)
	}
	if strings.Contains(stderr.String(), "level=") {
		t.Errorf("log records reached the terminal:\n%s", stderr.String())
	}
}

// TestBinaryDemo: `netauto demo` without a terminal runs `show version` on
// the healthy lab headless and exits 0, leaving nothing behind in HOME.
func TestBinaryDemo(t *testing.T) {
	h := newHarness(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), "demo")
	for k, v := range h.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("demo: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errb.String())
	}
	want := fmt.Sprintf("%d runs: %d ok, 0 failed", simlab.DefaultDevices, simlab.DefaultDevices)
	if !strings.Contains(out.String(), want) {
		t.Errorf("demo summary lacks %q:\n%s", want, out.String())
	}
}

// TestAuthBatchStop: after 3 authentication failures in one batch, the
// rest of the batch ends without opening a session. One run at a time
// (global cap 1) makes the order certain.
func TestAuthBatchStop(t *testing.T) {
	lab := faultLab.get(t)
	h := newHarness(t, lab)
	pw := labDevice(t, lab, "lab-password")
	host, port, _ := strings.Cut(pw.Addr, ":")
	inv := "defaults: {username: netops, platform: linux, password_env: WRONG_PASSWORD}\ndevices:\n"
	for i := range 5 {
		inv += fmt.Sprintf("  pw%d: {host: %s, port: %s}\n", i, host, port)
	}
	h.env["WRONG_PASSWORD"] = "not-the-password"
	h.env["NET_AUTO_AUTOMATION_GLOBAL_LIMIT"] = "1"
	h.run("run", "--all", "-c", "uname -a", "--inventory", h.writeInventory(inv)).want(t, 1)
	var failed, stopped int
	for _, m := range h.history() {
		switch reason, _ := m["error_reason"].(string); {
		case reason == "auth: batch stopped after 3 failures":
			stopped++
		case strings.HasPrefix(reason, "auth: "):
			failed++
		default:
			t.Errorf("run %v: reason %q", m["device"], reason)
		}
	}
	if failed != 3 || stopped != 2 {
		t.Errorf("%d auth failures and %d stopped, want 3 and 2", failed, stopped)
	}
}

// TestPasswordRequired: without a terminal and without the variable, a
// password device ends `auth: password required (set VAR)` at once.
func TestPasswordRequired(t *testing.T) {
	lab := faultLab.get(t)
	h := newHarness(t, lab)
	delete(h.env, simlab.PasswordEnv)
	h.run("run", "--device", "lab-password", "-c", "uname -a").want(t, 1)
	runs := h.history()
	want := "auth: password required (set " + simlab.PasswordEnv + ")"
	if len(runs) != 1 || runs[0]["error_reason"] != want {
		t.Fatalf("runs %v, want reason %q", runs, want)
	}
	h.env[simlab.PasswordEnv] = lab.Password()
	h.run("run", "--device", "lab-password", "-c", "uname -a").want(t, 0)
}
