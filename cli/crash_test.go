package cli

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"math/rand/v2"
	"os"
	"syscall"
	"testing"
	"time"

	"netauto/simlab"
	"netauto/store"
)

// reliabilityEnv set to "full" runs the full forms of the reliability tests
// (see docs/RELIABILITY.md); unset, CI runs their short forms.
const reliabilityEnv = "NETAUTO_RELIABILITY"

// fullForm reports whether the full forms of the reliability tests run.
func fullForm() bool { return os.Getenv(reliabilityEnv) == "full" }

// crashLab is 50 healthy devices whose `show tech-support` streams for 3 s;
// some platforms answer it at once (linux: exit 127), so a kill lands while
// some runs stream and after others have ended.
var crashLab = &sharedLab{opts: simlab.Options{Devices: 50, NoFaults: true, StreamDuration: 3 * time.Second}}

func init() { labs = append(labs, crashLab) }

// killReport is what one killed `netauto run --json` printed before it died.
type killReport struct {
	starts map[int64]bool    // run ids of the "start" lines
	first  time.Duration     // from exec to the first "start" line; 0 if none
	ends   map[int64]jsonEnd // the "end" lines, by run id
	output int               // "output" lines
}

// TestKillRunBinary kills the real `netauto run --json` with SIGKILL at
// random moments while it streams from 50 lab devices, then starts netauto
// again on the same database (`netauto history`) after each kill and
// checks:
//   - the next start works and PRAGMA integrity_check is ok;
//   - no run is left pending or running: every run is finished, and the
//     unfinished ones of the dead process are error/interrupted;
//   - nothing reported as stored is gone. "Reported as stored" is the
//     "end" line of a run: the runner prints it only after FinishRun has
//     committed, and FinishRun commits after every chunk of the run (see
//     store.FinishRun), so the run's status, reason, byte count and all
//     of its output are durable once its end is printed. Output lines are
//     printed as they arrive, before they are durable, and promise
//     nothing (a kill may lose up to the store's flush interval of them);
//   - every run's stored chunks are numbered 1..n without a gap, and its
//     bytes column is the sum of its chunks.
//
// Short form: 12 kills. Full form (NETAUTO_RELIABILITY=full): 40 kills.
func TestKillRunBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("kills the real binary many times")
	}
	kills, budget := 12, 40*time.Second
	if fullForm() {
		kills, budget = 40, 5*time.Minute
	}
	lab := crashLab.get(t)
	h := newHarness(t, lab)
	deadline := time.Now().Add(budget)
	var midStream, withEnds, totalEnds int
	for i := range kills {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d kills within %v", i, kills, budget)
		}
		rep := h.killRun(t, i)
		h.checkAfterKill(t, i, rep)
		if rep.output > 0 {
			midStream++
		}
		if len(rep.ends) > 0 {
			withEnds++
		}
		totalEnds += len(rep.ends)
	}
	t.Logf("%d kills: %d with output streaming, %d after some runs had ended (%d ends checked)",
		kills, midStream, withEnds, totalEnds)
	if midStream < kills/2 {
		t.Errorf("only %d of %d kills hit streaming output", midStream, kills)
	}
	if withEnds == 0 {
		t.Error("no kill came after a run's end: nothing reported as stored was checked")
	}
}

// killRun starts `netauto run --all -c "show tech-support" --json` and
// kills it with SIGKILL at a random moment: a few in the first moments
// (opening the database, connecting), most while output streams and runs
// end. It returns what the process printed.
func (h *harness) killRun(t *testing.T, i int) killReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd, stdout, stderr := h.start(ctx, "run", "--all", "--yes", "--json", "-c", "show tech-support")
	began := time.Now()
	rep := killReport{starts: map[int64]bool{}, ends: map[int64]jsonEnd{}}
	lines := make(chan string, 4096)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	handle := func(line string) {
		var ev struct {
			Type  string `json:"type"`
			RunID int64  `json:"run_id"`
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("kill %d: not a JSON line: %q", i, line)
		}
		switch ev.Type {
		case "start":
			rep.starts[ev.RunID] = true
			if rep.first == 0 {
				rep.first = time.Since(began)
			}
		case "output":
			rep.output++
		case "end":
			var e jsonEnd
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				t.Fatalf("kill %d: %v", i, err)
			}
			rep.ends[e.RunID] = e
		}
	}
	var delay time.Duration
	if i%5 == 4 {
		delay = time.Duration(rand.IntN(150)) * time.Millisecond // open, migrate, connect
	} else {
		delay = time.Duration(200+rand.IntN(2800)) * time.Millisecond // streaming, ending
	}
	timer := time.NewTimer(delay)
	defer timer.Stop()
