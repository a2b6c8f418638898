package tui

import (
	"context"
	"errors"
	"sync"

	tea "charm.land/bubbletea/v2"

	sshadapter "netauto/adapters/ssh"
	"netauto/inventory"
	"netauto/runner"
)

// errConsoleClosed is what an adapter's question gets once the console is
// gone.
var errConsoleClosed = errors.New("console closed")

// Prompts carries the SSH adapter's questions (unknown host keys,
// passwords) from adapter goroutines to the console's dialogs and the
// answers back. Create it before the stack, pass Callbacks to
// runner.OpenStack, and the same Prompts to Run in Options.
type Prompts struct {
	hostKeys  chan hostKeyPrompt
	passwords chan passwordPrompt
	done      chan struct{}
	once      sync.Once
}

// NewPrompts returns a Prompts ready to be wired.
func NewPrompts() *Prompts {
	return &Prompts{
		hostKeys:  make(chan hostKeyPrompt),
		passwords: make(chan passwordPrompt),
		done:      make(chan struct{}),
	}
}

// Callbacks returns the callbacks for runner.OpenStack: each blocks its
// adapter goroutine until the operator answers, the run's context ends or
// the console closes (then the key is refused / no password is given).
func (p *Prompts) Callbacks() runner.Callbacks {
	return runner.Callbacks{HostKeys: p.decideHostKey, Password: p.password}
}

// close makes every pending and future question fail at once.
func (p *Prompts) close() { p.once.Do(func() { close(p.done) }) }

func (p *Prompts) decideHostKey(ctx context.Context, q sshadapter.HostKeyQuestion) (sshadapter.Decision, error) {
	hp := hostKeyPrompt{
		device:      q.Device.Name,
		host:        q.Host,
		fingerprint: q.Fingerprint,
		reply:       make(chan hostKeyDecision, 1),
	}
	if q.Key != nil {
		hp.keyType = q.Key.Type()
	}
	select {
	case p.hostKeys <- hp:
	case <-ctx.Done():
		return sshadapter.Refuse, ctx.Err()
	case <-p.done:
		return sshadapter.Refuse, errConsoleClosed
	}
	select {
	case d := <-hp.reply:
		switch d {
		case decideTrustOnce:
			return sshadapter.TrustOnce, nil
		case decideTrustAlways:
			return sshadapter.TrustAlways, nil
		}
		return sshadapter.Refuse, nil
	case <-ctx.Done():
		return sshadapter.Refuse, ctx.Err()
	case <-p.done:
		return sshadapter.Refuse, errConsoleClosed
	}
}

func (p *Prompts) password(ctx context.Context, dev inventory.Device, what string) (string, error) {
	pp := passwordPrompt{dev: dev, what: what, reply: make(chan passwordReply, 1)}
	select {
	case p.passwords <- pp:
	case <-ctx.Done():
		return "", ctx.Err()
	case <-p.done:
		return "", errConsoleClosed
	}
	select {
	case r := <-pp.reply:
		return r.secret, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	case <-p.done:
		return "", errConsoleClosed
	}
}

// promptMsg delivers one question to the update loop.
type promptMsg struct {
	hostKey  *hostKeyPrompt
	password *passwordPrompt
}

// wait returns the command that waits for the next question; the root
// issues it again after each one.
func (p *Prompts) wait() tea.Cmd {
	if p == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case hp := <-p.hostKeys:
			return promptMsg{hostKey: &hp}
		case pp := <-p.passwords:
			return promptMsg{password: &pp}
		case <-p.done:
			return nil
		}
	}
}
