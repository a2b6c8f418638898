package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func filledPane(t *testing.T, lines int) (*outputPane, *lineRing) {
	t.Helper()
	p := newOutputPane(testContext())
	p.SetSize(40, 12) // 10 rows inside
	r := newLineRing(1000)
	for i := range lines {
		r.Write(fmt.Sprintf("line %03d\n", i))
	}
	p.SetRing(r, "r1 · show version")
	return p, r
}

func TestOutputFollowsTail(t *testing.T) {
	p, r := filledPane(t, 50)
	v := p.View(true)
	checkSize(t, v, 40, 12)
	mustContain(t, v, "line 049", "line 040", "following", "r1 · show version")
	mustNotContain(t, v, "line 039")
	r.Write("line 050\n")
	mustContain(t, p.View(true), "line 050")
	mustNotContain(t, p.View(true), "line 040")
}

func TestOutputScrollStaysAndCountsNewLines(t *testing.T) {
	p, r := filledPane(t, 50)
	p.Update(press("pgup"))
	if p.Following() {
		t.Fatal("pgup did not stop following")
	}
	v := p.View(true)
	mustContain(t, v, "line 031")
	mustNotContain(t, v, "line 049")
	for i := 50; i < 57; i++ {
		r.Write(fmt.Sprintf("line %03d\n", i))
	}
	v = p.View(true)
	mustContain(t, v, "line 031", "7 new lines")
	mustNotContain(t, v, "line 056")
	p.Update(press("G"))
	v = p.View(true)
	mustContain(t, v, "line 056", "following")
	mustNotContain(t, v, "new lines")
}

func TestOutputTopAndPageDownStopsAtTail(t *testing.T) {
	p, _ := filledPane(t, 50)
	p.Update(press("g"))
	mustContain(t, p.View(true), "line 000", "line 009")
	for range 20 {
		p.Update(press("pgdown"))
	}
	v := p.View(true)
	mustContain(t, v, "line 049", "line 040")
	if p.Following() {
		t.Fatal("pgdown resumed following; only G should")
	}
}

func TestOutputMouseWheel(t *testing.T) {
	p, _ := filledPane(t, 50)
	p.Update(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if p.Following() || p.top != 37 {
		t.Fatalf("wheel up: follow %v top %d, want top 37", p.Following(), p.top)
	}
	p.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if p.top != 40 {
		t.Fatalf("wheel down: top %d, want 40", p.top)
	}
}

func TestOutputSearchSteps(t *testing.T) {
	p, r := filledPane(t, 0)
	for i := range 60 {
		if i%20 == 5 {
			r.Write(fmt.Sprintf("%02d Interface GigabitEthernet0/%d is UP\n", i, i))
		} else {
			r.Write(fmt.Sprintf("%02d filler\n", i))
		}
	}
	p.Update(press("/"))
	if !p.Searching() {
		t.Fatal("/ did not open search")
	}
	typeText("gigabit", func(k tea.KeyPressMsg) { p.Update(k) })
	mustContain(t, p.View(true), "/gigabit")
	p.Update(press("enter"))
	if p.match != 5 {
		t.Fatalf("first match from tail wraps to line 5, got %d", p.match)
	}
	mustContain(t, p.View(true), "05 Interface GigabitEthernet0/5")
	p.Update(press("n"))
	if p.match != 25 {
		t.Fatalf("n: match %d, want 25", p.match)
	}
	mustContain(t, p.View(true), "25 Interface")
	p.Update(press("N"))
	p.Update(press("N"))
	if p.match != 45 {
		t.Fatalf("N twice wraps back to 45, got %d", p.match)
	}
	p.query = "nope"
	p.step(1)
	mustContain(t, p.View(true), "no match for")
}

func TestOutputWrapsLongLinesAndExpandsTabs(t *testing.T) {
	p := newOutputPane(testContext())
	p.SetSize(22, 6) // 20 cols, 4 rows
	r := newLineRing(10)
	r.Write(strings.Repeat("a", 45) + "\n" + "x\ty\n")
	p.SetRing(r, "t")
	v := p.View(false)
	checkSize(t, v, 22, 6)
	mustContain(t, v, strings.Repeat("a", 20), "aaaaa ", "x       y")
}
