package simlab

import (
	"fmt"
	"strings"
)

// junosMore is the Junos pager prompt; Junos erases it by overwriting the
// line.
const junosMore = "---(more)---"

// junosProfile is Juniper Junos: a blank line, then "netops@host> ".
var junosProfile = &profile{
	startEnabled: true,
	prompt:       func(host string, _ bool) string { return "\n" + Username + "@" + host + "> " },
	above:        junosAbove,
	banner: func(f *facts) string {
		return fmt.Sprintf("--- JUNOS %s Kernel 64-bit  JNPR-12.1-20230105.8d6c4b2_buil\n", f.model.version)
	},
	more:      junosMore,
	moreErase: "\r" + strings.Repeat(" ", len(junosMore)) + "\r",
	errText: func(e *parseError, w int) string {
		if e.kind == errAmbiguous {
			return caret(w+e.col) + fmt.Sprintf("'%s' is ambiguous.\n", e.word)
		}
		return caret(w+e.col) + "syntax error, expecting <command>.\n"
	},
	junosPipes: true,
	commands: []command{
		{words: []string{"set", "cli", "screen-length", "<n>"}, act: junosLength},
		{words: []string{"set", "cli", "screen-width", "<n>"}, act: func(s *netShell, args []string) error {
			return s.t.output("Screen width set to " + args[0] + "\n")
		}},
		{words: []string{"exit"}, act: actExit},
		{words: []string{"quit"}, act: actExit},
		{words: []string{"show", "version"}, text: junosVersion},
		{words: []string{"show", "interfaces", "terse"}, text: junosTerse},
		{words: []string{"show", "interfaces"}, text: junosInterfaces},
		{words: []string{"show", "configuration"}, text: junosConfig},
		{words: []string{"show", "chassis", "hardware"}, text: junosHardware},
		{words: []string{"show", "log", "messages"}, text: junosLog},
		{words: []string{"request", "support", "information"}, act: actTechSupport},
	},
	tech: []string{"show version", "show chassis hardware", "show configuration", "show interfaces", "show log messages"},
}

// junosAbove is the routing-engine status line a QFX (a virtual chassis,
// even of one member) shows between the blank line and its prompt.
func junosAbove(f *facts) string {
	if strings.HasPrefix(f.model.pid, "qfx") {
		return "{master:0}"
	}
	return ""
}

// junosLength is `set cli screen-length N`.
func junosLength(s *netShell, args []string) error {
	if !s.setLength(args[0], 100000) {
		return s.t.output("error: value is out of range\n")
	}
	return s.t.output("Screen length set to " + args[0] + "\n")
}

func junosVersion(f *facts) string {
	m := f.model
	build := "20230105.8d6c4b2_builder_stable_12_214"
	var b strings.Builder
	fmt.Fprintf(&b, "Hostname: %s\nModel: %s\nJunos: %s\n", f.host, m.pid, m.version)
	for _, pkg := range []string{"JUNOS OS Kernel 64-bit ", "JUNOS OS libs", "JUNOS OS runtime", "JUNOS OS time zone information",
		"JUNOS OS libs compat32", "JUNOS OS 32-bit compatibility"} {
		fmt.Fprintf(&b, "%s [%s]\n", pkg, build)
	}
	rel := "20230118.211021_builder_junos_" + strings.ReplaceAll(strings.SplitN(m.version, "R", 2)[0], ".", "") + "_r3_s2"
	for _, pkg := range []string{"JUNOS network stack and utilities", "JUNOS libs", "JUNOS libs compat32", "JUNOS runtime",
		"JUNOS Packet Forwarding Engine Simulation Package", "JUNOS sflow mx", "JUNOS py extensions", "JUNOS py base",
		"JUNOS SDN Software Suite", "JUNOS Services URL Filter package", "JUNOS Services TLB Service PIC package",
		"JUNOS Services Telemetry", "JUNOS Services SSL", "JUNOS Services Stateful Firewall", "JUNOS Services RPM",
		"JUNOS Services PTSP Container package", "JUNOS Services NAT", "JUNOS Services Mobile Subscriber Service Container package",
		"JUNOS Services MobileNext Software package", "JUNOS Services Logging Report Framework package",
		"JUNOS Services LL-PDF Container package", "JUNOS Services Jflow Container package", "JUNOS Services IPSec",
		"JUNOS mx libs", "JUNOS Crypto Modules", "JUNOS Routing Engine Software Suite", "JUNOS Web Management Platform Package"} {
		fmt.Fprintf(&b, "%s [%s]\n", pkg, rel)
	}
	return b.String()
}

