package cli

import (
	"errors"
	"fmt"

	"netauto/store"
	"netauto/units"
)

// pruneCmd is `netauto prune`: remove old runs and compact the history.
func pruneCmd(e Env, io *stdio, g *globals, args []string) int {
	var (
		o             store.PruneOptions
		olderThan, sz string
	)
	fs := newFlagSet("prune", g)
	fs.StringVar(&olderThan, "older-than", "", "remove runs that ended longer ago: 30d, 36h")
	fs.StringVar(&sz, "max-size", "", "then remove the oldest runs until the history fits: 2GB, 500MiB")
	fs.BoolVar(&o.DryRun, "dry-run", false, "say what would be removed; remove nothing")
	pos, code, done := parseCommand(io, "prune", pruneHelp, fs, args)
	if done {
		return code
	}
	if len(pos) > 0 {
		return usageError(io, "prune", fmt.Errorf("unexpected argument %q", pos[0]))
	}
	if olderThan == "" && sz == "" {
		return usageError(io, "prune", errors.New("give --older-than AGE, --max-size SIZE or both"))
	}
	var err error
	if olderThan != "" {
		if o.OlderThan, err = units.ParseDuration(olderThan); err != nil {
			return usageError(io, "prune", fmt.Errorf("--older-than: %w", err))
		}
	}
	if sz != "" {
		if o.MaxSize, err = units.ParseSize(sz); err != nil {
			return usageError(io, "prune", fmt.Errorf("--max-size: %w", err))
		}
	}

	st, err := openStore(e, g)
	if err != nil {
		return startupError(io, "prune", err)
	}
	defer st.Close()
	ctx, stop := e.signalContext()
	defer stop()
	res, err := st.Prune(ctx, o)
	if err != nil {
		fmt.Fprintf(io.err, "netauto prune: %v\n", oneLine(err))
		return exitFailed
	}
	if o.DryRun {
		fmt.Fprintf(io.out, "would remove %s (%s of output); the history is %s\n",
			units.Plural(res.Runs, "run"), humanBytes(res.Bytes), humanBytes(res.SizeBefore))
		return exitOK
	}
	fmt.Fprintf(io.out, "removed %s (%s of output); history %s → %s\n",
		units.Plural(res.Runs, "run"), humanBytes(res.Bytes), humanBytes(res.SizeBefore), humanBytes(res.SizeAfter))
	return exitOK
}
