package tui

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"netauto/inventory"
)

// noSite is the heading of devices that belong to no site.
const noSite = "(no site)"

// invKind says what an inventory row is.
type invKind int

const (
	invSite invKind = iota
	invGroup
	invDevice
)

// invRow is one row of the inventory pane: a site heading, a group heading
// under it, or a device.
type invRow struct {
	kind  invKind
	site  string
	group string
	dev   int // index into devices, for device rows
	count int // devices under a heading
}

// inventoryPane lists devices grouped by site and then by their first
// group, with platform and the state of each device's latest run. "/"
// filters as you type on name, site, group or platform (all words must
// match); space toggles the device or heading under the cursor, a selects
// every visible device, A clears the selection.
type inventoryPane struct {
	c        *uiContext
	devices  []inventory.Device
	selected map[string]bool
	latest   map[string]*runRow

	filter    textinput.Model
	filtering bool

	rows   []invRow
	cursor int
	offset int
	w, h   int
}

func newInventoryPane(c *uiContext, devices []inventory.Device) *inventoryPane {
	p := &inventoryPane{
		c:        c,
		devices:  devices,
		selected: map[string]bool{},
		latest:   map[string]*runRow{},
		filter:   newInput("/", c.st.Dark),
	}
	p.rebuild()
	return p
}

// SetSize sets the pane's outer size.
func (p *inventoryPane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.filter.SetWidth(max(w-4, 1))
}

// SetLatest records the latest run of a device.
func (p *inventoryPane) SetLatest(r *runRow) { p.latest[r.Device] = r }

// Filtering reports whether the filter input has the keys.
func (p *inventoryPane) Filtering() bool { return p.filtering }

// siteOf is the heading a device is listed under.
func siteOf(d inventory.Device) string {
	if d.Site == "" {
		return noSite
	}
	return d.Site
}

// groupOf is the sub-heading a device is listed under ("" for none).
func groupOf(d inventory.Device) string {
	if len(d.Groups) == 0 {
		return ""
	}
	return d.Groups[0]
}

