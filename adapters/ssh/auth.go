package sshadapter

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"netauto/inventory"
)

// errPasswordRequired ends a login that needs a secret nobody gave: no
// environment variable and no PasswordSource, or the source failed (cause).
type errPasswordRequired struct {
	env, what string
	cause     error
}

func (e *errPasswordRequired) Error() string {
	switch {
	case e.cause != nil:
		return fmt.Sprintf("%s not given: %v", e.what, e.cause)
	case e.env == "":
		return e.what + " required"
	}
	return fmt.Sprintf("%s required (set %s)", e.what, e.env)
}

func (e *errPasswordRequired) Unwrap() error { return e.cause }

// errPasswordRejected stops keyboard-interactive from answering a password
// the device already refused: one try per connection, no lock-outs.
var errPasswordRejected = errors.New("password rejected")

// login holds the credentials of one connection attempt to one endpoint.
// All methods share one ssh.ClientConfig auth list, so the server sees one
// connection's attempts and nothing is retried in a loop.
type login struct {
	a      *Adapter
	ctx    context.Context
	dev    inventory.Device
	t      target
	device bool // the device itself, not a jump host
	clock  *connectClock

	mu        sync.Mutex
	agentConn net.Conn
	notes     []string // why a configured credential could not be used
	password  string   // a password typed at a prompt, handed to the server
	pwKey     string   // its cache key
	pwTried   bool
	kbdRounds int
}

// methods returns the auth list: public keys (agent, then key files),
// password, keyboard-interactive; each only where it can work.
func (l *login) methods() []ssh.AuthMethod {
	ms := []ssh.AuthMethod{ssh.PublicKeysCallback(l.signers)}
	if l.passwordPossible() {
		ms = append(ms,
			ssh.PasswordCallback(func() (string, error) {
				pw, err := l.getPassword()
				if err == nil {
					l.mu.Lock()
					l.pwTried = true
					l.mu.Unlock()
				}
				return pw, err
			}),
			ssh.KeyboardInteractive(l.keyboardInteractive),
		)
	}
	return ms
}

// passwordPossible reports whether a password can be had for this endpoint.
func (l *login) passwordPossible() bool {
	if l.device && l.dev.PasswordEnv != "" {
		return true
	}
	return l.a.cfg.Password != nil
}

// getPassword returns the login password: from the environment variable the
// device names, else from the PasswordSource (asked once per session).
func (l *login) getPassword() (string, error) {
	env := ""
	if l.device {
		env = l.dev.PasswordEnv
	}
	if env != "" {
		if v := l.a.cfg.Getenv(env); v != "" {
			return v, nil
		}
	}
	src := l.a.cfg.Password
	if src == nil {
		return "", &errPasswordRequired{env: env, what: "password"}
	}
	key := "env:" + env
	what := "password"
	if env == "" {
		key = "login:" + l.t.user + "@" + l.t.addr()
		what = "password for " + l.t.user + "@" + l.t.hostname
	}
	pw, err := l.a.secrets.get(key, func() (string, error) {
		l.clock.pause()
		defer l.clock.resume()
		return src(l.ctx, l.dev, what)
	})
	if err != nil {
		return "", &errPasswordRequired{env: env, what: what, cause: err}
	}
	return l.remember(key, pw), nil
}

// remember notes a typed password, to forget it if the device refuses it.
func (l *login) remember(key, pw string) string {
	l.mu.Lock()
	l.password, l.pwKey = pw, key
	l.mu.Unlock()
	return pw
}

// keyboardInteractive answers the password prompts of one round with the
// password, once; echoed prompts (a user name) get the user name.
func (l *login) keyboardInteractive(name, instruction string, questions []string, echos []bool) ([]string, error) {
	answers := make([]string, len(questions))
	if len(questions) == 0 {
		return answers, nil
	}
	l.mu.Lock()
	tried, rounds := l.pwTried, l.kbdRounds
	l.kbdRounds++
	l.mu.Unlock()
	for i := range questions {
		if echos[i] {
			answers[i] = l.t.user
			continue
		}
		if tried || rounds > 0 {
			return nil, errPasswordRejected
		}
		pw, err := l.getPassword()
		if err != nil {
			return nil, err
		}
		answers[i] = pw
	}
	return answers, nil
}

