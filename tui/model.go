package tui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"netauto/inventory"
	"netauto/quota"
	"netauto/runner"
	"netauto/sanitize"
	"netauto/store"
	"netauto/units"
)

// tickInterval drives the spinner and elapsed times while runs are active.
const tickInterval = 100 * time.Millisecond

// quitGrace bounds how long a confirmed quit waits for cancelled runs to
// be stored before leaving anyway (Run still waits for them after).
const quitGrace = 10 * time.Second

// after schedules a timer message; tests replace it to drive time.
var after = tea.Tick

// screen is what the body of the console shows.
type screen int

const (
	screenMain screen = iota
	screenTiles
	screenZoom
	screenHistory
)

// pane is which main-screen pane has the keys.
type pane int

const (
	paneInventory pane = iota
	paneRuns
	paneOutput
	paneCount
)

// backend is what the console drives: the supervisor, the store and the
// quota manager of a stack.
type backend struct {
	sup         *runner.Supervisor
	store       *store.Store
	quota       *quota.Manager
	requestedBy string
	// reads is the context of the console's store reads: Run ends it when
	// the console ends, so that a read under way (a search, a comparison
	// over many runs) stops instead of holding up the store's Close. nil
	// means context.Background().
	reads context.Context
}

// readCtx is the context for a store read.
func (b backend) readCtx() context.Context {
	if b.reads == nil {
		return context.Background()
	}
	return b.reads
}

// model is the console's root model: it owns every component, routes keys
// and messages, and turns operator actions into commands (no I/O here).
type model struct {
	c  *uiContext
	be backend

	inv     *inventoryPane
	runs    *runsPane
	out     *outputPane
	cmdline *commandLine
	status  *statusBar
	tiles   *tilesView
	hist    *historyView
	ht      *historyTools // search, compare, group, export (historytools.go)
	help    help.Model

	rings map[int64]*lineRing
	watch *watchSet // the runs whose output is on screen, for the bridge

	screen   screen
	focus    pane
	showHelp bool

	confirm   *confirmDialog
	launch    []inventory.Device // awaiting confirmation
	launchCmd string
	hostKeys  *hostKeyDialog
	password  *passwordDialog
	prompts   *Prompts

	title    string
	note     string
	quitting bool
	ticking  bool
	w, h     int

	confirmAbove int    // a launch on more devices asks first
	theme        string // the color theme (theme.go)
}

// launchedMsg reports the runs one launch created.
type launchedMsg struct {
	runs []runRow
	errs []string
}

// tickMsg advances the spinner and the clock.
type tickMsg time.Time

// latestMsg carries each device's latest stored run, read at start.
type latestMsg struct{ runs []runRow }

// outputLoadedMsg carries a stored run's output for the history view.
type outputLoadedMsg struct {
	run  runRow
	ring *lineRing
	err  error
}

// canceledMsg reports the result of cancelling runs.
type canceledMsg struct{ err error }

// quitNowMsg ends the program after a confirmed quit.
type quitNowMsg struct{}

func newModel(be backend, inv *inventory.Inventory, prompts *Prompts, historyFile, title string) *model {
	c := newUIContext(true)
	var devices []inventory.Device
	if inv != nil {
		devices = inv.Devices
	}
	m := &model{
		c:        c,
		be:       be,
		inv:      newInventoryPane(c, devices),
		runs:     newRunsPane(c),
		out:      newOutputPane(c),
		cmdline:  newCommandLine(c, historyFile),
		status:   newStatusBar(c),
		tiles:    newTilesView(c),
		hist:     newHistoryView(c),
		help:     help.New(),
		rings:    map[int64]*lineRing{},
		watch:    newWatchSet(),
		hostKeys: &hostKeyDialog{},
		password: newPasswordDialog(true),
		prompts:  prompts,
		title:    title,
		w:        80,
		h:        24,

		confirmAbove: runner.DefaultConfirmAbove,
		theme:        themeAuto,
	}
	m.help.Styles = help.DefaultStyles(true)
	m.layout()
	return m
}

// configure applies the stack's settings: the launch size past which the
// console asks first (0 means runner.DefaultConfirmAbove) and the theme (a
// forced palette is set now and kept whatever the terminal reports).
func (m *model) configure(s runner.Settings) {
	m.confirmAbove = s.ConfirmAbove
	if m.confirmAbove <= 0 {
		m.confirmAbove = runner.DefaultConfirmAbove
	}
	m.theme = s.Theme
	if dark, forced := forcedPalette(s.Theme); forced {
		m.setDark(dark)
	}
}

