package sshadapter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"

	"netauto/adapters"
	"netauto/inventory"
)

// clientVersion is the identification string netauto sends.
const clientVersion = "SSH-2.0-netauto"

// connectClock is the connect timeout of one endpoint: TCP connect plus
// handshake. x/crypto's ClientConfig.Timeout covers only the TCP dial, and
// a channel through a jump host supports no deadlines, so the clock closes
// the connection when it runs out. It is paused while a person is asked
// something (a host key, a password) and restarts with a full budget.
type connectClock struct {
	mu      sync.Mutex
	d       time.Duration
	timer   *time.Timer
	paused  bool
	stopped bool
	fired   bool
	onFire  func()
}

func startClock(d time.Duration, onFire func()) *connectClock {
	c := &connectClock{d: d, onFire: onFire}
	c.timer = time.AfterFunc(d, c.fire)
	return c
}

func (c *connectClock) fire() {
	c.mu.Lock()
	if c.paused || c.stopped {
		c.mu.Unlock()
		return
	}
	c.fired = true
	c.mu.Unlock()
	c.onFire()
}

func (c *connectClock) pause() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.timer.Stop()
	c.paused = true
}

func (c *connectClock) resume() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || c.fired {
		return
	}
	c.paused = false
	c.timer.Reset(c.d)
}

// stop ends the clock and reports whether it had fired.
func (c *connectClock) stop() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
	c.timer.Stop()
	return c.fired
}

// connection is an authenticated client and the jump clients under it.
type connection struct {
	client *ssh.Client
	jumps  []*ssh.Client // first hop first
	flow   *flowConn     // the final hop's transport
}

// Close closes the client, then the jump hosts, innermost first.
func (c *connection) Close() {
	if c.client != nil {
		c.client.Close()
	}
	for i := len(c.jumps) - 1; i >= 0; i-- {
		c.jumps[i].Close()
	}
}

// dial connects to t through hops and authenticates. hostKeyOverride, when
// set, replaces the check of the final endpoint's host key (ScanHostKey).
func (a *Adapter) dial(ctx context.Context, dev inventory.Device, t target, hops []target, tm timeouts, hostKeyOverride ssh.HostKeyCallback) (*connection, error) {
	c := &connection{}
	var prev *ssh.Client
	all := append(append([]target(nil), hops...), t)
	for i, ep := range all {
		final := i == len(all)-1
		var override ssh.HostKeyCallback
		if final {
			override = hostKeyOverride
		}
		client, flow, err := a.dialOne(ctx, dev, ep, prev, final, tm, override)
		if err != nil {
			c.Close()
			if !final {
				var ae *adapters.Error
				if errors.As(err, &ae) && ae.Class != adapters.ClassTimeout {
					ae = &adapters.Error{Class: ae.Class, Detail: fmt.Sprintf("jump host %s: %s", ep.alias, ae.Detail), Err: ae.Err}
					return nil, ae
				}
			}
			return nil, err
		}
		if final {
			c.client, c.flow = client, flow
		} else {
			c.jumps = append(c.jumps, client)
		}
		prev = client
	}
	return c, nil
}

// dialOne opens the transport to ep (TCP, or a channel through prev) and runs
// the SSH handshake, all within the connect timeout. The final endpoint's
// transport is a flowConn.
func (a *Adapter) dialOne(ctx context.Context, dev inventory.Device, ep target, prev *ssh.Client, final bool, tm timeouts, hostKeyOverride ssh.HostKeyCallback) (*ssh.Client, *flowConn, error) {
	dctx, cancel := context.WithTimeout(ctx, tm.connect)
	defer cancel()
	var raw net.Conn
	var err error
	if prev == nil {
		var d net.Dialer
		raw, err = d.DialContext(dctx, "tcp", ep.addr())
	} else {
		raw, err = prev.DialContext(dctx, "tcp", ep.addr())
	}
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return nil, nil, ctx.Err()
		case dctx.Err() != nil:
			return nil, nil, adapters.Errorf(adapters.ClassTimeout, err, "connect")
		default:
			return nil, nil, adapters.Errorf(adapters.ClassConnect, err, "%s", dialDetail(ep, err))
		}
	}

	var flow *flowConn
	if final {
		flow = newFlowConn(raw)
		raw = flow
	}
	clock := startClock(tm.connect, func() { raw.Close() })
	stopWatch := context.AfterFunc(ctx, func() { raw.Close() })
	legacy := final && dev.LegacyAlgorithms
	known, err := a.hostKeys.knownKeys(ep.addr())
	if err != nil {
		clock.stop()
		stopWatch()
		raw.Close()
		return nil, nil, adapters.Errorf(adapters.ClassHostKey, err, "reading known_hosts: %v", err)
	}
	l := &login{a: a, ctx: ctx, dev: dev, t: ep, device: final, clock: clock}
	cc := &ssh.ClientConfig{
		Config:            algorithmConfig(legacy),
		User:              ep.user,
		Auth:              l.methods(),
		HostKeyAlgorithms: hostKeyAlgorithms(known, legacy),
		ClientVersion:     clientVersion,
		HostKeyCallback: func(hostport string, remote net.Addr, key ssh.PublicKey) error {
			return a.verify(ctx, dev, hostport, remote, key, clock)
		},
	}
	if hostKeyOverride != nil {
		cc.HostKeyCallback = hostKeyOverride
	}
	sconn, chans, reqs, err := ssh.NewClientConn(raw, ep.addr(), cc)
	fired := clock.stop()
	stopWatch()
	l.close()
	if err == nil && fired {
		// The clock fired as the handshake ended: it has closed raw, so
		// the client is dead. It is the connect timeout, not a session
		// the device refused.
		sconn.Close()
		err = errors.New("connect timeout fired as the handshake ended")
	}
	if err != nil {
		raw.Close()
		switch {
		case ctx.Err() != nil:
			return nil, nil, ctx.Err()
		case fired:
			return nil, nil, adapters.Errorf(adapters.ClassTimeout, err, "connect")
		}
		if isAuthFailure(err) {
			l.failed()
		}
		return nil, nil, classifyHandshake(err, ep, l)
	}
	return ssh.NewClient(sconn, chans, reqs), flow, nil
}

