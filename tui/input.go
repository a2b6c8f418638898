package tui

import "charm.land/bubbles/v2/textinput"

// newInput returns a one-line text input with the given prompt, styled for
// the background.
func newInput(prompt string, dark bool) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.SetStyles(textinput.DefaultStyles(dark))
	in.CharLimit = 4096
	return in
}
