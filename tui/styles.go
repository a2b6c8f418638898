package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles holds every style the console draws with. Colors are chosen for
// the terminal's background (light or dark); the program downsamples them
// to the terminal's color profile, and with NO_COLOR only bold, faint and
// reverse remain, so nothing the operator needs depends on color alone
// (every state also has a glyph, the cursor is reverse video).
type Styles struct {
	Dark bool

	Title      lipgloss.Style
	Header     lipgloss.Style
	Faint      lipgloss.Style
	Cursor     lipgloss.Style
	Selected   lipgloss.Style
	Match      lipgloss.Style
	MatchFocus lipgloss.Style
	Border     lipgloss.Style
	FocusEdge  lipgloss.Style
	Dialog     lipgloss.Style
	Key        lipgloss.Style
	Warn       lipgloss.Style

	OK      lipgloss.Style
	Error   lipgloss.Style
	Cancel  lipgloss.Style
	Running lipgloss.Style
	Pending lipgloss.Style

	GaugeFull  lipgloss.Style
	GaugeEmpty lipgloss.Style

	// glyphs holds the state glyphs already rendered in their styles
	// (see runRow.glyph), so a frame does not render them per row.
	glyphs stateGlyphs
}

// stateGlyphs are the rendered state glyphs of a run.
type stateGlyphs struct {
	spinner                      []string // spinnerFrames in Running
	ok, cancel, errored, pending string
}

// NewStyles returns the styles for a dark or a light background.
func NewStyles(dark bool) Styles {
	ld := lipgloss.LightDark(dark)
	c := func(light, darkc string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(darkc)) }
	accent := c("#5A3FC0", "#B4A4FF")
	green := c("#1B7F3B", "#5FD787")
	red := c("#B3261E", "#FF6B6B")
	yellow := c("#8A5A00", "#FFD166")
	blue := c("#0B5CAD", "#6CB6FF")
	muted := c("#5F6368", "#9AA0A6")
	edge := c("#9E9E9E", "#5C5C5C")
	st := Styles{
		Dark:       dark,
		Title:      lipgloss.NewStyle().Bold(true).Foreground(accent),
		Header:     lipgloss.NewStyle().Bold(true),
		Faint:      lipgloss.NewStyle().Foreground(muted),
		Cursor:     lipgloss.NewStyle().Reverse(true),
		Selected:   lipgloss.NewStyle().Bold(true).Foreground(accent),
		Match:      lipgloss.NewStyle().Underline(true).Foreground(yellow),
		MatchFocus: lipgloss.NewStyle().Reverse(true).Foreground(yellow),
		Border:     lipgloss.NewStyle().Foreground(edge),
		FocusEdge:  lipgloss.NewStyle().Foreground(accent).Bold(true),
		Dialog:     lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		Key:        lipgloss.NewStyle().Bold(true).Foreground(accent),
		Warn:       lipgloss.NewStyle().Bold(true).Foreground(yellow),
		OK:         lipgloss.NewStyle().Foreground(green),
		Error:      lipgloss.NewStyle().Foreground(red).Bold(true),
		Cancel:     lipgloss.NewStyle().Foreground(yellow),
		Running:    lipgloss.NewStyle().Foreground(blue),
		Pending:    lipgloss.NewStyle().Foreground(muted),
		GaugeFull:  lipgloss.NewStyle().Foreground(blue),
		GaugeEmpty: lipgloss.NewStyle().Foreground(edge),
	}
	st.glyphs = stateGlyphs{
		ok:      st.OK.Render("✓"),
		cancel:  st.Cancel.Render("⊘"),
		errored: st.Error.Render("✗"),
		pending: st.Pending.Render("○"),
	}
	for _, f := range spinnerFrames {
		st.glyphs.spinner = append(st.glyphs.spinner, st.Running.Render(f))
	}
	return st
}
