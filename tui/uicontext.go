package tui

import "time"

// uiContext is what every component shares: styles, key map, the clock the
// view renders against (and its time zone) and the spinner frame. The root owns it; tests fix
// now and frame so renders are stable.
type uiContext struct {
	st    Styles
	keys  KeyMap
	now   time.Time
	frame int
	loc   *time.Location
}

func newUIContext(dark bool) *uiContext {
	return &uiContext{st: NewStyles(dark), keys: DefaultKeyMap(), now: time.Now(), loc: time.Local}
}
