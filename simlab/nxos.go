package simlab

import (
	"fmt"
	"strings"
)

// nxosProfile is Cisco NX-OS: "host# ", always privileged.
var nxosProfile = &profile{
	startEnabled: true,
	prompt:       func(host string, _ bool) string { return host + "# " },
	more:         ciscoMore,
	moreErase:    ciscoMoreErase,
	errText: func(e *parseError, w int) string {
		what := map[parseErrKind]string{errInvalid: "Invalid command", errIncomplete: "Incomplete command", errAmbiguous: "Ambiguous command"}[e.kind]
		return caret(w+e.col) + "% " + what + " at '^' marker.\n"
	},
	commands: append(ciscoSession(),
		command{words: []string{"show", "version"}, text: nxosVersion},
		command{words: []string{"show", "ip", "interface", "brief"}, text: nxosIPBrief},
		command{words: []string{"show", "interface"}, text: nxosInterfaces},
		command{words: []string{"show", "running-config"}, text: nxosRunning},
		command{words: []string{"show", "inventory"}, text: nxosInventory},
		command{words: []string{"show", "logging"}, text: nxosLogging},
		command{words: []string{"show", "tech-support"}, act: actTechSupport},
	),
	tech: []string{"show version", "show running-config", "show interface", "show inventory", "show logging"},
}

func nxosVersion(f *facts) string {
	m := f.model
	var b strings.Builder
	b.WriteString(`Cisco Nexus Operating System (NX-OS) Software
TAC support: http://www.cisco.com/tac
Copyright (C) 2002-2023, Cisco and/or its affiliates.
All rights reserved.
The copyrights to certain works contained in this software are
owned by other third parties and used and distributed under their own
licenses, such as open source.  This software is provided "as is," and unless
otherwise stated, there is no warranty, express or implied, including but not
limited to warranties of merchantability and fitness for a particular purpose.
Certain components of this software are licensed under
the GNU General Public License (GPL) version 2.0 or
GNU General Public License (GPL) version 3.0  or the GNU
Lesser General Public License (LGPL) Version 2.1 or
Lesser General Public License (LGPL) Version 2.0.
A copy of each such license is available at
http://www.opensource.org/licenses/gpl-2.0.php and
http://opensource.org/licenses/gpl-3.0.html and
http://www.opensource.org/licenses/lgpl-2.1.php and
http://www.gnu.org/licenses/old-licenses/library.txt.

Software
  BIOS: version 07.69
`)
	fmt.Fprintf(&b, "  NXOS: version %s\n  BIOS compile time:  04/08/2021\n", m.version)
	fmt.Fprintf(&b, "  NXOS image file is: %s\n  NXOS compile time:  12/28/2022 16:00:00 [12/29/2022 02:35:31]\n\n\n", m.image)
	fmt.Fprintf(&b, "Hardware\n  cisco %s chassis\n  %s with %d kB of memory.\n", m.family, m.cpu, m.memKB)
	fmt.Fprintf(&b, "  Processor Board ID %s\n\n  Device name: %s\n  bootflash: 53298520 kB\n", f.serial, f.host)
	up := f.uptime()
	fmt.Fprintf(&b, "Kernel uptime is %d day(s), %d hour(s), %d minute(s), %d second(s)\n\n",
		int(up.Hours())/24, int(up.Hours())%24, int(up.Minutes())%60, int(up.Seconds())%60)
	fmt.Fprintf(&b, "Last reset at 123456 usecs after %s\n", f.bootTime().Format("Mon Jan _2 15:04:05 2006"))
	fmt.Fprintf(&b, "  Reason: Reset Requested by CLI command reload\n  System version: %s\n  Service:\n\n", m.version)
	b.WriteString("plugin\n  Core Plugin, Ethernet Plugin\n\nActive Package(s):\n\n")
	return b.String()
}

func nxosShort(name string) string { return strings.Replace(name, "Ethernet", "Eth", 1) }

func nxosIPBrief(f *facts) string {
	var b strings.Builder
	b.WriteString("\nIP Interface Status for VRF \"default\"(1)\nInterface            IP Address      Interface Status\n")
	fmt.Fprintf(&b, "%-20s %-15s %s\n", "Lo0", f.loopback, "protocol-up/link-up/admin-up")
	for _, i := range f.ifaces {
		if i.addr == "" {
			continue
		}
		status := i.state("protocol-up/link-up/admin-up", "protocol-down/link-down/admin-up", "protocol-down/link-down/admin-down")
		fmt.Fprintf(&b, "%-20s %-15s %s\n", nxosShort(i.name), i.addr, status)
	}
	return b.String()
}

