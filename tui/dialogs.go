package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"netauto/inventory"
)

// confirmAction is what a yes to a confirmation does.
type confirmAction int

const (
	confirmLaunch confirmAction = iota + 1
	confirmCancelAll
	confirmQuit
)

// confirmDialog asks a yes/no question; y confirms, n or esc declines.
type confirmDialog struct {
	action confirmAction
	title  string
	lines  []string
}

// confirmedMsg reports the operator's answer to a confirmation.
type confirmedMsg struct {
	action confirmAction
	yes    bool
}

// Update handles the dialog's keys; it returns the answer when one is given.
func (d *confirmDialog) Update(k KeyMap, msg tea.KeyPressMsg) (confirmedMsg, bool) {
	switch {
	case key.Matches(msg, k.Yes):
		return confirmedMsg{action: d.action, yes: true}, true
	case key.Matches(msg, k.No):
		return confirmedMsg{action: d.action}, true
	}
	return confirmedMsg{}, false
}

// View renders the dialog for a screen w cells wide.
func (d *confirmDialog) View(st Styles, w int) string {
	body := append([]string{st.Warn.Render(d.title), ""}, d.lines...)
	body = append(body, "", st.Key.Render("y")+" yes   "+st.Key.Render("n/esc")+" no")
	return dialogBox(st, body, w)
}

// dialogBox frames dialog lines, at most 72 cells wide and within w.
func dialogBox(st Styles, lines []string, w int) string {
	inner := min(max(w-8, 20), 72)
	for i, l := range lines {
		lines[i] = fit(l, inner)
	}
	return st.Dialog.Render(strings.Join(lines, "\n"))
}

// hostKeyDecision is the operator's answer about unknown host keys.
type hostKeyDecision int

const (
	decideRefuse hostKeyDecision = iota
	decideTrustOnce
	decideTrustAlways
)

// hostKeyPrompt is one unknown host key awaiting the operator's decision;
// the adapter goroutine that asked waits on reply (buffered, size 1).
type hostKeyPrompt struct {
	device      string
	host        string
	keyType     string
	fingerprint string
	reply       chan hostKeyDecision
}

// hostKeyDialog lists every unknown host key met so far (questions that
// arrive while it is open join the list) and answers them together: o
// trust once, a trust always, r or esc refuse. When the keys do not fit
// the screen, the arrows, pgup/pgdn and g/G scroll the list, so that every
// fingerprint can be read before the answer covers them all.
type hostKeyDialog struct {
	prompts []hostKeyPrompt
	offset  int // the first key shown
	rows    int // how many keys the screen has room for (SetHeight)
}

// SetHeight fits the list to a screen h rows high: two rows a key, beside
// the dialog's title, text, answers and border.
func (d *hostKeyDialog) SetHeight(h int) { d.rows = max((h-12)/2, 1) }

// Add puts one more question in the list.
func (d *hostKeyDialog) Add(p hostKeyPrompt) { d.prompts = append(d.prompts, p) }

// Len returns how many keys await a decision.
func (d *hostKeyDialog) Len() int { return len(d.prompts) }

// Scrollable reports whether some keys are out of the list's view.
func (d *hostKeyDialog) Scrollable() bool { return len(d.prompts) > d.room() }

// room is how many keys the list shows: all of them when at most one more
// than its rows.
func (d *hostKeyDialog) room() int {
	if d.rows <= 0 || len(d.prompts) <= d.rows+1 {
		return len(d.prompts)
	}
	return d.rows
}

// Update scrolls the list, or answers every listed key on o, a or r/esc and
// reports whether it did (the dialog is then empty).
func (d *hostKeyDialog) Update(k KeyMap, msg tea.KeyPressMsg) (hostKeyDecision, bool) {
	last := len(d.prompts) - d.room()
	switch {
	case key.Matches(msg, k.Up):
		d.offset = max(d.offset-1, 0)
	case key.Matches(msg, k.Down):
		d.offset = min(d.offset+1, last)
	case key.Matches(msg, k.PageUp):
		d.offset = max(d.offset-d.room(), 0)
	case key.Matches(msg, k.PageDown):
		d.offset = min(d.offset+d.room(), last)
	case key.Matches(msg, k.Top):
		d.offset = 0
	case key.Matches(msg, k.Bottom):
		d.offset = last
	}
	var dec hostKeyDecision
	switch {
	case key.Matches(msg, k.TrustOnce):
		dec = decideTrustOnce
	case key.Matches(msg, k.TrustAlways):
		dec = decideTrustAlways
	case key.Matches(msg, k.Refuse):
		dec = decideRefuse
	default:
		return 0, false
	}
	d.Answer(dec)
	return dec, true
}

// Answer sends dec to every waiting question and empties the list. Replies
// are buffered, so a question whose asker gave up does not block.
func (d *hostKeyDialog) Answer(dec hostKeyDecision) {
	for _, p := range d.prompts {
		select {
		case p.reply <- dec:
		default:
		}
	}
	d.prompts, d.offset = nil, 0
}

