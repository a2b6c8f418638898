package sshadapter

import (
	"golang.org/x/crypto/ssh"
)

// Setting an algorithm list in x/crypto/ssh replaces its defaults, so the
// lists are built here from ssh.SupportedAlgorithms (secure only), with the
// legacy ones appended only for devices that opt in.

// legacyKeyExchanges, legacyCiphers and legacyHostKeys are what old network
// gear still speaks; added after the secure defaults, never instead.
var (
	legacyKeyExchanges = []string{ssh.InsecureKeyExchangeDH14SHA1, ssh.InsecureKeyExchangeDH1SHA1}
	legacyCiphers      = []string{ssh.InsecureCipherAES128CBC, ssh.InsecureCipherTripleDESCBC}
	legacyHostKeys     = []string{ssh.KeyAlgoRSA}
)

// preferredHostKeys is OpenSSH's order of preference (certificates are left
// out: known_hosts here holds plain keys).
var preferredHostKeys = []string{
	ssh.KeyAlgoED25519,
	ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
	ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256,
}

// algorithmConfig returns the key exchanges and ciphers for a device.
func algorithmConfig(legacy bool) ssh.Config {
	s := ssh.SupportedAlgorithms()
	c := ssh.Config{KeyExchanges: s.KeyExchanges, Ciphers: s.Ciphers, MACs: s.MACs}
	if legacy {
		c.KeyExchanges = append(c.KeyExchanges, legacyKeyExchanges...)
		c.Ciphers = append(c.Ciphers, legacyCiphers...)
	}
	return c
}

// defaultHostKeyAlgorithms returns the host key algorithms accepted, in
// order of preference.
func defaultHostKeyAlgorithms(legacy bool) []string {
	supported := ssh.SupportedAlgorithms().HostKeys
	var out []string
	for _, a := range preferredHostKeys {
		for _, s := range supported {
			if s == a {
				out = append(out, a)
			}
		}
	}
	if legacy {
		out = append(out, legacyHostKeys...)
	}
	return out
}

// restrictSigner limits an RSA signer to SHA-2 signatures unless the device
// opted in to legacy algorithms (then ssh-rsa/SHA-1 stays allowed).
func restrictSigner(s ssh.Signer, legacy bool) ssh.Signer {
	if legacy || s.PublicKey().Type() != ssh.KeyAlgoRSA {
		return s
	}
	as, ok := s.(ssh.AlgorithmSigner)
	if !ok {
		return s
	}
	ms, err := ssh.NewSignerWithAlgorithms(as, []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256})
	if err != nil {
		return s
	}
	return ms
}
