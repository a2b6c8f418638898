package runner

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"netauto/diff"
	"netauto/inventory"
	"netauto/sanitize"
	"netauto/store"
)

// OutputLines calls fn with each line of a stored run's output, sanitized
// as every display path shows it, numbered from 0.
func OutputLines(ctx context.Context, st *store.Store, runID int64, fn func(n int, line string)) error {
	var s sanitize.Stream
	n := 0
	emit := func(l string) {
		fn(n, l)
		n++
	}
	err := st.Output(ctx, runID, func(_ int64, data []byte, _ time.Time) error {
		s.Feed(data, emit)
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	s.Flush(emit)
	return nil
}

// Comparison is the line diff of two stored runs' outputs.
type Comparison struct {
	// A and B are the runs compared (A the older side of the diff).
	A, B store.Run
	// Same reports that the outputs are equal (volatile parts aside when
	// IgnoreVolatile was asked).
	Same bool
	// Hunks are the differences with DefaultContext lines around them.
	Hunks []diff.Hunk
	// ALines and BLines are the sides' line counts.
	ALines, BLines int
}

// Label names a run for a diff header: "#42 r1 show version 2026-11-27 10:04:05".
func Label(r store.Run) string {
	t := r.StartedAt
	if t.IsZero() {
		t = r.CreatedAt
	}
	return fmt.Sprintf("#%d %s %s %s", r.ID, r.Device, r.Command, t.Local().Format("2006-01-02 15:04:05"))
}

// CompareRuns diffs the sanitized outputs of runs a and b. With
// ignoreVolatile, the parts of lines that change on their own (uptime,
// timestamps, counters: see VolatileMask) are ignored, using the platform
// recorded for run a's device.
func CompareRuns(ctx context.Context, st *store.Store, a, b int64, ignoreVolatile bool) (Comparison, error) {
	var c Comparison
	var err error
	if c.A, err = st.Run(ctx, a); err != nil {
		return c, err
	}
	if c.B, err = st.Run(ctx, b); err != nil {
		return c, err
	}
	la, lb := &diff.Lines{}, &diff.Lines{}
	if ignoreVolatile {
		platform, err := st.DevicePlatform(ctx, c.A.Device)
		if err != nil {
			return c, err
		}
		la.Mask = VolatileMask(platform)
		lb.Mask = la.Mask
	}
	if err := OutputLines(ctx, st, a, func(_ int, l string) { la.Add(l) }); err != nil {
		return c, err
	}
	if err := OutputLines(ctx, st, b, func(_ int, l string) { lb.Add(l) }); err != nil {
		return c, err
	}
	spans := diff.Compare(la, lb, 0)
	c.Same = diff.Same(spans)
	c.Hunks = diff.Hunks(la, lb, spans, diff.DefaultContext)
	c.ALines, c.BLines = la.Len(), lb.Len()
	return c, nil
}

// volatileCommon are the patterns of text that changes between two runs of
// the same command on any platform: clock times, dates, uptimes, rates
// and counters.
var volatileCommon = []string{
	`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?`,
	`\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b`,
	`\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b`,
	`\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}(,?\s+\d{4})?\b`,
	`(?i)\buptime( is)?\b.*`,
	`(?i)\bup\s+\d+\s+(years?|weeks?|days?|hours?|minutes?|min)\b.*`,
	`(?i)\bload average:.*`,
	`(?i)\brate:?\s*\d+\s*\S*(,\s*\d+\s*\S*)?`,
	`(?i)\b\d+\s+(packets|bytes|pkts|frames|input errors|output errors|errors|drops|dropped|CRC|frame|overrun|overruns|ignored|collisions|interface resets|resets|broadcasts|multicasts|runts|giants|throttles|underruns|babbles|deferred|buffer failures|no buffer|unknown protocol drops)\b`,
	`(?i)\blast (clearing|input|output|flapped|change|state change|link flapped|reset)\b[^,]*`,
}

// volatileByPlatform adds what a platform prints that changes on its own.
var volatileByPlatform = map[inventory.Platform][]string{
	inventory.PlatformIOS: {
		`(?i)^! (Last configuration change|NVRAM config last updated)\b.*`,
		`(?i)\bSystem restarted at\b.*`,
		`(?i)^\*?\w{3}\s+\w{3}\s+\d+.*\d{4}$`, // show clock
	},
	inventory.PlatformIOSXR: {
		`(?i)^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s.*`, // the time line before every show output
		`(?i)^!! (Last configuration change)\b.*`,
	},
	inventory.PlatformNXOS: {
		`(?i)\bKernel uptime\b.*`,
		`(?i)\bLast reset\b.*`,
		`(?i)^!Time:.*`,
	},
	inventory.PlatformEOS: {
		`(?i)^! Time:.*`,
		`(?i)\bUptime:.*`,
	},
	inventory.PlatformJunos: {
		`(?i)\b(Input|Output) (packets|bytes)\s*:.*`,
		`(?i)\bSystem booted:.*`,
		`(?i)\bCurrent time:.*`,
		`(?i)\bLast flapped\s*:.*`,
		`(?i)^## Last (commit|changed):.*`,
	},
	inventory.PlatformLinux: {
		`(?i)^\s*\d{1,2}:\d{2}:\d{2} up\b.*`,
	},
}

func init() {
	volatileByPlatform[inventory.PlatformIOSXE] = volatileByPlatform[inventory.PlatformIOS]
}

// VolatileMask returns a mask for diff.Lines that replaces the parts of a
// line that change between runs without a change on the device (the
// common patterns plus the platform's) with "…". An unknown platform gets
// the common patterns.
func VolatileMask(platform string) func(string) string {
	pats := append(append([]string{}, volatileCommon...), volatileByPlatform[inventory.Platform(platform)]...)
	re := regexp.MustCompile(strings.Join(pats, "|"))
	return func(line string) string {
		if !re.MatchString(line) {
			return line
		}
		return re.ReplaceAllLiteralString(line, "…")
	}
}
