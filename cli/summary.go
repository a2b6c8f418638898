package cli

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"netauto/store"
	"netauto/units"
)

// summary is the outcome of a batch.
type summary struct {
	runs       []store.Run
	ok, failed int
	multi      bool // several commands per device: show the command column
}

// summarize counts the runs' outcomes.
func summarize(runs []store.Run) summary {
	s := summary{runs: runs}
	commands := map[string]bool{}
	for _, r := range runs {
		commands[r.Command] = true
		if r.Status == store.StatusOK {
			s.ok++
		} else {
			s.failed++
		}
	}
	s.multi = len(commands) > 1
	return s
}

// writeSummary prints the table of runs and a count line.
func writeSummary(w io.Writer, s summary, color bool) {
	if len(s.runs) == 0 {
		fmt.Fprintln(w, "no runs")
		return
	}
	header := []string{"DEVICE", "STATUS", "EXIT", "BYTES", "DURATION", "REASON"}
	if s.multi {
		header = append([]string{"DEVICE", "COMMAND"}, header[1:]...)
	}
	t := newTable(header...)
	for _, r := range s.runs {
		cells := []string{r.Device, string(r.Status), exitText(r.ExitCode), humanBytes(r.Bytes), durationText(duration(r)), r.ErrorReason}
		var styles []string
		if color {
			st := ansiGreen
			if r.Status != store.StatusOK {
				st = ansiRed
			}
			styles = []string{"", st}
		}
		if s.multi {
			cells = append([]string{r.Device, r.Command}, cells[1:]...)
			if styles != nil {
				styles = []string{"", "", styles[1]}
			}
		}
		t.styledRow(styles, cells...)
	}
	fmt.Fprintln(w)
	t.write(w)
	fmt.Fprintf(w, "\n%s: %d ok, %d failed\n", units.Plural(len(s.runs), "run"), s.ok, s.failed)
}

// exitText shows an exit code, "-" when none was sent.
func exitText(code *int) string {
	if code == nil {
		return "-"
	}
	return strconv.Itoa(*code)
}

// durationText rounds a duration for a table: "-" when the run never
// started.
func durationText(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	default:
		return d.Round(10 * time.Millisecond).String()
	}
}

// humanBytes shows a byte count in B, KiB, MiB or GiB.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, suffix := float64(n), "B"
	for _, s := range []string{"KiB", "MiB", "GiB", "TiB"} {
		v /= unit
		suffix = s
		if v < unit {
			break
		}
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}
