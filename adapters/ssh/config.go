// Package sshadapter runs commands on devices over SSH (golang.org/x/crypto/ssh).
//
// One connection per run: exec channels for linux, an interactive shell with
// prompt detection for network operating systems. Host keys are verified
// against the user's known_hosts and netauto's own file; credentials come
// from ssh-agent, key files, environment variables or a callback, never from
// disk in the clear. The user's ~/.ssh/config supplies HostName, Port, User,
// IdentityFile and ProxyJump where the inventory leaves them unset.
package sshadapter

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"sync"
	"time"

	"github.com/kevinburke/ssh_config"
	"golang.org/x/crypto/ssh"

	"netauto/adapters"
	"netauto/inventory"
)

// Built-in defaults, chosen for WAN links to remote sites.
const (
	DefaultConnectTimeout = 15 * time.Second
	DefaultCommandTimeout = 10 * time.Minute
	DefaultIdleTimeout    = 2 * time.Minute
	DefaultKeepalive      = 15 * time.Second
)

// Decision is the answer to a question about an unknown host key.
type Decision int

// The possible decisions about an unknown host key.
const (
	// Refuse ends the connection with a hostkey error.
	Refuse Decision = iota
	// TrustOnce accepts the key for the life of this Adapter (in memory only).
	TrustOnce
	// TrustAlways accepts the key and records it in Config.KnownHostsFile.
	TrustAlways
)

// String names the decision.
func (d Decision) String() string {
	switch d {
	case TrustOnce:
		return "trust-once"
	case TrustAlways:
		return "trust-always"
	default:
		return "refuse"
	}
}

// HostKeyQuestion describes a host key that no known_hosts file knows.
type HostKeyQuestion struct {
	// Host is the known_hosts form of the address asked for: "host" on port
	// 22, "[host]:port" otherwise.
	Host string
	// Addr is the remote address actually connected to.
	Addr string
	// Key is the key the server presented.
	Key ssh.PublicKey
	// Fingerprint is the key's SHA256 fingerprint ("SHA256:…").
	Fingerprint string
	// Device is the device being connected to (the key may be a jump host's).
	Device inventory.Device
}

// HostKeyDecider decides about an unknown host key. The console asks the
// operator; a headless run refuses unless told to accept new keys. It may
// block (the connect timeout is paused while it does); an error refuses.
type HostKeyDecider func(ctx context.Context, q HostKeyQuestion) (Decision, error)

// PasswordSource supplies a secret that no environment variable holds: a
// login password, an enable password or a key passphrase (what says which).
// The adapter asks at most once per session for each environment variable
// (or device, when it names none) and keeps the answer in memory only.
type PasswordSource func(ctx context.Context, dev inventory.Device, what string) (string, error)

// Config configures an Adapter. Zero values take the defaults noted.
type Config struct {
	// KnownHostsFile is netauto's own known_hosts file, read and written
	// (keys trusted always are appended). "" disables recording.
	KnownHostsFile string
	// UserKnownHosts is the user's known_hosts (~/.ssh/known_hosts), read only.
	// "" means Home/.ssh/known_hosts.
	UserKnownHosts string
	// SSHConfigFile is the user's ssh config. "" means Home/.ssh/config.
	SSHConfigFile string
	// Home is the user's home directory, for ~ and the default paths.
	// "" means os.UserHomeDir().
	Home string
	// LocalUser is the login name used when neither the inventory nor the
	// ssh config gives one. "" means the current user.
	LocalUser string
	// Getenv looks up environment variables (passwords, SSH_AUTH_SOCK).
	// nil means os.Getenv.
	Getenv func(string) string
	// ConnectTimeout bounds TCP connect plus SSH handshake (per hop).
	ConnectTimeout time.Duration
	// CommandTimeout bounds a whole run.
	CommandTimeout time.Duration
	// IdleTimeout bounds a silence in a run's output.
	IdleTimeout time.Duration
	// Keepalive is the interval of keepalive@openssh.com requests; a peer
	// that leaves three unanswered is considered gone. Negative disables.
	Keepalive time.Duration
	// HostKeys decides about unknown host keys; nil refuses them.
	HostKeys HostKeyDecider
	// Password supplies secrets not found in the environment; nil means
	// none can be asked for.
	Password PasswordSource
}

