package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"netauto/inventory"
)

// testDevices is a small fleet over two sites, with groups and one
// device without a site.
func testDevices() []inventory.Device {
	return []inventory.Device{
		{Name: "ams-core1", Site: "ams", Groups: []string{"core"}, Platform: inventory.PlatformIOSXE},
		{Name: "ams-core2", Site: "ams", Groups: []string{"core"}, Platform: inventory.PlatformIOSXE},
		{Name: "ams-edge1", Site: "ams", Groups: []string{"edge"}, Platform: inventory.PlatformJunos},
		{Name: "fra-core1", Site: "fra", Groups: []string{"core"}, Platform: inventory.PlatformEOS},
		{Name: "fra-tor1", Site: "fra", Platform: inventory.PlatformNXOS},
		{Name: "lab-box", Platform: inventory.PlatformLinux},
	}
}

func names(ds []inventory.Device) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Name)
	}
	return out
}

func TestInventoryGroupsBySiteAndGroup(t *testing.T) {
	p := newInventoryPane(testContext(), testDevices())
	p.SetSize(36, 16)
	v := p.View(true)
	checkSize(t, v, 36, 16)
	mustContain(t, v, "▾ ams (3)", "• core (2)", "• edge (1)", "▾ fra (2)", "▾ (no site) (1)", "ams-core1", "iosxe", "Inventory 6/6")
	want := []invKind{invSite, invGroup, invDevice, invDevice, invGroup, invDevice, invSite, invDevice, invGroup, invDevice, invSite, invDevice}
	if len(p.rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(p.rows), len(want))
	}
	for i, k := range want {
		if p.rows[i].kind != k {
			t.Fatalf("row %d kind %d, want %d", i, p.rows[i].kind, k)
		}
	}
}

func TestInventorySelection(t *testing.T) {
	p := newInventoryPane(testContext(), testDevices())
	p.SetSize(36, 16)
	p.Update(press("space")) // on the ams heading
	if got := names(p.Selection()); len(got) != 3 {
		t.Fatalf("site toggle selected %v", got)
	}
	p.Update(press("space"))
	if len(p.Selection()) != 0 {
		t.Fatal("second toggle on a fully selected site did not clear it")
	}
	p.Update(press("down"))
	p.Update(press("down"))
	p.Update(press("space")) // ams-core1
	if got := names(p.Selection()); len(got) != 1 || got[0] != "ams-core1" {
		t.Fatalf("selection %v", got)
	}
	mustContain(t, p.View(true), "[x] ams-core1", "1 selected", "core (2) 1 sel")
	p.Update(press("A"))
	if len(p.Selection()) != 0 {
		t.Fatal("A did not clear")
	}
	if got := names(p.Targets()); len(got) != 1 || got[0] != "ams-core1" {
		t.Fatalf("no selection: targets should be the cursor's device, got %v", got)
	}
	p.Update(press("a"))
	if len(p.Selection()) != 6 {
		t.Fatalf("a selected %d of 6", len(p.Selection()))
	}
}

func TestInventoryFilter(t *testing.T) {
	p := newInventoryPane(testContext(), testDevices())
	p.SetSize(36, 16)
	p.Update(press("/"))
	if !p.Filtering() {
		t.Fatal("/ did not start filtering")
	}
	typeText("core", func(k tea.KeyPressMsg) { p.Update(k) })
	v := p.View(true)
	mustContain(t, v, "ams-core1", "ams-core2", "fra-core1", "Inventory 3/6")
	mustNotContain(t, v, "ams-edge1", "fra-tor1", "lab-box")
	p.Update(press("enter"))
	p.Update(press("a"))
	if got := names(p.Selection()); len(got) != 3 {
		t.Fatalf("a under filter selected %v", got)
	}
	// several words must all match; platform and site count.
	p.Update(press("/"))
	for range 4 {
		p.Update(press("backspace"))
	}
	typeText("fra eos", func(k tea.KeyPressMsg) { p.Update(k) })
	v = p.View(true)
	mustContain(t, v, "fra-core1", "Inventory 1/6")
	mustNotContain(t, v, "fra-tor1")
	p.Update(press("esc"))
	mustContain(t, p.View(true), "Inventory 6/6")
}

func TestInventoryLatestRunState(t *testing.T) {
	p := newInventoryPane(testContext(), testDevices())
	p.SetSize(36, 16)
	p.SetLatest(&runRow{ID: 1, Device: "fra-tor1", Status: statusOK})
	p.SetLatest(&runRow{ID: 2, Device: "ams-edge1", Status: statusError, Reason: "auth: denied"})
	v := p.View(false)
	mustContain(t, v, "fra-tor1", "✓", "✗")
}
