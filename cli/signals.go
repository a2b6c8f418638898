package cli

import (
	"context"
	"errors"
	"os"
)

// errInterrupted is the cancel cause when a signal stopped the command.
var errInterrupted = errors.New("interrupted by signal")

// signalContext returns a context that ends, with cause errInterrupted, at
// the first SIGINT, SIGTERM or SIGHUP, and a function that stops listening.
func (e Env) signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	if e.NotifySignals == nil {
		return ctx, func() { cancel(nil) }
	}
	c := make(chan os.Signal, 1)
	stopNotify := e.NotifySignals(c)
	done := make(chan struct{})
	go func() {
		select {
		case <-c:
			cancel(errInterrupted)
		case <-done:
		}
	}()
	return ctx, func() {
		stopNotify()
		close(done)
		cancel(nil)
	}
}

// interrupted reports whether ctx ended because of a signal.
func interrupted(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), errInterrupted)
}
