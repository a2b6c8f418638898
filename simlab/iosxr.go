package simlab

import (
	"fmt"
	"strings"
)

// iosxrProfile is Cisco IOS XR: "RP/0/RSP0/CPU0:host#", always privileged,
// every show output preceded by the time.
var iosxrProfile = &profile{
	startEnabled: true,
	prompt:       func(host string, _ bool) string { return "RP/0/RSP0/CPU0:" + host + "#" },
	more:         ciscoMore,
	moreErase:    ciscoMoreErase,
	errText:      ciscoErr,
	stamp:        true,
	commands: append(ciscoSession(),
		command{words: []string{"show", "version"}, text: xrVersion},
		command{words: []string{"show", "ip", "interface", "brief"}, text: xrIPBrief},
		command{words: []string{"show", "ipv4", "interface", "brief"}, text: xrIPBrief},
		command{words: []string{"show", "interfaces"}, text: xrInterfaces},
		command{words: []string{"show", "running-config"}, text: xrRunning},
		command{words: []string{"show", "inventory"}, text: xrInventory},
		command{words: []string{"show", "logging"}, text: xrLogging},
		command{words: []string{"show", "tech-support"}, act: actTechSupport},
	),
	tech: []string{"show version", "show running-config", "show interfaces", "show inventory", "show logging"},
}

func xrVersion(f *facts) string {
	m := f.model
	var b strings.Builder
	fmt.Fprintf(&b, "\nCisco IOS XR Software, Version %s[Default]\n", m.version)
	b.WriteString("Copyright (c) 2021 by Cisco Systems, Inc.\n\n")
	b.WriteString("ROM: System Bootstrap, Version 2.04(20140424:063844) [ASR9K ROMMON], \n\n")
	fmt.Fprintf(&b, "%s uptime is %s\n", f.host, ciscoUptime(f.uptime()))
	fmt.Fprintf(&b, "System image file is \"bootflash:%s\"\n\n", m.image)
	fmt.Fprintf(&b, "cisco ASR9K Series (%s) processor with %dK bytes of memory.\n", m.cpu, m.memKB)
	fmt.Fprintf(&b, "%s processor at 2134MHz, Revision 2.174\n", m.cpu)
	fmt.Fprintf(&b, "%s\n\n", m.pid)
	fmt.Fprintf(&b, "2 Management Ethernet\n%d TenGigE\n", len(f.ifaces))
	b.WriteString("503k bytes of non-volatile configuration memory.\n6271M bytes of hard disk.\n")
	b.WriteString("11817968k bytes of disk0: (Sector size 512 bytes).\n\n")
	b.WriteString("Configuration register on node 0/RSP0/CPU0 is 0x1922\n")
	b.WriteString("Boot device on node 0/RSP0/CPU0 is disk0:\n")
	b.WriteString("Package active on node 0/RSP0/CPU0:\n")
	for _, pkg := range []string{"iosxr-infra", "iosxr-fwding", "iosxr-routing", "iosxr-diags", "iosxr-mpls", "iosxr-mcast", "iosxr-security", "asr9k-fpd"} {
		fmt.Fprintf(&b, "%s, V %s[Default], Cisco Systems, at disk0:%s-%s\n", pkg, m.version, pkg, m.version)
		b.WriteString("    Built on Mon Feb 11 11:30:04 UTC 2021\n")
		fmt.Fprintf(&b, "    By iox-lnx-012 in /auto/srcarchive14/prod/%s/asr9k-px/workspace for pie\n\n", m.version)
	}
	return b.String()
}

func xrIPBrief(f *facts) string {
	var b strings.Builder
	b.WriteString("\nInterface                      IP-Address      Status          Protocol Vrf-Name\n")
	row := func(name, addr, status, proto string) {
		if addr == "" {
			addr = "unassigned"
		}
		fmt.Fprintf(&b, "%-30s %-15s %-15s %-8s default \n", name, addr, status, proto)
	}
	row("Loopback0", f.loopback, "Up", "Up")
	row("MgmtEth0/RSP0/CPU0/0", f.mgmtIP, "Up", "Up")
	for _, i := range f.ifaces {
		row(i.name, i.addr, i.state("Up", "Down", "Shutdown"), i.state("Up", "Down", "Down"))
	}
	return b.String()
}

