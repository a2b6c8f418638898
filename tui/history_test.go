package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"netauto/store"
)

func TestParseHistoryFilter(t *testing.T) {
	f := parseHistoryFilter("device:ams site:fr* status:ERROR show ver")
	want := store.RunFilter{Device: "*ams*", Site: "fr*", Status: store.StatusError, Command: "*show ver*", Limit: historyPage}
	if f != want {
		t.Fatalf("got %+v\nwant %+v", f, want)
	}
	if f := parseHistoryFilter(""); f != (store.RunFilter{Limit: historyPage}) {
		t.Fatalf("empty filter: %+v", f)
	}
}

func TestHistoryViewFilterOpenRerun(t *testing.T) {
	v := newHistoryView(testContext())
	v.SetSize(120, 30)
	q := v.Query()().(historyQueryMsg)
	var rows []runRow
	for _, r := range testRuns() {
		r.Created = fixedNow
		rows = append([]runRow{r}, rows...)
	}
	v.SetResult(historyResultMsg{gen: q.gen, runs: rows, total: 1234})
	out := v.View()
	checkSize(t, out, 120, 30)
	mustContain(t, out, "History · 1234 runs (newest 6 shown)", "show tech-supp", "03-14 09:30:00", "⊘ canceled")

	// typing in the filter issues a query per keystroke; only the newest answer counts
	v.Update(press("/"))
	var last historyQueryMsg
	typeText("status:ok", func(k tea.KeyPressMsg) {
		cmd, _ := v.Update(k)
		for _, m := range runCmd(cmd) {
			if qm, ok := m.(historyQueryMsg); ok {
				last = qm
			}
		}
	})
	if last.filter.Status != store.StatusOK {
		t.Fatalf("last query %+v", last.filter)
	}
	v.SetResult(historyResultMsg{gen: last.gen - 1, runs: nil})
	if len(v.runs) != 6 {
		t.Fatal("a stale answer replaced the list")
	}
	v.SetResult(historyResultMsg{gen: last.gen, runs: rows[5:], total: 1})
	v.Update(press("enter")) // leaves the filter
	cmd, _ := v.Update(press("enter"))
	open := runCmd(cmd)[0].(historyOpenMsg)
	if open.run.ID != 1 {
		t.Fatalf("opened %d", open.run.ID)
	}
	cmd, _ = v.Update(press("r"))
	if re := runCmd(cmd)[0].(historyRerunMsg); re.run.Device != "ams-core1" || re.run.Command != "show version" {
		t.Fatalf("rerun %+v", re.run)
	}

	ring := newLineRing(100)
	ring.Write("Cisco IOS XE Software, Version 17.9.4\nuptime is 3 weeks\n")
	v.ShowOutput(1, ring, "#1 ams-core1 · show version")
	out = v.View()
	checkSize(t, out, 120, 30)
	mustContain(t, out, "Cisco IOS XE Software", "#1 ams-core1")
	v.Update(press("tab"))
	v.Update(press("g"))
	if v.output.Following() {
		t.Fatal("g with the output focused should scroll the output")
	}
	if _, closed := v.Update(press("esc")); closed {
		t.Fatal("first esc should leave the output, not the view")
	}
	if _, closed := v.Update(press("esc")); !closed {
		t.Fatal("esc on the list closes the view")
	}
}
