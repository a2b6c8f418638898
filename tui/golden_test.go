package tui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"netauto/inventory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenModel is a fixed state: six devices, some selected, six runs in
// every state, output on the focused run, fixed quota gauges, fixed clock
// and spinner frame.
func goldenModel(w, h int) *model {
	m := newModel(backend{}, &inventory.Inventory{Devices: testDevices()}, nil, "", "golden")
	m.c.now, m.c.loc, m.c.frame = fixedNow, fixedNow.Location(), 0
	for _, r := range testRuns() {
		m.runs.Upsert(r)
	}
	for _, r := range m.runs.runs {
		m.inv.SetLatest(r)
		ring := m.ring(r.ID)
		ring.Write(fmt.Sprintf("%s# %s\nCisco IOS XE Software, Version 17.9.4\n", r.Device, r.Command))
		for i := range 30 {
			ring.Write(fmt.Sprintf("GigabitEthernet0/%d   10.0.%d.1   YES manual up   up\n", i, i))
		}
	}
	m.inv.selected["ams-core1"] = true
	m.inv.selected["ams-core2"] = true
	m.status.SetSnapshot(testSnapshot())
	m.runs.Focus(3)
	m.focus = paneRuns
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -run Golden -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from %s (go test ./tui -run Golden -update to accept):\n%s", name, path, got)
	}
}

func TestGoldenMain(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		m := goldenModel(size[0], size[1])
		out := m.render()
		checkSize(t, out, size[0], size[1])
		checkGolden(t, fmt.Sprintf("main_%dx%d", size[0], size[1]), plain(out))
	}
}

func TestGoldenTilesAndDialogs(t *testing.T) {
	m := goldenModel(160, 48)
	m.Update(press("t"))
	checkGolden(t, "tiles_160x48", plain(m.render()))

	m = goldenModel(80, 24)
	m.Update(press("?"))
	out := m.render()
	checkSize(t, out, 80, 24)
	checkGolden(t, "help_80x24", plain(out))

	m = goldenModel(80, 24)
	m.Update(press("X"))
	checkGolden(t, "cancel_all_80x24", plain(m.render()))
}

// TestLightAndNoColorRender checks that the light styles render and that
// with color stripped every state still reads (glyph and word).
func TestLightAndNoColorRender(t *testing.T) {
	dark := goldenModel(160, 48).body()
	m := goldenModel(160, 48)
	m.setDark(false)
	if m.body() == dark {
		t.Error("the light panes are byte-identical to the dark ones: the light styles were not applied")
	}
	out := plain(m.render())
	for _, want := range []string{"✓ ok", "✗ error", "⊘ canceled", "○ pending", "running", "[x] ams-core1"} {
		if !strings.Contains(out, want) {
			t.Errorf("light render lacks %q", want)
		}
	}
}
