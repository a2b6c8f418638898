package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"netauto/store"
	"netauto/units"
)

// historyPage is how many runs the history view loads per query.
const historyPage = 500

// historyQueryMsg asks the root to load a page of history for a filter;
// the answer is a historyResultMsg with the same generation.
type historyQueryMsg struct {
	gen    int
	filter store.RunFilter
}

// historyResultMsg carries a page of stored runs for query gen.
type historyResultMsg struct {
	gen   int
	runs  []runRow
	total int
	err   error
}

// historyOpenMsg asks the root to load a stored run's output.
type historyOpenMsg struct{ run runRow }

// historyRerunMsg asks the root to run a stored run's command again on
// its device.
type historyRerunMsg struct{ run runRow }

// parseHistoryFilter turns the filter text into a store filter: words of
// the form device:, site:, status: or command: (cmd:) set that field; other
// words are matched against the command. Values without glob characters
// match as substrings.
func parseHistoryFilter(text string) store.RunFilter {
	f := store.RunFilter{Limit: historyPage}
	var free []string
	for _, w := range strings.Fields(text) {
		k, v, ok := strings.Cut(w, ":")
		if !ok || v == "" {
			free = append(free, w)
			continue
		}
		switch strings.ToLower(k) {
		case "device", "dev", "d":
			f.Device = substring(v)
		case "site", "s":
			f.Site = substring(v)
		case "command", "cmd", "c":
			free = append(free, v)
		case "status", "st":
			f.Status = store.Status(strings.ToLower(v))
		case "batch":
			f.BatchID = v
		default:
			free = append(free, w)
		}
	}
	if len(free) > 0 {
		f.Command = substring(strings.Join(free, " "))
	}
	return f
}

// substring makes v a glob matching it anywhere, unless it is a glob.
func substring(v string) string {
	if strings.ContainsAny(v, "*?[") {
		return v
	}
	return "*" + v + "*"
}

// historyView lists every stored run (all sessions), newest first,
// filtered by device, site, command and status; enter opens a run's stored
// output below the list, r runs it again.
type historyView struct {
	c         *uiContext
	filter    textinput.Model
	filtering bool
	gen       int
	loading   bool
	err       error
	runs      []runRow
	total     int
	cursor    int
	offset    int
	output    *outputPane
	opened    int64
	outFocus  bool
	w, h      int
}

func newHistoryView(c *uiContext) *historyView {
	in := newInput("filter: ", c.st.Dark)
	in.Placeholder = "e.g. device:ams* site:fra status:error show ver"
	return &historyView{c: c, filter: in, output: newOutputPane(c)}
}

// SetSize sets the view's size.
func (v *historyView) SetSize(w, h int) {
	v.w, v.h = w, h
	v.filter.SetWidth(max(w-12, 1))
	v.output.SetSize(w, v.outputHeight())
}

func (v *historyView) outputHeight() int {
	if v.opened == 0 {
		return 0
	}
	return max(v.h/2, 5)
}

// Query starts a new query for the current filter.
func (v *historyView) Query() tea.Cmd {
	v.gen++
	v.loading = true
	q := historyQueryMsg{gen: v.gen, filter: parseHistoryFilter(v.filter.Value())}
	return func() tea.Msg { return q }
}

// SetResult installs a query's answer unless a newer query was made.
func (v *historyView) SetResult(m historyResultMsg) {
	if m.gen != v.gen {
		return
	}
	v.loading, v.err, v.runs, v.total = false, m.err, m.runs, m.total
	v.cursor = min(v.cursor, max(len(v.runs)-1, 0))
}

// ShowOutput puts a stored run's output below the list.
func (v *historyView) ShowOutput(id int64, ring *lineRing, title string) {
	v.opened = id
	v.output.SetRing(ring, title)
	v.output.SetSize(v.w, v.outputHeight())
}

// Selected returns the run under the cursor.
func (v *historyView) Selected() (runRow, bool) {
	if v.cursor < len(v.runs) {
		return v.runs[v.cursor], true
	}
	return runRow{}, false
}

