package simlab

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"netauto/inventory"
)

// PasswordEnv is the environment variable the lab's inventory names for the
// password devices (lab-password, lab-kbdint) and for enable passwords. The
// lab never sets it; whoever starts the lab exports Lab.Password under it.
const PasswordEnv = "NETAUTO_LAB_PASSWORD"

// Username is the login name every lab device accepts.
const Username = "netops"

// Defaults used when an Options field is zero.
const (
	DefaultDevices        = 24
	DefaultStreamDuration = 30 * time.Second
	DefaultFloodBytes     = 50 << 20
)

// Options configures a lab. The zero value of every field but Dir is a
// sensible default.
type Options struct {
	// Dir holds the lab's host keys, client key, known_hosts and
	// inventory.yaml. It is created (0700) if missing; keys found in it are
	// reused, so a device keeps its host key across starts.
	Dir string
	// Devices is the number of healthy devices; 0 means DefaultDevices.
	Devices int
	// NoFaults leaves out the fault devices and the password and
	// keyboard-interactive devices, serving only the healthy fleet.
	NoFaults bool
	// Password is the password of lab-password and lab-kbdint and the enable
	// password of every device that asks for one; "" generates a random one.
	Password string
	// StreamDuration is how long `show tech-support` streams and how long
	// fault-drip drips; 0 means DefaultStreamDuration.
	StreamDuration time.Duration
	// FloodBytes is how much fault-flood sends per command; 0 means
	// DefaultFloodBytes.
	FloodBytes int64
}

// Fault names the misbehaviour of a fault device; "" is a healthy device.
type Fault string

// The lab's fault kinds; each is served by the device named "fault-" + kind.
const (
	FaultNone      Fault = ""
	FaultAuth      Fault = "auth"
	FaultHandshake Fault = "handshake"
	FaultHang      Fault = "hang"
	FaultDrop      Fault = "drop"
	FaultDrip      Fault = "drip"
	FaultFlood     Fault = "flood"
	FaultEscape    Fault = "escape"
	FaultLegacy    Fault = "legacy"
)

// Auth names how a device authenticates its user.
type Auth string

// The authentication methods lab devices accept (one each).
const (
	AuthKey      Auth = "publickey"            // the lab's client key (KeyFile)
	AuthPassword Auth = "password"             // Password, by password auth only
	AuthKbdInt   Auth = "keyboard-interactive" // Password, by keyboard-interactive only
	AuthNone     Auth = "none"                 // nothing works (fault-auth)
)

// DeviceInfo describes one served device.
type DeviceInfo struct {
	// Name is the device's inventory name and hostname.
	Name string
	// Site is chi1, nyc2, sfo3 for the healthy fleet, lab-faults or lab-auth.
	Site string
	// Role is core, edge or access for the healthy fleet, "" otherwise.
	Role string
	// Platform is the device's personality.
	Platform inventory.Platform
	// Addr is the listener's address, 127.0.0.1:PORT.
	Addr string
	// Fault is the device's misbehaviour, FaultNone when healthy.
	Fault Fault
	// Auth is the one login method the device accepts.
	Auth Auth
	// Enable reports whether the device starts in user mode and `enable`
	// asks for the password.
	Enable bool
}

// Lab is a running fleet of simulated devices. Close it when done.
type Lab struct {
	opts     Options
	password string
	devices  []*device
	started  time.Time

	ctx    context.Context
	cancel context.CancelFunc
	stop   func() bool
	wg     sync.WaitGroup

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool

	closeOnce sync.Once
	closeErr  error
}

