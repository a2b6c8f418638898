package tui

import "charm.land/bubbles/v2/textinput"

// newInput returns a one-line text input with the given prompt, styled for
// the background; the cursor does not blink.
func newInput(prompt string, dark bool) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	st := textinput.DefaultStyles(dark)
	st.Cursor.Blink = false // no blink ticks: fewer frames, stable renders
	in.SetStyles(st)
	in.CharLimit = 4096
	return in
}
