package tui

import "charm.land/bubbles/v2/key"

// The one-line help at the bottom follows the operator: it offers the keys
// that act on the screen, pane or prompt in front of them, most used
// first, so that it never offers a key the screen ignores (space in the
// history, : in a diff). `?` lists every key.

// shortHelp returns the one-line help's bindings for the model's state, in
// the order Update routes keys: a prompt, the full help, a focused input,
// then the screen and its focused pane.
func (m *model) shortHelp() []key.Binding {
	k, r := m.c.keys, m.focusedRun()
	switch {
	case m.password.Len() > 0:
		return []key.Binding{as(k.Enter, "send password"), as(k.Escape, "decline")}
	case m.hostKeys.Len() > 0:
		b := []key.Binding{k.TrustOnce, k.TrustAlways, k.Refuse}
		if m.hostKeys.Scrollable() {
			b = append(b, hint("↑/↓", "more keys", "down", "up"))
		}
		return b
	case m.confirm != nil:
		return []key.Binding{k.Yes, k.No}
	case m.showHelp:
		return []key.Binding{hint("?/esc", "close", "?", "esc")}
	case m.cmdline.Focused():
		return []key.Binding{as(k.Enter, "launch"), hint("↑/↓", "recall", "up", "down"), as(k.Escape, "leave")}
	}
	switch m.screen {
	case screenSearch:
		return m.searchHelp()
	case screenDoc:
		return m.docHelp()
	case screenHistory:
		return m.historyHelp()
	case screenTiles:
		b := []key.Binding{hint("arrows", "move", "left", "right", "up", "down", "tab"), as(k.Enter, "zoom")}
		b = append(b, m.runKeys(r)...)
		return append(b, k.Command, k.Help, hint("t/esc", "panes", "t", "esc"), k.History, as(k.Search, "search output"), k.Quit)
	case screenZoom:
		if m.out.Searching() {
			return inputHelp(k, "find")
		}
		b := append(scrollKeys(k, m.out), m.runKeys(r)...)
		return append(b, as(k.Escape, "tiles"), k.Help, k.Command, k.Quit)
	}
	switch m.focus {
	case paneInventory:
		if m.inv.Filtering() {
			return []key.Binding{hint("type", "filter", "a"), as(k.Enter, "done"), as(k.Escape, "clear filter")}
		}
		b := []key.Binding{k.Toggle, as(k.SelectAll, "all"), k.Command, as(k.Filter, "filter"), k.Help}
		if len(m.inv.selected) > 0 {
			b = append(b, as(k.ClearAll, "clear"))
		}
		b = append(b, m.cancelKeys(r)...) // x acts on the focused run from any pane
		return append(b, as(k.Tab, "runs"), k.Tiles, k.History, as(k.Search, "search output"), k.CapUp, k.Quit)
	case paneRuns:
		b := []key.Binding{hint("↑/↓", "run", "up", "down")}
		if r != nil {
			b = append(b, as(k.Enter, "output"))
		}
		b = append(b, m.cancelKeys(r)...)
		b = append(b, k.Command, k.Help, as(k.Batch, "batches"))
		if r != nil {
			b = append(b, as(k.Group, "fold batch"), as(k.Export, "export"))
		}
		return append(b, as(k.Tab, "output"), k.Tiles, k.History, as(k.Search, "search output"), k.CapUp, k.Quit)
	}
	if m.out.Searching() {
		return inputHelp(k, "find")
	}
	b := append(scrollKeys(k, m.out), m.runKeys(r)...)
	return append(b, as(k.Escape, "runs"), k.Help, k.Command, as(k.Tab, "inventory"), k.Quit)
}

// commandHint is the idle command line's text: how to type a command,
// where : does that, and what to do instead where it does not.
func (m *model) commandHint() string {
	switch m.screen {
	case screenHistory:
		return "› r re-runs the selected run · esc, then :, types a new command"
	case screenSearch, screenDoc:
		return "› esc goes back"
	}
	return "› press : to type a command · enter launches on the selection"
}

