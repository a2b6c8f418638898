package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"netauto/store"
)

// historyCmd is `netauto history`: stored runs, newest first.
func historyCmd(e Env, io *stdio, g *globals, args []string) int {
	var (
		f      store.RunFilter
		status string
		asJSON bool
	)
	fs := newFlagSet("history", g)
	fs.StringVar(&f.Device, "device", "", "only runs on this device (glob)")
	fs.StringVar(&f.Site, "site", "", "only runs on this site (glob)")
	fs.StringVar(&f.Command, "command", "", "only runs of this command (glob)")
	fs.StringVar(&f.BatchID, "batch", "", "only runs of this batch")
	fs.StringVar(&status, "status", "", "only runs with this status: pending, running, ok, error")
	fs.IntVar(&f.Limit, "limit", 50, "at most this many runs (0: all)")
	fs.BoolVar(&asJSON, "json", false, "one JSON object per run")
	pos, code, done := parseCommand(io, "history", historyHelp, fs, args)
	if done {
		return code
	}
	if len(pos) > 0 {
		return usageError(io, "history", fmt.Errorf("unexpected argument %q", pos[0]))
	}
	if f.Limit < 0 {
		return usageError(io, "history", errors.New("--limit must be 0 or more"))
	}
	f.Status = store.Status(status)
	switch f.Status {
	case "", store.StatusPending, store.StatusRunning, store.StatusOK, store.StatusError:
	default:
		return usageError(io, "history", fmt.Errorf("unknown status %q (pending, running, ok or error)", status))
	}

	st, err := openStoreToRead(e, g, io, "history")
	if err != nil {
		return startupError(io, "history", err)
	}
	defer st.Close()
	ctx := context.Background()
	runs, err := st.ListRuns(ctx, f)
	if err != nil {
		return startupError(io, "history", err)
	}
	if asJSON {
		w := bufio.NewWriter(io.out)
		for _, r := range runs {
			writeJSON(w, historyJSON(r))
		}
		w.Flush()
		return exitOK
	}
	if len(runs) == 0 {
		fmt.Fprintln(io.err, "no runs match")
		return exitOK
	}
	t := newTable("RUN", "STARTED", "DEVICE", "SITE", "COMMAND", "STATUS", "EXIT", "BYTES", "REASON")
	for _, r := range runs {
		t.row(fmt.Sprint(r.ID), timeText(r), r.Device, dash(r.Site), r.Command,
			string(r.Status), exitText(r.ExitCode), humanBytes(r.Bytes), r.ErrorReason)
	}
	t.write(io.out)
	return exitOK
}

// openStore opens the history database named by the global flags.
func openStore(e Env, g *globals) (*store.Store, error) {
	s, err := g.settingsWithDefaults(e)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(s.DBPath, store.Options{})
	if err != nil {
		return nil, err // it names the database
	}
	return st, nil
}

// openStoreToRead opens the history database for a command that only
// reads it. A database that cannot be written here (a read-only mount, a
// file of another user's) is read as it stands, with a note on stderr.
func openStoreToRead(e Env, g *globals, io *stdio, cmd string) (*store.Store, error) {
	s, err := g.settingsWithDefaults(e)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(s.DBPath, store.Options{})
	if err == nil || !errors.Is(err, store.ErrUnwritable) {
		return st, err
	}
	if _, serr := os.Stat(s.DBPath); serr != nil {
		return nil, err // nothing to read: the first error says why
	}
	st, rerr := store.Open(s.DBPath, store.Options{ReadOnly: true})
	if rerr != nil {
		return nil, rerr
	}
	fmt.Fprintf(io.err, "netauto %s: %s; reading it without writing\n", cmd, oneLine(err))
	return st, nil
}

// localTimeLayout is how a time is shown to the operator (history, search).
const localTimeLayout = "2006-01-02 15:04:05"

// timeText shows when a run started (or was created, if it never started),
// in local time.
func timeText(r store.Run) string {
	t := startedAt(r)
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format(localTimeLayout)
}

// startedAt is when a run started, or was created if it never started.
func startedAt(r store.Run) time.Time {
	if r.StartedAt.IsZero() {
		return r.CreatedAt
	}
	return r.StartedAt
}

// runJSON is one run in `history --json`.
type runJSON struct {
	RunID       int64   `json:"run_id"`
	BatchID     string  `json:"batch_id"`
	Device      string  `json:"device"`
	Site        string  `json:"site"`
	Command     string  `json:"command"`
	Status      string  `json:"status"`
	ExitCode    *int    `json:"exit_code"`
	Bytes       int64   `json:"bytes"`
	ErrorReason *string `json:"error_reason"`
	RequestedBy string  `json:"requested_by"`
	StartedAt   *string `json:"started_at"`
	FinishedAt  *string `json:"finished_at"`
}

// historyJSON converts a stored run; times are RFC 3339 in UTC with
// nanoseconds, null when unset.
func historyJSON(r store.Run) runJSON {
	return runJSON{
		RunID: r.ID, BatchID: r.BatchID, Device: r.Device, Site: r.Site, Command: r.Command,
		Status: string(r.Status), ExitCode: r.ExitCode, Bytes: r.Bytes, ErrorReason: nullable(r.ErrorReason),
		RequestedBy: r.RequestedBy, StartedAt: timeJSON(r.StartedAt), FinishedAt: timeJSON(r.FinishedAt),
	}
}

// timeJSON renders a time for JSON, nil when zero.
func timeJSON(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}
