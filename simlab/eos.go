package simlab

import (
	"fmt"
	"strings"
)

// eosProfile is Arista EOS: "host>", enable without a password, "host#".
var eosProfile = &profile{
	prompt:    ciscoPrompt,
	more:      ciscoMore,
	moreErase: ciscoMoreErase,
	errText: func(e *parseError, _ int) string {
		switch {
		case e.privileged:
			return "% Invalid input (privileged mode required)\n"
		case e.kind == errIncomplete:
			return "% Incomplete command\n"
		case e.kind == errAmbiguous:
			return "% Ambiguous command\n"
		}
		return fmt.Sprintf("%% Invalid input (at token %d: '%s')\n", e.idx, e.word)
	},
	commands: append(ciscoSession(),
		command{words: []string{"enable"}, act: actEnable},
		command{words: []string{"disable"}, act: actDisable},
		command{words: []string{"show", "version"}, text: eosVersion},
		command{words: []string{"show", "ip", "interface", "brief"}, text: eosIPBrief},
		command{words: []string{"show", "interfaces"}, text: eosInterfaces},
		command{words: []string{"show", "running-config"}, priv: true, text: eosRunning},
		command{words: []string{"show", "inventory"}, text: eosInventory},
		command{words: []string{"show", "logging"}, text: eosLogging},
		command{words: []string{"show", "tech-support"}, priv: true, act: actTechSupport},
	),
	tech: []string{"show version", "show running-config", "show interfaces", "show inventory", "show logging"},
}

func eosVersion(f *facts) string {
	m := f.model
	var b strings.Builder
	fmt.Fprintf(&b, "Arista %s\nHardware version: 11.02\nSerial number: %s\n", m.pid, f.serial)
	fmt.Fprintf(&b, "Hardware MAC address: %s\nSystem MAC address: %s\n\n", macDotted(f.mac), macDotted(f.mac))
	fmt.Fprintf(&b, "Software image version: %s\nArchitecture: i686\n", m.version)
	fmt.Fprintf(&b, "Internal build version: %s-%d.%s\n", m.version, 28000000+f.seed%1000000, strings.ReplaceAll(m.version, ".", ""))
	fmt.Fprintf(&b, "Internal build ID: %08x-%04x-4c3b-9f3e-%012x\nImage format version: 2.0\nImage optimization: Strata-4GB\n\n",
		uint32(f.seed), uint16(f.seed>>32), f.seed>>16&0xffffffffffff)
	up := ciscoUptime(f.uptime())
	if i := strings.LastIndex(up, ", "); i >= 0 {
		up = up[:i] + " and " + up[i+2:]
	}
	fmt.Fprintf(&b, "Uptime: %s\nTotal memory: %d kB\nFree memory: %d kB\n\n", up, m.memKB, m.memKB*7/10)
	return b.String()
}

func eosIPBrief(f *facts) string {
	var b strings.Builder
	b.WriteString("                                                                        Address\n")
	b.WriteString("Interface         IP Address            Status       Protocol         MTU    Owner  \n")
	b.WriteString("----------------- --------------------- ------------ -------------- -------- -------\n")
	row := func(name, addr, status, proto, mtu string) {
		fmt.Fprintf(&b, "%-17s %-21s %-12s %-14s %8s        \n", name, addr, status, proto, mtu)
	}
	for _, i := range f.ifaces {
		if i.addr == "" {
			continue
		}
		status := i.state("up", "down", "down")
		row(i.name, fmt.Sprintf("%s/%d", i.addr, i.prefix), status, status, "1500")
	}
	row("Loopback0", f.loopback+"/32", "up", "up", "65535")
	row("Management1", f.mgmtIP+"/24", "up", "up", "1500")
	return b.String()
}

func eosInterfaces(f *facts) string {
	var b strings.Builder
	for _, i := range f.ifaces {
		state := i.state("up", "down", "administratively down")
		proto := i.state("up (connected)", "down (notconnect)", "down (disabled)")
		fmt.Fprintf(&b, "%s is %s, line protocol is %s\n", i.name, state, proto)
		fmt.Fprintf(&b, "  Hardware is Ethernet, address is %s (bia %s)\n", macDotted(i.mac), macDotted(i.mac))
		if i.desc != "" {
			fmt.Fprintf(&b, "  Description: %s\n", i.desc)
		}
		if i.addr != "" {
			fmt.Fprintf(&b, "  Internet address is %s/%d\n  Broadcast address is 255.255.255.255\n", i.addr, i.prefix)
		}
		b.WriteString("  IP MTU 1500 bytes , BW 10000000 kbit\n")
		b.WriteString("  Full-duplex, 10Gb/s, auto negotiation: off, uni-link: n/a\n")
		if i.up {
			fmt.Fprintf(&b, "  Up %s\n", ciscoUptime(f.uptime()))
		}
		b.WriteString("  Loopback Mode : None\n  2 link status changes since last clear\n")
		b.WriteString("  Last clearing of \"show interface\" counters never\n")
		fmt.Fprintf(&b, "  5 minutes input rate %d bps (0.0%% with framing overhead), %d packets/sec\n", i.inBytes%100000, i.inPkts%1000)
		fmt.Fprintf(&b, "  5 minutes output rate %d bps (0.0%% with framing overhead), %d packets/sec\n", i.outBytes%100000, i.outPkts%1000)
		fmt.Fprintf(&b, "     %d packets input, %d bytes\n     Received 0 broadcasts, %d multicast\n", i.inPkts, i.inBytes, i.inPkts%7919)
		b.WriteString("     0 runts, 0 giants\n     0 input errors, 0 CRC, 0 alignment, 0 symbol, 0 input discards\n     0 PAUSE input\n")
		fmt.Fprintf(&b, "     %d packets output, %d bytes\n     Sent 0 broadcasts, %d multicast\n", i.outPkts, i.outBytes, i.outPkts%7919)
		b.WriteString("     0 output errors, 0 collisions\n     0 late collision, 0 deferred, 0 output discards\n     0 PAUSE output\n")
	}
	return b.String()
}

