package tui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"netauto/runner"
	"netauto/sanitize"
	"netauto/store"
	"netauto/units"
)

// The history tools: full-text search (S), compare (d, D in history),
// grouped outputs of a batch (O on the runs pane), export of a run (e)
// and the database size in the status bar. They share two screens of
// their own beside the root's.
const (
	screenSearch screen = 100 + iota // search across all history
	screenDoc                        // a read-only document: a diff or grouped outputs
)

// searchLimit is how many matching lines the console asks for.
const searchLimit = 200

// searchCatchUpMax bounds how long a search waits for the index to take in
// the output stored so far (while many runs stream it may not finish).
const searchCatchUpMax = 2 * time.Second

// searchResultMsg carries the answer to search query gen.
type searchResultMsg struct {
	gen     int
	hits    []store.SearchHit
	backlog int
	err     error
}

// docMsg carries a document to show (a diff, grouped outputs).
type docMsg struct {
	title string
	lines []docLine
	diff  *diffSource // what a diff compared; nil for other documents
	err   error
}

// diffSource is what a diff document compared, to compare again with
// the volatile parts ignored or not (v).
type diffSource struct {
	a, b           int64
	ignoreVolatile bool
}

// exportedMsg reports an export.
type exportedMsg struct {
	path string
	err  error
}

// dbSizeMsg carries the database's size on disk.
type dbSizeMsg struct{ size int64 }

// openAtMsg carries a run's output loaded around one line, for the
// history view.
type openAtMsg struct {
	run  runRow
	ring *lineRing
	line int
	word string
	err  error
}

// searchView is the search screen: a query input and the matching lines.
type searchView struct {
	c       *uiContext
	input   textinput.Model
	editing bool
	gen     int
	loading bool
	hits    []store.SearchHit
	backlog int
	err     error
	cursor  int
	offset  int
	w, h    int
}

func newSearchView(c *uiContext) *searchView {
	in := newInput("search: ", c.st.Dark)
	in.Placeholder = `e.g. CRC  "input errors"  BGP AND down  Gig*`
	return &searchView{c: c, input: in, editing: true}
}

// rowsPerHit is how many rows one hit takes: its heading and its line.
const rowsPerHit = 2

// View renders the search screen.
func (v *searchView) View() string {
	st := v.c.st
	inner := v.w - 2
	lines := []string{fit(v.input.View(), inner)}
	per := max((v.h-3)/rowsPerHit, 1)
	v.offset = window(v.cursor, v.offset, per, len(v.hits))
	for i := v.offset; i < len(v.hits) && i < v.offset+per; i++ {
		h := v.hits[i]
		head := fmt.Sprintf("#%d %s · %s · %s · line %d", h.RunID, h.Device, h.At.In(v.c.loc).Format("01-02 15:04:05"), h.Command, h.Line+1)
		text := "  " + expandTabs(h.Text)
		if len(h.Before) > 0 {
			text = st.Faint.Render("  …"+expandTabs(h.Before[len(h.Before)-1])) + " ⏎" + text
		}
		if i == v.cursor && !v.editing {
			lines = append(lines, st.Cursor.Render(fit(head, inner)), fit(ansi.Strip(text), inner))
			continue
		}
		lines = append(lines, st.Header.Render(fit(head, inner)), fit(text, inner))
	}
	switch {
	case v.err != nil:
		lines = append(lines, st.Error.Render(fit(v.err.Error(), inner)))
	case len(v.hits) == 0 && !v.loading && v.input.Value() != "":
		lines = append(lines, st.Faint.Render("no line matches"))
	}
	title := "Search · " + units.Plural(len(v.hits), "line")
	if v.loading {
		title += " · searching…"
	}
	if v.backlog > 0 {
		title += " · " + units.Plural(v.backlog, "run") + " not indexed yet"
	}
	return box(st, title, "", lines, v.w, v.h, true) // the keys: the one-line help
}

// docLine is one line of a document; kind styles it: '-' removed, '+'
// added, '@' hunk header, 'h' heading, ' ' plain.
type docLine struct {
	kind byte
	text string
}

// docView shows a document with a scroll position.
type docView struct {
	c      *uiContext
	docMsg // the document shown (its err is nil)
	offset int
	w, h   int
}

