package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
)

// Run statuses as stored (see store.Status); the console mirrors them.
const (
	statusPending = "pending"
	statusRunning = "running"
	statusOK      = "ok"
	statusError   = "error"
)

// reasonCanceled is the error reason of a run the operator cancelled.
const reasonCanceled = "canceled"

// spinnerFrames are the frames of the running glyph; the root advances the
// frame counter on a tick while runs are active.
var spinnerFrames = spinner.MiniDot.Frames

// runRow is the console's view of one run: what the runs pane, the tiles
// and the history list show. It is filled from runner events and store rows.
type runRow struct {
	ID       int64
	BatchID  string
	Device   string
	Site     string
	Command  string
	Status   string
	Reason   string
	ExitCode *int
	Bytes    int64
	Created  time.Time
	Started  time.Time
	Finished time.Time
}

// finished reports whether the run has ended.
func (r *runRow) finished() bool { return r.Status == statusOK || r.Status == statusError }

// active reports whether the run is pending or running.
func (r *runRow) active() bool { return !r.finished() }

// canceled reports whether the run ended because it was cancelled.
func (r *runRow) canceled() bool {
	return r.Status == statusError && strings.HasPrefix(r.Reason, reasonCanceled)
}

// label is the one-word state shown beside the glyph.
func (r *runRow) label() string {
	switch {
	case r.canceled():
		return "canceled"
	case r.Status == "":
		return statusPending
	}
	return r.Status
}

// shortReason is the gist of an error reason, for a row too narrow to show
// the reason itself: its class ("auth", "timeout", "closed"), "exit N" for
// a command's exit status, "quota" for a launch the caps refused.
func shortReason(reason string) string {
	if code, ok := strings.CutPrefix(reason, "exit status "); ok {
		return "exit " + code
	}
	word, _, _ := strings.Cut(reason, ":")
	word, _, _ = strings.Cut(word, " ")
	if strings.HasPrefix(word, "quota") {
		return "quota"
	}
	return word
}

// glyph returns the run's state glyph, styled; frame animates the spinner.
func (r *runRow) glyph(st Styles, frame int) string {
	switch {
	case r.Status == statusRunning:
		return st.glyphs.spinner[frame%len(st.glyphs.spinner)]
	case r.Status == statusOK:
		return st.glyphs.ok
	case r.canceled():
		return st.glyphs.cancel
	case r.Status == statusError:
		return st.glyphs.errored
	}
	return st.glyphs.pending
}

// stateStyle returns the style of the run's state word.
func (r *runRow) stateStyle(st Styles) func(...string) string {
	switch {
	case r.Status == statusRunning:
		return st.Running.Render
	case r.Status == statusOK:
		return st.OK.Render
	case r.canceled():
		return st.Cancel.Render
	case r.Status == statusError:
		return st.Error.Render
	}
	return st.Pending.Render
}

// elapsed is how long the run has been running (or ran), at now.
func (r *runRow) elapsed(now time.Time) time.Duration {
	if r.Started.IsZero() {
		return 0
	}
	end := r.Finished
	if end.IsZero() {
		end = now
	}
	if end.Before(r.Started) {
		return 0
	}
	return end.Sub(r.Started)
}

// fmtDuration renders a duration compactly: 850ms, 4.2s, 3m05s, 2h10m.
func fmtDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// fmtBytes renders a byte count compactly: 512B, 4.1K, 12M.
func fmtBytes(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%dB", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1fK", float64(n)/1024)
	case n < 1024*1024*1024:
		return fmt.Sprintf("%.1fM", float64(n)/(1024*1024))
	}
	return fmt.Sprintf("%.1fG", float64(n)/(1024*1024*1024))
}
