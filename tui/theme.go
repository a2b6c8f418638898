package tui

// The console's color themes: runner.Settings.Theme, from the config
// file's theme key ("" is auto).
const (
	// themeAuto picks the palette for the terminal's background.
	themeAuto = "auto"
	// themeDark and themeLight force the palette for a dark or a light
	// background, whatever the terminal reports.
	themeDark  = "dark"
	themeLight = "light"
	// themeNone draws without color, as NO_COLOR does: bold, faint and
	// reverse remain.
	themeNone = "none"
)

// forcedPalette reports whether theme fixes the palette, and whether the
// palette it fixes is the dark one.
func forcedPalette(theme string) (dark, forced bool) {
	switch theme {
	case themeDark:
		return true, true
	case themeLight:
		return false, true
	}
	return false, false
}

// noColor reports whether the console draws without color: theme none, or
// NO_COLOR set in the environment.
func noColor(theme string, getenv func(string) string) bool {
	return theme == themeNone || getenv("NO_COLOR") != ""
}
