package tui

import "charm.land/bubbles/v2/key"

// KeyMap is every key binding of the console; the help bubble shows it
// all on ?, and the one-line help those that act where the operator is
// (help.go).
type KeyMap struct {
	Up, Down, Tab, ShiftTab        key.Binding
	Command, Filter, Escape, Enter key.Binding
	Toggle, SelectAll, ClearAll    key.Binding
	PageUp, PageDown, Top, Bottom  key.Binding
	NextMatch, PrevMatch           key.Binding
	Cancel, CancelAll              key.Binding
	Tiles, History, Batch, Rerun   key.Binding
	CapUp, CapDown                 key.Binding
	Help, Quit                     key.Binding
	Yes, No                        key.Binding
	TrustOnce, TrustAlways, Refuse key.Binding
	Left, Right                    key.Binding
	Search, Diff, DiffPrev         key.Binding
	Export, Group, Volatile        key.Binding
}

// DefaultKeyMap returns the console's key bindings.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return KeyMap{
		Up:          b([]string{"up", "k"}, "↑/k", "up"),
		Down:        b([]string{"down", "j"}, "↓/j", "down"),
		Left:        b([]string{"left", "h"}, "←/h", "left"),
		Right:       b([]string{"right", "l"}, "→/l", "right"),
		Tab:         b([]string{"tab"}, "tab", "next pane"),
		ShiftTab:    b([]string{"shift+tab"}, "shift+tab", "previous pane"),
		Command:     b([]string{":"}, ":", "command"),
		Filter:      b([]string{"/"}, "/", "filter/search"),
		Escape:      b([]string{"esc"}, "esc", "back"),
		Enter:       b([]string{"enter"}, "enter", "open/launch"),
		Toggle:      b([]string{"space"}, "space", "select"),
		SelectAll:   b([]string{"a"}, "a", "select visible"),
		ClearAll:    b([]string{"A"}, "A", "clear selection"),
		PageUp:      b([]string{"pgup", "ctrl+u"}, "pgup", "page up"),
		PageDown:    b([]string{"pgdown", "ctrl+d"}, "pgdn", "page down"),
		Top:         b([]string{"g", "home"}, "g", "top"),
		Bottom:      b([]string{"G", "end"}, "G", "follow tail"),
		NextMatch:   b([]string{"n"}, "n", "next match"),
		PrevMatch:   b([]string{"N"}, "N", "previous match"),
		Cancel:      b([]string{"x"}, "x", "cancel run"),
		CancelAll:   b([]string{"X"}, "X", "cancel all"),
		Tiles:       b([]string{"t"}, "t", "tiles"),
		History:     b([]string{"H"}, "H", "history"),
		Batch:       b([]string{"b"}, "b", "group by batch"),
		Rerun:       b([]string{"r"}, "r", "re-run"),
		CapUp:       b([]string{"+", "="}, "+/-", "site cap"),
		CapDown:     b([]string{"-"}, "-", "lower site cap"),
		Help:        b([]string{"?"}, "?", "help"),
		Quit:        b([]string{"q", "ctrl+c"}, "q", "quit"),
		Yes:         b([]string{"y", "Y"}, "y", "yes"),
		No:          b([]string{"n", "N", "esc"}, "n/esc", "no"),
		TrustOnce:   b([]string{"o"}, "o", "trust once"),
		TrustAlways: b([]string{"a"}, "a", "trust always"),
		Refuse:      b([]string{"r", "esc"}, "r/esc", "refuse"),
		Search:      b([]string{"S"}, "S", "search all output"),
		Diff:        b([]string{"d"}, "d", "compare 2 runs (history)"),
		DiffPrev:    b([]string{"D"}, "D", "diff with previous run"),
		Export:      b([]string{"e"}, "e", "export run"),
		Group:       b([]string{"O"}, "O", "group batch outputs"),
		Volatile:    b([]string{"v"}, "v", "diff: ignore uptimes, clocks"),
	}
}

// FullHelp is the help shown by ?, one column per concern.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Tab, k.ShiftTab, k.Enter, k.Escape},
		{k.Toggle, k.SelectAll, k.ClearAll, k.Filter, k.Command},
		{k.PageUp, k.PageDown, k.Top, k.Bottom, k.NextMatch, k.PrevMatch},
		{k.Cancel, k.CancelAll, k.Tiles, k.Batch, k.History, k.Rerun},
		{k.Search, k.Diff, k.DiffPrev, k.Volatile, k.Export, k.Group},
		{k.CapUp, k.CapDown, k.Help, k.Quit},
	}
}
