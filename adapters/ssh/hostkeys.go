package sshadapter

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"netauto/adapters"
	"netauto/inventory"
)

// hostKeyDB verifies host keys against the user's known_hosts (read only),
// netauto's own file (read and appended to) and the keys trusted in memory.
// Files are re-read when they change on disk.
type hostKeyDB struct {
	userFile, ownFile string

	mu       sync.Mutex
	stamps   []fileStamp
	callback ssh.HostKeyCallback  // nil when no file has entries
	session  map[string][][]byte  // known_hosts address → keys trusted in memory
	asking   map[string]*decision // address+key → question in flight
	writeMu  sync.Mutex           // serializes appends to ownFile
}

type fileStamp struct {
	modTime time.Time
	size    int64
	exists  bool
}

type decision struct {
	done chan struct{}
	d    Decision
	err  error
}

func newHostKeyDB(userFile, ownFile string) *hostKeyDB {
	return &hostKeyDB{
		userFile: userFile,
		ownFile:  ownFile,
		session:  make(map[string][][]byte),
		asking:   make(map[string]*decision),
	}
}

// files returns the known_hosts files that are configured.
func (db *hostKeyDB) files() []string {
	var fs []string
	for _, f := range []string{db.userFile, db.ownFile} {
		if f != "" {
			fs = append(fs, f)
		}
	}
	return fs
}

// current returns the callback for the files as they are on disk now.
func (db *hostKeyDB) current() (ssh.HostKeyCallback, error) {
	files := db.files()
	stamps := make([]fileStamp, len(files))
	var existing []string
	for i, f := range files {
		if st, err := os.Stat(f); err == nil {
			stamps[i] = fileStamp{st.ModTime(), st.Size(), true}
			existing = append(existing, f)
		}
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.stamps != nil && equalStamps(db.stamps, stamps) {
		return db.callback, nil
	}
	var cb ssh.HostKeyCallback
	if len(existing) > 0 {
		var err error
		cb, err = knownhosts.New(existing...)
		if err != nil {
			return nil, err
		}
	}
	db.stamps, db.callback = stamps, cb
	return cb, nil
}

func equalStamps(a, b []fileStamp) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].exists != b[i].exists || a[i].size != b[i].size || !a[i].modTime.Equal(b[i].modTime) {
			return false
		}
	}
	return true
}

// probeKey is a key no server has: checking it yields every known key of an
// address in the KeyError.
var probeKey = func() ssh.PublicKey {
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		panic(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		panic(err)
	}
	return k
}()

// probeAddr stands in for the remote address when only the name is checked.
var probeAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 22}

// knownKeys returns the keys known for hostport ("host:port"), from files
// and memory.
func (db *hostKeyDB) knownKeys(hostport string) ([]ssh.PublicKey, error) {
	cb, err := db.current()
	if err != nil {
		return nil, err
	}
	var keys []ssh.PublicKey
	if cb != nil {
		var ke *knownhosts.KeyError
		if err := cb(hostport, probeAddr, probeKey); errors.As(err, &ke) {
			for _, k := range ke.Want {
				keys = append(keys, k.Key)
			}
		}
	}
	db.mu.Lock()
	for _, raw := range db.session[knownhosts.Normalize(hostport)] {
		if k, err := ssh.ParsePublicKey(raw); err == nil {
			keys = append(keys, k)
		}
	}
	db.mu.Unlock()
	return keys, nil
}

// keyState says what the known_hosts files say of a key.
type keyState int

const (
	keyKnown keyState = iota
	keyUnknown
	keyChanged
)

// check returns the state of key for hostport. Keys trusted in memory
// (TrustOnce) count as known like those in the files: another key for the
// same address is a changed key, not an unknown one.
func (db *hostKeyDB) check(hostport string, remote net.Addr, key ssh.PublicKey) (keyState, error) {
	norm := knownhosts.Normalize(hostport)
	db.mu.Lock()
	trusted := db.session[norm]
	for _, raw := range trusted {
		if bytes.Equal(raw, key.Marshal()) {
			db.mu.Unlock()
			return keyKnown, nil
		}
	}
	db.mu.Unlock()
	// Keys of this address trusted in memory, none of them key.
	unknown := keyUnknown
	if len(trusted) > 0 {
		unknown = keyChanged
	}
	cb, err := db.current()
	if err != nil {
		return keyUnknown, err
	}
	if cb == nil {
		return unknown, nil
	}
	err = cb(hostport, remote, key)
	var ke *knownhosts.KeyError
	var re *knownhosts.RevokedError
	switch {
	case err == nil:
		return keyKnown, nil
	case errors.As(err, &ke) && len(ke.Want) == 0:
		return unknown, nil
	case errors.As(err, &ke), errors.As(err, &re):
		return keyChanged, nil
	default:
		return keyUnknown, err
	}
}

