package simlab

import (
	"fmt"
	"time"

	"netauto/inventory"
)

// Sites of the healthy fleet, and of the devices around it.
const (
	faultSite = "lab-faults"
	authSite  = "lab-auth"
)

var (
	fleetSites     = []string{"chi1", "nyc2", "sfo3"}
	fleetRoles     = []string{"core", "edge", "access"}
	fleetPlatforms = []inventory.Platform{
		inventory.PlatformIOS, inventory.PlatformIOSXR, inventory.PlatformNXOS,
		inventory.PlatformEOS, inventory.PlatformJunos, inventory.PlatformLinux,
	}
)

// spec is one device to serve, before it has a key or a port.
type spec struct {
	DeviceInfo
	// connectTimeout and idleTimeout, when set, go into the inventory so that
	// netauto gives up on a fault device sooner than on real gear.
	connectTimeout, idleTimeout time.Duration
}

// plan lays out n healthy devices round-robin over the three sites; within a
// site the roles cycle core, edge, access; the platforms cycle so that the
// first six devices cover all six and every site gets a mix. Unless noFaults,
// the auth devices and fault devices follow.
func plan(n int, noFaults bool) []spec {
	var out []spec
	for i := range n {
		site := fleetSites[i%len(fleetSites)]
		j := i / len(fleetSites) // index within the site
		role := fleetRoles[j%len(fleetRoles)]
		num := j/len(fleetRoles) + 1
		p := fleetPlatforms[(i+i/len(fleetPlatforms))%len(fleetPlatforms)]
		out = append(out, spec{DeviceInfo: DeviceInfo{
			Name:     fmt.Sprintf("%s-%s-%d", site, role, num),
			Site:     site,
			Role:     role,
			Platform: p,
			Auth:     AuthKey,
			Enable:   p == inventory.PlatformIOS,
		}})
	}
	if noFaults {
		return out
	}
	linux, ios := inventory.PlatformLinux, inventory.PlatformIOS
	extra := []spec{
		{DeviceInfo: DeviceInfo{Name: "lab-password", Site: authSite, Platform: linux, Auth: AuthPassword}},
		{DeviceInfo: DeviceInfo{Name: "lab-kbdint", Site: authSite, Platform: ios, Auth: AuthKbdInt, Enable: true}},
		{DeviceInfo: DeviceInfo{Name: "fault-auth", Platform: linux, Fault: FaultAuth, Auth: AuthNone}},
		{DeviceInfo: DeviceInfo{Name: "fault-handshake", Platform: linux, Fault: FaultHandshake, Auth: AuthKey},
			connectTimeout: 5 * time.Second},
		{DeviceInfo: DeviceInfo{Name: "fault-hang", Platform: linux, Fault: FaultHang, Auth: AuthKey},
			idleTimeout: 10 * time.Second},
		{DeviceInfo: DeviceInfo{Name: "fault-drop", Platform: linux, Fault: FaultDrop, Auth: AuthKey}},
		{DeviceInfo: DeviceInfo{Name: "fault-drip", Platform: linux, Fault: FaultDrip, Auth: AuthKey}},
		{DeviceInfo: DeviceInfo{Name: "fault-flood", Platform: linux, Fault: FaultFlood, Auth: AuthKey}},
		{DeviceInfo: DeviceInfo{Name: "fault-escape", Platform: linux, Fault: FaultEscape, Auth: AuthKey}},
		{DeviceInfo: DeviceInfo{Name: "fault-legacy", Platform: ios, Fault: FaultLegacy, Auth: AuthKey, Enable: true}},
	}
	for _, s := range extra {
		if s.Site == "" {
			s.Site = faultSite
		}
		out = append(out, s)
	}
	return out
}