func xrInterfaces(f *facts) string {
	var b strings.Builder
	for _, i := range f.ifaces {
		state := i.state("up", "down", "administratively down")
		proto := state
		fmt.Fprintf(&b, "%s is %s, line protocol is %s \n", i.name, state, proto)
		b.WriteString("  Interface state transitions: 1\n")
		fmt.Fprintf(&b, "  Hardware is TenGigE, address is %s (bia %s)\n", macDotted(i.mac), macDotted(i.mac))
		if i.desc != "" {
			fmt.Fprintf(&b, "  Description: %s\n", i.desc)
		}
		if i.addr != "" {
			fmt.Fprintf(&b, "  Internet address is %s/%d\n", i.addr, i.prefix)
		} else {
			b.WriteString("  Internet address is Unknown\n")
		}
		b.WriteString("  MTU 1514 bytes, BW 10000000 Kbit (Max: 10000000 Kbit)\n")
		b.WriteString("     reliability 255/255, txload 0/255, rxload 0/255\n")
		b.WriteString("  Encapsulation ARPA,\n  Full-duplex, 10000Mb/s, LR, link type is force-up\n")
		b.WriteString("  output flow control is off, input flow control is off\n")
		b.WriteString("  Carrier delay (up) is 10 msec\n  loopback not set,\n")
		b.WriteString("  ARP type ARPA, ARP timeout 04:00:00\n")
		b.WriteString("  Last input 00:00:00, output 00:00:00\n")
		b.WriteString("  Last clearing of \"show interface\" counters never\n")
		fmt.Fprintf(&b, "  5 minute input rate %d bits/sec, %d packets/sec\n", i.inBytes%100000, i.inPkts%1000)
		fmt.Fprintf(&b, "  5 minute output rate %d bits/sec, %d packets/sec\n", i.outBytes%100000, i.outPkts%1000)
		fmt.Fprintf(&b, "     %d packets input, %d bytes, 0 total input drops\n", i.inPkts, i.inBytes)
		b.WriteString("     0 drops for unrecognized upper-level protocol\n")
		fmt.Fprintf(&b, "     Received 0 broadcast packets, %d multicast packets\n", i.inPkts%7919)
		b.WriteString("              0 runts, 0 giants, 0 throttles, 0 parity\n")
		b.WriteString("     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored, 0 abort\n")
		fmt.Fprintf(&b, "     %d packets output, %d bytes, 0 total output drops\n", i.outPkts, i.outBytes)
		fmt.Fprintf(&b, "     Output 0 broadcast packets, %d multicast packets\n", i.outPkts%7919)
		b.WriteString("     0 output errors, 0 underruns, 0 applique, 0 resets\n")
		b.WriteString("     0 output buffer failures, 0 output buffers swapped out\n")
		b.WriteString("     1 carrier transitions\n\n")
	}
	return b.String()
}

func xrRunning(f *facts) string {
	var b strings.Builder
	b.WriteString("Building configuration...\n")
	fmt.Fprintf(&b, "!! IOS XR Configuration %s\n", f.model.version)
	fmt.Fprintf(&b, "!! Last configuration change at %s by netops\n!\n", f.bootTime().Add(f.bootAge/2).Format("Mon Jan _2 15:04:05 2006"))
	fmt.Fprintf(&b, "hostname %s\nclock timezone UTC 0\n", f.host)
	fmt.Fprintf(&b, "logging 192.0.2.50 vrf default severity info\ndomain name %s.example.net\n", f.site)
	b.WriteString("username netops\n group root-lr\n group cisco-support\n secret 10 $6$simlab$redacted\n!\n")
	b.WriteString("ssh server v2\nssh server vrf default\n!\n")
	fmt.Fprintf(&b, "interface Loopback0\n ipv4 address %s 255.255.255.255\n!\n", f.loopback)
	fmt.Fprintf(&b, "interface MgmtEth0/RSP0/CPU0/0\n ipv4 address %s 255.255.255.0\n!\n", f.mgmtIP)
	for _, i := range f.ifaces {
		fmt.Fprintf(&b, "interface %s\n", i.name)
		if i.desc != "" {
			fmt.Fprintf(&b, " description %s\n", i.desc)
		}
		if i.addr != "" {
			fmt.Fprintf(&b, " ipv4 address %s %s\n", i.addr, mask(i.prefix))
		}
		if !i.admin {
			b.WriteString(" shutdown\n")
		}
		b.WriteString("!\n")
	}
	fmt.Fprintf(&b, "router ospf 1\n router-id %s\n area 0\n  interface Loopback0\n   passive enable\n  !\n", f.loopback)
	for _, i := range f.ifaces {
		if i.addr != "" {
			fmt.Fprintf(&b, "  interface %s\n   network point-to-point\n  !\n", i.name)
		}
	}
	b.WriteString(" !\n!\nend\n\n")
	return b.String()
}

