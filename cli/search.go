package cli

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
	"time"

	"netauto/store"
	"netauto/units"
)

// searchCmd is `netauto search QUERY`: full-text search over stored output.
func searchCmd(e Env, io *stdio, g *globals, args []string) int {
	var (
		q      store.SearchQuery
		since  string
		asJSON bool
	)
	fs := newFlagSet("search", g)
	fs.StringVar(&q.Device, "device", "", "only runs on this device (glob)")
	fs.StringVar(&q.Site, "site", "", "only runs on this site (glob)")
	fs.StringVar(&since, "since", "", "only runs started since: 7d, 36h, 2026-11-01 or RFC 3339")
	fs.IntVar(&q.Limit, "limit", 50, "at most this many matching lines")
	fs.IntVar(&q.Context, "context", 0, "lines of context around each match")
	fs.BoolVar(&asJSON, "json", false, "one JSON object per matching line")
	pos, code, done := parseCommand(io, "search", searchHelp, fs, args)
	if done {
		return code
	}
	if len(pos) == 0 {
		return usageError(io, "search", errors.New("give a QUERY: netauto search CRC"))
	}
	if q.Limit <= 0 || q.Context < 0 {
		return usageError(io, "search", errors.New("--limit must be positive and --context 0 or more"))
	}
	q.Query = strings.Join(pos, " ")
	if since != "" {
		t, err := parseSince(since, time.Now())
		if err != nil {
			return usageError(io, "search", err)
		}
		q.Since = t
	}

	st, err := openStoreToRead(e, g, io, "search")
	if err != nil {
		return startupError(io, "search", err)
	}
	defer st.Close()
	ctx, stop := e.signalContext()
	defer stop()
	n, _ := st.IndexBacklog(ctx)
	if st.ReadOnly() {
		if n > 0 {
			fmt.Fprintf(io.err, "netauto search: the output of %s is not indexed yet, and this database cannot be written: that output is not searched\n", units.Plural(n, "run"))
		}
	} else {
		if n > 0 {
			fmt.Fprintf(io.err, "netauto search: indexing the output of %s first…\n", units.Plural(n, "run"))
		}
		if err := st.CatchUpIndex(ctx); err != nil {
			return startupError(io, "search", err)
		}
	}
	hits, err := st.Search(ctx, q)
	if errors.Is(err, store.ErrBadQuery) {
		return usageError(io, "search", err)
	}
	if err != nil {
		return startupError(io, "search", err)
	}
	w := bufio.NewWriter(io.out)
	defer w.Flush()
	if asJSON {
		for _, h := range hits {
			writeJSON(w, searchJSON{RunID: h.RunID, Device: h.Device, Site: h.Site, Command: h.Command,
				Status: string(h.Status), At: h.At.UTC().Format(time.RFC3339Nano), Line: h.Line + 1,
				Text: h.Text, Before: nonNil(h.Before), After: nonNil(h.After)})
		}
	} else {
		color := e.colorOn(io.out)
		writeHits(w, hits, color)
	}
	if len(hits) == 0 {
		return exitFailed
	}
	return exitOK
}

// searchJSON is one matching line in `search --json`.
type searchJSON struct {
	RunID   int64    `json:"run_id"`
	Device  string   `json:"device"`
	Site    string   `json:"site"`
	Command string   `json:"command"`
	Status  string   `json:"status"`
	At      string   `json:"started_at"`
	Line    int64    `json:"line"`
	Text    string   `json:"text"`
	Before  []string `json:"before"`
	After   []string `json:"after"`
}

// nonNil makes a nil slice an empty one (JSON [] rather than null).
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeHits prints hits grep-style under one heading per run: matching
// lines as "N: text", context lines as "N- text".
func writeHits(w *bufio.Writer, hits []store.SearchHit, color bool) {
	var last int64
	var next int64 // the line after the last one printed
	for _, h := range hits {
		if h.RunID != last {
			if last != 0 {
				w.WriteString("\n")
			}
			head := fmt.Sprintf("#%d %s %s · %s", h.RunID, h.Device, h.At.Local().Format(localTimeLayout), h.Command)
			fmt.Fprintln(w, paint(head, ansiBold, color))
			last, next = h.RunID, -1
		} else if first := h.Line - int64(len(h.Before)); next >= 0 && first > next {
			w.WriteString("--\n")
		}
		for i, l := range h.Before {
			n := h.Line - int64(len(h.Before)) + int64(i)
			if n >= next {
				fmt.Fprintf(w, "%d- %s\n", n+1, l)
			}
		}
		if h.Line >= next {
			fmt.Fprintf(w, "%d: %s\n", h.Line+1, h.Text)
		}
		next = h.Line + 1
		for i, l := range h.After {
			fmt.Fprintf(w, "%d- %s\n", h.Line+2+int64(i), l)
			next = h.Line + 2 + int64(i)
		}
	}
}

// parseSince reads a --since value: an age (7d, 36h) counted back from
// now, a date (2006-01-02, local midnight) or an RFC 3339 time.
func parseSince(v string, now time.Time) (time.Time, error) {
	if age, err := units.ParseDuration(v); err == nil {
		return now.Add(-age), nil
	}
	if t, err := time.ParseInLocation("2006-01-02", v, time.Local); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("bad --since %q: want an age (7d, 36h), a date (2026-11-01) or an RFC 3339 time", v)
}