// verify is the host key check of one connection: known keys pass, changed
// keys fail, unknown keys go to the decider (one question per address and
// key at a time, however many runs meet it).
func (a *Adapter) verify(ctx context.Context, dev inventory.Device, hostport string, remote net.Addr, key ssh.PublicKey, clock *connectClock) error {
	db := a.hostKeys
	host := knownhosts.Normalize(hostport)
	fp := ssh.FingerprintSHA256(key)
	state, err := db.check(hostport, remote, key)
	if err != nil {
		return adapters.Errorf(adapters.ClassHostKey, err, "reading known_hosts: %v", err)
	}
	switch state {
	case keyKnown:
		return nil
	case keyChanged:
		return adapters.Errorf(adapters.ClassHostKey, nil, "key for %s changed (fingerprint %s)", host, fp)
	}
	q := HostKeyQuestion{Host: host, Addr: remote.String(), Key: key, Fingerprint: fp, Device: dev}
	clock.pause()
	d, err := db.decide(ctx, q, a.cfg.HostKeys)
	clock.resume()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return adapters.Errorf(adapters.ClassHostKey, err, "unknown key for %s (fingerprint %s): %v", host, fp, err)
	}
	switch d {
	case TrustOnce:
		db.trustInMemory(host, key)
		return nil
	case TrustAlways:
		if err := db.record(host, key); err != nil {
			return adapters.Errorf(adapters.ClassHostKey, err, "recording key for %s: %v", host, err)
		}
		return nil
	default:
		return adapters.Errorf(adapters.ClassHostKey, nil, "unknown key for %s (fingerprint %s)", host, fp)
	}
}

// decide asks the decider once for q, sharing the answer with any run that
// meets the same key meanwhile.
func (db *hostKeyDB) decide(ctx context.Context, q HostKeyQuestion, decider HostKeyDecider) (Decision, error) {
	if decider == nil {
		return Refuse, nil
	}
	id := q.Host + " " + q.Fingerprint
	db.mu.Lock()
	if p, ok := db.asking[id]; ok {
		db.mu.Unlock()
		select {
		case <-p.done:
			return p.d, p.err
		case <-ctx.Done():
			return Refuse, ctx.Err()
		}
	}
	p := &decision{done: make(chan struct{})}
	db.asking[id] = p
	db.mu.Unlock()

	p.d, p.err = decider(ctx, q)
	if p.err == nil && p.d == TrustAlways {
		// Record before waking the others, so their re-checks agree.
		if err := db.record(q.Host, q.Key); err != nil {
			p.err = err
		}
	}
	db.mu.Lock()
	delete(db.asking, id)
	db.mu.Unlock()
	close(p.done)
	return p.d, p.err
}

func (db *hostKeyDB) trustInMemory(host string, key ssh.PublicKey) {
	db.mu.Lock()
	defer db.mu.Unlock()
	raw := key.Marshal()
	for _, k := range db.session[host] {
		if bytes.Equal(k, raw) {
			return
		}
	}
	db.session[host] = append(db.session[host], raw)
}

