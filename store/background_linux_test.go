//go:build linux

package store

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// threadsAtNice counts this process's threads whose nice value is nice.
func threadsAtNice(t *testing.T, nice int) int {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skipf("no /proc/self/task: %v", err)
	}
	n := 0
	for _, task := range tasks {
		stat, err := os.ReadFile(filepath.Join("/proc/self/task", task.Name(), "stat"))
		if err != nil {
			continue // the thread has ended
		}
		// Fields after the command name (which may hold spaces): state is
		// field 3, nice field 19.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if v, err := strconv.Atoi(fields[19-3]); err == nil && v == nice {
			n++
		}
	}
	return n
}

// The writer, the checkpointer and the indexer each run on a thread of
// their own at backgroundNice below the process, and those threads end
// with the Store.
func TestStoreGoroutinesRunInBackground(t *testing.T) {
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	if err != nil {
		t.Fatal(err)
	}
	base := 20 - prio
	bg := min(base+backgroundNice, maxNice)
	if bg == base {
		t.Skipf("the test runs at nice %d already: no lower priority to see", base)
	}
	before := threadsAtNice(t, bg)
	s, err := Open(filepath.Join(t.TempDir(), "history.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second) // the goroutines start as they are scheduled
	for threadsAtNice(t, bg)-before < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := threadsAtNice(t, bg) - before; got != 3 {
		t.Errorf("%d more threads at nice %d with the store open, want 3 (writer, checkpointer, indexer)", got, bg)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(5 * time.Second)
	for threadsAtNice(t, bg) > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := threadsAtNice(t, bg); got > before {
		t.Errorf("%d threads still at nice %d after Close, want %d: the lower priority outlived the store", got, bg, before)
	}
}
