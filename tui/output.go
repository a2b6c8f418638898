package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// wheelLines is how many lines one mouse wheel step scrolls.
const wheelLines = 3

// outputPane shows one run's output from its line ring. It follows the
// tail until the operator scrolls; then it stays put and counts the lines
// that arrived since ("N new lines") until G. Only the visible window is
// wrapped and rendered, so its cost does not depend on the output's size.
type outputPane struct {
	c      *uiContext
	title  string
	ring   *lineRing
	follow bool
	top    int // first visible line number when not following
	seen   int // ring.End() when following stopped

	search    textinput.Model
	searching bool
	query     string
	match     int // line number of the current match, -1 for none
	note      string

	w, h int
}

func newOutputPane(c *uiContext) *outputPane {
	return &outputPane{c: c, follow: true, match: -1, search: newInput("/", c.st.Dark)}
}

// SetSize sets the pane's outer size.
func (p *outputPane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.search.SetWidth(max(w-4, 1))
}

// SetRing shows another ring (another run), following its tail.
func (p *outputPane) SetRing(r *lineRing, title string) {
	if r != p.ring {
		p.follow, p.match, p.note = true, -1, ""
	}
	p.ring, p.title = r, title
}

// SetTitle changes the title (the run's state changed).
func (p *outputPane) SetTitle(title string) { p.title = title }

// Following reports whether the pane follows the tail.
func (p *outputPane) Following() bool { return p.follow }

// Searching reports whether the search input has the keys.
func (p *outputPane) Searching() bool { return p.searching }

// NewLines returns how many lines arrived since the pane stopped following.
func (p *outputPane) NewLines() int {
	if p.follow || p.ring == nil {
		return 0
	}
	return max(p.ring.End()-p.seen, 0)
}

func (p *outputPane) rows() int { return max(p.h-2, 1) }
func (p *outputPane) cols() int { return max(p.w-2, 1) }

// tailTop returns the first line shown when following the tail.
func (p *outputPane) tailTop() int {
	if p.ring == nil {
		return 0
	}
	n, h, w := p.ring.End()-1, p.rows(), p.cols()
	for used := 0; n >= p.ring.First(); n-- {
		used += len(wrapLine(p.ring.Line(n), w))
		if used >= h {
			return n
		}
	}
	return p.ring.First()
}

// scrollable reports whether the output is longer than the pane.
func (p *outputPane) scrollable() bool {
	return p.ring != nil && p.tailTop() > p.ring.First()
}

// unfollow stops following, keeping the current view in place.
func (p *outputPane) unfollow() {
	if p.follow && p.ring != nil {
		p.top = p.tailTop()
		p.seen = p.ring.End()
		p.follow = false
	}
}

// ScrollUp moves the view n lines towards the start.
func (p *outputPane) ScrollUp(n int) {
	if p.ring == nil {
		return
	}
	p.unfollow()
	p.top = max(p.top-n, p.ring.First())
}

// ScrollDown moves the view n lines towards the end; it does not resume
// following (G does).
func (p *outputPane) ScrollDown(n int) {
	if p.ring == nil || p.follow {
		return
	}
	p.top = min(p.top+n, p.tailTop())
}

// Top shows the first line held.
func (p *outputPane) Top() {
	if p.ring == nil {
		return
	}
	p.unfollow()
	p.top = p.ring.First()
}

// Bottom resumes following the tail.
func (p *outputPane) Bottom() { p.follow = true }

// Update handles keys and wheel events when the pane has focus.
func (p *outputPane) Update(msg tea.Msg) tea.Cmd {
	if p.searching {
		return p.updateSearch(msg)
	}
	k := p.c.keys
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			p.ScrollUp(wheelLines)
		case tea.MouseWheelDown:
			p.ScrollDown(wheelLines)
		}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.PageUp):
			p.ScrollUp(p.rows() - 1)
		case key.Matches(msg, k.PageDown):
			p.ScrollDown(p.rows() - 1)
		case key.Matches(msg, k.Up):
			p.ScrollUp(1)
		case key.Matches(msg, k.Down):
			p.ScrollDown(1)
		case key.Matches(msg, k.Top):
			p.Top()
		case key.Matches(msg, k.Bottom):
			p.Bottom()
		case key.Matches(msg, k.Filter):
			p.searching = true
			p.search.SetValue(p.query)
			p.search.CursorEnd()
			return p.search.Focus()
		case key.Matches(msg, k.NextMatch):
			p.step(1)
		case key.Matches(msg, k.PrevMatch):
			p.step(-1)
		}
	}
	return nil
}

