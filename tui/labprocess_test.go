package tui

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// labProcess is `netauto lab` running as a process of its own, as an
// operator starts it: its devices' work is not in the test's process.
type labProcess struct {
	dir         string // where the lab keeps its inventory and known_hosts
	passwordEnv string // NETAUTO_LAB_PASSWORD=…, as the lab printed it
}

// startLabProcess starts `bin lab --dir <dir>/lab args...` with an
// isolated environment under dir and waits until it serves. Cleanup
// interrupts it and waits for it to exit.
func startLabProcess(t *testing.T, bin, dir string, args ...string) *labProcess {
	t.Helper()
	l := &labProcess{dir: filepath.Join(dir, "lab")}
	cmd := exec.Command(bin, append([]string{"lab", "--dir", l.dir}, args...)...)
	cmd.Env = isolatedEnv(dir)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Error("netauto lab did not exit within 30 s of an interrupt")
		}
	})
	ready := make(chan string, 1)
	go func() {
		defer close(exited)
		defer func() { _ = cmd.Wait() }()
		var password string
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if v, ok := strings.CutPrefix(line, "export NETAUTO_LAB_PASSWORD="); ok {
				password = "NETAUTO_LAB_PASSWORD=" + v
			}
			if strings.Contains(line, "Press Ctrl-C") {
				ready <- password
				break
			}
		}
		for sc.Scan() {
		}
	}()
	select {
	case l.passwordEnv = <-ready:
	case <-exited:
		t.Fatal("netauto lab exited before it served")
	case <-time.After(60 * time.Second):
		t.Fatal("netauto lab did not serve within 60 s")
	}
	if l.passwordEnv == "" {
		t.Fatal("netauto lab did not print NETAUTO_LAB_PASSWORD")
	}
	return l
}

// inventoryPath is the inventory the lab wrote.
func (l *labProcess) inventoryPath() string { return filepath.Join(l.dir, "inventory.yaml") }

// knownHostsPath is the known_hosts file the lab wrote.
func (l *labProcess) knownHostsPath() string { return filepath.Join(l.dir, "known_hosts") }
