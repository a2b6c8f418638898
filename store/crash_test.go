package store_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"netauto/store"
)

// crashChildEnv, when set to a database path, turns the test binary into
// the crash test's child process (see TestMain).
const crashChildEnv = "NETAUTO_STORE_CRASH_CHILD"

func TestMain(m *testing.M) {
	runtime.LockOSThread() // as netauto's main does: see store/background.go
	if path := os.Getenv(crashChildEnv); path != "" {
		os.Exit(crashChild(path))
	}
	os.Exit(m.Run())
}

// chunkData is the content of chunk seq of run id: its length and bytes
// are derived from both, so the parent can check every stored chunk.
func chunkData(id, seq int64) []byte {
	n := int((seq*7919+id*104729)%1500) + 1
	unit := fmt.Sprintf("[%d/%d]", id, seq)
	return bytes.Repeat([]byte(unit), n/len(unit)+1)[:n]
}

// crashChild writes chunks of one run as fast as it can, flushing every few
// chunks and printing "ack N" once chunks up to N are committed, until it
// is killed (or 10 s pass).
func crashChild(path string) int {
	s, err := store.Open(path, store.Options{FlushInterval: 2 * time.Millisecond, FlushRows: 64})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	c := context.Background()
	r, err := s.CreateRun(c, store.NewRun{Device: "crash-dev", Command: "show tech-support"})
	if err == nil {
		err = s.MarkRunning(c, r.ID, time.Time{})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Printf("run %d\n", r.ID)
	deadline := time.Now().Add(10 * time.Second)
	for seq := int64(1); time.Now().Before(deadline); seq++ {
		if err := s.AppendChunk(r.ID, seq, chunkData(r.ID, seq), time.Time{}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		if rand.IntN(8) == 0 {
			if err := s.Flush(c); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 2
			}
			fmt.Printf("ack %d\n", seq)
		}
	}
	return 3
}

func TestKilledWriterLosesNoAcknowledgedChunk(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	path := filepath.Join(t.TempDir(), "history.db")
	// At least minKills kills; up to maxKills while within the budget.
	const minKills, maxKills = 20, 24
	var runs []int64
	budget := time.Now().Add(25 * time.Second)
	kills := 0
	for i := 0; i < maxKills; i++ {
		if i >= minKills && time.Now().After(budget) {
			break
		}
		kills++
		runID, acked := killChild(t, path, i)
		// Reopen: this marks the dead child's run interrupted.
		s, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatalf("kill %d: reopen: %v", i, err)
		}
		var check string
		db := rawDB(t, path)
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
			t.Fatalf("kill %d: integrity_check = %q, %v", i, check, err)
		}
		db.Close()
		if runID != 0 {
			runs = append(runs, runID)
			chunks := chunksOf(t, s, runID)
			for seq := int64(1); seq <= acked; seq++ {
				if !bytes.Equal(chunks[seq], chunkData(runID, seq)) {
					t.Fatalf("kill %d: run %d: acknowledged chunk %d missing or wrong (%d bytes)", i, runID, seq, len(chunks[seq]))
				}
			}
			for seq, data := range chunks {
				if seq < 1 || seq > int64(len(chunks)) || !bytes.Equal(data, chunkData(runID, seq)) {
					t.Fatalf("kill %d: run %d: stored chunk %d is wrong or out of sequence", i, runID, seq)
				}
			}
			r := mustRun(t, s, runID)
			if r.Status != store.StatusError || r.ErrorReason != store.ReasonInterrupted {
				t.Fatalf("kill %d: run %d = %s/%s, want error/interrupted", i, runID, r.Status, r.ErrorReason)
			}
			t.Logf("kill %d: run %d, %d chunks acknowledged, %d stored", i, runID, acked, len(chunks))
		} else {
			t.Logf("kill %d: before the run was created", i)
		}
		if err := s.Close(); err != nil {
			t.Fatalf("kill %d: close: %v", i, err)
		}
	}
	if len(runs) < kills/2 {
		t.Errorf("only %d of %d kills hit a run in progress", len(runs), kills)
	}
	s := openStore(t, path, store.Options{})
	n, err := s.CountRuns(ctx(t), store.RunFilter{Status: store.StatusRunning})
	if err != nil || n != 0 {
		t.Errorf("%d runs still running after recovery (%v)", n, err)
	}
}

// killChild starts a child writing to path, kills it with SIGKILL at a
// random moment and returns its run id (0 if it had none yet) and the
// highest acknowledged seq.
func killChild(t *testing.T, path string, i int) (runID, acked int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	handle := func(line string) {
		f := strings.Fields(line)
		if len(f) != 2 {
			return
		}
		n, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "run":
			runID = n
		case "ack":
			acked = n
		}
	}
	if i%6 == 5 {
		// Now and then, at a random moment from the start (maybe mid-Open).
		time.Sleep(time.Duration(rand.IntN(40)) * time.Millisecond)
	} else {
		// Mostly mid-stream: after the run exists, a random time into writing.
		timeout := time.After(15 * time.Second)
	wait:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					t.Fatalf("child exited early: %s", stderr.String())
				}
				handle(line)
				if runID != 0 {
					break wait
				}
			case <-timeout:
				t.Fatal("child did not start a run within 15 s")
			}
		}
		time.Sleep(time.Duration(5+rand.IntN(60)) * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for line := range lines {
		handle(line)
	}
	_ = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != -1 {
		t.Fatalf("child ended by itself (exit %d): %s", code, stderr.String())
	}
	return runID, acked
}
