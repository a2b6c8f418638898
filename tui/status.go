package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"netauto/quota"
)

// gaugeCells is the width of the global gauge's bar.
const gaugeCells = 8

// statusBar shows the quota gauges: global active/cap with a bar, then each
// site's active/cap and its queued count. The current site (the one + and
// - act on) is shown first after global, bracketed.
type statusBar struct {
	c    *uiContext
	snap quota.Snapshot
	site string
	note string
	w    int
}

func newStatusBar(c *uiContext) *statusBar { return &statusBar{c: c} }

// SetWidth sets the bar's width.
func (b *statusBar) SetWidth(w int) { b.w = w }

// SetSnapshot installs the latest quota state.
func (b *statusBar) SetSnapshot(s quota.Snapshot) { b.snap = s }

// SetSite sets the current site.
func (b *statusBar) SetSite(site string) { b.site = site }

// SetNote shows a short message at the end of the bar ("" clears it).
func (b *statusBar) SetNote(note string) { b.note = note }

// capText renders active/cap, with ∞ for no cap.
func capText(u quota.Usage) string {
	if u.Limit < 0 {
		return fmt.Sprintf("%d/∞", u.Active)
	}
	return fmt.Sprintf("%d/%d", u.Active, u.Limit)
}

// bar renders a gauge of n cells filled in proportion active/limit.
func (b *statusBar) bar(u quota.Usage, n int) string {
	filled := 0
	if u.Limit > 0 {
		filled = min((u.Active*n+u.Limit-1)/u.Limit, n)
	} else if u.Limit == 0 && u.Active > 0 {
		filled = n
	}
	return b.c.st.GaugeFull.Render(strings.Repeat("▰", filled)) + b.c.st.GaugeEmpty.Render(strings.Repeat("▱", n-filled))
}

// siteGauge renders one site's gauge.
func (b *statusBar) siteGauge(name string, u quota.Usage) string {
	st := b.c.st
	s := name + " " + capText(u)
	if u.Waiting > 0 {
		s += fmt.Sprintf(" ⧗%d", u.Waiting)
	}
	switch {
	case name == b.site:
		return st.Selected.Render("[" + s + "]")
	case u.Limit >= 0 && u.Active >= u.Limit:
		return st.Warn.Render(s)
	case u.Active > 0:
		return st.Running.Render(s)
	}
	return st.Faint.Render(s)
}

// View renders the bar to its width.
func (b *statusBar) View() string {
	g := b.snap.Global
	head := "quota " + b.bar(g, gaugeCells) + " " + capText(g)
	if b.snap.Waiting > 0 {
		head += b.c.st.Warn.Render(fmt.Sprintf(" ⧗%d queued", b.snap.Waiting))
	}
	names := make([]string, 0, len(b.snap.Sites))
	for name := range b.snap.Sites {
		if name != b.site {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if _, ok := b.snap.Sites[b.site]; ok {
		names = append([]string{b.site}, names...)
	}
	tail := ""
	if b.note != "" {
		tail = "  " + b.c.st.Warn.Render(b.note)
	}
	room := b.w - ansi.StringWidth(head) - ansi.StringWidth(tail)
	out := head
	for i, name := range names {
		g := "  " + b.siteGauge(name, b.snap.Sites[name])
		more := ""
		if left := len(names) - i - 1; left > 0 {
			more = fmt.Sprintf("  +%d", left)
		}
		if ansi.StringWidth(g)+ansi.StringWidth(more) > room {
			out += b.c.st.Faint.Render(fmt.Sprintf("  +%d", len(names)-i))
			break
		}
		out += g
		room -= ansi.StringWidth(g)
	}
	return fit(out+tail, b.w)
}

// nextCap returns the site cap after pressing + (up) or - (down), and
// whether it changes: a capped site moves by one (not below 0); an uncapped
// site gets a cap equal to its current load on -, and + leaves it uncapped.
// + on a cap that reaches the global cap (global, negative for none)
// lifts it: a site cap at or above the global one bounds nothing.
func nextCap(u quota.Usage, global int, up bool) (int, bool) {
	switch {
	case u.Limit < 0 && up:
		return -1, false
	case u.Limit < 0:
		return max(u.Active, 1), true
	case up && global >= 0 && u.Limit+1 >= global:
		return -1, true
	case up:
		return u.Limit + 1, true
	case u.Limit == 0:
		return 0, false
	}
	return u.Limit - 1, true
}