// Update scrolls the document; it returns closed on esc.
func (d *docView) Update(msg tea.KeyPressMsg) (closed bool) {
	k := d.c.keys
	rows := max(d.h-2, 1)
	last := max(len(d.lines)-rows, 0)
	switch {
	case key.Matches(msg, k.Escape):
		return true
	case key.Matches(msg, k.Up):
		d.offset--
	case key.Matches(msg, k.Down):
		d.offset++
	case key.Matches(msg, k.PageUp):
		d.offset -= rows - 1
	case key.Matches(msg, k.PageDown):
		d.offset += rows - 1
	case key.Matches(msg, k.Top):
		d.offset = 0
	case key.Matches(msg, k.Bottom):
		d.offset = last
	}
	d.offset = min(max(d.offset, 0), last)
	return false
}

// scrollable reports whether the document is longer than its window.
func (d *docView) scrollable() bool { return len(d.lines) > max(d.h-2, 1) }

// View renders the visible window of the document.
func (d *docView) View() string {
	st := d.c.st
	rows, inner := max(d.h-2, 1), d.w-2
	var out []string
	for i := d.offset; i < len(d.lines) && len(out) < rows; i++ {
		l := d.lines[i]
		text := fit(expandTabs(l.text), inner)
		switch l.kind {
		case '-':
			text = st.Error.Render(text)
		case '+':
			text = st.OK.Render(text)
		case '@':
			text = st.Faint.Render(text)
		case 'h':
			text = st.Header.Render(text)
		}
		out = append(out, text)
	}
	footer := fmt.Sprintf("line %d/%d", min(d.offset+1, len(d.lines)), len(d.lines)) // the keys: the one-line help
	return box(st, d.title, footer, out, d.w, d.h, true)
}

// historyTools is the state the root keeps for the tools.
type historyTools struct {
	search  *searchView
	doc     *docView
	back    screen // where esc returns from a tool screen
	diffA   int64  // the run d marked first; 0 for none
	dbSize  int64
	sizeReq bool
}

func newHistoryTools(c *uiContext) *historyTools {
	return &historyTools{search: newSearchView(c), doc: &docView{c: c}}
}

// tools returns the root's history tools, creating them on first use.
func (m *model) tools() *historyTools {
	if m.ht == nil {
		m.ht = newHistoryTools(m.c)
	}
	return m.ht
}

// updateTools handles the tools' messages and keys; handled is false
// when the message is not theirs.
func (m *model) updateTools(msg tea.Msg) (cmd tea.Cmd, handled bool) {
	t := m.tools()
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		t.search.w, t.search.h = msg.Width, max(msg.Height-4, 4)
		t.search.input.SetWidth(max(msg.Width-12, 1))
		t.doc.w, t.doc.h = msg.Width, max(msg.Height-4, 4)
		return m.loadDBSize(), false
	case searchResultMsg:
		if msg.gen == t.search.gen {
			s := t.search
			s.loading, s.hits, s.err, s.backlog = false, msg.hits, msg.err, msg.backlog
			s.cursor = min(s.cursor, max(len(s.hits)-1, 0))
		}
		return nil, true
	case docMsg:
		if msg.err != nil {
			m.note = msg.err.Error()
			return nil, true
		}
		t.doc.docMsg, t.doc.offset = msg, 0
		if m.screen != screenDoc {
			t.back = m.screen
		}
		m.screen = screenDoc
		return nil, true
	case exportedMsg:
		if msg.err != nil {
			m.note = "export: " + msg.err.Error()
		} else {
			m.note = "exported to " + msg.path
		}
		return nil, true
	case dbSizeMsg:
		t.dbSize, t.sizeReq = msg.size, false
		m.status.SetNote("db " + fmtBytes(msg.size))
		return nil, true
	case openAtMsg:
		if msg.err != nil {
			m.note = "output: " + msg.err.Error()
			return nil, true
		}
		m.screen = screenHistory
		m.layout()
		m.hist.ShowOutput(msg.run.ID, msg.ring, runTitle(&msg.run))
		m.hist.outFocus = true
		m.hist.output.showLine(msg.line, msg.word)
		return m.hist.Query(), true
	case eventsMsg:
		for _, e := range msg.lifecycle {
			if e.Kind == runner.Finished {
				return m.loadDBSize(), false // the root applies the events
			}
		}
		return nil, false
	case tea.KeyPressMsg:
		return m.toolKey(msg)
	}
	return nil, false
}

