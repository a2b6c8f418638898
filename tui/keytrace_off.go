//go:build !keytrace

package tui

import tea "charm.land/bubbletea/v2"

// traceUpdate and traceView do nothing without the keytrace build tag (see
// keytrace.go).
func traceUpdate(tea.Msg) {}

func traceView() {}
