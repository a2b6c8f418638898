package simlab

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"golang.org/x/crypto/ssh"

	"netauto/inventory"
)

// handshakeTimeout bounds a healthy device's SSH handshake, so a client that
// connects and stalls does not hold a goroutine until Close.
const handshakeTimeout = 30 * time.Second

// device is one served device.
type device struct {
	lab     *Lab
	info    DeviceInfo
	spec    spec // the plan's timeouts for the inventory
	facts   *facts
	profile *profile // nil for linux
	hostKey ssh.Signer
	config  *ssh.ServerConfig
	ln      net.Listener
}

// newDevice loads or creates the device's host key, builds its SSH server
// configuration and opens its listener on a kernel-chosen loopback port.
func (l *Lab) newDevice(s spec, client ssh.PublicKey) (*device, error) {
	d := &device{lab: l, info: s.DeviceInfo, spec: s, profile: profiles[s.Platform]}
	d.facts = newFacts(d.info, l.started)
	legacy := s.Fault == FaultLegacy
	key, err := loadOrCreateKey(hostKeyPath(l.opts.Dir, s.Name), legacy, "root@"+s.Name)
	if err != nil {
		return nil, err
	}
	if d.hostKey, err = hostKeySigner(key, legacy); err != nil {
		return nil, err
	}
	d.config = d.serverConfig(client, l.password)
	d.ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("simlab: listen for %s: %w", s.Name, err)
	}
	d.info.Addr = d.ln.Addr().String()
	return d, nil
}

// serverConfig is the device's SSH server side: its host key, its software
// version string, the one login method it accepts and, for the legacy
// device, nothing but old algorithms.
func (d *device) serverConfig(client ssh.PublicKey, password string) *ssh.ServerConfig {
	cfg := &ssh.ServerConfig{ServerVersion: serverVersions[d.info.Platform]}
	cfg.AddHostKey(d.hostKey)
	wrong := errors.New("simlab: access denied")
	passwordOK := func(user string, pw []byte) bool {
		return user == Username && subtle.ConstantTimeCompare(pw, []byte(password)) == 1
	}
	switch d.info.Auth {
	case AuthKey:
		want := client.Marshal()
		cfg.PublicKeyCallback = func(c ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if c.User() == Username && bytes.Equal(key.Marshal(), want) {
				return nil, nil
			}
			return nil, wrong
		}
	case AuthPassword:
		cfg.PasswordCallback = func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if passwordOK(c.User(), pw) {
				return nil, nil
			}
			return nil, wrong
		}
	case AuthKbdInt:
		cfg.KeyboardInteractiveCallback = func(c ssh.ConnMetadata, ask ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			answers, err := ask("", "", []string{"Password: "}, []bool{false})
			if err == nil && len(answers) == 1 && passwordOK(c.User(), []byte(answers[0])) {
				return nil, nil
			}
			return nil, wrong
		}
	case AuthNone:
		cfg.PublicKeyCallback = func(ssh.ConnMetadata, ssh.PublicKey) (*ssh.Permissions, error) { return nil, wrong }
		cfg.PasswordCallback = func(ssh.ConnMetadata, []byte) (*ssh.Permissions, error) { return nil, wrong }
		cfg.KeyboardInteractiveCallback = func(_ ssh.ConnMetadata, ask ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			ask("", "", []string{"Password: "}, []bool{false})
			return nil, wrong
		}
	}
	if d.info.Fault == FaultLegacy {
		cfg.ServerVersion = "SSH-1.99-Cisco-1.25"
		cfg.KeyExchanges = []string{ssh.InsecureKeyExchangeDH14SHA1, ssh.InsecureKeyExchangeDH1SHA1}
		cfg.Ciphers = []string{ssh.InsecureCipherAES128CBC, ssh.InsecureCipherTripleDESCBC}
		cfg.MACs = []string{ssh.HMACSHA1, ssh.InsecureHMACSHA196}
	}
	return cfg
}

// serverVersions are the identification strings the platforms send.
var serverVersions = map[inventory.Platform]string{
	inventory.PlatformIOS:   "SSH-2.0-Cisco-1.25",
	inventory.PlatformIOSXR: "SSH-2.0-Cisco-2.0",
	inventory.PlatformNXOS:  "SSH-2.0-OpenSSH_8.3",
	inventory.PlatformEOS:   "SSH-2.0-OpenSSH_7.9",
	inventory.PlatformJunos: "SSH-2.0-OpenSSH_7.5",
	inventory.PlatformLinux: "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10",
}

// serve accepts connections for d until its listener closes.
func (l *Lab) serve(d *device) {
	for {
		c, err := d.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) || l.ctx.Err() != nil {
				return
			}
			// Out of descriptors or similar: back off briefly and retry.
			select {
			case <-time.After(20 * time.Millisecond):
				continue
			case <-l.ctx.Done():
				return
			}
		}
		if !l.track(c) {
			continue
		}
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			defer l.untrack(c)
			defer c.Close()
			d.serveConn(c)
		}()
	}
}

// serveConn runs one connection: the SSH handshake, then its session
// channels. It returns when the connection is gone.
func (d *device) serveConn(c net.Conn) {
	l := d.lab
	if d.info.Fault == FaultHandshake {
		// Accept the TCP connection and say nothing, not even the version
		// line, until the client gives up or the lab closes.
		io.Copy(io.Discard, c)
		return
	}
	c.SetDeadline(time.Now().Add(handshakeTimeout))
	sconn, chans, reqs, err := ssh.NewServerConn(c, d.config)
	if err != nil {
		return
	}
	c.SetDeadline(time.Time{})
	ctx, cancel := context.WithCancel(l.ctx)
	defer cancel()
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		ssh.DiscardRequests(reqs)
	}()
	sessions := 0
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "unsupported channel type")
			continue
		}
		if d.info.Platform.Interactive() && sessions > 0 {
			// Network gear serves one session per connection.
			nc.Reject(ssh.Prohibited, "only one session per connection")
			continue
		}
		sessions++
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			d.handleSession(ctx, sconn, nc)
		}()
	}
}