// Init loads the command history and the latest runs, listens for adapter
// questions, and asks the terminal's background unless the theme forces
// the palette.
func (m *model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.cmdline.Load(), m.loadLatest(), m.prompts.wait()}
	if _, forced := forcedPalette(m.theme); !forced {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
}

// loadLatest reads each device's latest stored run.
func (m *model) loadLatest() tea.Cmd {
	st := m.be.store
	if st == nil {
		return nil
	}
	ctx := m.be.readCtx()
	return func() tea.Msg {
		rs, err := st.ListRuns(ctx, store.RunFilter{Limit: 2000})
		if err != nil {
			return nil
		}
		seen := map[string]bool{}
		var out []runRow
		for _, r := range rs {
			if !seen[r.Device] {
				seen[r.Device] = true
				out = append(out, fromStore(r))
			}
		}
		return latestMsg{runs: out}
	}
}

// fromStore converts a stored run.
func fromStore(r store.Run) runRow {
	return runRow{
		ID: r.ID, BatchID: r.BatchID, Device: r.Device, Site: r.Site, Command: r.Command,
		Status: string(r.Status), Reason: r.ErrorReason, ExitCode: r.ExitCode, Bytes: r.Bytes,
		Created: r.CreatedAt, Started: r.StartedAt, Finished: r.FinishedAt,
	}
}

// layout sizes every component for the window.
func (m *model) layout() {
	w, h := m.w, m.h
	body := max(h-4, 4)
	left := min(max(w/3, 24), 44)
	right := max(w-left, 10)
	runsH := min(max(body/3, 5), 14)
	m.inv.SetSize(left, body)
	m.runs.SetSize(right, runsH)
	m.out.SetSize(right, body-runsH)
	if m.screen == screenZoom {
		m.out.SetSize(w, body)
	}
	m.tiles.SetSize(w, body)
	m.hist.SetSize(w, body)
	m.hostKeys.SetHeight(h)
	m.cmdline.SetWidth(w)
	m.status.SetWidth(w)
	m.help.SetWidth(w)
}

// bodyHeight is the height of the area between the top bar and the
// command line.
func (m *model) bodyHeight() int { return max(m.h-4, 4) }

// Update routes a message.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	traceUpdate(msg)
	cmd, handled := m.updateTools(msg)
	if !handled {
		cmd = tea.Batch(cmd, m.update(msg))
	}
	m.syncOutput()
	m.syncWatch()
	m.status.SetSite(m.currentSite())
	return m, cmd
}

func (m *model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.layout()
	case tea.BackgroundColorMsg:
		if _, forced := forcedPalette(m.theme); !forced {
			m.setDark(msg.IsDark())
		}
	case eventsMsg:
		return m.applyEvents(msg)
	case tickMsg:
		m.c.now = time.Time(msg)
		m.c.frame++
		m.refreshQuota()
		if m.runs.ActiveCount() == 0 {
			m.ticking = false
			return nil
		}
		return m.tick()
	case launchedMsg:
		return m.applyLaunched(msg)
	case latestMsg:
		for i := range msg.runs {
			r := msg.runs[i]
			if m.inv.latest[r.Device] == nil {
				m.inv.SetLatest(&r)
			}
		}
	case historyLoadedMsg:
		m.cmdline.SetHistory(msg.commands)
	case commandSubmittedMsg:
		return m.requestLaunch(m.inv.Targets(), msg.command)
	case historyQueryMsg:
		return m.queryHistory(msg)
	case historyResultMsg:
		m.hist.SetResult(msg)
	case historyOpenMsg:
		return m.loadOutput(msg.run)
	case outputLoadedMsg:
		if msg.err != nil {
			m.note = "output: " + msg.err.Error()
			return nil
		}
		m.hist.ShowOutput(msg.run.ID, msg.ring, runTitle(&msg.run))
	case historyRerunMsg:
		dev, ok := m.device(msg.run.Device)
		if !ok {
			m.note = fmt.Sprintf("%s is not in the inventory", msg.run.Device)
			return nil
		}
		m.screen = screenMain
		m.layout()
		return m.requestLaunch([]inventory.Device{dev}, msg.run.Command)
	case canceledMsg:
		if msg.err != nil && !errors.Is(msg.err, runner.ErrFinished) && !errors.Is(msg.err, runner.ErrUnknownRun) {
			m.note = "cancel: " + msg.err.Error()
		}
	case promptMsg:
		var cmd tea.Cmd
		if msg.hostKey != nil {
			m.hostKeys.Add(*msg.hostKey)
		}
		if msg.password != nil {
			cmd = m.password.Add(*msg.password)
		}
		return tea.Batch(cmd, m.prompts.wait())
	case quitNowMsg:
		return tea.Quit
	case tea.MouseWheelMsg:
		switch m.screen {
		case screenHistory:
			cmd, _ := m.hist.Update(msg)
			return cmd
		case screenMain, screenZoom:
			return m.out.Update(msg)
		}
	case tea.KeyPressMsg:
		return m.key(msg)
	default:
		// input components' own messages (paste, cursor)
		if m.cmdline.Focused() {
			return m.cmdline.Update(msg)
		}
	}
	return nil
}

