package inventory

import (
	"sort"
	"time"
)

// Settings are the optional values that the defaults, a group or a device
// entry may set. A zero value means "not set here": resolution falls through
// to the next source (device, then its groups in order, then defaults). The
// booleans are pointers so that an explicit false can override a true set
// further down.
type Settings struct {
	// Port is the TCP port; 0 means not set.
	Port int
	// Username is the login name.
	Username string
	// Platform is the device's operating system.
	Platform Platform
	// KeyFile is a private key path as written (see Device.KeyFile).
	KeyFile string
	// PasswordEnv names the environment variable holding the login password.
	PasswordEnv string
	// Agent asks for ssh-agent authentication; nil means not set.
	Agent *bool
	// EnablePasswordEnv names the environment variable holding the enable password.
	EnablePasswordEnv string
	// Jump is a ProxyJump chain: user@host:port[,user@host:port...].
	Jump string
	// LegacyAlgorithms opts in to old algorithms; nil means not set.
	LegacyAlgorithms *bool
	// ConnectTimeout bounds TCP connect plus SSH handshake.
	ConnectTimeout time.Duration
	// CommandTimeout bounds the whole run.
	CommandTimeout time.Duration
	// IdleTimeout bounds a silence in the output.
	IdleTimeout time.Duration
	// PromptPattern is a regular expression for the prompt.
	PromptPattern string
}

// Site is a place devices live in; its Limit caps concurrent runs there.
type Site struct {
	// Name is the site's key in the file.
	Name string
	// Limit is the cap written in the file; nil means no cap in the file.
	Limit *int
}

// Group is a named set of settings shared by the devices that list it.
type Group struct {
	// Name is the group's key in the file.
	Name string
	// Site is the site the group's devices belong to unless they name one.
	Site string
	// Settings are the values the group gives its devices.
	Settings
}

// Inventory is a parsed inventory file.
type Inventory struct {
	// Path is the file the inventory was read from (the filename given to Parse).
	Path string
	// Defaults are the values every device falls back to.
	Defaults Settings
	// Sites holds every site: those in the sites section and those only
	// named by a device's or group's site (the latter without a Limit).
	Sites map[string]Site
	// Groups holds every group by name.
	Groups map[string]Group
	// Devices holds every device, resolved, sorted by Name.
	Devices []Device
	// Format is the format the inventory was read in (Open detects it;
	// Parse reads FormatNetauto).
	Format Format
	// Sources says, per device name and value name ("host", "port",
	// "username", "platform", "site", "groups", "key_file",
	// "password_env", ...), where each resolved value came from. A value
	// without an entry was not set by the inventory (the adapter's defaults
	// and the ssh config apply).
	Sources map[string]DeviceSources
	// Warnings are problems that did not stop the load, such as a password
	// found in a foreign inventory and ignored; each has file and line.
	Warnings Problems
}

// Device returns the device with the given name.
func (inv *Inventory) Device(name string) (Device, bool) {
	i := sort.Search(len(inv.Devices), func(i int) bool { return inv.Devices[i].Name >= name })
	if i < len(inv.Devices) && inv.Devices[i].Name == name {
		return inv.Devices[i], true
	}
	return Device{}, false
}

// SiteLimits returns the caps written in the file, by site name. Sites
// without a cap are absent.
func (inv *Inventory) SiteLimits() map[string]int {
	out := make(map[string]int)
	for name, s := range inv.Sites {
		if s.Limit != nil {
			out[name] = *s.Limit
		}
	}
	return out
}
