package tui

import (
	"strings"
	"testing"

	"netauto/quota"
)

func testSnapshot() quota.Snapshot {
	return quota.Snapshot{
		Global:  quota.Usage{Active: 7, Limit: 50, Waiting: 5},
		Waiting: 5,
		Sites: map[string]quota.Usage{
			"ams": {Active: 4, Limit: 4, Waiting: 5},
			"fra": {Active: 3, Limit: -1},
			"lon": {Active: 0, Limit: 2},
		},
	}
}

func TestStatusBarGauges(t *testing.T) {
	b := newStatusBar(testContext())
	b.SetWidth(100)
	b.SetSnapshot(testSnapshot())
	b.SetSite("fra")
	v := b.View()
	checkSize(t, v, 100, 1)
	mustContain(t, v, "quota ▰▰▱▱▱▱▱▱ 7/50", "⧗5 queued", "[fra 3/∞]", "ams 4/4 ⧗5", "lon 0/2")
	// the current site comes first after global
	p := plain(v)
	if i, j := strings.Index(p, "[fra"), strings.Index(p, "ams 4/4"); i > j {
		t.Errorf("current site not first: %s", p)
	}
	b.SetWidth(44)
	v = b.View()
	checkSize(t, v, 44, 1)
	mustContain(t, v, "7/50", "+")
}

func TestStatusBarGaugeFallsToZero(t *testing.T) {
	b := newStatusBar(testContext())
	b.SetWidth(80)
	b.SetSnapshot(quota.Snapshot{Global: quota.Usage{Active: 0, Limit: 50}, Sites: map[string]quota.Usage{"ams": {Limit: 4}}})
	mustContain(t, b.View(), "▱▱▱▱▱▱▱▱ 0/50", "ams 0/4")
	mustNotContain(t, b.View(), "queued")
}

func TestNextCap(t *testing.T) {
	cases := []struct {
		u      quota.Usage
		up     bool
		want   int
		change bool
	}{
		{quota.Usage{Limit: 4}, true, 5, true},
		{quota.Usage{Limit: 4}, false, 3, true},
		{quota.Usage{Limit: 0}, false, 0, false},
		{quota.Usage{Limit: -1, Active: 3}, false, 3, true},
		{quota.Usage{Limit: -1}, false, 1, true},
		{quota.Usage{Limit: -1}, true, -1, false},
		{quota.Usage{Limit: 49}, true, -1, true}, // 50 would equal the global cap: lifted
		{quota.Usage{Limit: 60}, true, -1, true},
		{quota.Usage{Limit: 49}, false, 48, true},
	}
	for _, c := range cases {
		got, ch := nextCap(c.u, 50, c.up)
		if got != c.want || ch != c.change {
			t.Errorf("nextCap(%+v, up=%v) = %d,%v want %d,%v", c.u, c.up, got, ch, c.want, c.change)
		}
	}
}
