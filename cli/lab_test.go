package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to write and read from two goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLabCommand: `netauto lab` serves until a signal, printing the
// inventory path and the password variable to export; a run against it
// with that variable works; the signal ends it with exit 0.
func TestLabCommand(t *testing.T) {
	h := newHarness(t, nil)
	dir := filepath.Join(h.dir, "lab")
	signals := make(chan chan<- os.Signal, 1)
	env := h.Env()
	env.NotifySignals = func(c chan<- os.Signal) func() {
		signals <- c
		return func() {}
	}
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- env.Main([]string{"lab", "--dir", dir, "--devices", "2"}, strings.NewReader(""), &out, &errb)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "Ctrl-C") {
		if time.Now().After(deadline) {
			t.Fatalf("lab did not start:\n%s\n%s", out.String(), errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	m := regexp.MustCompile(`export NETAUTO_LAB_PASSWORD=(\S+)`).FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), filepath.Join(dir, "inventory.yaml")) {
		t.Fatalf("lab output lacks the password or inventory:\n%s", out.String())
	}
	h.env["NETAUTO_LAB_PASSWORD"] = m[1]
	h.env["NETAUTO_INVENTORY"] = filepath.Join(dir, "inventory.yaml")
	h.knownHosts = filepath.Join(dir, "known_hosts")
	h.run("run", "--device", "lab-password", "-c", "uname -a").want(t, 0)
	h.run("run", "--device", "chi1-core-1", "-c", "show version").want(t, 0)

	(<-signals) <- os.Interrupt
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("lab exit %d\n%s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("lab did not stop on the signal")
	}
}