func eosRunning(f *facts) string {
	var b strings.Builder
	r := f.rng(11)
	b.WriteString("! Command: show running-config\n")
	fmt.Fprintf(&b, "! device: %s (%s, EOS-%s)\n!\n! boot system flash:/%s\n!\n", f.host, strings.TrimSuffix(f.model.pid, "-R"), f.model.version, f.model.image)
	b.WriteString("no aaa root\n!\n")
	fmt.Fprintf(&b, "username netops privilege 1 role network-operator secret sha512 $6$%016x$%032x\n!\n", r.Uint64(), r.Uint64())
	b.WriteString("transceiver qsfp default-mode 4x10G\n!\nservice routing protocols model multi-agent\n!\n")
	fmt.Fprintf(&b, "hostname %s\nip name-server vrf default 192.0.2.53\ndns domain %s.example.net\n!\n", f.host, f.site)
	b.WriteString("spanning-tree mode mstp\n!\n")
	for _, i := range f.ifaces {
		fmt.Fprintf(&b, "interface %s\n", i.name)
		if i.desc != "" {
			fmt.Fprintf(&b, "   description %s\n", i.desc)
		}
		if !i.admin {
			b.WriteString("   shutdown\n")
		}
		if i.addr != "" {
			fmt.Fprintf(&b, "   no switchport\n   ip address %s/%d\n", i.addr, i.prefix)
		}
		b.WriteString("!\n")
	}
	fmt.Fprintf(&b, "interface Loopback0\n   ip address %s/32\n!\n", f.loopback)
	fmt.Fprintf(&b, "interface Management1\n   ip address %s/24\n!\n", f.mgmtIP)
	b.WriteString("ip routing\n!\n")
	fmt.Fprintf(&b, "router bgp %d\n   router-id %s\n", 65000+f.seed%500, f.loopback)
	for _, i := range f.ifaces {
		if i.addr != "" {
			fmt.Fprintf(&b, "   neighbor %s remote-as 65000\n", i.addr)
		}
	}
	b.WriteString("!\nmanagement api http-commands\n   no shutdown\n!\nend\n")
	return b.String()
}

func eosInventory(f *facts) string {
	var b strings.Builder
	r := f.rng(13)
	b.WriteString("System information\n  Model                    Description\n")
	b.WriteString("  ------------------------ ----------------------------------------------------\n")
	fmt.Fprintf(&b, "  %-24s %s\n\n", f.model.pid, f.model.family)
	b.WriteString("  HW Version  Serial Number  Mfg Date   Epoch\n  ----------- -------------- ---------- -----\n")
	fmt.Fprintf(&b, "  11.02       %-14s 2021-07-14 01.00\n\n", f.serial)
	b.WriteString("System has 2 power supply slots\n  Slot Model            Serial Number\n  ---- ---------------- ----------------\n")
	for ps := range 2 {
		fmt.Fprintf(&b, "  %-4d PWR-511-AC-RED   EEWT%07d\n", ps+1, r.IntN(10000000))
	}
	b.WriteString("\nSystem has 4 fan modules\n  Module  Number of Fans  Model            Serial Number\n")
	b.WriteString("  ------- --------------- ---------------- ----------------\n")
	for fan := range 4 {
		fmt.Fprintf(&b, "  %-7d 1               FAN-7000H-RED    N/A\n", fan+1)
	}
	fmt.Fprintf(&b, "\nSystem has %d ports\n  Type             Count\n  ---------------- ----\n", len(f.ifaces)+1)
	fmt.Fprintf(&b, "  Management       1\n  Switched         %d\n\n", len(f.ifaces))
	return b.String()
}

func eosLogging(f *facts) string {
	var b strings.Builder
	b.WriteString(`Syslog logging: enabled
    Buffer logging: level debugging
    Console logging: level errors
    Persistent logging: disabled
    Monitor logging: level errors
    Synchronous logging: disabled
    Trap logging: level informational
        Logging to '192.0.2.50' port 514 in VRF default via udp
    Sequence numbers: Disabled
    Syslog facility: local4
    Hostname format: Hostname only
    Repeat logging interval: disabled
    Repeat messages: disabled
    Root login logging: disabled

`)
	for _, e := range f.logEvents(20) {
		stamp := syslogTime(e.at) + " " + f.host
		switch e.kind {
		case 0:
			fmt.Fprintf(&b, "%s Ebra: %%LINEPROTO-5-UPDOWN: Line protocol on Interface %s, changed state to down\n", stamp, e.iface)
		case 1:
			fmt.Fprintf(&b, "%s Ebra: %%LINEPROTO-5-UPDOWN: Line protocol on Interface %s, changed state to up\n", stamp, e.iface)
		case 2:
			fmt.Fprintf(&b, "%s ConfigAgent: %%SYS-5-CONFIG_I: Configured from console by netops on vty3 (%s)\n", stamp, e.from)
		default:
			fmt.Fprintf(&b, "%s Aaa: %%ACCOUNTING-6-EXEC: netops vty3 %s start service=shell\n", stamp, e.from)
		}
	}
	return b.String()
}
