package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// fixedNow is the clock every render test uses.
var fixedNow = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// testContext returns a dark-background context with a fixed clock.
func testContext() *uiContext {
	c := newUIContext(true)
	c.now = fixedNow
	c.loc = time.UTC
	return c
}

// press builds the key press a terminal would send for s ("a", "enter",
// "pgup", "space", "ctrl+c", "shift+tab"...).
func press(s string) tea.KeyPressMsg {
	special := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "space": tea.KeySpace,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"backspace": tea.KeyBackspace,
	}
	if r, ok := special[s]; ok {
		k := tea.KeyPressMsg{Code: r}
		if r == tea.KeySpace {
			k.Text = " "
		}
		return k
	}
	if rest, ok := strings.CutPrefix(s, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}
	}
	if s == "shift+tab" {
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// typeText sends each rune of s as a key press to fn.
func typeText(s string, fn func(tea.KeyPressMsg)) {
	for _, r := range s {
		fn(press(string(r)))
	}
}

// plain strips styling from a render.
func plain(s string) string { return ansi.Strip(s) }

// mustContain fails unless the plain render contains every want.
func mustContain(t *testing.T, render string, want ...string) {
	t.Helper()
	p := plain(render)
	for _, w := range want {
		if !strings.Contains(p, w) {
			t.Errorf("render lacks %q:\n%s", w, p)
		}
	}
}

// mustNotContain fails if the plain render contains any of bad.
func mustNotContain(t *testing.T, render string, bad ...string) {
	t.Helper()
	p := plain(render)
	for _, b := range bad {
		if strings.Contains(p, b) {
			t.Errorf("render has %q:\n%s", b, p)
		}
	}
}

// checkSize fails unless every line of render is w cells and there are h.
func checkSize(t *testing.T, render string, w, h int) {
	t.Helper()
	lines := strings.Split(render, "\n")
	if len(lines) != h {
		t.Errorf("render has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("line %d is %d cells, want %d: %q", i, got, w, plain(l))
		}
	}
}

// Write feeds text to the ring the way the bridge does after sanitizing:
// complete lines, then the partial rest.
func (r *lineRing) Write(text string) {
	parts := strings.Split(r.partial+text, "\n")
	r.partial = ""
	r.Append(parts[:len(parts)-1], parts[len(parts)-1])
}
