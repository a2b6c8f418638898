package runner

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"

	"netauto/store"
)

// OutputGroup is a set of runs whose sanitized outputs are identical.
type OutputGroup struct {
	// Runs are the group's runs, in the order given to GroupOutputs.
	Runs []store.Run
	// Lines is the output's line count.
	Lines int
	// Sample is the output's first lines (up to the limit asked for).
	Sample []string
}

// Devices returns the group's device names.
func (g OutputGroup) Devices() []string {
	out := make([]string, len(g.Runs))
	for i, r := range g.Runs {
		out[i] = r.Device
	}
	return out
}

// GroupOutputs folds runs with identical sanitized output together (as
// dshbak -c does), biggest group first (ties: first run's order), each
// with up to sample lines of its output (negative: all of it). Outputs
// are compared by SHA-256, read one run at a time.
func GroupOutputs(ctx context.Context, st *store.Store, runs []store.Run, sample int) ([]OutputGroup, error) {
	var groups []OutputGroup
	index := map[[sha256.Size]byte]int{}
	for _, r := range runs {
		h := sha256.New()
		var lines []string
		n := 0
		err := OutputLines(ctx, st, r.ID, func(i int, l string) {
			h.Write([]byte(l))
			h.Write([]byte{'\n'})
			n++
			if sample < 0 || i < sample {
				lines = append(lines, l)
			}
		})
		if err != nil {
			return nil, err
		}
		var sum [sha256.Size]byte
		h.Sum(sum[:0])
		if i, ok := index[sum]; ok {
			groups[i].Runs = append(groups[i].Runs, r)
			continue
		}
		index[sum] = len(groups)
		groups = append(groups, OutputGroup{Runs: []store.Run{r}, Lines: n, Sample: lines})
	}
	slices.SortStableFunc(groups, func(a, b OutputGroup) int { return len(b.Runs) - len(a.Runs) })
	return groups, nil
}

// GroupHeading says what a group is among all of them: "38 devices:
// identical" for a shared output, "1 device: differs" for one of its own.
func GroupHeading(g OutputGroup) string {
	n := len(g.Runs)
	if n == 1 {
		return "1 device: differs"
	}
	return fmt.Sprintf("%d devices: identical", n)
}

// GroupSummary sums groups up: "40 devices, 3 distinct outputs: 38
// identical, 2 differ".
func GroupSummary(groups []OutputGroup) string {
	total, same, alone := 0, 0, 0
	for _, g := range groups {
		total += len(g.Runs)
		if len(g.Runs) > 1 {
			same += len(g.Runs)
		} else {
			alone++
		}
	}
	return fmt.Sprintf("%d devices, %d distinct outputs: %d identical, %d differ", total, len(groups), same, alone)
}