// toolKey handles a key press for the tools.
func (m *model) toolKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	t, k := m.tools(), m.c.keys
	if m.password.Len() > 0 || m.hostKeys.Len() > 0 || m.confirm != nil || m.showHelp || m.cmdline.Focused() {
		return nil, false
	}
	if (m.screen == screenSearch && !t.search.editing || m.screen == screenDoc) && key.Matches(msg, k.Quit, k.Help) {
		return nil, false // q and ? act as on every screen
	}
	switch m.screen {
	case screenSearch:
		return m.searchKey(msg), true
	case screenDoc:
		if d := t.doc.diff; d != nil && key.Matches(msg, k.Volatile) {
			return m.compare(d.a, d.b, !d.ignoreVolatile), true
		}
		if t.doc.Update(msg) {
			m.screen = t.back
			m.layout()
		}
		return nil, true
	case screenHistory:
		if m.hist.Capturing() {
			return nil, false
		}
		r, ok := m.hist.Selected()
		ok = ok && !m.hist.outFocus
		switch {
		case ok && key.Matches(msg, k.Diff):
			if t.diffA == 0 || t.diffA == r.ID {
				t.diffA = r.ID
				m.note = fmt.Sprintf("compare: #%d marked; d on another run shows the diff", r.ID)
				return nil, true
			}
			a := t.diffA
			t.diffA = 0
			return m.compare(a, r.ID, false), true
		case ok && key.Matches(msg, k.DiffPrev):
			return m.comparePrevious(r.ID), true
		case ok && key.Matches(msg, k.Export):
			return m.exportRun(r), true
		case ok && key.Matches(msg, k.Group):
			return m.groupStoredBatch(r.BatchID, r.Command), true
		}
	case screenMain, screenZoom, screenTiles:
		if m.inv.Filtering() || m.out.Searching() {
			return nil, false
		}
		switch {
		case key.Matches(msg, k.Export) && m.focusedRun() != nil:
			return m.exportRun(*m.focusedRun()), true
		case key.Matches(msg, k.Group) && m.screen == screenMain && m.focus == paneRuns && m.focusedRun() != nil:
			return m.groupBatch(m.focusedRun().BatchID), true
		}
	}
	if key.Matches(msg, k.Search) && !(m.screen == screenHistory && m.hist.Capturing()) {
		t.back = m.screen
		m.screen = screenSearch
		t.search.editing = true
		return t.search.input.Focus(), true
	}
	return nil, false
}

// searchKey handles keys on the search screen.
func (m *model) searchKey(msg tea.KeyPressMsg) tea.Cmd {
	s, k := m.tools().search, m.c.keys
	if s.editing {
		switch {
		case key.Matches(msg, k.Enter):
			s.editing = false
			s.input.Blur()
			return m.runSearch()
		case key.Matches(msg, k.Escape):
			s.editing = false
			s.input.Blur()
			if len(s.hits) == 0 {
				m.screen = m.tools().back
				m.layout()
			}
			return nil
		}
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, k.Escape):
		m.screen = m.tools().back
		m.layout()
	case key.Matches(msg, k.Filter), key.Matches(msg, k.Search):
		s.editing = true
		return s.input.Focus()
	case key.Matches(msg, k.Up):
		s.cursor = max(s.cursor-1, 0)
	case key.Matches(msg, k.Down):
		s.cursor = min(s.cursor+1, max(len(s.hits)-1, 0))
	case key.Matches(msg, k.Top):
		s.cursor = 0
	case key.Matches(msg, k.Bottom):
		s.cursor = max(len(s.hits)-1, 0)
	case key.Matches(msg, k.Enter):
		if s.cursor < len(s.hits) {
			return m.openAt(s.hits[s.cursor], s.input.Value())
		}
	}
	return nil
}

// runSearch searches the history for the input's query (a command).
func (m *model) runSearch() tea.Cmd {
	s, st := m.tools().search, m.be.store
	if st == nil || strings.TrimSpace(s.input.Value()) == "" {
		return nil
	}
	s.gen++
	s.loading, s.cursor = true, 0
	gen, q := s.gen, store.SearchQuery{Query: s.input.Value(), Limit: searchLimit, Context: 1}
	ctx := m.be.readCtx()
	return func() tea.Msg {
		// The output of runs that just ended may still wait for the writer
		// or the indexer (which defers to the writer): bring the index up
		// to date first, as netauto search does, for a bounded time. What
		// is still missing after it shows as the backlog.
		catchUp, cancel := context.WithTimeout(ctx, searchCatchUpMax)
		if st.Flush(catchUp) == nil {
			_ = st.CatchUpIndex(catchUp)
		}
		cancel()
		hits, err := st.Search(ctx, q)
		backlog, _ := st.IndexBacklog(ctx)
		return searchResultMsg{gen: gen, hits: hits, backlog: backlog, err: err}
	}
}

