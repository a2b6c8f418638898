package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"netauto/runner"
	"netauto/store"
	"netauto/units"
)

// exportCmd is `netauto export --dir DIR`: stored runs to files.
func exportCmd(e Env, io *stdio, g *globals, args []string) int {
	var (
		f      store.RunFilter
		status string
		since  string
		dir    string
		ids    listFlag
	)
	fs := newFlagSet("export", g)
	fs.StringVar(&dir, "dir", "", "directory to write into (required)")
	fs.StringVar(&f.Device, "device", "", "only runs on this device (glob)")
	fs.StringVar(&f.Site, "site", "", "only runs on this site (glob)")
	fs.StringVar(&f.Command, "command", "", "only runs of this command (glob)")
	fs.StringVar(&f.BatchID, "batch", "", "only runs of this batch")
	fs.StringVar(&status, "status", "", "only runs with this status")
	fs.StringVar(&since, "since", "", "only runs started since: 7d, 36h, 2026-11-01 or RFC 3339")
	fs.Var(&ids, "run", "this run `ID` (repeatable, or comma-separated)")
	fs.IntVar(&f.Limit, "limit", 0, "at most this many runs, newest first (0: all)")
	pos, code, done := parseCommand(io, "export", exportHelp, fs, args)
	if done {
		return code
	}
	if len(pos) > 0 {
		return usageError(io, "export", fmt.Errorf("unexpected argument %q", pos[0]))
	}
	if dir == "" {
		return usageError(io, "export", errors.New("--dir DIR is required"))
	}
	if f.Limit < 0 {
		return usageError(io, "export", errors.New("--limit must be 0 or more"))
	}
	f.Status = store.Status(status)
	switch f.Status {
	case "", store.StatusPending, store.StatusRunning, store.StatusOK, store.StatusError:
	default:
		return usageError(io, "export", fmt.Errorf("unknown status %q (pending, running, ok or error)", status))
	}
	if since != "" {
		t, err := parseSince(since, time.Now())
		if err != nil {
			return usageError(io, "export", err)
		}
		f.Since = t
	}
	var wanted []int64
	for _, s := range ids {
		var id int64
		if _, err := fmt.Sscan(s, &id); err != nil || id <= 0 {
			return usageError(io, "export", fmt.Errorf("--run takes run ids, not %q", s))
		}
		wanted = append(wanted, id)
	}

	st, err := openStoreToRead(e, g, io, "export")
	if err != nil {
		return startupError(io, "export", err)
	}
	defer st.Close()
	ctx, stop := e.signalContext()
	defer stop()
	var runs []store.Run
	if len(wanted) > 0 {
		for _, id := range wanted {
			r, err := st.Run(ctx, id)
			if err != nil {
				fmt.Fprintf(io.err, "netauto export: %v\n", oneLine(err))
				return exitUsage
			}
			runs = append(runs, r)
		}
	} else {
		if runs, err = st.ListRuns(ctx, f); err != nil {
			return startupError(io, "export", err)
		}
	}
	idx, err := runner.Export(ctx, st, runs, dir)
	if err != nil {
		fmt.Fprintf(io.err, "netauto export: %v\n", oneLine(err))
		return exitFailed
	}
	fmt.Fprintf(io.out, "exported %s to %s (index: %s)\n", units.Plural(len(idx.Runs), "run"), dir, filepath.Join(dir, "index.json"))
	return exitOK
}
