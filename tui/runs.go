package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"netauto/units"
)

// runsPane lists this session's runs, newest first, optionally grouped by
// batch with a per-batch tally. The focused run is tracked by id so that
// new runs arriving above it do not move the focus.
type runsPane struct {
	c       *uiContext
	runs    []*runRow // in arrival order; rendered newest first
	byID    map[int64]*runRow
	byBatch bool
	focus   int64
	offset  int
	w, h    int
}

// runsItem is one row of the pane: a run, or a batch header (run nil).
type runsItem struct {
	run     *runRow
	batch   string
	members []*runRow // a header's runs, in launch order
}

func newRunsPane(c *uiContext) *runsPane {
	return &runsPane{c: c, byID: map[int64]*runRow{}}
}

// SetSize sets the pane's outer size.
func (p *runsPane) SetSize(w, h int) { p.w, p.h = w, h }

// Upsert adds a run or replaces what is known about it and returns the
// stored row. A run that is already finished keeps its end state: a late
// "running" never resurrects a run shown as canceled.
func (p *runsPane) Upsert(r runRow) *runRow {
	old, ok := p.byID[r.ID]
	if !ok {
		row := r
		p.runs = append(p.runs, &row)
		p.byID[r.ID] = &row
		if p.focus == 0 {
			p.focus = r.ID
		}
		return &row
	}
	if old.finished() && !r.finished() {
		if r.Bytes > old.Bytes {
			old.Bytes = r.Bytes
		}
		return old
	}
	*old = r
	return old
}

// Get returns the run with this id.
func (p *runsPane) Get(id int64) *runRow { return p.byID[id] }

// Focused returns the focused run, or nil when there is none.
func (p *runsPane) Focused() *runRow { return p.byID[p.focus] }

// Focus moves the focus to run id.
func (p *runsPane) Focus(id int64) {
	if _, ok := p.byID[id]; ok {
		p.focus = id
	}
}

// Active returns the runs that are pending or running.
func (p *runsPane) Active() []*runRow {
	var out []*runRow
	for _, r := range p.runs {
		if r.active() {
			out = append(out, r)
		}
	}
	return out
}

// ActiveCount returns how many runs are pending or running (Active's
// length, without building the list: the title and the one-line help ask
// every frame).
func (p *runsPane) ActiveCount() int {
	n := 0
	for _, r := range p.runs {
		if r.active() {
			n++
		}
	}
	return n
}

// Len returns the number of runs.
func (p *runsPane) Len() int { return len(p.runs) }

// items returns the rows in display order: newest first, or batches
// newest first with each batch's runs in launch order.
func (p *runsPane) items() []runsItem {
	n := len(p.runs)
	out := make([]runsItem, 0, n+8)
	if !p.byBatch {
		for i := n - 1; i >= 0; i-- {
			out = append(out, runsItem{run: p.runs[i]})
		}
		return out
	}
	var order []string
	members := map[string][]*runRow{}
	for i := n - 1; i >= 0; i-- {
		r := p.runs[i]
		if _, seen := members[r.BatchID]; !seen {
			order = append(order, r.BatchID)
		}
		members[r.BatchID] = append(members[r.BatchID], r)
	}
	for _, b := range order {
		rs := members[b]
		slices.Reverse(rs) // within a batch, launch order
		out = append(out, runsItem{batch: b, members: rs})
		for _, r := range rs {
			out = append(out, runsItem{run: r})
		}
	}
	return out
}

// Update handles the pane's keys when it has focus.
func (p *runsPane) Update(msg tea.KeyPressMsg) {
	k := p.c.keys
	switch {
	case key.Matches(msg, k.Up):
		p.move(-1)
	case key.Matches(msg, k.Down):
		p.move(1)
	case key.Matches(msg, k.Top):
		p.move(-len(p.runs))
	case key.Matches(msg, k.Bottom):
		p.move(len(p.runs))
	case key.Matches(msg, k.Batch):
		p.byBatch = !p.byBatch
	}
}