// openAtRingLines is how many lines around a search hit the history view
// loads: the part of the output the ring can hold.
const openAtRingLines = DefaultRingLines

// openAt loads the run of hit h into the history view's output pane,
// scrolled to its line.
func (m *model) openAt(h store.SearchHit, query string) tea.Cmd {
	st := m.be.store
	word := firstWord(query)
	ctx := m.be.readCtx()
	return func() tea.Msg {
		r, err := st.Run(ctx, h.RunID)
		if err != nil {
			return openAtMsg{err: err}
		}
		from := max(int(h.Line)-openAtRingLines/3, 0)
		ring := newLineRing(openAtRingLines)
		ring.first = from
		var lines []string
		var s sanitize.Stream
		n := 0
		emit := func(l string) {
			if n >= from && n < from+openAtRingLines {
				lines = append(lines, l)
			}
			n++
		}
		err = st.Output(ctx, h.RunID, func(_ int64, data []byte, _ time.Time) error {
			s.Feed(data, emit)
			if n >= from+openAtRingLines {
				return errStop
			}
			return nil
		})
		if err == nil {
			s.Flush(emit)
		}
		if err == errStop {
			err = nil
		}
		ring.Append(lines, "")
		return openAtMsg{run: fromStore(r), ring: ring, line: int(h.Line), word: word, err: err}
	}
}

// errStop ends an output read early.
var errStop = fmt.Errorf("stop")

// firstWord is the first plain word of a search query, highlighted in
// the opened output.
func firstWord(q string) string {
	for _, w := range strings.Fields(q) {
		w = strings.Trim(w, `"()*`)
		if w != "" && w != "AND" && w != "OR" && w != "NOT" && !strings.HasPrefix(w, "NEAR") {
			return w
		}
	}
	return ""
}

// showLine scrolls the pane to line n and highlights word.
func (p *outputPane) showLine(n int, word string) {
	if p.ring == nil {
		return
	}
	p.unfollow()
	p.query, p.match = word, n
	p.top = max(min(n-p.rows()/3, p.tailTop()), p.ring.First())
}

// compare diffs two stored runs into a document, with the parts of lines
// that change on their own (uptimes, clocks, counters) ignored or not.
func (m *model) compare(a, b int64, ignoreVolatile bool) tea.Cmd {
	st := m.be.store
	if st == nil {
		return nil
	}
	ctx := m.be.readCtx()
	return func() tea.Msg {
		c, err := runner.CompareRuns(ctx, st, a, b, ignoreVolatile)
		if err != nil {
			return docMsg{err: err}
		}
		return diffDoc(c, ignoreVolatile)
	}
}

// comparePrevious diffs a run with the run before it of the same command
// on the same device.
func (m *model) comparePrevious(id int64) tea.Cmd {
	st := m.be.store
	if st == nil {
		return nil
	}
	ctx := m.be.readCtx()
	return func() tea.Msg {
		r, err := st.Run(ctx, id)
		if err != nil {
			return docMsg{err: err}
		}
		prev, err := st.PreviousRun(ctx, r)
		if err != nil {
			return docMsg{err: fmt.Errorf("no earlier run of %q on %s to compare with", r.Command, r.Device)}
		}
		c, err := runner.CompareRuns(ctx, st, prev.ID, id, false)
		if err != nil {
			return docMsg{err: err}
		}
		return diffDoc(c, false)
	}
}

// diffDoc turns a comparison into a document.
func diffDoc(c runner.Comparison, ignoreVolatile bool) docMsg {
	d := docMsg{title: fmt.Sprintf("Diff #%d → #%d", c.A.ID, c.B.ID), diff: &diffSource{a: c.A.ID, b: c.B.ID, ignoreVolatile: ignoreVolatile}}
	if ignoreVolatile {
		d.title += " · uptimes, clocks ignored"
	}
	d.lines = append(d.lines, docLine{'h', "--- " + runner.Label(c.A)}, docLine{'h', "+++ " + runner.Label(c.B)})
	if c.Same {
		d.lines = append(d.lines, docLine{' ', "(same output, " + units.Plural(c.ALines, "line") + ")"})
	}
	for _, h := range c.Hunks {
		d.lines = append(d.lines, docLine{'@', h.Header()})
		for _, l := range h.Lines {
			d.lines = append(d.lines, docLine{byte(l.Op), string(rune(l.Op)) + l.Text})
		}
	}
	return d
}

