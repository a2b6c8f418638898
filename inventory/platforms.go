package inventory

import "strings"

// foreignPlatforms maps the platform names of Ansible (ansible_network_os,
// collection and short forms) and of Nornir's connection plugins
// (netmiko, napalm, scrapli) to netauto platforms.
var foreignPlatforms = map[string]Platform{
	// Ansible collections and short names.
	"cisco.ios.ios":               PlatformIOS,
	"ios":                         PlatformIOS,
	"cisco.iosxr.iosxr":           PlatformIOSXR,
	"iosxr":                       PlatformIOSXR,
	"cisco.nxos.nxos":             PlatformNXOS,
	"nxos":                        PlatformNXOS,
	"arista.eos.eos":              PlatformEOS,
	"eos":                         PlatformEOS,
	"junipernetworks.junos.junos": PlatformJunos,
	"junos":                       PlatformJunos,
	// netmiko device types.
	"cisco_ios":     PlatformIOS,
	"cisco_xe":      PlatformIOSXE,
	"cisco_nxos":    PlatformNXOS,
	"cisco_xr":      PlatformIOSXR,
	"arista_eos":    PlatformEOS,
	"juniper_junos": PlatformJunos,
	"juniper":       PlatformJunos,
	"linux":         PlatformLinux,
	// napalm drivers.
	"nxos_ssh": PlatformNXOS,
	// scrapli platforms.
	"cisco_iosxe": PlatformIOSXE,
	"cisco_iosxr": PlatformIOSXR,
	// netauto's own names.
	"iosxe":   PlatformIOSXE,
	"generic": PlatformGeneric,
}

// mapPlatform maps a foreign platform name (case-insensitive) to a netauto
// platform; ok is false for names netauto does not know, which are
// reported, never guessed.
func mapPlatform(name string) (Platform, bool) {
	p, ok := foreignPlatforms[strings.ToLower(strings.TrimSpace(name))]
	return p, ok
}

// foreignPlatformHint says which foreign names are mapped, for messages.
const foreignPlatformHint = "netauto maps the Ansible, netmiko, napalm and scrapli names of " +
	"ios, iosxe, iosxr, nxos, eos, junos and linux (such as cisco.ios.ios, cisco_xe, arista_eos, juniper_junos)"
