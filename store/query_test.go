package store_test

import (
	"fmt"
	"testing"
	"time"

	"netauto/store"
)

func TestListRunsFiltersAndPaging(t *testing.T) {
	s, _ := newStore(t)
	c := ctx(t)
	batchA, batchB := store.NewBatchID(), store.NewBatchID()
	var all []store.Run
	for i := 0; i < 12; i++ {
		nr := store.NewRun{
			BatchID: batchA,
			Device:  fmt.Sprintf("chi1-core-%d", i%3),
			Site:    "chi1",
			Command: "show version",
		}
		if i%2 == 1 {
			nr.Command = "show ip int brief"
		}
		if i >= 8 {
			nr.BatchID, nr.Site, nr.Device = batchB, "nyc2", fmt.Sprintf("nyc2-edge-%d", i)
		}
		r := mustCreate(t, s, nr)
		if i%4 == 0 {
			if err := s.FinishRun(c, r.ID, store.Finish{Status: store.StatusOK}); err != nil {
				t.Fatal(err)
			}
		}
		all = append(all, r)
	}
	ids := func(runs []store.Run) []int64 {
		out := make([]int64, len(runs))
		for i, r := range runs {
			out[i] = r.ID
		}
		return out
	}
	expect := func(keep func(i int, r store.Run) bool) []int64 {
		var out []int64
		for i := len(all) - 1; i >= 0; i-- {
			if keep(i, all[i]) {
				out = append(out, all[i].ID)
			}
		}
		return out
	}
	cases := []struct {
		name string
		f    store.RunFilter
		want []int64
	}{
		{"all newest first", store.RunFilter{}, expect(func(int, store.Run) bool { return true })},
		{"device", store.RunFilter{Device: "chi1-core-1"}, expect(func(_ int, r store.Run) bool { return r.Device == "chi1-core-1" })},
		{"device glob", store.RunFilter{Device: "nyc2-*"}, expect(func(i int, _ store.Run) bool { return i >= 8 })},
		{"site", store.RunFilter{Site: "chi1"}, expect(func(i int, _ store.Run) bool { return i < 8 })},
		{"command", store.RunFilter{Command: "show ip int brief"}, expect(func(i int, _ store.Run) bool { return i%2 == 1 })},
		{"status ok", store.RunFilter{Status: store.StatusOK}, expect(func(i int, _ store.Run) bool { return i%4 == 0 })},
		{"status pending", store.RunFilter{Status: store.StatusPending}, expect(func(i int, _ store.Run) bool { return i%4 != 0 })},
		{"batch", store.RunFilter{BatchID: batchB}, expect(func(i int, _ store.Run) bool { return i >= 8 })},
		{"combined", store.RunFilter{Site: "chi1", Command: "show version", Status: store.StatusPending},
			expect(func(i int, _ store.Run) bool { return i < 8 && i%2 == 0 && i%4 != 0 })},
		{"no match", store.RunFilter{Device: "nope"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListRuns(c, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(ids(got)) != fmt.Sprint(tc.want) {
				t.Errorf("ListRuns(%+v) = %v, want %v", tc.f, ids(got), tc.want)
			}
			n, err := s.CountRuns(c, tc.f)
			if err != nil || n != len(tc.want) {
				t.Errorf("CountRuns(%+v) = %d, %v; want %d", tc.f, n, err, len(tc.want))
			}
		})
	}

	// Paging walks the same order without gaps or repeats.
	var paged []int64
	for off := 0; ; off += 5 {
		page, err := s.ListRuns(c, store.RunFilter{Site: "chi1", Limit: 5, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 5 {
			t.Fatalf("page of %d runs with Limit 5", len(page))
		}
		paged = append(paged, ids(page)...)
		if len(page) < 5 {
			break
		}
	}
	if want := expect(func(i int, _ store.Run) bool { return i < 8 }); fmt.Sprint(paged) != fmt.Sprint(want) {
		t.Errorf("paged = %v, want %v", paged, want)
	}
	// A listed run carries every field.
	got, err := s.ListRuns(c, store.RunFilter{Limit: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("ListRuns(Limit 1) = %v, %v", got, err)
	}
	if one := mustRun(t, s, got[0].ID); fmt.Sprint(one) != fmt.Sprint(got[0]) {
		t.Errorf("listed %+v\nby id  %+v", got[0], one)
	}
	if _, err := s.ListRuns(c, store.RunFilter{Status: "bogus"}); err == nil {
		t.Error("ListRuns with an unknown status: no error")
	}
}

// Since keeps the runs started at or after it, and the runs not started
// yet by their creation time.
func TestListRunsSince(t *testing.T) {
	s, _ := newStore(t)
	c := ctx(t)
	base := time.Now().Add(-10 * time.Hour)
	var started []int64
	for i := range 6 {
		r := mustCreate(t, s, store.NewRun{Device: fmt.Sprintf("d%d", i), Command: "show clock"})
		if err := s.MarkRunning(c, r.ID, base.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
		started = append(started, r.ID)
	}
	pending := mustCreate(t, s, store.NewRun{Device: "later", Command: "show clock"})
	f := store.RunFilter{Since: base.Add(3 * time.Hour)}
	got, err := s.ListRuns(c, f)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range got {
		ids = append(ids, r.ID)
	}
	want := []int64{pending.ID, started[5], started[4], started[3]}
	if fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("ListRuns(Since) = %v, want %v", ids, want)
	}
	if n, err := s.CountRuns(c, f); err != nil || n != len(want) {
		t.Errorf("CountRuns(Since) = %d, %v; want %d", n, err, len(want))
	}
	f.Limit = 2
	if got, err := s.ListRuns(c, f); err != nil || len(got) != 2 || got[1].ID != started[5] {
		t.Errorf("ListRuns(Since, Limit 2) = %v, %v", got, err)
	}
	// Past year 2262 a time has no Unix nanoseconds; it is still later
	// than every run.
	if n, err := s.CountRuns(c, store.RunFilter{Since: time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil || n != 0 {
		t.Errorf("CountRuns(Since 2999) = %d, %v; want 0", n, err)
	}
	if n, err := s.CountRuns(c, store.RunFilter{Since: time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil || n != 7 {
		t.Errorf("CountRuns(Since 1000) = %d, %v; want 7", n, err)
	}
}
