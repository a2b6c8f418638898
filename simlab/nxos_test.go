package simlab

import (
	"strings"
	"testing"
)

// TestNXOSBriefStatesAgreeWithShowInterface: show ip interface brief names
// each addressed interface's state as show interface does: up, down with
// no link, or shut (admin-down).
func TestNXOSBriefStatesAgreeWithShowInterface(t *testing.T) {
	f := &facts{loopback: "203.0.113.1", ifaces: []iface{
		{name: "Ethernet1/1", addr: "198.51.100.0", prefix: 31, up: true, admin: true},
		{name: "Ethernet1/2", addr: "198.51.100.2", prefix: 31, up: false, admin: true},
		{name: "Ethernet1/3", addr: "198.51.100.4", prefix: 31, up: false, admin: false},
	}}
	brief := nxosIPBrief(f)
	for _, want := range []string{
		"Eth1/1               198.51.100.0    protocol-up/link-up/admin-up",
		"Eth1/2               198.51.100.2    protocol-down/link-down/admin-up",
		"Eth1/3               198.51.100.4    protocol-down/link-down/admin-down",
	} {
		if !strings.Contains(brief, want) {
			t.Errorf("brief lacks %q:\n%s", want, brief)
		}
	}
	ifs := nxosInterfaces(f)
	for _, want := range []string{"Ethernet1/2 is down (Link not connected)\nadmin state is up", "Ethernet1/3 is down (Administratively down)\nadmin state is down"} {
		if !strings.Contains(ifs, want) {
			t.Errorf("show interface lacks %q", want)
		}
	}
}