// matches reports whether a device matches every word of the filter.
func matches(d inventory.Device, words []string) bool {
	hay := strings.ToLower(strings.Join(append([]string{d.Name, d.Site, string(d.Platform), d.Host}, d.Groups...), " "))
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// rebuild recomputes the visible rows from the devices and the filter,
// keeping the cursor on the same device or heading when it is still shown.
func (p *inventoryPane) rebuild() {
	var keep invRow
	hadCursor := p.cursor < len(p.rows)
	if hadCursor {
		keep = p.rows[p.cursor]
	}
	words := strings.Fields(strings.ToLower(p.filter.Value()))
	var vis []int
	for i, d := range p.devices {
		if matches(d, words) {
			vis = append(vis, i)
		}
	}
	sort.SliceStable(vis, func(a, b int) bool {
		da, db := p.devices[vis[a]], p.devices[vis[b]]
		if sa, sb := siteOf(da), siteOf(db); sa != sb {
			if sa == noSite || sb == noSite {
				return sb == noSite
			}
			return sa < sb
		}
		if ga, gb := groupOf(da), groupOf(db); ga != gb {
			return ga < gb
		}
		return da.Name < db.Name
	})
	p.rows = p.rows[:0]
	for i := 0; i < len(vis); {
		site := siteOf(p.devices[vis[i]])
		head := len(p.rows)
		p.rows = append(p.rows, invRow{kind: invSite, site: site})
		j := i
		for j < len(vis) && siteOf(p.devices[vis[j]]) == site {
			group := groupOf(p.devices[vis[j]])
			ghead := -1
			if group != "" {
				ghead = len(p.rows)
				p.rows = append(p.rows, invRow{kind: invGroup, site: site, group: group})
			}
			k := j
			for k < len(vis) && siteOf(p.devices[vis[k]]) == site && groupOf(p.devices[vis[k]]) == group {
				p.rows = append(p.rows, invRow{kind: invDevice, site: site, group: group, dev: vis[k]})
				k++
			}
			if ghead >= 0 {
				p.rows[ghead].count = k - j
			}
			j = k
		}
		p.rows[head].count = j - i
		i = j
	}
	p.cursor = 0
	if hadCursor {
		for i, r := range p.rows {
			if r.kind == keep.kind && r.site == keep.site && r.group == keep.group && (r.kind != invDevice || r.dev == keep.dev) {
				p.cursor = i
				break
			}
		}
	}
}

// under returns the devices the row covers (one, or a heading's devices).
func (p *inventoryPane) under(i int) []inventory.Device {
	if i < 0 || i >= len(p.rows) {
		return nil
	}
	r := p.rows[i]
	if r.kind == invDevice {
		return []inventory.Device{p.devices[r.dev]}
	}
	var out []inventory.Device
	for _, x := range p.rows[i+1:] {
		if x.kind == invSite || (r.kind == invGroup && x.kind == invGroup) {
			break
		}
		if x.kind == invDevice {
			out = append(out, p.devices[x.dev])
		}
	}
	return out
}

// Toggle flips the selection of the device or heading under the cursor; a
// heading selects all its devices unless all are already selected.
func (p *inventoryPane) Toggle() {
	devs := p.under(p.cursor)
	all := len(devs) > 0
	for _, d := range devs {
		all = all && p.selected[d.Name]
	}
	for _, d := range devs {
		if all {
			delete(p.selected, d.Name)
		} else {
			p.selected[d.Name] = true
		}
	}
}

// SelectVisible selects every device the filter shows.
func (p *inventoryPane) SelectVisible() {
	for _, r := range p.rows {
		if r.kind == invDevice {
			p.selected[p.devices[r.dev].Name] = true
		}
	}
}

// Clear empties the selection.
func (p *inventoryPane) Clear() { clear(p.selected) }

// Selection returns the selected devices in inventory order.
func (p *inventoryPane) Selection() []inventory.Device {
	var out []inventory.Device
	for _, d := range p.devices {
		if p.selected[d.Name] {
			out = append(out, d)
		}
	}
	return out
}

// Targets returns what a launch runs on: the selection, else the devices
// under the cursor.
func (p *inventoryPane) Targets() []inventory.Device {
	if s := p.Selection(); len(s) > 0 {
		return s
	}
	return p.under(p.cursor)
}

// CursorSite returns the site of the row under the cursor ("" if none).
func (p *inventoryPane) CursorSite() string {
	if p.cursor >= len(p.rows) || p.rows[p.cursor].site == noSite {
		return ""
	}
	return p.rows[p.cursor].site
}

// Update handles keys when the pane has focus.
func (p *inventoryPane) Update(msg tea.KeyPressMsg) tea.Cmd {
	k := p.c.keys
	if p.filtering {
		switch {
		case key.Matches(msg, k.Enter), key.Matches(msg, k.Up), key.Matches(msg, k.Down):
			p.filtering = false
			p.filter.Blur()
			if !key.Matches(msg, k.Enter) {
				return p.Update(msg)
			}
			return nil
		case key.Matches(msg, k.Escape):
			p.filtering = false
			p.filter.Blur()
			p.filter.SetValue("")
			p.rebuild()
			return nil
		}
		var cmd tea.Cmd
		p.filter, cmd = p.filter.Update(msg)
		p.rebuild()
		return cmd
	}
	switch {
	case key.Matches(msg, k.Up):
		p.cursor = max(p.cursor-1, 0)
	case key.Matches(msg, k.Down):
		p.cursor = min(p.cursor+1, max(len(p.rows)-1, 0))
	case key.Matches(msg, k.PageUp):
		p.cursor = max(p.cursor-(p.h-3), 0)
	case key.Matches(msg, k.PageDown):
		p.cursor = min(p.cursor+(p.h-3), max(len(p.rows)-1, 0))
	case key.Matches(msg, k.Top):
		p.cursor = 0
	case key.Matches(msg, k.Bottom):
		p.cursor = max(len(p.rows)-1, 0)
	case key.Matches(msg, k.Toggle):
		p.Toggle()
	case key.Matches(msg, k.SelectAll):
		p.SelectVisible()
	case key.Matches(msg, k.ClearAll):
		p.Clear()
	case key.Matches(msg, k.Filter):
		p.filtering = true
		p.filter.CursorEnd()
		return p.filter.Focus()
	case key.Matches(msg, k.Escape):
		if p.filter.Value() != "" {
			p.filter.SetValue("")
			p.rebuild()
		}
	}
	return nil
}

// renderRow renders row i to width w.
func (p *inventoryPane) renderRow(i, w int) string {
	st := p.c.st
	r := p.rows[i]
	switch r.kind {
	case invSite, invGroup:
		devs := p.under(i)
		sel := 0
		for _, d := range devs {
			if p.selected[d.Name] {
				sel++
			}
		}
		label, indent := r.site, ""
		if r.kind == invGroup {
			label, indent = r.group, "  "
		}
		mark := "▾ "
		if r.kind == invGroup {
			mark = "• "
		}
		text := fmt.Sprintf("%s%s%s (%d)", indent, mark, label, r.count)
		if sel > 0 {
			text += fmt.Sprintf(" %d sel", sel)
		}
		return st.Header.Render(text)
	}
	d := p.devices[r.dev]
	check := "[ ]"
	if p.selected[d.Name] {
		check = st.Selected.Render("[x]")
	}
	state := " "
	if lr := p.latest[d.Name]; lr != nil {
		state = lr.glyph(st, p.c.frame)
	}
	indent := "  "
	if r.group != "" {
		indent = "    "
	}
	if w < 30 { // narrow: the name matters more than the platform
		return fmt.Sprintf("%s%s %s %s", indent, check, fit(d.Name, max(w-len(indent)-6, 4)), state)
	}
	plat := string(d.Platform)
	nameW := max(w-len(indent)-4-len(plat)-3, 4)
	return fmt.Sprintf("%s%s %s %s %s", indent, check, fit(d.Name, nameW), st.Faint.Render(plat), state)
}

// View renders the pane in its box.
func (p *inventoryPane) View(focused bool) string {
	inner := p.w - 2
	h := p.h - 2
	if p.filtering || p.filter.Value() != "" {
		h--
	}
	p.offset = window(p.cursor, p.offset, h, len(p.rows))
	var lines []string
	if p.filtering || p.filter.Value() != "" {
		lines = append(lines, p.filter.View())
	}
	for i := p.offset; i < len(p.rows) && i < p.offset+h; i++ {
		line := p.renderRow(i, inner)
		if i == p.cursor && focused {
			line = p.c.st.Cursor.Render(fit(ansi.Strip(line), inner))
		}
		lines = append(lines, line)
	}
	if len(p.rows) == 0 {
		lines = append(lines, p.c.st.Faint.Render("no device matches"))
	}
	shown := 0
	for _, r := range p.rows {
		if r.kind == invDevice {
			shown++
		}
	}
	title := fmt.Sprintf("Inventory %d/%d", shown, len(p.devices))
	footer := ""
	if n := len(p.selected); n > 0 {
		footer = fmt.Sprintf("%d selected", n)
	}
	return box(p.c.st, title, footer, lines, p.w, p.h, focused)
}