func nxosInterfaces(f *facts) string {
	var b strings.Builder
	for _, i := range f.ifaces {
		state := i.state("up", "down (Link not connected)", "down (Administratively down)")
		admin := i.state("up", "up", "down")
		fmt.Fprintf(&b, "%s is %s\nadmin state is %s, Dedicated Interface\n", i.name, state, admin)
		fmt.Fprintf(&b, "  Hardware: 100/1000/10000/25000 Ethernet, address: %s (bia %s)\n", macDotted(i.mac), macDotted(i.mac))
		if i.desc != "" {
			fmt.Fprintf(&b, "  Description: %s\n", i.desc)
		}
		if i.addr != "" {
			fmt.Fprintf(&b, "  Internet Address is %s/%d\n", i.addr, i.prefix)
		}
		b.WriteString("  MTU 9216 bytes, BW 10000000 Kbit , DLY 10 usec\n")
		b.WriteString("  reliability 255/255, txload 1/255, rxload 1/255\n")
		b.WriteString("  Encapsulation ARPA, medium is broadcast\n")
		b.WriteString("  full-duplex, 10 Gb/s, media type is 10G\n  Beacon is turned off\n")
		b.WriteString("  Auto-Negotiation is turned on  FEC mode is Auto\n")
		b.WriteString("  Input flow-control is off, output flow-control is off\n")
		b.WriteString("  Auto-mdix is turned off\n  Rate mode is dedicated\n  Switchport monitor is off\n")
		b.WriteString("  EtherType is 0x8100\n  EEE (efficient-ethernet) : n/a\n")
		b.WriteString("  Last clearing of \"show interface\" counters never\n  1 interface resets\n")
		fmt.Fprintf(&b, "  30 seconds input rate %d bits/sec, %d packets/sec\n", i.inBytes%100000, i.inPkts%1000)
		fmt.Fprintf(&b, "  30 seconds output rate %d bits/sec, %d packets/sec\n", i.outBytes%100000, i.outPkts%1000)
		fmt.Fprintf(&b, "  RX\n    %d unicast packets  %d multicast packets  0 broadcast packets\n", i.inPkts, i.inPkts%7919)
		fmt.Fprintf(&b, "    %d input packets  %d bytes\n", i.inPkts, i.inBytes)
		fmt.Fprintf(&b, "  TX\n    %d unicast packets  %d multicast packets  0 broadcast packets\n", i.outPkts, i.outPkts%7919)
		fmt.Fprintf(&b, "    %d output packets  %d bytes\n\n", i.outPkts, i.outBytes)
	}
	return b.String()
}

