package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"netauto/units"
)

// View draws the console: top bar, body (main panes, tiles, zoom or
// history), command line, quota gauges and one-line help; dialogs and the
// full help are drawn over it.
func (m *model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "netauto"
	traceView()
	return v
}

// render returns the screen's content, exactly w×h cells.
func (m *model) render() string {
	st := m.c.st
	var b strings.Builder
	b.WriteString(m.topBar())
	b.WriteByte('\n')
	b.WriteString(m.body())
	b.WriteByte('\n')
	b.WriteString(m.cmdline.View(m.commandHint()))
	b.WriteByte('\n')
	b.WriteString(m.status.View())
	b.WriteByte('\n')
	b.WriteString(fit(m.help.ShortHelpView(m.shortHelp()), m.w))
	screen := b.String()
	var top string
	switch {
	case m.password.Len() > 0:
		top = m.password.View(st, m.w)
	case m.hostKeys.Len() > 0:
		top = m.hostKeys.View(st, m.w)
	case m.confirm != nil:
		top = m.confirm.View(st, m.w)
	case m.showHelp:
		top = st.Dialog.Render(st.Title.Render("Keys") + "\n\n" + m.help.FullHelpView(m.c.keys.FullHelp()) +
			"\n\n" + st.Faint.Render("? or esc closes · history filter: device:ams* site:fra status:error text"))
	}
	if top != "" {
		screen = fitHeight(overlay(screen, top, m.w, m.h), m.w, m.h)
	}
	return screen
}

// topBar names the app, the inventory size, the selection and any note.
func (m *model) topBar() string {
	st := m.c.st
	left := st.Title.Render("netauto")
	if m.title != "" {
		left += " · " + m.title
	}
	left += " · " + units.Plural(len(m.inv.devices), "device")
	if n := len(m.inv.selected); n > 0 {
		left += st.Selected.Render(fmt.Sprintf(" · %d selected", n))
	}
	switch m.screen {
	case screenTiles:
		left += " · tiles"
		if n, c := len(m.tileRuns()), m.tiles.Capacity(); n > c {
			left += fmt.Sprintf(" (the newest %d of %d runs)", c, n)
		}
	case screenZoom:
		left += " · zoom (esc back)"
	case screenHistory:
		left += " · history"
	}
	if m.note != "" {
		left += "  " + st.Warn.Render(m.note)
	}
	return fit(left, m.w)
}

// body renders the current screen's panes.
func (m *model) body() string {
	h := m.bodyHeight()
	if body, ok := m.toolsBody(); ok {
		return body
	}
	switch m.screen {
	case screenTiles:
		return m.tiles.View(m.tileRuns(), m.rings)
	case screenZoom:
		return m.out.View(true)
	case screenHistory:
		return m.hist.View()
	}
	inv := m.inv.View(m.focus == paneInventory && !m.cmdline.Focused())
	right := m.runs.View(m.focus == paneRuns) + "\n" + m.out.View(m.focus == paneOutput)
	out := joinColumns([]string{inv, right})
	if lines := strings.Count(out, "\n") + 1; lines != h {
		out = fitHeight(out, m.w, h)
	}
	return out
}

// fitHeight pads or cuts a block to h lines of w cells.
func fitHeight(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	for i, l := range lines {
		if ansi.StringWidth(l) != w {
			lines[i] = fit(l, w)
		}
	}
	return strings.Join(lines, "\n")
}
