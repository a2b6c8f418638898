package tui

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"

	"netauto/inventory"
)

// BenchmarkFrame100Runs measures one frame of the update loop with 100
// runs streaming: apply a bridge frame carrying 20 new lines for each of
// 100 runs (rings full at 5000 lines), then render the 160×48 screen. This
// is the model's share of key-to-frame latency, not the end-to-end figure.
func BenchmarkFrame100Runs(b *testing.B) {
	m := newModel(backend{}, &inventory.Inventory{Devices: labFleet(100)}, nil, "", "bench")
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	line := "GigabitEthernet0/1   10.0.1.1   YES manual up                    up      "
	for i := range 100 {
		m.runs.Upsert(runRow{ID: int64(i + 1), BatchID: "b", Device: fmt.Sprintf("d%03d", i), Site: "ams", Command: "show tech-support", Status: statusRunning})
		full := make([]string, DefaultRingLines)
		for j := range full {
			full[j] = line
		}
		m.ring(int64(i+1)).Append(full, "")
	}
	frame := eventsMsg{output: map[int64]*runOutput{}}
	for i := range 100 {
		lines := make([]string, 20)
		for j := range lines {
			lines[j] = line
		}
		frame.output[int64(i+1)] = &runOutput{lines: lines, partial: "partial"}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.Update(frame)
		m.Update(press("down"))
		_ = m.View()
	}
}