func junosTerse(f *facts) string {
	var b strings.Builder
	b.WriteString("Interface               Admin Link Proto    Local                 Remote\n")
	for _, i := range f.ifaces {
		admin, link := i.state("up", "up", "down"), i.state("up", "down", "down")
		fmt.Fprintf(&b, "%-23s %-5s %-4s\n", i.name, admin, link)
		if i.addr != "" {
			fmt.Fprintf(&b, "%-23s %-5s %-4s %-8s %-21s\n", i.name+".0", admin, link, "inet", fmt.Sprintf("%s/%d", i.addr, i.prefix))
			fmt.Fprintf(&b, "%-39s %s\n", "", "multiservice")
		}
	}
	fmt.Fprintf(&b, "%-23s %-5s %-4s\n", "fxp0", "up", "up")
	fmt.Fprintf(&b, "%-23s %-5s %-4s %-8s %-21s\n", "fxp0.0", "up", "up", "inet", f.mgmtIP+"/24")
	fmt.Fprintf(&b, "%-23s %-5s %-4s\n", "lo0", "up", "up")
	fmt.Fprintf(&b, "%-23s %-5s %-4s %-8s %-21s --> 0/0\n", "lo0.0", "up", "up", "inet", f.loopback)
	return b.String()
}

func junosInterfaces(f *facts) string {
	var b strings.Builder
	for n, i := range f.ifaces {
		admin, link := i.state("Enabled", "Enabled", "Administratively down"), i.state("Up", "Down", "Down")
		fmt.Fprintf(&b, "Physical interface: %s, %s, Physical link is %s\n", i.name, admin, link)
		fmt.Fprintf(&b, "  Interface index: %d, SNMP ifIndex: %d\n", 148+n, 526+n)
		if i.desc != "" {
			fmt.Fprintf(&b, "  Description: %s\n", i.desc)
		}
		b.WriteString("  Link-level type: Ethernet, MTU: 1514, LAN-PHY mode, Speed: 10Gbps, BPDU Error: None,\n")
		b.WriteString("  Loop Detect PDU Error: None, Loopback: Disabled, Source filtering: Disabled, Flow control: Enabled\n")
		b.WriteString("  Device flags   : Present Running\n  Interface flags: SNMP-Traps Internal: 0x4000\n")
		fmt.Fprintf(&b, "  Current address: %s, Hardware address: %s\n", macColon(i.mac), macColon(i.mac))
		fmt.Fprintf(&b, "  Last flapped   : %s (%s ago)\n", f.bootTime().Format("2006-01-02 15:04:05 MST"), ciscoUptime(f.uptime()))
		fmt.Fprintf(&b, "  Input rate     : %d bps (%d pps)\n  Output rate    : %d bps (%d pps)\n",
			i.inBytes%100000, i.inPkts%1000, i.outBytes%100000, i.outPkts%1000)
		if i.addr != "" {
			fmt.Fprintf(&b, "\n  Logical interface %s.0 (Index %d) (SNMP ifIndex %d)\n", i.name, 330+n, 540+n)
			b.WriteString("    Flags: Up SNMP-Traps 0x4004000 Encapsulation: ENET2\n")
			fmt.Fprintf(&b, "    Input packets : %d\n    Output packets: %d\n", i.inPkts, i.outPkts)
			b.WriteString("    Protocol inet, MTU: 1500\n      Flags: Sendbcast-pkt-to-re\n")
			fmt.Fprintf(&b, "      Addresses, Flags: Is-Preferred Is-Primary\n        Destination: %s/%d, Local: %s\n", i.addr, i.prefix, i.addr)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func junosConfig(f *facts) string {
	var b strings.Builder
	r := f.rng(11)
	fmt.Fprintf(&b, "## Last commit: %s by netops\nversion %s;\n", f.bootTime().Add(f.bootAge/2).Format("2006-01-02 15:04:05 MST"), f.model.version)
	fmt.Fprintf(&b, "system {\n    host-name %s;\n    domain-name %s.example.net;\n", f.host, f.site)
	b.WriteString("    root-authentication {\n")
	fmt.Fprintf(&b, "        encrypted-password \"$6$%016x$%032x\"; ## SECRET-DATA\n    }\n", r.Uint64(), r.Uint64())
	b.WriteString("    login {\n        user netops {\n            uid 2001;\n            class super-user;\n")
	b.WriteString("            authentication {\n                ssh-ed25519 \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI netops@simlab\"; ## SECRET-DATA\n")
	b.WriteString("            }\n        }\n    }\n    services {\n        ssh {\n            root-login deny;\n        }\n        netconf {\n            ssh;\n        }\n    }\n")
	b.WriteString("    syslog {\n        host 192.0.2.50 {\n            any notice;\n        }\n        file messages {\n            any notice;\n            authorization info;\n        }\n    }\n")
	b.WriteString("    ntp {\n        server 192.0.2.123;\n    }\n}\ninterfaces {\n")
	for _, i := range f.ifaces {
		fmt.Fprintf(&b, "    %s {\n", i.name)
		if !i.admin {
			b.WriteString("        disable;\n")
		}
		if i.desc != "" {
			fmt.Fprintf(&b, "        description \"%s\";\n", i.desc)
		}
		if i.addr != "" {
			fmt.Fprintf(&b, "        unit 0 {\n            family inet {\n                address %s/%d;\n            }\n        }\n", i.addr, i.prefix)
		}
		b.WriteString("    }\n")
	}
	fmt.Fprintf(&b, "    fxp0 {\n        unit 0 {\n            family inet {\n                address %s/24;\n            }\n        }\n    }\n", f.mgmtIP)
	fmt.Fprintf(&b, "    lo0 {\n        unit 0 {\n            family inet {\n                address %s/32;\n            }\n        }\n    }\n}\n", f.loopback)
	b.WriteString("protocols {\n    ospf {\n        area 0.0.0.0 {\n")
	for _, i := range f.ifaces {
		if i.addr != "" {
			fmt.Fprintf(&b, "            interface %s.0 {\n                interface-type p2p;\n            }\n", i.name)
		}
	}
	b.WriteString("            interface lo0.0 {\n                passive;\n            }\n        }\n    }\n    lldp {\n        interface all;\n    }\n}\n")
	return b.String()
}

func junosHardware(f *facts) string {
	var b strings.Builder
	r := f.rng(13)
	b.WriteString("Hardware inventory:\nItem             Version  Part number  Serial number     Description\n")
	fmt.Fprintf(&b, "%-16s %-8s %-12s %-17s %s\n", "Chassis", "", "", f.serial, strings.ToUpper(f.model.family))
	fmt.Fprintf(&b, "%-16s %-8s %-12s %-17s %s\n", "Midplane", "REV 25", "750-070866", fmt.Sprintf("ACPG%04d", r.IntN(10000)), "Midplane")
	fmt.Fprintf(&b, "%-16s %-8s %-12s %-17s %s\n", "Routing Engine 0", "BUILTIN", "BUILTIN", "BUILTIN", f.model.cpu)
	fmt.Fprintf(&b, "%-16s %-8s %-12s %-17s %s\n", "CB 0", "REV 36", "750-069579", fmt.Sprintf("CAPX%04d", r.IntN(10000)), "Control Board")
	fmt.Fprintf(&b, "%-16s %-8s %-12s %-17s %s\n", "FPC 0", "BUILTIN", "BUILTIN", "BUILTIN", "MPC-1RE")
	fmt.Fprintf(&b, "%-16s %-8s %-12s %-17s %s\n", "  PIC 0", "BUILTIN", "BUILTIN", "BUILTIN", fmt.Sprintf("%dXSFPP PIC", len(f.ifaces)))
	for i := range f.ifaces {
		fmt.Fprintf(&b, "%-16s %-8s %-12s %-17s %s\n", fmt.Sprintf("    Xcvr %d", i), "REV 01", "740-021308", fmt.Sprintf("AMB%04d", r.IntN(10000)), "SFP+-10G-SR")
	}
	for ps := range 2 {
		fmt.Fprintf(&b, "%-16s %-8s %-12s %-17s %s\n", fmt.Sprintf("Power Supply %d", ps), "REV 02", "740-073765", fmt.Sprintf("1GA2%07d", r.IntN(10000000)), "AC AFO 800W PSU")
	}
	for fan := range 3 {
		fmt.Fprintf(&b, "%-16s %-8s %-12s %-17s %s\n", fmt.Sprintf("Fan Tray %d", fan), "REV 02", "760-069329", fmt.Sprintf("BCBA%04d", r.IntN(10000)), "Fan Tray, Front to Back Airflow - AFO")
	}
	return b.String()
}

func junosLog(f *facts) string {
	var b strings.Builder
	for n, e := range f.logEvents(24) {
		stamp := syslogTime(e.at) + "  " + f.host
		switch e.kind {
		case 0:
			fmt.Fprintf(&b, "%s mib2d[%d]: SNMP_TRAP_LINK_DOWN: ifIndex %d, ifAdminStatus up(1), ifOperStatus down(2), ifName %s\n", stamp, 3400+n, 526+n%8, e.iface)
		case 1:
			fmt.Fprintf(&b, "%s mib2d[%d]: SNMP_TRAP_LINK_UP: ifIndex %d, ifAdminStatus up(1), ifOperStatus up(1), ifName %s\n", stamp, 3400+n, 526+n%8, e.iface)
		case 2:
			fmt.Fprintf(&b, "%s mgd[%d]: UI_COMMIT: User 'netops' requested 'commit' operation (comment: none)\n", stamp, 12000+n*7)
		default:
			fmt.Fprintf(&b, "%s sshd[%d]: Accepted publickey for netops from %s port %d ssh2: ED25519 SHA256:simlab\n", stamp, 20000+n*13, e.from, 40000+n*31)
		}
	}
	return b.String()
}