func xrInventory(f *facts) string {
	var b strings.Builder
	r := f.rng(13)
	fmt.Fprintf(&b, "NAME: \"module 0/RSP0/CPU0\", DESCR: \"ASR9K Route Switch Processor with 440G/slot Fabric and 6GB\"\n")
	fmt.Fprintf(&b, "PID: A9K-RSP440-TR, VID: V06, SN: %s\n\n", f.serial)
	fmt.Fprintf(&b, "NAME: \"module 0/0/CPU0\", DESCR: \"24-Port 10GE Typhoon Linecard\"\n")
	fmt.Fprintf(&b, "PID: A9K-24X10GE-TR, VID: V03, SN: FOC%04dR%03d\n\n", r.IntN(10000), r.IntN(1000))
	for i := range min(4, len(f.ifaces)) {
		fmt.Fprintf(&b, "NAME: \"module mau %s\", DESCR: \"10GBASE-LR SFP+ Module for SMF\"\n", f.ifaces[i].name)
		fmt.Fprintf(&b, "PID: SFP-10G-LR, VID: V02, SN: FNS%08d\n\n", r.IntN(100000000))
	}
	fmt.Fprintf(&b, "NAME: \"chassis %s\", DESCR: \"ASR 9006 4 Line Card Slot Chassis with V2 AC PEM\"\n", f.model.pid)
	fmt.Fprintf(&b, "PID: %s, VID: V02, SN: FOX%04dG%03d\n\n", f.model.pid, r.IntN(10000), r.IntN(1000))
	return b.String()
}

func xrLogging(f *facts) string {
	var b strings.Builder
	b.WriteString("Syslog logging: enabled (0 messages dropped, 0 flushes, 0 overruns)\n")
	b.WriteString("    Console logging: Disabled\n    Monitor logging: level debugging, 0 messages logged\n")
	b.WriteString("    Trap logging: level informational, 20 messages logged\n")
	b.WriteString("    Logging to 192.0.2.50 vrf default port 514\n")
	b.WriteString("    Buffer logging: level debugging, 20 messages logged\n\nLog Buffer (2097152 bytes):\n\n")
	for _, e := range f.logEvents(20) {
		stamp := "RP/0/RSP0/CPU0:" + e.at.Format("Jan _2 15:04:05.000 MST")
		switch e.kind {
		case 0:
			fmt.Fprintf(&b, "%s: ifmgr[258]: %%PKT_INFRA-LINK-3-UPDOWN : Interface %s, changed state to Down \n", stamp, e.iface)
		case 1:
			fmt.Fprintf(&b, "%s: ifmgr[258]: %%PKT_INFRA-LINEPROTO-5-UPDOWN : Line protocol on Interface %s, changed state to Up \n", stamp, e.iface)
		case 2:
			fmt.Fprintf(&b, "%s: config[65862]: %%MGBL-CONFIG-6-DB_COMMIT : Configuration committed by user 'netops'. Use 'show configuration commit changes 1000000%03d' to view the changes. \n", stamp, e.at.Second())
		default:
			fmt.Fprintf(&b, "%s: exec[65863]: %%SECURITY-LOGIN-6-AUTHEN_SUCCESS : Successfully authenticated user 'netops' from '%s' on 'vty0' \n", stamp, e.from)
		}
	}
	return b.String()
}
