package tui

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// maxHistory is how many commands the command line remembers.
const maxHistory = 1000

// commandLine is where the operator types the command to launch. up/down
// recall earlier commands; the history is kept in a file across restarts
// (read and appended by commands, never inside Update).
type commandLine struct {
	c       *uiContext
	in      textinput.Model
	history []string // oldest first
	idx     int      // recall position; len(history) = the draft
	draft   string
	path    string
	w       int
}

// historyLoadedMsg carries the command history read at start.
type historyLoadedMsg struct{ commands []string }

// commandSubmittedMsg is what the command line emits when enter is pressed
// on a non-empty command.
type commandSubmittedMsg struct{ command string }

func newCommandLine(c *uiContext, historyPath string) *commandLine {
	in := newInput("› ", c.st.Dark)
	in.Placeholder = "command, e.g. show version"
	return &commandLine{c: c, in: in, path: historyPath}
}

// SetWidth sets the line's width.
func (l *commandLine) SetWidth(w int) {
	l.w = w
	l.in.SetWidth(max(w-4, 1))
}

// Focus gives the command line the keys.
func (l *commandLine) Focus() tea.Cmd { return l.in.Focus() }

// Blur takes the keys away.
func (l *commandLine) Blur() { l.in.Blur() }

// Focused reports whether the command line has the keys.
func (l *commandLine) Focused() bool { return l.in.Focused() }

// Value returns the text typed so far.
func (l *commandLine) Value() string { return l.in.Value() }

// Load returns the command that reads the history file.
func (l *commandLine) Load() tea.Cmd {
	path := l.path
	if path == "" {
		return nil
	}
	return func() tea.Msg {
		cmds, _ := loadHistory(path) // a missing or unreadable file is an empty history
		return historyLoadedMsg{commands: cmds}
	}
}

// SetHistory installs the loaded history, keeping commands already typed
// this session after it.
func (l *commandLine) SetHistory(cmds []string) {
	l.history = append(append([]string(nil), cmds...), l.history...)
	if len(l.history) > maxHistory {
		l.history = l.history[len(l.history)-maxHistory:]
	}
	l.idx = len(l.history)
}

// Update handles keys while focused. enter on a non-empty line emits
// commandSubmittedMsg and records it; esc gives the keys back.
func (l *commandLine) Update(msg tea.Msg) tea.Cmd {
	k := l.c.keys
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(km, k.Escape):
			l.in.Blur()
			return nil
		case km.String() == "enter":
			cmd := strings.TrimSpace(l.in.Value())
			if cmd == "" {
				return nil
			}
			l.in.Reset()
			l.in.Blur()
			save := l.remember(cmd)
			return tea.Batch(save, func() tea.Msg { return commandSubmittedMsg{command: cmd} })
		case km.String() == "up":
			l.recall(-1)
			return nil
		case km.String() == "down":
			l.recall(1)
			return nil
		}
	}
	var cmd tea.Cmd
	l.in, cmd = l.in.Update(msg)
	return cmd
}

// recall steps through the history; stepping past the newest returns to
// what was being typed.
func (l *commandLine) recall(dir int) {
	if l.idx == len(l.history) {
		l.draft = l.in.Value()
	}
	l.idx = min(max(l.idx+dir, 0), len(l.history))
	if l.idx == len(l.history) {
		l.in.SetValue(l.draft)
	} else {
		l.in.SetValue(l.history[l.idx])
	}
	l.in.CursorEnd()
}

// remember adds cmd to the history (not twice in a row) and returns the
// command that appends it to the file.
func (l *commandLine) remember(cmd string) tea.Cmd {
	if n := len(l.history); n == 0 || l.history[n-1] != cmd {
		l.history = append(l.history, cmd)
		if len(l.history) > maxHistory {
			l.history = l.history[1:]
		}
	}
	l.idx, l.draft = len(l.history), ""
	path := l.path
	if path == "" {
		return nil
	}
	return func() tea.Msg {
		_ = appendHistory(path, cmd) // losing history is not worth interrupting the operator
		return nil
	}
}

// View renders the line; while it is empty and unfocused it shows hint.
func (l *commandLine) View(hint string) string {
	if !l.in.Focused() && l.in.Value() == "" {
		return fit(l.c.st.Faint.Render(hint), l.w)
	}
	return fit(l.in.View(), l.w)
}

// loadHistory reads the history file, newest last, at most maxHistory.
func loadHistory(path string) ([]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			out = append(out, line)
		}
	}
	if len(out) > maxHistory {
		out = out[len(out)-maxHistory:]
	}
	return out, sc.Err()
}

// appendHistory appends one command to the history file, creating it 0600
// in a 0700 directory.
func appendHistory(path, cmd string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(cmd + "\n"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