// record appends key for host to netauto's own known_hosts (0600, in a 0700
// directory) unless it is already there, and trusts it in memory.
func (db *hostKeyDB) record(host string, key ssh.PublicKey) error {
	db.trustInMemory(host, key)
	if db.ownFile == "" {
		return nil
	}
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	if data, err := os.ReadFile(db.ownFile); err == nil {
		if cb, err := knownhosts.New(db.ownFile); err == nil && len(data) > 0 {
			if cb(hostWithPort(host), probeAddr, key) == nil {
				return nil
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(db.ownFile), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(db.ownFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	line := knownhosts.Line([]string{host}, key) + "\n"
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// hostWithPort turns a known_hosts address back into host:port.
func hostWithPort(host string) string {
	if h, p, err := net.SplitHostPort(host); err == nil {
		return net.JoinHostPort(trimBrackets(h), p)
	}
	return net.JoinHostPort(trimBrackets(host), "22")
}

func trimBrackets(h string) string {
	if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
		return h[1 : len(h)-1]
	}
	return h
}

// hostKeyAlgorithms orders the host key algorithms so that the types known
// for the address come first: a host with an ed25519 entry is asked for its
// ed25519 key, and a changed key is then reported as such.
func hostKeyAlgorithms(known []ssh.PublicKey, legacy bool) []string {
	base := defaultHostKeyAlgorithms(legacy)
	var first []string
	add := func(alg string) {
		for _, f := range first {
			if f == alg {
				return
			}
		}
		for _, b := range base {
			if b == alg {
				first = append(first, alg)
				return
			}
		}
	}
	for _, k := range known {
		if k.Type() == ssh.KeyAlgoRSA {
			add(ssh.KeyAlgoRSASHA512)
			add(ssh.KeyAlgoRSASHA256)
			add(ssh.KeyAlgoRSA)
			continue
		}
		add(k.Type())
	}
	out := first
	for _, b := range base {
		found := false
		for _, f := range first {
			if f == b {
				found = true
				break
			}
		}
		if !found {
			out = append(out, b)
		}
	}
	return out
}

// ScannedKey is a host key fetched by ScanHostKey.
type ScannedKey struct {
	// Host is the known_hosts form of the address ("host" or "[host]:port").
	Host string
	// Addr is the remote address connected to.
	Addr string
	// Key is the server's host key.
	Key ssh.PublicKey
	// Fingerprint is the key's SHA256 fingerprint.
	Fingerprint string
	// Known is true when a known_hosts file already has this key.
	Known bool
	// Changed is true when the known_hosts files have other keys for Host.
	Changed bool
}

// errScanned ends a scan's handshake once the key is in hand.
var errScanned = errors.New("host key scanned")

// ScanHostKey connects to dev (through its jump hosts, whose keys are
// verified as usual), fetches its host key and ends the handshake before
// authenticating. Nothing is recorded: see TrustKey.
func (a *Adapter) ScanHostKey(ctx context.Context, dev inventory.Device) (*ScannedKey, error) {
	t, hops, err := a.resolve(dev)
	if err != nil {
		return nil, adapters.Errorf(adapters.ClassConnect, err, "%v", err)
	}
	tm := a.timeoutsFor(dev)
	var scanned *ScannedKey
	var checkErr error
	scan := func(hostport string, remote net.Addr, key ssh.PublicKey) error {
		state, err := a.hostKeys.check(hostport, remote, key)
		if err != nil {
			checkErr = err
			return err
		}
		scanned = &ScannedKey{
			Host:        knownhosts.Normalize(hostport),
			Addr:        remote.String(),
			Key:         key,
			Fingerprint: ssh.FingerprintSHA256(key),
			Known:       state == keyKnown,
			Changed:     state == keyChanged,
		}
		return errScanned
	}
	c, err := a.dial(ctx, dev, t, hops, tm, scan)
	if c != nil {
		c.Close()
	}
	if scanned != nil {
		return scanned, nil
	}
	if checkErr != nil {
		return nil, adapters.Errorf(adapters.ClassHostKey, checkErr, "reading known_hosts: %v", checkErr)
	}
	if err == nil {
		err = adapters.Errorf(adapters.ClassHostKey, nil, "no host key received")
	}
	return nil, err
}

// TrustKey records a scanned key in netauto's known_hosts file. A key that
// replaces another is refused: the old entry must be removed by hand.
func (a *Adapter) TrustKey(k *ScannedKey) error {
	if k == nil || k.Key == nil {
		return fmt.Errorf("no key to trust")
	}
	if k.Changed {
		return adapters.Errorf(adapters.ClassHostKey, nil, "key for %s changed (fingerprint %s); remove the old entry first", k.Host, k.Fingerprint)
	}
	if a.cfg.KnownHostsFile == "" {
		return fmt.Errorf("no known_hosts file configured")
	}
	return a.hostKeys.record(k.Host, k.Key)
}