// Start serves the lab described by opts on 127.0.0.1 and writes its files
// into opts.Dir. The lab runs until Close is called or ctx ends; Close must
// be called either way to release everything.
func Start(ctx context.Context, opts Options) (*Lab, error) {
	if opts.Dir == "" {
		return nil, errors.New("simlab: Options.Dir is required")
	}
	if opts.Devices < 0 || opts.StreamDuration < 0 || opts.FloodBytes < 0 {
		return nil, errors.New("simlab: Devices, StreamDuration and FloodBytes must not be negative")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("simlab: %w", err)
	}
	opts.Dir = dir
	if opts.Devices == 0 {
		opts.Devices = DefaultDevices
	}
	if opts.StreamDuration == 0 {
		opts.StreamDuration = DefaultStreamDuration
	}
	if opts.FloodBytes == 0 {
		opts.FloodBytes = DefaultFloodBytes
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("simlab: %w", err)
	}
	l := &Lab{opts: opts, password: opts.Password, started: time.Now(), conns: map[net.Conn]struct{}{}}
	if l.password == "" {
		l.password = rand.Text()[:16]
	}
	l.ctx, l.cancel = context.WithCancel(context.Background())

	client, err := loadOrCreateClientKey(l.KeyFile())
	if err != nil {
		l.cancel()
		return nil, err
	}
	for _, p := range plan(opts.Devices, opts.NoFaults) {
		d, err := l.newDevice(p, client)
		if err != nil {
			l.Close()
			return nil, err
		}
		l.devices = append(l.devices, d)
	}
	if err := writeKnownHosts(l.KnownHostsPath(), l.devices); err != nil {
		l.Close()
		return nil, err
	}
	if err := writeInventory(l.InventoryPath(), l.KeyFile(), l.devices); err != nil {
		l.Close()
		return nil, err
	}
	for _, d := range l.devices {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			l.serve(d)
		}()
	}
	l.stop = context.AfterFunc(ctx, l.shutdown)
	return l, nil
}

// Close stops every listener, closes every live connection, and waits until
// every goroutine of the lab has ended. It is safe to call more than once.
func (l *Lab) Close() error {
	l.closeOnce.Do(func() {
		if l.stop != nil {
			l.stop()
		}
		l.shutdown()
		l.wg.Wait()
	})
	return l.closeErr
}

// shutdown cancels the lab's context and closes its listeners and
// connections without waiting.
func (l *Lab) shutdown() {
	l.cancel()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.closed = true
	for _, d := range l.devices {
		if d.ln != nil {
			if err := d.ln.Close(); err != nil && l.closeErr == nil && !errors.Is(err, net.ErrClosed) {
				l.closeErr = err
			}
		}
	}
	for c := range l.conns {
		c.Close()
	}
}

// track registers a live connection so that Close can close it; it returns
// false (and closes c) when the lab is already closing.
func (l *Lab) track(c net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		c.Close()
		return false
	}
	l.conns[c] = struct{}{}
	return true
}

// untrack forgets a connection that has ended.
func (l *Lab) untrack(c net.Conn) {
	l.mu.Lock()
	delete(l.conns, c)
	l.mu.Unlock()
}

// Dir is the lab's directory (absolute).
func (l *Lab) Dir() string { return l.opts.Dir }

// InventoryPath is the netauto inventory of the fleet, DIR/inventory.yaml.
func (l *Lab) InventoryPath() string { return filepath.Join(l.opts.Dir, "inventory.yaml") }

// KnownHostsPath is the OpenSSH known_hosts file for the fleet's current
// ports, DIR/known_hosts.
func (l *Lab) KnownHostsPath() string { return filepath.Join(l.opts.Dir, "known_hosts") }

// KeyFile is the private key (OpenSSH format, 0600) the key-auth devices
// accept, DIR/id_ed25519.
func (l *Lab) KeyFile() string { return filepath.Join(l.opts.Dir, "id_ed25519") }

// Password is the password of the password devices and of enable; export it
// as PasswordEnv for netauto to find it.
func (l *Lab) Password() string { return l.password }

// Devices lists the served devices: the healthy fleet (round-robin over its
// sites), then the auth devices, then the fault devices.
func (l *Lab) Devices() []DeviceInfo {
	out := make([]DeviceInfo, len(l.devices))
	for i, d := range l.devices {
		out[i] = d.info
	}
	return out
}

// hostKeySigner is the host key a device presents, restricted to ssh-rsa for
// the legacy device.
func hostKeySigner(key ssh.Signer, legacy bool) (ssh.Signer, error) {
	if !legacy {
		return key, nil
	}
	as, ok := key.(ssh.AlgorithmSigner)
	if !ok {
		return nil, errors.New("simlab: legacy host key cannot choose its algorithm")
	}
	return ssh.NewSignerWithAlgorithms(as, []string{ssh.KeyAlgoRSA})
}
