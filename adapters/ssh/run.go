package sshadapter

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"netauto/adapters"
	"netauto/inventory"
)

// errCommandTimeout is the cause of a run's context when the command
// timeout fires.
var errCommandTimeout = errors.New("command timeout")

// Run runs command on dev over one SSH connection and streams its output to
// onChunk. Linux runs in an exec channel (the exit status is recorded);
// network operating systems run in an interactive shell, with the echoed
// command and the trailing prompt removed. Cancelling ctx sends ^C, closes
// the session and connection, and returns an error wrapping ctx.Err().
func (a *Adapter) Run(ctx context.Context, dev inventory.Device, command string, onChunk func([]byte)) (adapters.Result, error) {
	tm := a.timeoutsFor(dev)
	runCtx, cancel := context.WithTimeoutCause(ctx, tm.command, errCommandTimeout)
	defer cancel()
	res, err := a.run(runCtx, dev, command, onChunk, tm)
	if err == nil {
		return res, nil
	}
	switch {
	case ctx.Err() != nil:
		return res, fmt.Errorf("ssh: run stopped: %w", ctx.Err())
	case errors.Is(context.Cause(runCtx), errCommandTimeout) && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, errCommandTimeout)):
		return res, adapters.Errorf(adapters.ClassTimeout, err, "command")
	}
	return res, err
}

func (a *Adapter) run(ctx context.Context, dev inventory.Device, command string, onChunk func([]byte), tm timeouts) (adapters.Result, error) {
	t, hops, err := a.resolve(dev)
	if err != nil {
		return adapters.Result{}, adapters.Errorf(adapters.ClassConnect, err, "%v", err)
	}
	conn, err := a.dial(ctx, dev, t, hops, tm, nil)
	if err != nil {
		return adapters.Result{}, err
	}
	defer conn.Close()

	dead := make(chan struct{})
	stopKeepalive := make(chan struct{})
	defer close(stopKeepalive)
	var once sync.Once
	go keepalive(conn.client, conn.flow, tm.keepalive, stopKeepalive, func() { once.Do(func() { close(dead) }) })

	session, err := conn.client.NewSession()
	if err != nil {
		return adapters.Result{}, adapters.Errorf(adapters.ClassConnect, err, "%s refused a session: %v", t.addr(), err)
	}
	defer session.Close()
	if dev.Platform.Interactive() {
		return a.runShell(ctx, dev, command, session, conn, tm, dead, onChunk)
	}
	return runExec(ctx, command, session, conn, tm, dead, onChunk)
}

// runExec runs command in an exec channel; stdout and stderr both count as
// output.
func runExec(ctx context.Context, command string, session *ssh.Session, conn *connection, tm timeouts, dead <-chan struct{}, onChunk func([]byte)) (adapters.Result, error) {
	stdout, err := session.StdoutPipe()
	if err != nil {
		return adapters.Result{}, err
	}
	stderr, err := session.StderrPipe()
	if err != nil {
		return adapters.Result{}, err
	}
	// Counted from before the first byte: output may pour in before the
	// readers start.
	stdout, stderr = conn.flow.reader(stdout), conn.flow.reader(stderr)
	if err := session.Start(command); err != nil {
		return adapters.Result{}, adapters.Errorf(adapters.ClassClosed, err, "starting command: %v", err)
	}
	conn.flow.limit()
	st := newStream(ctx, tm.idle, dead)
	defer st.stop()
	st.add(stdout)
	st.add(stderr)
	waited := make(chan error, 1)
	go func() { waited <- session.Wait() }()

	ch := newChunker(onChunk)
	abort := func(err error) (adapters.Result, error) {
		ch.flush()
		// Without a terminal ^C means nothing: ask for SIGINT, then hang up.
		bounded(func() { session.Signal(ssh.SIGINT) })
		session.Close()
		conn.Close()
		return adapters.Result{Bytes: ch.bytes}, err
	}
	for done := false; !done; {
		p, err := st.next(ch.due())
		switch {
		case err == nil:
			ch.add(p)
		case errors.Is(err, errFlushDue):
			ch.flush()
		case errors.Is(err, errReadersDone):
			done = true
		default:
			return abort(err)
		}
	}
	ch.flush()
	res := adapters.Result{Bytes: ch.bytes}

	var werr error
	select {
	case werr = <-waited:
	case <-st.timer.C:
		return abort(adapters.Errorf(adapters.ClassTimeout, nil, "idle"))
	case <-ctx.Done():
		return abort(ctx.Err())
	case <-dead:
		return abort(adapters.Errorf(adapters.ClassClosed, nil, "peer stopped answering keepalives"))
	}
	var exitErr *ssh.ExitError
	var missing *ssh.ExitMissingError
	switch {
	case werr == nil:
		code := 0
		res.ExitCode = &code
	case errors.As(werr, &exitErr):
		code := exitErr.ExitStatus()
		res.ExitCode = &code
	case errors.As(werr, &missing):
		// Cisco exec channels send no exit status; a dropped connection
		// sends none either. Ask the peer whether it is still there.
		if !alive(conn.client) {
			return res, adapters.Errorf(adapters.ClassClosed, werr, "connection lost before the command finished")
		}
	default:
		return res, adapters.Errorf(adapters.ClassClosed, werr, "%v", werr)
	}
	return res, nil
}

// bounded runs a last word to the device (^C, a signal) for at most 100 ms,
// so that a peer that stopped reading cannot hold up a cancel.
func bounded(fn func()) {
	done := make(chan struct{})
	go func() {
		fn()
		close(done)
	}()
	t := time.NewTimer(100 * time.Millisecond)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

// alive reports whether the peer answers a keepalive within two seconds.
func alive(c *ssh.Client) bool {
	reply := make(chan error, 1)
	go func() {
		_, _, err := c.SendRequest("keepalive@openssh.com", true, nil)
		reply <- err
	}()
	t := time.NewTimer(2 * time.Second)
	defer t.Stop()
	select {
	case err := <-reply:
		return err == nil
	case <-t.C:
		return false
	}
}
