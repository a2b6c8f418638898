package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"

	sshadapter "netauto/adapters/ssh"
	"netauto/inventory"
)

// terminalPrompter asks the operator for passwords and confirmations on the
// terminal. Prompts are serialized: runs that need a password at the same
// moment ask one after the other.
type terminalPrompter struct {
	mu  sync.Mutex
	in  io.Reader
	out io.Writer
	// interactive is whether in is a terminal; when false nothing is asked.
	interactive bool
}

// passwordSource returns the callback that asks for passwords, or nil
// without a terminal: the adapter then ends the run "auth: password
// required (set VAR)" at once, never waiting for input nobody can give.
func (p *terminalPrompter) passwordSource() sshadapter.PasswordSource {
	file, ok := p.in.(*os.File)
	if !p.interactive || !ok {
		return nil
	}
	return func(ctx context.Context, dev inventory.Device, what string) (string, error) {
		return p.password(ctx, file, dev, what)
	}
}

// password asks for one secret at a masked prompt on file.
func (p *terminalPrompter) password(ctx context.Context, file *os.File, dev inventory.Device, what string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return "", err
	}
	fmt.Fprintf(p.out, "netauto: %s (device %s): ", what, dev.Name)
	fd := int(file.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	type answer struct {
		b   []byte
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		ch <- answer{b, err}
	}()
	select {
	case a := <-ch:
		fmt.Fprintln(p.out)
		return string(a.b), a.err
	case <-ctx.Done():
		// Leave the terminal echoing again; the reader goroutine ends
		// with the process.
		_ = term.Restore(fd, state)
		fmt.Fprintln(p.out)
		return "", ctx.Err()
	}
}

// confirm asks a yes/no question; only "y" or "yes" is yes.
func (p *terminalPrompter) confirm(question string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.out, "%s [y/N] ", question)
	line, _ := bufio.NewReader(p.in).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}
