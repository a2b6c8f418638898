//go:build !keytrace

package tui

import tea "charm.land/bubbletea/v2"

// traceUpdate, traceView and flushKeyTrace do nothing, and
// traceOutputOption has no option, without the keytrace build tag (see
// keytrace.go).
func traceUpdate(tea.Msg) {}

func traceView() {}

func flushKeyTrace() {}

func traceOutputOption() tea.ProgramOption { return nil }