// setDark restyles for the terminal's background.
func (m *model) setDark(dark bool) {
	keys := m.c.keys
	*m.c = uiContext{st: NewStyles(dark), keys: keys, now: m.c.now, frame: m.c.frame, loc: m.c.loc}
	m.help.Styles = help.DefaultStyles(dark)
}

// tick schedules the next spinner frame.
func (m *model) tick() tea.Cmd {
	m.ticking = true
	return after(tickInterval, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// ensureTick starts ticking when runs are active and it is not already.
func (m *model) ensureTick() tea.Cmd {
	if m.ticking || m.runs.ActiveCount() == 0 {
		return nil
	}
	return m.tick()
}

// refreshQuota reads the quota gauges (a mutex and a few counters).
func (m *model) refreshQuota() {
	if m.be.quota != nil {
		m.status.SetSnapshot(m.be.quota.Snapshot())
	}
}

// ring returns run id's ring, creating it.
func (m *model) ring(id int64) *lineRing {
	r := m.rings[id]
	if r == nil {
		r = newLineRing(DefaultRingLines)
		m.rings[id] = r
	}
	return r
}

// applyEvents applies one frame of runner events.
func (m *model) applyEvents(ev eventsMsg) tea.Cmd {
	m.c.now = time.Now()
	for id, o := range ev.output {
		if !o.countOnly {
			m.ring(id).Append(o.lines, o.partial)
		}
		if r := m.runs.Get(id); r != nil && o.bytes > r.Bytes {
			r.Bytes = o.bytes
		}
	}
	for _, e := range ev.lifecycle {
		switch e.Kind {
		case runner.Started:
			l := e.Live
			row := runRow{ID: l.ID, BatchID: l.BatchID, Device: l.Device, Site: l.Site, Command: l.Command,
				Status: string(l.Status), Bytes: l.Bytes, Created: l.CreatedAt, Started: l.StartedAt}
			if row.Status == "" || row.Status == statusPending {
				row.Status = statusRunning
			}
			if row.Started.IsZero() {
				row.Started = m.c.now
			}
			m.inv.SetLatest(m.runs.Upsert(row))
		case runner.Finished:
			m.inv.SetLatest(m.runs.Upsert(fromStore(e.Run)))
		}
	}
	m.refreshQuota()
	if m.quitting && m.runs.ActiveCount() == 0 {
		return tea.Quit
	}
	return m.ensureTick()
}

// device looks a device up by name.
func (m *model) device(name string) (inventory.Device, bool) {
	for _, d := range m.inv.devices {
		if d.Name == name {
			return d, true
		}
	}
	return inventory.Device{}, false
}

// requestLaunch launches command on devs, asking first above confirmAbove
// devices.
func (m *model) requestLaunch(devs []inventory.Device, command string) tea.Cmd {
	if len(devs) == 0 {
		m.note = "nothing to run on: select devices (space, a) or move to one"
		return nil
	}
	if len(devs) > m.confirmAbove {
		m.launch, m.launchCmd = devs, command
		m.confirm = &confirmDialog{
			action: confirmLaunch,
			title:  fmt.Sprintf("Run %q on %s?", command, units.Plural(len(devs), "device")),
			lines:  []string{"Sites: " + siteSummary(devs)},
		}
		return nil
	}
	return m.startLaunch(devs, command)
}

// siteSummary lists the sites of devs with their device counts.
func siteSummary(devs []inventory.Device) string {
	counts := map[string]int{}
	for _, d := range devs {
		counts[siteOf(d)]++
	}
	var names []string
	for s := range counts {
		names = append(names, s)
	}
	sort.Strings(names)
	var parts []string
	for _, s := range names {
		parts = append(parts, fmt.Sprintf("%s (%d)", s, counts[s]))
	}
	return strings.Join(parts, ", ")
}

// startLaunch returns the command that executes command on devs as one
// batch, queued for quota.
func (m *model) startLaunch(devs []inventory.Device, command string) tea.Cmd {
	sup, by := m.be.sup, m.be.requestedBy
	m.note = fmt.Sprintf("launching %q on %s", command, units.Plural(len(devs), "device"))
	if sup == nil {
		return nil
	}
	batch := store.NewBatchID()
	return func() tea.Msg {
		var out launchedMsg
		for _, d := range devs {
			id, err := sup.Execute(context.Background(), runner.Request{Device: d, Command: command, BatchID: batch, RequestedBy: by, Queue: true})
			if id == 0 {
				out.errs = append(out.errs, fmt.Sprintf("%s: %v", d.Name, err))
				continue
			}
			row := runRow{ID: id, BatchID: batch, Device: d.Name, Site: d.Site, Command: command, Status: statusPending, Created: time.Now()}
			if err != nil {
				row.Status, row.Reason = statusError, err.Error()
			}
			out.runs = append(out.runs, row)
		}
		return out
	}
}

// applyLaunched adds a launch's runs; events may have told of some already.
func (m *model) applyLaunched(msg launchedMsg) tea.Cmd {
	for _, r := range msg.runs {
		if m.runs.Get(r.ID) == nil {
			m.inv.SetLatest(m.runs.Upsert(r))
		}
	}
	if len(msg.runs) > 0 {
		m.runs.Focus(msg.runs[0].ID)
		m.note = ""
	}
	if len(msg.errs) > 0 {
		m.note = fmt.Sprintf("%d not launched: %s", len(msg.errs), msg.errs[0])
	}
	m.refreshQuota()
	return m.ensureTick()
}

// focusedRun returns the run x acts on in the current screen.
func (m *model) focusedRun() *runRow {
	if m.screen == screenTiles {
		shown := m.tileRuns()
		if m.tiles.focus < len(shown) {
			return shown[m.tiles.focus]
		}
		return nil
	}
	return m.runs.Focused()
}

// tileRuns are the runs the tiles show: newest first.
func (m *model) tileRuns() []*runRow {
	var out []*runRow
	for _, it := range m.runs.items() {
		if it.run != nil {
			out = append(out, it.run)
		}
	}
	return out
}

// cancelRun marks r canceled at once and asks the supervisor to end it.
func (m *model) cancelRun(r *runRow) tea.Cmd {
	switch {
	case r == nil:
		m.note = "no run focused"
		return nil
	case !r.active():
		m.note = fmt.Sprintf("#%d has ended: nothing to cancel", r.ID)
		return nil
	}
	r.Status, r.Reason, r.Finished = statusError, reasonCanceled, m.c.now
	sup, id := m.be.sup, r.ID
	if sup == nil {
		return nil
	}
	return func() tea.Msg { return canceledMsg{err: sup.Cancel(id)} }
}

// cancelAll marks every active run canceled and asks the supervisor to
// end them all.
func (m *model) cancelAll() tea.Cmd {
	for _, r := range m.runs.Active() {
		r.Status, r.Reason, r.Finished = statusError, reasonCanceled, m.c.now
	}
	sup := m.be.sup
	if sup == nil {
		return nil
	}
	return func() tea.Msg {
		sup.CancelAll()
		return canceledMsg{}
	}
}

// currentSite is the site + and - act on: the site under the cursor of
// the inventory, else of the focused run.
func (m *model) currentSite() string {
	if m.screen == screenMain && m.focus == paneInventory {
		return m.inv.CursorSite()
	}
	if r := m.focusedRun(); r != nil {
		return r.Site
	}
	return m.inv.CursorSite()
}

// changeCap raises or lowers the current site's cap for this session.
func (m *model) changeCap(up bool) {
	site := m.currentSite()
	if site == "" || m.be.quota == nil {
		m.note = "move to a site to change its cap"
		return
	}
	snap := m.be.quota.Snapshot()
	u, ok := snap.Sites[site]
	if !ok {
		u = quota.Usage{Limit: -1}
	}
	n, changed := nextCap(u, snap.Global.Limit, up)
	if !changed {
		return
	}
	m.be.quota.SetSiteLimit(site, n)
	if n < 0 {
		m.note = fmt.Sprintf("cap %s lifted: the global cap bounds it (this session)", site)
	} else {
		m.note = fmt.Sprintf("cap %s → %d (this session)", site, n)
	}
	m.refreshQuota()
}

// queryHistory runs a history query in a command.
func (m *model) queryHistory(q historyQueryMsg) tea.Cmd {
	st := m.be.store
	if st == nil {
		return nil
	}
	ctx := m.be.readCtx()
	return func() tea.Msg {
		rs, err := st.ListRuns(ctx, q.filter)
		if err != nil {
			return historyResultMsg{gen: q.gen, err: err}
		}
		f := q.filter
		f.Limit, f.Offset = 0, 0
		total, err := st.CountRuns(ctx, f)
		out := make([]runRow, len(rs))
		for i, r := range rs {
			out[i] = fromStore(r)
		}
		return historyResultMsg{gen: q.gen, runs: out, total: total, err: err}
	}
}

// loadOutput reads a stored run's output into a ring, sanitized.
func (m *model) loadOutput(r runRow) tea.Cmd {
	st := m.be.store
	if st == nil {
		return nil
	}
	ctx := m.be.readCtx()
	return func() tea.Msg {
		ring := newLineRing(DefaultRingLines)
		var s sanitize.Stream
		var lines []string
		emit := func(l string) { lines = append(lines, l) }
		err := st.Output(ctx, r.ID, func(_ int64, data []byte, _ time.Time) error {
			s.Feed(data, emit)
			if len(lines) > 256 {
				ring.Append(lines, "")
				lines = lines[:0]
			}
			return nil
		})
		s.Flush(emit)
		ring.Append(lines, "")
		if fresh, ferr := st.Run(ctx, r.ID); ferr == nil {
			r = fromStore(fresh)
		}
		return outputLoadedMsg{run: r, ring: ring, err: err}
	}
}

// runTitle is the output pane's title for a run.
func runTitle(r *runRow) string {
	t := fmt.Sprintf("#%d %s · %s · %s", r.ID, r.Device, r.Command, r.label())
	if r.Status == statusError && !r.canceled() && r.Reason != "" {
		t += " · " + r.Reason
	}
	return t
}

// syncOutput points the output pane at the focused run.
func (m *model) syncOutput() {
	r := m.focusedRun()
	if r == nil {
		return
	}
	m.out.SetRing(m.ring(r.ID), runTitle(r))
}

// syncWatch tells the bridge which runs' output is on screen: the focused
// run, and in the tiled view the runs in tiles.
func (m *model) syncWatch() {
	var ids []int64
	if r := m.focusedRun(); r != nil {
		ids = append(ids, r.ID)
	}
	if m.screen == screenTiles {
		shown := m.tileRuns()
		for _, r := range shown[:min(len(shown), m.tiles.Capacity())] {
			ids = append(ids, r.ID)
		}
	}
	m.watch.set(ids)
}

// key routes a key press: dialogs first, then text inputs, then global
// keys, then the focused component.
func (m *model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.keys
	switch {
	case m.password.Len() > 0:
		return m.password.Update(k, msg)
	case m.hostKeys.Len() > 0:
		m.hostKeys.Update(k, msg)
		return nil
	case m.confirm != nil:
		ans, done := m.confirm.Update(k, msg)
		if !done {
			return nil
		}
		m.confirm = nil
		return m.confirmed(ans)
	case m.showHelp:
		if key.Matches(msg, k.Help, k.Escape, k.Quit) {
			m.showHelp = false
		}
		return nil
	case m.cmdline.Focused():
		return m.cmdline.Update(msg)
	}
	if m.screen == screenHistory {
		if m.hist.Capturing() || !key.Matches(msg, k.Quit, k.Help, k.CancelAll, k.History) {
			cmd, closed := m.hist.Update(msg)
			if closed {
				m.screen = screenMain
			}
			return cmd
		}
	}
	if m.screen == screenMain && m.focus == paneInventory && m.inv.Filtering() {
		return m.inv.Update(msg)
	}
	if (m.screen == screenMain || m.screen == screenZoom) && m.out.Searching() {
		return m.out.Update(msg)
	}
	m.note = ""
	switch {
	case key.Matches(msg, k.Quit):
		return m.requestQuit()
	case key.Matches(msg, k.Help):
		m.showHelp = true
		return nil
	case key.Matches(msg, k.CancelAll):
		n := m.runs.ActiveCount()
		if n == 0 {
			m.note = "no active runs"
			return nil
		}
		m.confirm = &confirmDialog{action: confirmCancelAll, title: fmt.Sprintf("Cancel all %s?", units.Plural(n, "active run")),
			lines: []string{"They will be stored as error · canceled."}}
		return nil
	case key.Matches(msg, k.Cancel):
		return m.cancelRun(m.focusedRun())
	case key.Matches(msg, k.Command):
		return m.cmdline.Focus()
	case key.Matches(msg, k.CapUp):
		m.changeCap(true)
		return nil
	case key.Matches(msg, k.CapDown):
		m.changeCap(false)
		return nil
	case key.Matches(msg, k.History):
		if m.screen == screenHistory {
			m.screen = screenMain
			return nil
		}
		m.screen = screenHistory
		m.layout()
		return m.hist.Query()
	case key.Matches(msg, k.Tiles) && m.screen != screenHistory:
		if m.screen == screenTiles {
			m.screen = screenMain
		} else {
			m.screen = screenTiles
		}
		m.layout()
		return nil
	}
	switch m.screen {
	case screenTiles:
		switch {
		case key.Matches(msg, k.Enter):
			if r := m.focusedRun(); r != nil {
				m.runs.Focus(r.ID)
				m.screen = screenZoom
				m.layout()
			}
		case key.Matches(msg, k.Escape):
			m.screen = screenMain
			m.layout()
		default:
			m.tiles.Update(msg, min(len(m.tileRuns()), m.tiles.Capacity()))
		}
		return nil
	case screenZoom:
		if key.Matches(msg, k.Escape) {
			m.screen = screenTiles
			m.layout()
			return nil
		}
		return m.out.Update(msg)
	}
	switch {
	case key.Matches(msg, k.Batch):
		m.runs.Update(msg) // grouping by batch works from any pane
		return nil
	case key.Matches(msg, k.Tab):
		m.focus = (m.focus + 1) % paneCount
		return nil
	case key.Matches(msg, k.ShiftTab):
		m.focus = (m.focus + paneCount - 1) % paneCount
		return nil
	}
	switch m.focus {
	case paneInventory:
		if key.Matches(msg, k.Enter) {
			return m.cmdline.Focus()
		}
		return m.inv.Update(msg)
	case paneRuns:
		switch {
		case key.Matches(msg, k.Enter):
			m.focus = paneOutput
		case key.Matches(msg, k.Filter):
			m.focus = paneOutput
			return m.out.Update(msg)
		default:
			m.runs.Update(msg)
		}
		return nil
	}
	if key.Matches(msg, k.Escape) {
		m.focus = paneRuns
		return nil
	}
	return m.out.Update(msg)
}

// requestQuit quits, asking first when runs are active.
func (m *model) requestQuit() tea.Cmd {
	n := m.runs.ActiveCount()
	if n == 0 {
		return tea.Quit
	}
	m.confirm = &confirmDialog{action: confirmQuit, title: fmt.Sprintf("Quit with %s?", units.Plural(n, "active run")),
		lines: []string{"They will be cancelled and stored as error · canceled."}}
	return nil
}

// confirmed acts on a confirmation's answer.
func (m *model) confirmed(ans confirmedMsg) tea.Cmd {
	if !ans.yes {
		m.launch = nil
		return nil
	}
	switch ans.action {
	case confirmLaunch:
		devs, cmd := m.launch, m.launchCmd
		m.launch = nil
		return m.startLaunch(devs, cmd)
	case confirmCancelAll:
		return m.cancelAll()
	case confirmQuit:
		m.quitting = true
		m.password.DeclineAll()
		m.hostKeys.Answer(decideRefuse)
		return tea.Batch(m.cancelAll(), after(quitGrace, func(time.Time) tea.Msg { return quitNowMsg{} }))
	}
	return nil
}