// failed is called when the login was refused: a password typed at a prompt
// is forgotten so that the next run asks again.
func (l *login) failed() {
	l.mu.Lock()
	pw, key := l.password, l.pwKey
	l.mu.Unlock()
	if pw != "" {
		l.a.secrets.forget(key, pw)
	}
}

// signers returns the agent's keys, then the key files' (device key_file,
// then the ssh config's IdentityFile or the default identities).
func (l *login) signers() ([]ssh.Signer, error) {
	var out []ssh.Signer
	out = append(out, l.agentSigners()...)
	for _, path := range l.t.keyFiles {
		s, err := l.a.keys.load(path, func() (string, error) {
			if l.a.cfg.Password == nil {
				return "", &errPasswordRequired{what: "passphrase for " + path}
			}
			return l.a.secrets.get("passphrase:"+path, func() (string, error) {
				l.clock.pause()
				defer l.clock.resume()
				return l.a.cfg.Password(l.ctx, l.dev, "passphrase for "+path)
			})
		})
		if err != nil {
			l.note(fmt.Sprintf("key %s: %v", path, err))
			continue
		}
		out = append(out, restrictSigner(s, l.device && l.dev.LegacyAlgorithms))
	}
	return out, nil
}

// agentSigners returns the ssh-agent's keys when the device asks for the
// agent or SSH_AUTH_SOCK names a socket that exists.
func (l *login) agentSigners() []ssh.Signer {
	sock := l.a.cfg.Getenv("SSH_AUTH_SOCK")
	if sock == "" {
		if l.device && l.dev.Agent {
			l.note("agent: SSH_AUTH_SOCK is not set")
		}
		return nil
	}
	if st, err := os.Stat(sock); err != nil || st.Mode()&os.ModeSocket == 0 {
		if l.device && l.dev.Agent {
			l.note("agent: no socket at SSH_AUTH_SOCK")
		}
		return nil
	}
	d := net.Dialer{Timeout: 2 * time.Second}
	c, err := d.DialContext(l.ctx, "unix", sock)
	if err != nil {
		l.note("agent: " + err.Error())
		return nil
	}
	l.mu.Lock()
	l.agentConn = c
	l.mu.Unlock()
	ss, err := agent.NewClient(c).Signers()
	if err != nil {
		l.note("agent: " + err.Error())
		return nil
	}
	for i, s := range ss {
		ss[i] = restrictSigner(s, l.device && l.dev.LegacyAlgorithms)
	}
	return ss
}

func (l *login) note(s string) {
	l.mu.Lock()
	l.notes = append(l.notes, s)
	l.mu.Unlock()
}

// close releases the agent connection, once the handshake is over.
func (l *login) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.agentConn != nil {
		l.agentConn.Close()
		l.agentConn = nil
	}
}

// keyCache keeps parsed private keys, so that a batch of runs parses each
// key file once.
type keyCache struct {
	mu      sync.Mutex
	signers map[string]ssh.Signer
}

// load returns the signer of a private key file, asking for a passphrase
// through passphrase when the key is encrypted.
func (c *keyCache) load(path string, passphrase func() (string, error)) (ssh.Signer, error) {
	c.mu.Lock()
	s, ok := c.signers[path]
	c.mu.Unlock()
	if ok {
		return s, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err = ssh.ParsePrivateKey(data)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		pass, perr := passphrase()
		if perr != nil {
			return nil, perr
		}
		s, err = ssh.ParsePrivateKeyWithPassphrase(data, []byte(pass))
	}
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.signers == nil {
		c.signers = make(map[string]ssh.Signer)
	}
	c.signers[path] = s
	c.mu.Unlock()
	return s, nil
}