wait:
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				break wait // ended on its own before the kill
			}
			handle(line)
		case <-timer.C:
			break wait
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill %d: %v", i, err)
	}
	for line := range lines {
		handle(line)
	}
	_ = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("kill %d: netauto ended by itself before the kill (%v after %v): %s",
			i, cmd.ProcessState, delay, stderr.String())
	}
	t.Logf("kill %d after %v: %d starts (first after %v), %d output lines, %d ends",
		i, delay, len(rep.starts), rep.first.Round(time.Millisecond), rep.output, len(rep.ends))
	return rep
}

// storedRun is a run row with its chunks' count, last seq and byte sum.
type storedRun struct {
	status, reason         string
	bytes                  int64
	chunks, maxSeq, chunkB int64
}

// checkAfterKill starts netauto again on the database, then checks the
// file and every run in it against what the killed process reported.
func (h *harness) checkAfterKill(t *testing.T, i int, rep killReport) {
	t.Helper()
	// The next start: it must open the database the kill left behind and
	// mark the dead process's runs interrupted.
	r := h.command(context.Background(), "history", "--json", "--limit", "0")
	out, err := r.Output()
	if err != nil {
		t.Fatalf("kill %d: netauto history after the kill: %v\n%s", i, err, out)
	}
	db, err := sql.Open("sqlite", "file:"+h.db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("kill %d: integrity_check = %q, %v", i, check, err)
	}
	runs := map[int64]*storedRun{}
	rows, err := db.Query(`SELECT r.id, r.status, COALESCE(r.error_reason, ''), r.bytes,
		COUNT(c.seq), COALESCE(MAX(c.seq), 0), COALESCE(SUM(LENGTH(c.data)), 0)
		FROM runs r LEFT JOIN run_chunks c ON c.run_id = r.id GROUP BY r.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var s storedRun
		if err := rows.Scan(&id, &s.status, &s.reason, &s.bytes, &s.chunks, &s.maxSeq, &s.chunkB); err != nil {
			t.Fatal(err)
		}
		runs[id] = &s
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(jsonLines(t, string(out))) != len(runs) {
		t.Errorf("kill %d: history lists %d runs, the database holds %d", i, len(jsonLines(t, string(out))), len(runs))
	}
	for id, s := range runs {
		if !store.Status(s.status).Finished() {
			t.Errorf("kill %d: run %d still %s after the next start", i, id, s.status)
		}
		if s.chunks != s.maxSeq {
			t.Errorf("kill %d: run %d has %d chunks up to seq %d: a gap", i, id, s.chunks, s.maxSeq)
		}
		if s.status == "error" && s.reason == store.ReasonInterrupted && s.bytes != s.chunkB {
			t.Errorf("kill %d: interrupted run %d: bytes %d, chunks hold %d", i, id, s.bytes, s.chunkB)
		}
	}
	for id := range rep.starts {
		if runs[id] == nil {
			t.Errorf("kill %d: run %d was started (printed) but is not stored", i, id)
		}
	}
	for id, e := range rep.ends {
		s := runs[id]
		switch {
		case s == nil:
			t.Errorf("kill %d: run %d ended (printed) but is not stored", i, id)
		case s.status != e.Status || s.reason != deref(e.ErrorReason) || s.bytes != e.Bytes:
			t.Errorf("kill %d: run %d printed %s/%q %d bytes, stored %s/%q %d bytes",
				i, id, e.Status, deref(e.ErrorReason), e.Bytes, s.status, s.reason, s.bytes)
		case s.chunkB != e.Bytes:
			t.Errorf("kill %d: run %d ended with %d bytes, its chunks hold %d: output reported stored is gone",
				i, id, e.Bytes, s.chunkB)
		}
	}
}

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
