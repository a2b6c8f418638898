package cli

import (
	"bufio"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"netauto/runner"
	"netauto/store"
)

// TestPrinterCatchUp: output events the subscription dropped are read back
// from the store, so the live output is whole and in order; a line split
// between chunks prints once.
func TestPrinterCatchUp(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	run, err := st.CreateRun(ctx, store.NewRun{BatchID: "b", Device: "r1", Site: "s", Command: "show x"})
	if err != nil {
		t.Fatal(err)
	}
	chunks := []string{"line 1\n", "line 2\nli", "ne 3\n", "line 4\n", "line 5"}
	var total int64
	for i, c := range chunks {
		if err := st.AppendChunk(run.ID, int64(i+1), []byte(c), time.Now()); err != nil {
			t.Fatal(err)
		}
		total += int64(len(c))
	}

	var out strings.Builder
	p := &printer{
		out:      bufio.NewWriter(&out),
		store:    st,
		width:    2,
		views:    map[int64]*runView{},
		finished: map[int64]store.Run{},
		waiters:  map[int64]chan store.Run{},
	}
	live := runner.LiveRun{ID: run.ID, Device: "r1", Site: "s", Command: "show x", BatchID: "b"}
	final := run
	final.Status, final.Bytes = store.StatusOK, total
	for _, ev := range []runner.Event{
		{Kind: runner.Started, RunID: run.ID, Live: live},
		{Kind: runner.Output, RunID: run.ID, Seq: 1, Data: []byte(chunks[0])},
		{Kind: runner.Output, RunID: run.ID, Seq: 4, Data: []byte(chunks[3]), Dropped: 2},
		{Kind: runner.Finished, RunID: run.ID, Run: final, Dropped: 1},
	} {
		p.handle(ev)
	}
	var want strings.Builder
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&want, "r1 | line %d\n", i)
	}
	if out.String() != want.String() {
		t.Errorf("printed\n%s\nwant\n%s", out.String(), want.String())
	}
	if r := p.await(run.ID); r.Status != store.StatusOK {
		t.Errorf("await gave %v", r.Status)
	}
}
