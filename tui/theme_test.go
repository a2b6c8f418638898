package tui

import (
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"netauto/runner"
)

// The accent color of each palette as the view writes it (styles.go).
const (
	lightAccentSGR = "38;2;90;63;192"
	darkAccentSGR  = "38;2;180;164;255"
)

var (
	blackBackground = tea.BackgroundColorMsg{Color: color.RGBA{0, 0, 0, 255}}
	whiteBackground = tea.BackgroundColorMsg{Color: color.RGBA{255, 255, 255, 255}}
)

// TestThemePalette: dark and light force their palette whatever the
// terminal reports; auto (and "") follows the terminal's background.
func TestThemePalette(t *testing.T) {
	for _, c := range []struct {
		theme    string
		reported tea.BackgroundColorMsg
		wantDark bool
	}{
		{"light", blackBackground, false},
		{"dark", whiteBackground, true},
		{"auto", whiteBackground, false},
		{"auto", blackBackground, true},
		{"", whiteBackground, false},
		{"none", blackBackground, true},
	} {
		m := goldenModel(80, 24)
		m.configure(runner.Settings{Theme: c.theme})
		m.Update(c.reported)
		if m.c.st.Dark != c.wantDark {
			t.Errorf("theme %q, background reported %v: dark = %v, want %v", c.theme, c.reported.IsDark(), m.c.st.Dark, c.wantDark)
		}
		v := m.View().Content
		want, other := lightAccentSGR, darkAccentSGR
		if c.wantDark {
			want, other = other, want
		}
		if !strings.Contains(v, want) || strings.Contains(v, other) {
			t.Errorf("theme %q: view does not draw in the %s palette only", c.theme, map[bool]string{true: "dark", false: "light"}[c.wantDark])
		}
	}
}

// TestThemeNoColor: theme none draws without color, as NO_COLOR does.
func TestThemeNoColor(t *testing.T) {
	env := func(noColor string) func(string) string {
		return func(k string) string {
			if k == "NO_COLOR" {
				return noColor
			}
			return ""
		}
	}
	for _, c := range []struct {
		theme, noColorEnv string
		want              bool
	}{
		{"none", "", true},
		{"auto", "1", true},
		{"dark", "1", true},
		{"auto", "", false},
		{"", "", false},
		{"dark", "", false},
		{"light", "", false},
	} {
		if got := noColor(c.theme, env(c.noColorEnv)); got != c.want {
			t.Errorf("theme %q, NO_COLOR=%q: no color = %v, want %v", c.theme, c.noColorEnv, got, c.want)
		}
	}
}