// View renders the dialog for a screen w wide (its height: SetHeight).
func (d *hostKeyDialog) View(st Styles, w int) string {
	title := "Unknown host key"
	if len(d.prompts) > 1 {
		title = fmt.Sprintf("%d unknown host keys", len(d.prompts))
	}
	lines := []string{st.Warn.Render(title), "No known_hosts file knows these keys. Check the fingerprints:", ""}
	// Two lines a key: the fingerprint (SHA256: and 43 characters) on a
	// line of its own, so that a narrow dialog never cuts what the operator
	// must compare.
	room := d.room()
	d.offset = min(d.offset, len(d.prompts)-room)
	for _, p := range d.prompts[d.offset : d.offset+room] {
		lines = append(lines, fmt.Sprintf("%s %s  %s", fit(p.device, 20), fit(p.host, 24), p.keyType), "  "+p.fingerprint)
	}
	if room < len(d.prompts) {
		lines = append(lines, st.Faint.Render(fmt.Sprintf("keys %d–%d of %d · ↑/↓ pgup/pgdn g/G show the others",
			d.offset+1, d.offset+room, len(d.prompts))))
	}
	scope := "this key"
	if len(d.prompts) > 1 {
		scope = "all of them"
	}
	lines = append(lines, "",
		st.Key.Render("o")+" trust "+scope+" once   "+st.Key.Render("a")+" trust always (known_hosts)   "+st.Key.Render("r/esc")+" refuse")
	return dialogBox(st, lines, w)
}

// passwordReply is the answer to a password prompt.
type passwordReply struct {
	secret string
	err    error
}

// passwordPrompt is one secret an adapter goroutine waits for.
type passwordPrompt struct {
	dev   inventory.Device
	what  string
	reply chan passwordReply
}

// errPasswordDeclined is what the adapter gets when the operator presses
// esc at a password prompt.
var errPasswordDeclined = fmt.Errorf("password prompt declined by the operator")

// passwordDialog asks for one secret at a time, masked; enter answers, esc
// declines. The secret lives only in the reply (the adapter keeps it in
// memory); the input is cleared at once.
type passwordDialog struct {
	queue []passwordPrompt
	in    textinput.Model
}

func newPasswordDialog(dark bool) *passwordDialog {
	in := newInput("password: ", dark)
	in.EchoMode = textinput.EchoPassword
	in.EchoCharacter = '•'
	return &passwordDialog{in: in}
}

// Add queues a prompt and returns the command that focuses the input when
// it is the first.
func (d *passwordDialog) Add(p passwordPrompt) tea.Cmd {
	d.queue = append(d.queue, p)
	if len(d.queue) == 1 {
		d.in.Reset()
		return d.in.Focus()
	}
	return nil
}

// Len returns how many prompts wait.
func (d *passwordDialog) Len() int { return len(d.queue) }

// Update handles keys for the prompt in front.
func (d *passwordDialog) Update(k KeyMap, msg tea.Msg) tea.Cmd {
	if len(d.queue) == 0 {
		return nil
	}
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case km.String() == "enter":
			d.answer(passwordReply{secret: d.in.Value()})
			return d.next()
		case key.Matches(km, k.Escape):
			d.answer(passwordReply{err: errPasswordDeclined})
			return d.next()
		}
	}
	var cmd tea.Cmd
	d.in, cmd = d.in.Update(msg)
	return cmd
}

func (d *passwordDialog) answer(r passwordReply) {
	select {
	case d.queue[0].reply <- r:
	default:
	}
	d.in.Reset()
	d.queue = d.queue[1:]
}

func (d *passwordDialog) next() tea.Cmd {
	if len(d.queue) == 0 {
		d.in.Blur()
		return nil
	}
	return d.in.Focus()
}

// DeclineAll answers every waiting prompt with an error (quit).
func (d *passwordDialog) DeclineAll() {
	for len(d.queue) > 0 {
		d.answer(passwordReply{err: errPasswordDeclined})
	}
	d.in.Blur()
}

// View renders the prompt in front.
func (d *passwordDialog) View(st Styles, w int) string {
	p := d.queue[0]
	what := p.what
	if what == "" {
		what = "password"
	}
	lines := []string{
		st.Warn.Render(fmt.Sprintf("%s for %s", what, p.dev.Name)),
		st.Faint.Render(fmt.Sprintf("%s@%s · kept in memory for this session only", p.dev.Username, p.dev.Host)),
		"",
		d.in.View(),
		"",
		st.Key.Render("enter") + " submit   " + st.Key.Render("esc") + " decline",
	}
	if n := len(d.queue) - 1; n > 0 {
		lines = append(lines, st.Faint.Render(fmt.Sprintf("%d more prompts waiting", n)))
	}
	return dialogBox(st, lines, w)
}