// move steps the focus by delta runs in display order.
func (p *runsPane) move(delta int) {
	var ids []int64
	for _, it := range p.items() {
		if it.run != nil {
			ids = append(ids, it.run.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	cur := 0
	for i, id := range ids {
		if id == p.focus {
			cur = i
		}
	}
	p.focus = ids[min(max(cur+delta, 0), len(ids)-1)]
}

// tally counts a batch's runs by state: "12 ok · 3 error · 5 running".
func tally(runs []*runRow) string {
	counts := map[string]int{}
	for _, r := range runs {
		counts[r.label()]++
	}
	var parts []string
	for _, s := range []string{"ok", "error", "canceled", "running", "pending"} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	return strings.Join(parts, " · ")
}

// runColumns are the column widths of a runs table at a given width.
type runColumns struct{ state, device, site, command, elapsed, bytes, reason int }

func columnsFor(w int) runColumns {
	c := runColumns{state: 10, elapsed: 7, bytes: 7}
	rest := w - c.state - c.elapsed - c.bytes - 3
	c.device = min(max(rest/3, 10), 18)
	rest -= c.device + 1
	if w >= 70 {
		c.site = min(max(rest/5, 6), 12)
		rest -= c.site + 1
	}
	c.command = max(rest, 4)
	if w >= 90 {
		c.command = min(max(rest*2/5, 14), 36)
		c.reason = rest - c.command - 1
	}
	return c
}

// renderRun renders one run's row to width w.
func renderRun(c *uiContext, r *runRow, w int) string {
	cols := columnsFor(w)
	label := r.label()
	if cols.reason == 0 && r.Status == statusError && !r.canceled() && r.Reason != "" {
		label = shortReason(r.Reason) // no room for the reason: its gist in place of "error"
	}
	state := r.glyph(c.st, c.frame) + " " + r.stateStyle(c.st)(fit(label, cols.state-2))
	parts := []string{state, fit(r.Device, cols.device)}
	if cols.site > 0 {
		parts = append(parts, c.st.Faint.Render(fit(r.Site, cols.site)))
	}
	parts = append(parts, fit(r.Command, cols.command),
		fmt.Sprintf("%*s", cols.elapsed, fmtDuration(r.elapsed(c.now))),
		fmt.Sprintf("%*s", cols.bytes, fmtBytes(r.Bytes)))
	if cols.reason > 0 {
		reason := r.Reason
		if r.canceled() {
			reason = ""
		}
		parts = append(parts, c.st.Faint.Render(fit(reason, cols.reason)))
	}
	return strings.Join(parts, " ")
}

// View renders the pane in its box.
func (p *runsPane) View(focused bool) string {
	inner := p.w - 2
	items := p.items()
	cur := 0
	for i, it := range items {
		if it.run != nil && it.run.ID == p.focus {
			cur = i
		}
	}
	h := p.h - 2
	show := cur
	if show > 0 && items[show-1].run == nil {
		show-- // keep the batch header of its first run in view
	}
	p.offset = window(show, p.offset, h, len(items))
	var lines []string
	for i := p.offset; i < len(items) && len(lines) < h; i++ {
		it := items[i]
		if it.run == nil {
			rs := it.members
			head := fmt.Sprintf("▾ %s · %s · %s", rs[0].Command, units.Plural(len(rs), "device"), tally(rs))
			lines = append(lines, p.c.st.Header.Render(fit(head, inner)))
			continue
		}
		line := renderRun(p.c, it.run, inner)
		if i == cur && focused {
			line = p.c.st.Cursor.Render(fit(ansi.Strip(line), inner))
		}
		lines = append(lines, line)
	}
	if len(items) == 0 {
		lines = append(lines, p.c.st.Faint.Render("no runs yet: select devices, press : and type a command"))
	}
	title := fmt.Sprintf("Runs (%d)", len(p.runs))
	if a := p.ActiveCount(); a > 0 {
		title += fmt.Sprintf(" · %d active", a)
	}
	footer := ""
	if p.byBatch {
		footer = "by batch"
	}
	return box(p.c.st, title, footer, lines, p.w, p.h, focused)
}