// groupSample is how many lines of each distinct output the grouped view
// shows.
const groupSample = 40

// noFinishedRun is the note when a batch has nothing to group yet.
const noFinishedRun = "no finished run in this batch yet"

// groupBatch folds the outputs of a batch of this session (the runs
// pane's) into a document.
func (m *model) groupBatch(batch string) tea.Cmd {
	st := m.be.store
	var runs []store.Run
	for _, it := range m.runs.items() {
		if r := it.run; r != nil && r.BatchID == batch && !r.active() {
			runs = append(runs, store.Run{ID: r.ID, Device: r.Device, Command: r.Command})
		}
	}
	if st == nil || len(runs) == 0 {
		m.note = noFinishedRun
		return nil
	}
	ctx := m.be.readCtx()
	return func() tea.Msg { return groupDoc(ctx, st, batch, runs) }
}

// groupStoredBatch folds the outputs of command in a stored batch, of any
// session (the history view's O), into a document. A batch of
// `netauto run -c A -c B` holds runs of both; only the runs of one command
// are alike.
func (m *model) groupStoredBatch(batch, command string) tea.Cmd {
	st := m.be.store
	if st == nil || batch == "" {
		return nil
	}
	ctx := m.be.readCtx()
	return func() tea.Msg {
		all, err := st.ListRuns(ctx, store.RunFilter{BatchID: batch})
		if err != nil {
			return docMsg{err: err}
		}
		var runs []store.Run
		for _, r := range all {
			if r.Command == command && r.Status.Finished() {
				runs = append(runs, r)
			}
		}
		if len(runs) == 0 {
			return docMsg{err: errors.New(noFinishedRun)}
		}
		return groupDoc(ctx, st, batch, runs)
	}
}

// groupDoc groups the outputs of runs, finished runs of one batch, into a
// document; each group names its devices in launch order (it sorts runs
// so, in place: both callers build the slice for it).
func groupDoc(ctx context.Context, st *store.Store, batch string, runs []store.Run) docMsg {
	slices.SortFunc(runs, func(a, b store.Run) int { return cmp.Compare(a.ID, b.ID) })
	groups, err := runner.GroupOutputs(ctx, st, runs, groupSample)
	if err != nil {
		return docMsg{err: err}
	}
	d := docMsg{title: fmt.Sprintf("Batch %s · %s · %s", batch, runs[0].Command, runner.GroupSummary(groups))}
	for _, g := range groups {
		d.lines = append(d.lines, docLine{'h', "── " + runner.GroupHeading(g) + ": " + strings.Join(g.Devices(), ", ")})
		for _, l := range g.Sample {
			d.lines = append(d.lines, docLine{' ', "  " + l})
		}
		if g.Lines > len(g.Sample) {
			d.lines = append(d.lines, docLine{'@', "  … " + units.Plural(g.Lines-len(g.Sample), "more line")})
		}
	}
	return d
}

// exportDir is where e exports runs: exports/ beside the database.
func (m *model) exportDir() string {
	return filepath.Join(filepath.Dir(m.be.store.Path()), "exports")
}

// exportRun exports one run to the export directory.
func (m *model) exportRun(r runRow) tea.Cmd {
	st := m.be.store
	if st == nil {
		return nil
	}
	dir := m.exportDir()
	ctx := m.be.readCtx()
	return func() tea.Msg {
		run, err := st.Run(ctx, r.ID)
		if err != nil {
			return exportedMsg{err: err}
		}
		idx, err := runner.Export(ctx, st, []store.Run{run}, dir)
		if err != nil {
			return exportedMsg{err: err}
		}
		return exportedMsg{path: filepath.Join(dir, idx.Runs[0].File)}
	}
}

// loadDBSize reads the database's size (a command).
func (m *model) loadDBSize() tea.Cmd {
	st, t := m.be.store, m.tools()
	if st == nil || t.sizeReq {
		return nil
	}
	t.sizeReq = true
	return func() tea.Msg {
		n, _ := st.Size()
		return dbSizeMsg{size: n}
	}
}

// toolsBody renders a tool screen; ok is false for the root's screens.
func (m *model) toolsBody() (string, bool) {
	switch m.screen {
	case screenSearch:
		return m.tools().search.View(), true
	case screenDoc:
		return m.tools().doc.View(), true
	}
	return "", false
}
