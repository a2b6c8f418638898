package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"netauto/sanitize"
	"netauto/store"
)

// showCmd is `netauto show RUN_ID`: a stored run's output.
func showCmd(e Env, io *stdio, g *globals, args []string) int {
	var raw bool
	fs := newFlagSet("show", g)
	fs.BoolVar(&raw, "raw", false, "the bytes as received, control sequences included")
	pos, code, done := parseCommand(io, "show", showHelp, fs, args)
	if done {
		return code
	}
	if len(pos) != 1 {
		return usageError(io, "show", errors.New("give exactly one RUN_ID"))
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return usageError(io, "show", fmt.Errorf("RUN_ID must be a positive integer, not %q", pos[0]))
	}

	st, err := openStoreToRead(e, g, io, "show")
	if err != nil {
		return startupError(io, "show", err)
	}
	defer st.Close()
	ctx := context.Background()
	if _, err := st.Run(ctx, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			fmt.Fprintf(io.err, "netauto show: no run %d (see 'netauto history')\n", id)
			return exitFailed
		}
		return startupError(io, "show", err)
	}
	w := bufio.NewWriterSize(io.out, 64<<10)
	var lines sanitize.Stream
	emit := func(line []byte) { // straight from the sanitizer's buffer
		w.Write(line)
		w.WriteByte('\n')
	}
	err = st.Output(ctx, id, func(_ int64, data []byte, _ time.Time) error {
		if raw {
			_, err := w.Write(data)
			return err
		}
		lines.FeedBytes(data, emit)
		return nil
	})
	if err == nil && !raw {
		lines.FlushBytes(emit)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintf(io.err, "netauto show: %v\n", oneLine(err))
		return exitFailed
	}
	return exitOK
}
