package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"netauto/runner"
	"netauto/store"
)

// writeGroups prints a batch's outputs folded like dshbak -c: for each
// command, the distinct outputs, biggest group first, each under a
// heading with its device names.
func writeGroups(ctx context.Context, out io.Writer, st *store.Store, runs []store.Run, color bool) error {
	w := bufio.NewWriterSize(out, 64<<10)
	defer w.Flush()
	var order []string
	byCommand := map[string][]store.Run{}
	for _, r := range runs {
		if r.ID == 0 {
			continue // never created: nothing stored
		}
		if _, ok := byCommand[r.Command]; !ok {
			order = append(order, r.Command)
		}
		byCommand[r.Command] = append(byCommand[r.Command], r)
	}
	for _, command := range order {
		groups, err := runner.GroupOutputs(ctx, st, byCommand[command], 0)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, paint(fmt.Sprintf("==== %s · %s", command, runner.GroupSummary(groups)), ansiBold, color))
		for _, g := range groups {
			fmt.Fprintln(w, paint("---- "+runner.GroupHeading(g), ansiBold, color))
			fmt.Fprintln(w, paint(strings.Join(g.Devices(), ", "), ansiDim, color))
			fmt.Fprintln(w, paint("----", ansiBold, color))
			err := runner.OutputLines(ctx, st, g.Runs[0].ID, func(_ int, l string) {
				w.WriteString(l)
				w.WriteByte('\n')
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}
