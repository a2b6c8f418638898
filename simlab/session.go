package simlab

import (
	"context"

	"golang.org/x/crypto/ssh"
)

// request is what a session channel was asked to run.
type request struct {
	shell   bool   // interactive shell, else exec
	command string // the exec command
	pty     bool   // a pty was requested
}

// handleSession serves one session channel: it answers the channel's
// requests, runs the shell or the exec command in a worker, sends the exit
// status where the platform sends one, and closes the channel.
func (d *device) handleSession(ctx context.Context, conn *ssh.ServerConn, nc ssh.NewChannel) {
	ch, reqs, err := nc.Accept()
	if err != nil {
		return
	}
	defer ch.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var req request
	started := false
	done := make(chan *int, 1)
	for {
		select {
		case r, ok := <-reqs:
			if !ok {
				return // the client closed the channel
			}
			accept := false
			switch r.Type {
			case "pty-req":
				req.pty, accept = true, !started
			case "env", "window-change":
				accept = true
			case "shell", "exec":
				if started {
					break
				}
				req.shell = r.Type == "shell"
				if !req.shell {
					var p struct{ Command string }
					if ssh.Unmarshal(r.Payload, &p) != nil {
						break
					}
					req.command = p.Command
				}
				started, accept = true, true
				run := req
				t := newTerm(ctx, ch, run, d)
				d.lab.wg.Add(1)
				go func() {
					defer d.lab.wg.Done()
					done <- d.run(t, run, conn)
				}()
			}
			if r.WantReply {
				r.Reply(accept, nil)
			}
		case status := <-done:
			if status != nil {
				ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{uint32(*status)}))
			}
			ch.CloseWrite()
			ch.Close()
			// Keep serving requests until the client acknowledges the
			// close, so the connection's other traffic never stalls.
			done = nil
		case <-ctx.Done():
			return
		}
	}
}

// run executes what the session asked for and returns the exit status to
// send, nil for none (network OSes send none).
func (d *device) run(t *term, req request, conn *ssh.ServerConn) *int {
	defer t.stopInput()
	if d.info.Fault != FaultNone && d.info.Fault != FaultLegacy {
		return d.runFault(t, req, conn)
	}
	if d.profile == nil {
		return d.runShellLike(t, req, d.linuxCommand)
	}
	s := &netShell{d: d, p: d.profile, t: t, enabled: d.profile.startEnabled}
	if req.shell {
		s.interactive()
		return nil
	}
	s.exec(req.command, 0)
	return nil
}