// Adapter runs commands over SSH. It is safe for concurrent use; one
// Adapter serves every run of a process so that trusted keys and secrets
// typed once are shared.
type Adapter struct {
	cfg       Config
	sshConfig *ssh_config.Config
	hostKeys  *hostKeyDB
	secrets   secretCache
	keys      keyCache
}

var _ adapters.Adapter = (*Adapter)(nil)

// New returns an Adapter for cfg. It reads the ssh config file now; a file
// that does not exist is no error, one that does not parse is.
func New(cfg Config) (*Adapter, error) {
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	if cfg.Home == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("ssh: home directory: %w", err)
		}
		cfg.Home = home
	}
	if cfg.LocalUser == "" {
		if u, err := user.Current(); err == nil {
			cfg.LocalUser = u.Username
		} else {
			cfg.LocalUser = cfg.Getenv("USER")
		}
	}
	if cfg.UserKnownHosts == "" {
		cfg.UserKnownHosts = filepath.Join(cfg.Home, ".ssh", "known_hosts")
	}
	if cfg.SSHConfigFile == "" {
		cfg.SSHConfigFile = filepath.Join(cfg.Home, ".ssh", "config")
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.CommandTimeout <= 0 {
		cfg.CommandTimeout = DefaultCommandTimeout
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.Keepalive == 0 {
		cfg.Keepalive = DefaultKeepalive
	}
	sc, err := loadSSHConfig(cfg.SSHConfigFile)
	if err != nil {
		return nil, err
	}
	a := &Adapter{cfg: cfg, sshConfig: sc}
	a.hostKeys = newHostKeyDB(cfg.UserKnownHosts, cfg.KnownHostsFile)
	return a, nil
}

func loadSSHConfig(path string) (*ssh_config.Config, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return &ssh_config.Config{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ssh config: %w", err)
	}
	defer f.Close()
	c, err := ssh_config.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("ssh config %s: %w", path, err)
	}
	return c, nil
}

// timeouts are the resolved limits of one run.
type timeouts struct {
	connect, command, idle, keepalive time.Duration
}

// timeoutsFor resolves a device's timeouts: a non-zero device value wins
// over the Config, which wins over the defaults (applied in New).
func (a *Adapter) timeoutsFor(dev inventory.Device) timeouts {
	t := timeouts{a.cfg.ConnectTimeout, a.cfg.CommandTimeout, a.cfg.IdleTimeout, a.cfg.Keepalive}
	if dev.ConnectTimeout > 0 {
		t.connect = dev.ConnectTimeout
	}
	if dev.CommandTimeout > 0 {
		t.command = dev.CommandTimeout
	}
	if dev.IdleTimeout > 0 {
		t.idle = dev.IdleTimeout
	}
	return t
}

// secretCache keeps secrets typed once, in memory, per key. Concurrent
// askers for one key wait for the first answer instead of asking again.
type secretCache struct {
	mu      sync.Mutex
	entries map[string]*secretEntry
}

type secretEntry struct {
	done  chan struct{}
	value string
	err   error
}

// get returns the cached secret for key, calling ask at most once at a time.
// A failed ask is not cached.
func (c *secretCache) get(key string, ask func() (string, error)) (string, error) {
	for {
		c.mu.Lock()
		if c.entries == nil {
			c.entries = make(map[string]*secretEntry)
		}
		e, ok := c.entries[key]
		if !ok {
			e = &secretEntry{done: make(chan struct{})}
			c.entries[key] = e
			c.mu.Unlock()
			e.value, e.err = ask()
			if e.err != nil {
				c.mu.Lock()
				delete(c.entries, key)
				c.mu.Unlock()
			}
			close(e.done)
			return e.value, e.err
		}
		c.mu.Unlock()
		<-e.done
		if e.err == nil {
			return e.value, nil
		}
		// The asker failed (e.g. its context ended): ask on our own behalf.
	}
}

// forget drops a secret the device rejected, so the next run asks again.
func (c *secretCache) forget(key, value string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		select {
		case <-e.done:
			if e.value == value {
				delete(c.entries, key)
			}
		default:
		}
	}
}
