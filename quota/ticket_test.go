package quota

import (
	"context"
	"testing"
	"time"
)

// TestEnqueueFixesTheOrder: tickets taken in order are admitted in that
// order, whichever goroutine gets to Wait first.
func TestEnqueueFixesTheOrder(t *testing.T) {
	m := New(Limits{Global: 1})
	ctx := context.Background()
	holder, err := m.CheckOut(ctx, "chi1", Meta{RunID: 1})
	if err != nil {
		t.Fatal(err)
	}
	first, err := m.Enqueue(ctx, "chi1", Meta{RunID: 2})
	if err != nil {
		t.Fatal(err)
	}
	second, err := m.Enqueue(ctx, "chi1", Meta{RunID: 3})
	if err != nil {
		t.Fatal(err)
	}
	if w := m.Snapshot().Waiting; w != 2 {
		t.Fatalf("waiting %d, want 2", w)
	}
	got := make(chan int64, 2)
	go func() { // the second ticket waits first
		r, err := second.Wait()
		if err != nil {
			t.Error(err)
			return
		}
		got <- r.Meta().RunID
		r.Release()
	}()
	time.Sleep(20 * time.Millisecond)
	go func() {
		r, err := first.Wait()
		if err != nil {
			t.Error(err)
			return
		}
		got <- r.Meta().RunID
		r.Release()
	}()
	holder.Release()
	for _, want := range []int64{2, 3} {
		select {
		case id := <-got:
			if id != want {
				t.Fatalf("admitted run %d, want %d", id, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no admission within 5 s")
		}
	}
	if s := m.Snapshot(); s.Global.Active != 0 || s.Waiting != 0 {
		t.Fatalf("snapshot after: %+v", s)
	}
}

// TestEnqueueClosedDoorAndEndedContext: a cap of 0 refuses at once; a
// ticket whose context ends before its slot gives up its place.
func TestEnqueueClosedDoorAndEndedContext(t *testing.T) {
	m := New(Limits{Global: 0})
	if _, err := m.Enqueue(context.Background(), "chi1", Meta{}); err == nil || err.Error() != "quota_exceeded:global" {
		t.Fatalf("Enqueue at global cap 0: %v", err)
	}
	m.SetGlobalLimit(1)
	holder, err := m.CheckOut(context.Background(), "chi1", Meta{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tk, err := m.Enqueue(ctx, "chi1", Meta{})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := tk.Wait(); err != context.Canceled {
		t.Fatalf("Wait after cancel: %v", err)
	}
	holder.Release()
	if s := m.Snapshot(); s.Global.Active != 0 || s.Waiting != 0 {
		t.Fatalf("snapshot after: %+v", s)
	}
}