// historyHelp is the one-line help of the history screen.
func (m *model) historyHelp() []key.Binding {
	k, v := m.c.keys, m.hist
	switch {
	case v.filtering:
		return []key.Binding{hint("type", "filter", "a"), hint("enter/esc", "done", "enter", "esc")}
	case v.outFocus && v.opened != 0:
		if v.output.Searching() {
			return inputHelp(k, "find")
		}
		return append(scrollKeys(k, v.output), hint("tab/esc", "list", "tab", "esc"), k.Help, k.Quit)
	}
	b := []key.Binding{hint("↑/↓", "run", "up", "down"), as(k.Enter, "open"), k.Rerun, as(k.Filter, "filter"), k.Help,
		as(k.Diff, "compare"), as(k.DiffPrev, "diff previous"), as(k.Group, "fold batch"), as(k.Export, "export")}
	if v.opened != 0 {
		b = append(b, as(k.Tab, "output"))
	}
	return append(b, as(k.Search, "search output"), as(k.Escape, "back"), k.Quit)
}

// searchHelp is the one-line help of the search screen.
func (m *model) searchHelp() []key.Binding {
	k, s := m.c.keys, m.tools().search
	if s.editing {
		return []key.Binding{as(k.Enter, "search"), as(k.Escape, "back")}
	}
	var b []key.Binding
	if len(s.hits) > 1 {
		b = append(b, hint("↑/↓", "hit", "up", "down"))
	}
	if len(s.hits) > 0 {
		b = append(b, as(k.Enter, "open"))
	}
	return append(b, as(k.Filter, "new search"), as(k.Escape, "back"), k.Help, k.Quit)
}

// docHelp is the one-line help of a diff or grouped outputs.
func (m *model) docHelp() []key.Binding {
	k, doc := m.c.keys, m.tools().doc
	var b []key.Binding
	if doc.scrollable() {
		b = append(b, hint("↑/↓", "scroll", "up", "down"), hint("pgup/pgdn", "page", "pgup", "pgdown"), hint("g/G", "top/end", "g", "G"))
	}
	if d := doc.diff; d != nil {
		if d.ignoreVolatile {
			b = append(b, as(k.Volatile, "compare all"))
		} else {
			b = append(b, as(k.Volatile, "ignore uptimes, clocks"))
		}
	}
	return append(b, as(k.Escape, "back"), k.Help, k.Quit)
}

// runKeys are the keys that act on r, the focused run, when there is one.
func (m *model) runKeys(r *runRow) []key.Binding {
	b := m.cancelKeys(r)
	if r != nil {
		b = append(b, as(m.c.keys.Export, "export"))
	}
	return b
}

// cancelKeys are x while r, the focused run, is active and X while any
// run is.
func (m *model) cancelKeys(r *runRow) []key.Binding {
	var b []key.Binding
	if r != nil && r.active() {
		b = append(b, m.c.keys.Cancel)
	}
	if m.runs.ActiveCount() > 0 {
		b = append(b, m.c.keys.CancelAll)
	}
	return b
}

// scrollKeys are the keys of output pane p: none while it shows no run,
// scrolling once the output is longer than the pane, n/N once a search
// has a query.
func scrollKeys(k KeyMap, p *outputPane) []key.Binding {
	if p.ring == nil {
		return nil
	}
	var b []key.Binding
	if p.scrollable() {
		b = append(b, hint("pgup/pgdn", "scroll", "pgup", "pgdown"), hint("g/G", "top/follow", "g", "G"))
	}
	b = append(b, as(k.Filter, "search"))
	if p.query != "" {
		b = append(b, hint("n/N", "next/previous match", "n", "N"))
	}
	return b
}

// inputHelp is the help while a search input has the keys.
func inputHelp(k KeyMap, enter string) []key.Binding {
	return []key.Binding{as(k.Enter, enter), as(k.Escape, "cancel")}
}

// as is b described as desc here.
func as(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// hint is an entry of the help for keys that KeyMap binds under other
// names (or not at all, like typing); it is only shown, never matched.
func hint(keys, desc string, pressed ...string) key.Binding {
	return key.NewBinding(key.WithKeys(pressed...), key.WithHelp(keys, desc))
}