// Capturing reports whether a text input has the keys (esc then closes
// it, not the view).
func (v *historyView) Capturing() bool { return v.filtering || v.output.Searching() }

// Update handles the view's keys. It returns closed when esc leaves it.
func (v *historyView) Update(msg tea.Msg) (cmd tea.Cmd, closed bool) {
	k := v.c.keys
	km, isKey := msg.(tea.KeyPressMsg)
	if v.filtering {
		if isKey && (key.Matches(km, k.Enter) || key.Matches(km, k.Escape)) {
			v.filtering = false
			v.filter.Blur()
			return nil, false
		}
		var c tea.Cmd
		v.filter, c = v.filter.Update(msg)
		return tea.Batch(c, v.Query()), false
	}
	if _, wheel := msg.(tea.MouseWheelMsg); wheel && v.opened != 0 {
		return v.output.Update(msg), false
	}
	if !isKey {
		return nil, false
	}
	if v.outFocus && v.opened != 0 && !key.Matches(km, k.Tab) && !(key.Matches(km, k.Escape) && !v.output.Searching()) {
		return v.output.Update(km), false
	}
	switch {
	case key.Matches(km, k.Escape):
		if v.outFocus {
			v.outFocus = false
			return nil, false
		}
		return nil, true
	case key.Matches(km, k.Tab):
		v.outFocus = !v.outFocus && v.opened != 0
	case key.Matches(km, k.Up):
		v.cursor = max(v.cursor-1, 0)
	case key.Matches(km, k.Down):
		v.cursor = min(v.cursor+1, max(len(v.runs)-1, 0))
	case key.Matches(km, k.PageUp):
		v.cursor = max(v.cursor-v.listHeight(), 0)
	case key.Matches(km, k.PageDown):
		v.cursor = min(v.cursor+v.listHeight(), max(len(v.runs)-1, 0))
	case key.Matches(km, k.Top):
		v.cursor = 0
	case key.Matches(km, k.Bottom):
		v.cursor = max(len(v.runs)-1, 0)
	case key.Matches(km, k.Filter):
		v.filtering = true
		v.filter.CursorEnd()
		return v.filter.Focus(), false
	case key.Matches(km, k.Enter):
		if r, ok := v.Selected(); ok {
			return func() tea.Msg { return historyOpenMsg{run: r} }, false
		}
	case key.Matches(km, k.Rerun):
		if r, ok := v.Selected(); ok {
			return func() tea.Msg { return historyRerunMsg{run: r} }, false
		}
	}
	return nil, false
}

// listHeight is the number of run rows the list shows.
func (v *historyView) listHeight() int { return max(v.h-v.outputHeight()-3, 1) }

// View renders the view.
func (v *historyView) View() string {
	st := v.c.st
	inner := v.w - 2
	h := v.listHeight()
	v.offset = window(v.cursor, v.offset, h, len(v.runs))
	lines := []string{fit(v.filter.View(), inner)}
	for i := v.offset; i < len(v.runs) && len(lines) <= h; i++ {
		r := &v.runs[i]
		when := r.Created.In(v.c.loc).Format("01-02 15:04:05")
		line := fmt.Sprintf("%6d %s ", r.ID, st.Faint.Render(when)) + renderRun(v.c, r, max(inner-22, 20))
		if i == v.cursor && !v.outFocus {
			line = st.Cursor.Render(fit(ansi.Strip(line), inner))
		}
		lines = append(lines, line)
	}
	switch {
	case v.err != nil:
		lines = append(lines, st.Error.Render("history: "+v.err.Error()))
	case len(v.runs) == 0 && !v.loading:
		lines = append(lines, st.Faint.Render("no stored run matches"))
	}
	title := "History · " + units.Plural(v.total, "run")
	if v.total > len(v.runs) {
		title += fmt.Sprintf(" (newest %d shown)", len(v.runs))
	}
	if v.loading {
		title += " · loading…"
	}
	list := box(st, title, "", lines, v.w, v.h-v.outputHeight(), !v.outFocus) // the keys: the one-line help
	if v.opened == 0 {
		return list
	}
	return list + "\n" + v.output.View(v.outFocus)
}