// dialDetail describes a failed TCP connect.
func dialDetail(ep target, err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("connection refused by %s", ep.addr())
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return fmt.Sprintf("no route to %s", ep.addr())
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fmt.Sprintf("cannot resolve %s", ep.hostname)
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, "ssh: rejected: "); i >= 0 {
		// A jump host could not open the forward.
		msg = msg[i+len("ssh: rejected: "):]
	}
	return fmt.Sprintf("%s: %s", ep.addr(), msg)
}

// isAuthFailure reports whether a handshake error is a refused login.
func isAuthFailure(err error) bool {
	var pr *errPasswordRequired
	return errors.As(err, &pr) || errors.Is(err, errPasswordRejected) ||
		strings.Contains(err.Error(), "unable to authenticate") ||
		strings.Contains(err.Error(), "too many authentication")
}

// classifyHandshake turns a failed handshake into a classified error.
func classifyHandshake(err error, ep target, l *login) error {
	var ae *adapters.Error
	if errors.As(err, &ae) {
		return ae // host key verdicts, already classified
	}
	var pr *errPasswordRequired
	if errors.As(err, &pr) {
		return adapters.Errorf(adapters.ClassAuth, err, "%s", pr.Error())
	}
	var neg *ssh.AlgorithmNegotiationError
	if errors.As(err, &neg) {
		hint := ""
		if !l.dev.LegacyAlgorithms {
			hint = "; legacy_algorithms: true may help"
		}
		return adapters.Errorf(adapters.ClassConnect, err, "no common %s algorithm with %s (server offers %q)%s",
			neg.What, ep.addr(), strings.Join(neg.RequestedAlgorithms, ","), hint)
	}
	who := ep.user + "@" + ep.addr()
	if errors.Is(err, errPasswordRejected) {
		return adapters.Errorf(adapters.ClassAuth, err, "password rejected for %s", who)
	}
	msg := err.Error()
	if i := strings.Index(msg, "attempted methods "); i >= 0 {
		tried := msg[i+len("attempted methods "):]
		if j := strings.Index(tried, "]"); j >= 0 {
			tried = strings.Trim(tried[:j+1], "[]")
		}
		detail := fmt.Sprintf("login refused for %s (tried %s)", who, strings.Join(strings.Fields(tried), ", "))
		if len(l.notes) > 0 {
			detail += "; " + strings.Join(l.notes, "; ")
		}
		return adapters.Errorf(adapters.ClassAuth, err, "%s", detail)
	}
	if strings.Contains(msg, "too many authentication") {
		return adapters.Errorf(adapters.ClassAuth, err, "too many attempts for %s", who)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) {
		return adapters.Errorf(adapters.ClassConnect, err, "%s closed the connection during the handshake", ep.addr())
	}
	return adapters.Errorf(adapters.ClassConnect, err, "%s: %s", ep.addr(), strings.TrimPrefix(msg, "ssh: handshake failed: "))
}

// keepalive sends keepalive@openssh.com every interval; when three go
// unanswered (or sending fails) it calls dead once. A wait during which
// flow held the socket back starts over: the answer queues behind output
// this side has not taken yet. It returns when stop is closed.
func keepalive(client *ssh.Client, flow *flowConn, interval time.Duration, stop <-chan struct{}, dead func()) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		reply := make(chan error, 1)
		go func() {
			_, _, err := client.SendRequest("keepalive@openssh.com", true, nil)
			reply <- err
		}()
		wait := time.NewTimer(3 * interval)
		flow.heldBack()
	waiting:
		for {
			select {
			case <-stop:
				wait.Stop()
				return
			case err := <-reply:
				wait.Stop()
				if err != nil {
					dead()
					return
				}
				break waiting
			case <-wait.C:
				if !flow.heldBack() {
					dead()
					return
				}
				wait.Reset(3 * interval)
			}
		}
	}
}