func nxosRunning(f *facts) string {
	var b strings.Builder
	r := f.rng(11)
	b.WriteString("\n!Command: show running-config\n")
	fmt.Fprintf(&b, "!Running configuration last done at: %s\n", f.bootTime().Add(f.bootAge/2).Format("Mon Jan _2 15:04:05 2006"))
	fmt.Fprintf(&b, "!Time: %s\n\n", f.bootTime().Add(f.uptime()).Format("Mon Jan _2 15:04:05 2006"))
	fmt.Fprintf(&b, "version %s Bios:version 07.69\nhostname %s\n", f.model.version, f.host)
	b.WriteString("feature ospf\nfeature interface-vlan\nfeature lldp\n\n")
	fmt.Fprintf(&b, "username admin password 5 $5$%012x  role network-admin\n", r.Uint64()&0xffffffffffff)
	fmt.Fprintf(&b, "username netops password 5 $5$%012x  role network-operator\n", r.Uint64()&0xffffffffffff)
	fmt.Fprintf(&b, "ip domain-name %s.example.net\nlogging server 192.0.2.50 5 use-vrf management\n", f.site)
	b.WriteString("ntp server 192.0.2.123 use-vrf management\n\n")
	b.WriteString("vrf context management\n  ip route 0.0.0.0/0 192.0.2.1\n\n")
	for _, i := range f.ifaces {
		fmt.Fprintf(&b, "interface %s\n", i.name)
		if i.desc != "" {
			fmt.Fprintf(&b, "  description %s\n", i.desc)
		}
		if i.addr != "" {
			fmt.Fprintf(&b, "  no switchport\n  ip address %s/%d\n  ip router ospf 1 area 0.0.0.0\n", i.addr, i.prefix)
		}
		if i.admin {
			b.WriteString("  no shutdown\n")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "interface mgmt0\n  vrf member management\n  ip address %s/24\n\n", f.mgmtIP)
	fmt.Fprintf(&b, "interface loopback0\n  ip address %s/32\n  ip router ospf 1 area 0.0.0.0\n", f.loopback)
	b.WriteString("line console\nline vty\n")
	fmt.Fprintf(&b, "boot nxos %s\nrouter ospf 1\n  router-id %s\n\n", f.model.image, f.loopback)
	return b.String()
}

func nxosInventory(f *facts) string {
	var b strings.Builder
	r := f.rng(13)
	fmt.Fprintf(&b, "NAME: \"Chassis\",  DESCR: \"%s chassis\"\n", f.model.family)
	fmt.Fprintf(&b, "PID: %-20s,  VID: V02 ,  SN: %s\n\n", f.model.pid, f.serial)
	fmt.Fprintf(&b, "NAME: \"Slot 1\",  DESCR: \"48x10/25G + 6x40/100G Ethernet Module\"\n")
	fmt.Fprintf(&b, "PID: %-20s,  VID: V02 ,  SN: %s\n\n", f.model.pid, f.serial)
	for ps := range 2 {
		fmt.Fprintf(&b, "NAME: \"Power Supply %d\",  DESCR: \"Nexus9000 C93180YC-EX chassis Power Supply\"\n", ps+1)
		fmt.Fprintf(&b, "PID: %-20s,  VID: V01 ,  SN: LIT%08d\n\n", "NXA-PAC-650W-PE", r.IntN(100000000))
	}
	for fan := range 4 {
		fmt.Fprintf(&b, "NAME: \"Fan %d\",  DESCR: \"Nexus9000 C93180YC-EX chassis Fan Module\"\n", fan+1)
		fmt.Fprintf(&b, "PID: %-20s,  VID: V01 ,  SN: N/A\n\n", "NXA-FAN-30CFM-B")
	}
	return b.String()
}

func nxosLogging(f *facts) string {
	var b strings.Builder
	b.WriteString(`Logging console:                enabled (Severity: critical)
Logging monitor:                enabled (Severity: notifications)
Logging linecard:               enabled (Severity: notifications)
Logging timestamp:              Seconds
Logging source-interface :      disabled
Logging rate-limit:             enabled
Logging server:                 enabled
{
	Server:         192.0.2.50
	Server VRF:     management
	Server port:    514
	Server severity:        notifications
	Server facility:        local7
}
Logging logflash:               enabled (Severity: notifications)
Logging logfile:                enabled
	Name - messages: Severity - notifications Size - 4194304

Facility        Default Severity        Current Session Severity
--------        ----------------        ------------------------
aaa                     3                       3
acllog                  2                       2
ethpm                   5                       5
ospf                    3                       3

0(emergencies)          1(alerts)       2(critical)
3(errors)               4(warnings)     5(notifications)
6(information)          7(debugging)

Last Log messages:

`)
	for _, e := range f.logEvents(20) {
		stamp := e.at.Format("2006 Jan _2 15:04:05 ") + f.host
		switch e.kind {
		case 0:
			fmt.Fprintf(&b, "%s %%ETHPORT-5-IF_DOWN_LINK_FAILURE: Interface %s is down (Link failure)\n", stamp, e.iface)
		case 1:
			fmt.Fprintf(&b, "%s %%ETHPORT-5-IF_UP: Interface %s is up in mode routed\n", stamp, e.iface)
		case 2:
			fmt.Fprintf(&b, "%s %%VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by netops on %s@pts/0\n", stamp, e.from)
		default:
			fmt.Fprintf(&b, "%s %%AUTHPRIV-6-SYSTEM_MSG: pam_unix(sshd:session): session opened for user netops by (uid=0) - sshd[%d]\n", stamp, 10000+e.at.Second()*97)
		}
	}
	return b.String()
}
