// Package inventory describes what netauto can run on: devices, the groups
// and sites they belong to, and references to their credentials. It loads the
// inventory file and writes one (the simulated lab writes its fleet's).
package inventory

import (
	"slices"
	"time"
)

// Platform names a device's operating system; it decides how a command is
// run (exec channel or interactive shell) and how the prompt looks.
type Platform string

// The platforms netauto knows.
const (
	PlatformIOS     Platform = "ios"
	PlatformIOSXE   Platform = "iosxe"
	PlatformIOSXR   Platform = "iosxr"
	PlatformNXOS    Platform = "nxos"
	PlatformEOS     Platform = "eos"
	PlatformJunos   Platform = "junos"
	PlatformLinux   Platform = "linux"
	PlatformGeneric Platform = "generic"
)

// Platforms lists every known platform in a stable order.
var Platforms = []Platform{
	PlatformIOS, PlatformIOSXE, PlatformIOSXR, PlatformNXOS,
	PlatformEOS, PlatformJunos, PlatformLinux, PlatformGeneric,
}

// Known reports whether p is one of the known platforms.
func (p Platform) Known() bool { return slices.Contains(Platforms, p) }

// Interactive reports whether commands on this platform run in an
// interactive shell (prompt detection, paging off) rather than an exec
// channel. Only linux uses exec.
func (p Platform) Interactive() bool { return p != PlatformLinux }

// Device is one device with every value resolved from the device entry, its
// groups (in order) and the inventory defaults. Values none of them set are
// left zero: the adapter fills them later from the user's ssh config and
// built-in defaults (port 22, the local user name).
type Device struct {
	// Name is the inventory key; unique.
	Name string
	// Host is the address or name to connect to.
	Host string
	// Port is the TCP port; 0 means unset.
	Port int
	// Username is the login name; "" means unset.
	Username string
	// Platform decides exec or shell mode and the prompt.
	Platform Platform
	// Groups are the device's groups, in the order the file gives them.
	Groups []string
	// Site is the device's own site, else that of its first group that has one.
	Site string
	// KeyFile is a private key file path exactly as written in the inventory
	// (it may start with ~/); the adapter applies ExpandHome before reading
	// it. "" means unset.
	KeyFile string
	// PasswordEnv names the environment variable holding the login password.
	PasswordEnv string
	// Agent asks for ssh-agent authentication.
	Agent bool
	// EnablePasswordEnv names the environment variable holding the enable password.
	EnablePasswordEnv string
	// Jump is a ProxyJump chain: user@host:port[,user@host:port...].
	Jump string
	// LegacyAlgorithms opts in to old key exchanges, ciphers and host key types.
	LegacyAlgorithms bool
	// ConnectTimeout bounds TCP connect plus SSH handshake; 0 means default.
	ConnectTimeout time.Duration
	// CommandTimeout bounds the whole run; 0 means default.
	CommandTimeout time.Duration
	// IdleTimeout bounds a silence in the output; 0 means default.
	IdleTimeout time.Duration
	// PromptPattern is a regular expression for the prompt (generic platform).
	PromptPattern string
}
