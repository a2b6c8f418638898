package simlab

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// loadOrCreateClientKey returns the public half of the lab's client key at
// path, generating the key (0600, with path.pub beside it) on first use.
func loadOrCreateClientKey(path string) (ssh.PublicKey, error) {
	signer, err := loadOrCreateKey(path, false, "netops@simlab")
	if err != nil {
		return nil, err
	}
	pub := signer.PublicKey()
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))) + " netops@simlab\n"
	if err := writeFileAtomic(path+".pub", []byte(line), 0o644); err != nil {
		return nil, err
	}
	return pub, nil
}

// loadOrCreateKey reads an OpenSSH private key from path, or generates one
// (RSA 2048 when rsaKey, else ed25519) and writes it with mode 0600.
func loadOrCreateKey(path string, rsaKey bool, comment string) (ssh.Signer, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		s, err := ssh.ParsePrivateKey(data)
		if err != nil {
			return nil, fmt.Errorf("simlab: key %s: %w", path, err)
		}
		return s, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("simlab: %w", err)
	}
	var priv crypto.Signer
	if rsaKey {
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	} else {
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	}
	if err != nil {
		return nil, fmt.Errorf("simlab: generate key: %w", err)
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return nil, fmt.Errorf("simlab: marshal key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("simlab: %w", err)
	}
	if err := writeFileAtomic(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, err
	}
	return ssh.NewSignerFromKey(priv)
}

// hostKeyPath is where a device's host key lives in the lab directory.
func hostKeyPath(dir, name string) string {
	return filepath.Join(dir, "hostkeys", name)
}

// writeKnownHosts writes an OpenSSH known_hosts file with one
// [127.0.0.1]:PORT line per device, replacing the previous start's.
func writeKnownHosts(path string, devices []*device) error {
	var b strings.Builder
	b.WriteString("# simlab host keys; ports change on every start, so this file is rewritten\n")
	for _, d := range devices {
		b.WriteString(knownhosts.Line([]string{knownhosts.Normalize(d.info.Addr)}, d.hostKey.PublicKey()))
		b.WriteByte('\n')
	}
	return writeFileAtomic(path, []byte(b.String()), 0o600)
}

// writeFileAtomic replaces path with data through a temporary file, so a
// reader never sees half a file.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("simlab: %w", err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), perm)); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("simlab: write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("simlab: %w", err)
	}
	return nil
}
