package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Minimum tile size: smaller tiles show too little to be worth it.
const (
	minTileW = 36
	minTileH = 7
)

// tailRows returns the last h rows of a ring wrapped to w cells.
func tailRows(r *lineRing, w, h int) []string {
	if r == nil || h <= 0 {
		return nil
	}
	return lastRows(r, h, func(n int) []string { return wrapLine(r.Line(n), w) })
}

// lastRows returns the last h rows of a ring, render turning line n into
// its rows: lines are rendered from the newest back until h rows are had.
func lastRows(r *lineRing, h int, render func(n int) []string) []string {
	var rows []string
	for n := r.End() - 1; n >= r.First() && len(rows) < h; n-- {
		rows = append(render(n), rows...)
	}
	if len(rows) > h {
		rows = rows[len(rows)-h:]
	}
	return rows
}

// tilesView shows up to a screen's worth of runs side by side, each a
// live tail with its device and state in its border. tab and the arrows
// move the focus; the root zooms the focused tile on enter.
type tilesView struct {
	c     *uiContext
	focus int
	w, h  int
}

func newTilesView(c *uiContext) *tilesView { return &tilesView{c: c} }

// SetSize sets the area the tiles share.
func (t *tilesView) SetSize(w, h int) { t.w, t.h = w, h }

// grid returns the number of columns and rows of tiles that fit n runs.
func (t *tilesView) grid(n int) (cols, rows int) {
	maxCols := max(t.w/minTileW, 1)
	maxRows := max(t.h/minTileH, 1)
	cols = min(maxCols, max(n, 1))
	rows = min(maxRows, max((n+cols-1)/cols, 1))
	return cols, rows
}

// Capacity returns how many tiles fit.
func (t *tilesView) Capacity() int {
	return max(t.w/minTileW, 1) * max(t.h/minTileH, 1)
}

// Update moves the focus among n tiles.
func (t *tilesView) Update(msg tea.KeyPressMsg, n int) {
	if n == 0 {
		return
	}
	cols, _ := t.grid(n)
	k := t.c.keys
	switch {
	case key.Matches(msg, k.Tab), key.Matches(msg, k.Right):
		t.focus++
	case key.Matches(msg, k.ShiftTab), key.Matches(msg, k.Left):
		t.focus--
	case key.Matches(msg, k.Down):
		t.focus += cols
	case key.Matches(msg, k.Up):
		t.focus -= cols
	}
	t.focus = min(max(t.focus, 0), n-1)
}

// View renders the runs (newest first, at most Capacity) with their rings.
func (t *tilesView) View(runs []*runRow, rings map[int64]*lineRing) string {
	if len(runs) > t.Capacity() {
		runs = runs[:t.Capacity()]
	}
	if len(runs) == 0 {
		return box(t.c.st, "Tiles", "", []string{t.c.st.Faint.Render("no runs yet")}, t.w, t.h, false)
	}
	t.focus = min(t.focus, len(runs)-1)
	cols, rows := t.grid(len(runs))
	var lines []string
	for r := 0; r < rows; r++ {
		th := t.h / rows
		if r == rows-1 {
			th = t.h - th*(rows-1)
		}
		var cells []string
		for c := 0; c < cols; c++ {
			tw := t.w / cols
			if c == cols-1 {
				tw = t.w - tw*(cols-1)
			}
			i := r*cols + c
			if i >= len(runs) {
				cells = append(cells, blank(tw, th))
				continue
			}
			run := runs[i]
			title := run.glyph(t.c.st, t.c.frame) + " " + run.Device + " " + run.stateStyle(t.c.st)(run.label())
			footer := run.Command + " · " + fmtBytes(run.Bytes)
			cells = append(cells, box(t.c.st, title, footer, tailRows(rings[run.ID], tw-2, th-2), tw, th, i == t.focus))
		}
		lines = append(lines, joinColumns(cells))
	}
	return joinRows(lines)
}