func (p *outputPane) updateSearch(msg tea.Msg) tea.Cmd {
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(km, p.c.keys.Enter):
			p.searching = false
			p.search.Blur()
			p.query = p.search.Value()
			p.match = -1
			p.step(1)
			return nil
		case key.Matches(km, p.c.keys.Escape):
			p.searching = false
			p.search.Blur()
			return nil
		}
	}
	var cmd tea.Cmd
	p.search, cmd = p.search.Update(msg)
	return cmd
}

// step moves to the next (dir 1) or previous (dir -1) line matching the
// query, wrapping around, and scrolls it into view.
func (p *outputPane) step(dir int) {
	if p.ring == nil || p.query == "" {
		return
	}
	first, end := p.ring.First(), p.ring.End()
	if end == first {
		p.note = "no lines"
		return
	}
	from := p.match
	if from < first || from >= end {
		if p.follow {
			from = end
		} else {
			from = p.top - 1
		}
		if dir < 0 && !p.follow {
			from = p.top
		}
	}
	n := end - first
	for i := 1; i <= n; i++ {
		ln := first + ((from-first+dir*i)%n+n)%n
		if containsFold(p.ring.Line(ln), p.query) {
			p.match = ln
			p.note = ""
			p.unfollow()
			p.top = max(min(ln-p.rows()/3, p.tailTop()), first)
			return
		}
	}
	p.match = -1
	p.note = fmt.Sprintf("no match for %q", p.query)
}

// visible returns the rows to draw: the window of lines at the tail when
// following, else from top, each wrapped to the pane's width.
func (p *outputPane) visible() []string {
	if p.ring == nil {
		return nil
	}
	h, w := p.rows(), p.cols()
	st := p.c.st
	render := func(n int) []string {
		line := expandTabs(p.ring.Line(n))
		if p.query != "" {
			style := st.Match
			if n == p.match {
				style = st.MatchFocus
			}
			line = highlight(line, p.query, style)
		}
		return wrapLine(line, w)
	}
	if p.follow {
		return lastRows(p.ring, h, render)
	}
	var rows []string
	top := max(p.top, p.ring.First())
	for n := top; n < p.ring.End() && len(rows) < h; n++ {
		rows = append(rows, render(n)...)
	}
	if len(rows) > h {
		rows = rows[:h]
	}
	return rows
}

// footer describes the position: follow, new lines, search state.
func (p *outputPane) footer() string {
	if p.ring == nil {
		return ""
	}
	var parts []string
	if p.follow {
		parts = append(parts, "following")
	} else {
		parts = append(parts, fmt.Sprintf("line %d/%d", p.top+1, p.ring.End()))
		if n := p.NewLines(); n > 0 {
			parts = append(parts, p.c.st.Warn.Render(fmt.Sprintf("↓ %d new lines (G)", n)))
		}
	}
	if d := p.ring.Dropped(); d > 0 {
		parts = append(parts, fmt.Sprintf("%d older lines in history", d))
	}
	if p.query != "" {
		parts = append(parts, "/"+p.query)
	}
	if p.note != "" {
		parts = append(parts, p.c.st.Warn.Render(p.note))
	}
	return strings.Join(parts, " · ")
}

// View renders the pane in its box.
func (p *outputPane) View(focused bool) string {
	rows := p.visible()
	if p.ring == nil {
		rows = []string{p.c.st.Faint.Render("no run focused")}
	}
	if p.searching {
		if len(rows) >= p.rows() {
			rows = rows[:p.rows()-1]
		}
		for len(rows) < p.rows()-1 {
			rows = append(rows, "")
		}
		rows = append(rows, p.search.View())
	}
	title := p.title
	if title == "" {
		title = "Output"
	}
	return box(p.c.st, title, p.footer(), rows, p.w, p.h, focused)
}
