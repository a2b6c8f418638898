package cli

import (
	"bufio"
	"errors"
	"fmt"
	"strconv"

	"netauto/runner"
	"netauto/store"
)

// diffCmd is `netauto diff RUN_A [RUN_B]`: a unified diff of two stored
// runs' outputs.
func diffCmd(e Env, io *stdio, g *globals, args []string) int {
	var volatile bool
	fs := newFlagSet("diff", g)
	fs.BoolVar(&volatile, "ignore-volatile", false, "ignore uptimes, clocks, rates and counters")
	pos, code, done := parseCommand(io, "diff", diffHelp, fs, args)
	if done {
		return code
	}
	if len(pos) < 1 || len(pos) > 2 {
		return usageError(io, "diff", errors.New("give RUN_A RUN_B, or one RUN to compare with the run before it"))
	}
	ids := make([]int64, len(pos))
	for i, p := range pos {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			return usageError(io, "diff", fmt.Errorf("run ids are positive integers, not %q", p))
		}
		ids[i] = id
	}

	st, err := openStoreToRead(e, g, io, "diff")
	if err != nil {
		return startupError(io, "diff", err)
	}
	defer st.Close()
	ctx, stop := e.signalContext()
	defer stop()
	if len(ids) == 1 {
		r, err := st.Run(ctx, ids[0])
		if err != nil {
			return diffError(io, err)
		}
		prev, err := st.PreviousRun(ctx, r)
		if err != nil {
			return diffError(io, err)
		}
		ids = []int64{prev.ID, r.ID}
	}
	c, err := runner.CompareRuns(ctx, st, ids[0], ids[1], volatile)
	if err != nil {
		return diffError(io, err)
	}
	if c.Same {
		return exitOK
	}
	color := e.colorOn(io.out)
	w := bufio.NewWriterSize(io.out, 64<<10)
	defer w.Flush()
	writeDiff(w, c, color)
	return exitFailed
}

// diffError reports a failed comparison (exit 2, as diff does for trouble).
func diffError(io *stdio, err error) int {
	if errors.Is(err, store.ErrNotFound) {
		fmt.Fprintf(io.err, "netauto diff: %v (see 'netauto history')\n", oneLine(err))
		return exitUsage
	}
	fmt.Fprintf(io.err, "netauto diff: %v\n", oneLine(err))
	return exitUsage
}

// writeDiff prints a comparison as a unified diff; on a terminal, removed
// lines are red, added ones green and hunk headers dim.
func writeDiff(w *bufio.Writer, c runner.Comparison, color bool) {
	w.WriteString(paint("--- "+runner.Label(c.A), ansiBold, color) + "\n")
	w.WriteString(paint("+++ "+runner.Label(c.B), ansiBold, color) + "\n")
	for _, h := range c.Hunks {
		w.WriteString(paint(h.Header(), ansiDim, color) + "\n")
		for _, l := range h.Lines {
			line := string(rune(l.Op)) + l.Text
			switch l.Op {
			case '-':
				line = paint(line, ansiRed, color)
			case '+':
				line = paint(line, ansiGreen, color)
			}
			w.WriteString(line)
			w.WriteByte('\n')
		}
	}
}
