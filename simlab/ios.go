package simlab

import (
	"fmt"
	"strings"
	"time"

	"netauto/inventory"
)

// iosProfile is classic Cisco IOS: user mode "host>", enable with a
// password, "host#".
var iosProfile = &profile{
	prompt:    ciscoPrompt,
	more:      ciscoMore,
	moreErase: ciscoMoreErase,
	errText:   ciscoErr,
	commands: append(ciscoSession(),
		command{words: []string{"enable"}, act: actEnable},
		command{words: []string{"disable"}, act: actDisable},
		command{words: []string{"quit"}, act: actExit},
		command{words: []string{"show", "version"}, text: iosVersion},
		command{words: []string{"show", "ip", "interface", "brief"}, text: iosIPBrief},
		command{words: []string{"show", "interfaces"}, text: iosInterfaces},
		command{words: []string{"show", "running-config"}, priv: true, text: iosRunning},
		command{words: []string{"show", "inventory"}, text: iosInventory},
		command{words: []string{"show", "logging"}, text: iosLogging},
		command{words: []string{"show", "clock"}, text: iosClock},
		command{words: []string{"show", "tech-support"}, priv: true, act: actTechSupport},
	),
	tech: []string{"show version", "show running-config", "show interfaces", "show inventory", "show logging"},
}

// legacyModel is what the legacy-algorithms device runs: an old Catalyst
// whose SSH stack stopped at diffie-hellman-group1-sha1 and aes128-cbc.
var legacyModel = model{pid: "WS-C3560-24PS", family: "C3560", version: "12.2(55)SE12",
	image: "c3560-ipservicesk9-mz.122-55.SE12.bin", cpu: "PowerPC405", memKB: 131072}

// platformModels are the models each platform may be, picked per device.
var platformModels = map[inventory.Platform][]model{
	inventory.PlatformIOS: {
		{pid: "WS-C2960X-48FPD-L", family: "C2960X", version: "15.2(7)E7", image: "c2960x-universalk9-mz.152-7.E7.bin", cpu: "APM86XXX", memKB: 524288},
		{pid: "WS-C3750X-48P", family: "C3750E", version: "15.2(4)E10", image: "c3750e-universalk9-mz.152-4.E10.bin", cpu: "PowerPC405", memKB: 262144},
		{pid: "CISCO2911/K9", family: "C2900", version: "15.7(3)M8", image: "c2900-universalk9-mz.SPA.157-3.M8.bin", cpu: "revision 1.0", memKB: 487424},
	},
	inventory.PlatformIOSXR: {
		{pid: "ASR-9006-AC-V2", family: "ASR9K", version: "6.4.2", image: "disk0:asr9k-os-mbi-6.4.2/0x100305/mbiasr9k-rsp3.vm", cpu: "Intel 686 F6M14S4", memKB: 12582912},
		{pid: "ASR-9010-AC-V2", family: "ASR9K", version: "6.7.3", image: "disk0:asr9k-os-mbi-6.7.3/0x100305/mbiasr9k-rsp3.vm", cpu: "Intel 686 F6M14S4", memKB: 12582912},
	},
	inventory.PlatformNXOS: {
		{pid: "N9K-C93180YC-EX", family: "Nexus9000 C93180YC-EX", version: "9.3(10)", image: "bootflash:///nxos.9.3.10.bin", cpu: "Intel(R) Xeon(R) CPU  @ 1.80GHz", memKB: 24632928},
		{pid: "N9K-C9336C-FX2", family: "Nexus9000 C9336C-FX2", version: "10.2(5)", image: "bootflash:///nxos64-cs.10.2.5.M.bin", cpu: "Intel(R) Xeon(R) CPU D-1526 @ 1.80GHz", memKB: 32803024},
	},
	inventory.PlatformEOS: {
		{pid: "DCS-7050SX3-48YC8-R", family: "48x25GbE (SFP+) & 8x100GbE (QSFP100) switch", version: "4.28.3M", image: "EOS-4.28.3M.swi", cpu: "x86_64", memKB: 8099548},
		{pid: "DCS-7280SR3-48YC8-F", family: "48x25GbE (SFP) & 8x100GbE (QSFP) switch", version: "4.30.1F", image: "EOS-4.30.1F.swi", cpu: "x86_64", memKB: 16166680},
	},
	inventory.PlatformJunos: {
		{pid: "mx204", family: "MX204", version: "21.4R3-S2.3", cpu: "RE-S-1600x8", memKB: 33554432},
		{pid: "qfx5120-48y-8c", family: "QFX5120-48Y-8C", version: "22.2R3.15", cpu: "RE-QFX5120-48Y-8C", memKB: 16777216},
	},
	inventory.PlatformLinux: {
		{pid: "PowerEdge R650", family: "Ubuntu 22.04.4 LTS", version: "5.15.0-105-generic", cpu: "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz", memKB: 65536000},
		{pid: "ProLiant DL360 Gen10", family: "Debian GNU/Linux 12 (bookworm)", version: "6.1.0-21-amd64", cpu: "Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz", memKB: 131072000},
	},
}

func iosVersion(f *facts) string {
	m := f.model
	var b strings.Builder
	fmt.Fprintf(&b, "Cisco IOS Software, %s Software (%s-UNIVERSALK9-M), Version %s, RELEASE SOFTWARE (fc2)\n", m.family, m.family, m.version)
	b.WriteString("Technical Support: http://www.cisco.com/techsupport\n")
	b.WriteString("Copyright (c) 1986-2023 by Cisco Systems, Inc.\n")
	b.WriteString("Compiled Tue 14-Feb-23 04:17 by prod_rel_team\n\n")
	fmt.Fprintf(&b, "ROM: Bootstrap program is %s boot loader\n", m.family)
	fmt.Fprintf(&b, "BOOTLDR: %s Boot Loader (%s-HBOOT-M) Version 15.2(3r)E, RELEASE SOFTWARE (fc1)\n\n", m.family, m.family)
	fmt.Fprintf(&b, "%s uptime is %s\n", f.host, ciscoUptime(f.uptime()))
	b.WriteString("System returned to ROM by power-on\n")
	fmt.Fprintf(&b, "System restarted at %s\n", f.bootTime().Format("15:04:05 MST Mon Jan 2 2006"))
	fmt.Fprintf(&b, "System image file is \"flash:/%s\"\n", m.image)
	b.WriteString("Last reload reason: power-on\n\n\n\n")
	b.WriteString(`This product contains cryptographic features and is subject to United
States and local country laws governing import, export, transfer and
use. Delivery of Cisco cryptographic products does not imply
third-party authority to import, export, distribute or use encryption.
Importers, exporters, distributors and users are responsible for
compliance with U.S. and local country laws. By using this product you
agree to comply with applicable laws and regulations. If you are unable
to comply with U.S. and local laws, return this product immediately.

A summary of U.S. laws governing Cisco cryptographic products may be found at:
http://www.cisco.com/wwl/export/crypto/tool/stqrg.html

If you require further assistance please contact us by sending email to
export@cisco.com.

License Level: ipservices
License Type: Permanent
Next reload license Level: ipservices

`)
	fmt.Fprintf(&b, "cisco %s (%s) processor (revision W0) with %dK bytes of memory.\n", m.pid, m.cpu, m.memKB)
	fmt.Fprintf(&b, "Processor board ID %s\n", f.serial)
	b.WriteString("Last reset from power-on\n")
	fmt.Fprintf(&b, "1 Virtual Ethernet interface\n%d Gigabit Ethernet interfaces\n", len(f.ifaces))
	b.WriteString("The password-recovery mechanism is enabled.\n\n")
	b.WriteString("512K bytes of flash-simulated non-volatile configuration memory.\n")
	fmt.Fprintf(&b, "Base ethernet MAC Address       : %s\n", macColon(f.mac))
	b.WriteString("Motherboard assembly number     : 73-12345-06\n")
	fmt.Fprintf(&b, "Motherboard serial number       : %s\n", strings.Replace(f.serial, "FOC", "FDO", 1))
	fmt.Fprintf(&b, "Model number                    : %s\n", m.pid)
	fmt.Fprintf(&b, "System serial number            : %s\n\n", f.serial)
	b.WriteString("Switch Ports Model                     SW Version            SW Image\n")
	b.WriteString("------ ----- -----                     ----------            ----------\n")
	fmt.Fprintf(&b, "*    1 %-5d %-25s %-21s %s-UNIVERSALK9-M\n\n\n", len(f.ifaces), m.pid, m.version, m.family)
	b.WriteString("Configuration register is 0xF\n\n")
	return b.String()
}

func iosIPBrief(f *facts) string {
	var b strings.Builder
	b.WriteString("Interface              IP-Address      OK? Method Status                Protocol\n")
	row := func(name, addr, status, proto string) {
		method := "NVRAM"
		if addr == "" {
			addr, method = "unassigned", "unset"
		}
		fmt.Fprintf(&b, "%-22s %-15s YES %-6s %-21s %s\n", name, addr, method, status, proto)
	}
	row("Vlan1", f.mgmtIP, "up", "up")
	for _, i := range f.ifaces {
		row(i.name, i.addr, i.state("up", "down", "administratively down"), i.state("up", "down", "down"))
	}
	row("Loopback0", f.loopback, "up", "up")
	return b.String()
}

func iosInterfaces(f *facts) string {
	var b strings.Builder
	for _, i := range f.ifaces {
		state := i.state("up", "down", "administratively down")
		proto := i.state("up (connected)", "down (notconnect)", "down (disabled)")
		fmt.Fprintf(&b, "%s is %s, line protocol is %s\n", i.name, state, proto)
		fmt.Fprintf(&b, "  Hardware is Gigabit Ethernet, address is %s (bia %s)\n", macDotted(i.mac), macDotted(i.mac))
		if i.desc != "" {
			fmt.Fprintf(&b, "  Description: %s\n", i.desc)
		}
		if i.addr != "" {
			fmt.Fprintf(&b, "  Internet address is %s/%d\n", i.addr, i.prefix)
		}
		b.WriteString("  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,\n")
		b.WriteString("     reliability 255/255, txload 1/255, rxload 1/255\n")
		b.WriteString("  Encapsulation ARPA, loopback not set\n  Keepalive set (10 sec)\n")
		b.WriteString("  Full-duplex, 1000Mb/s, media type is 10/100/1000BaseTX\n")
		b.WriteString("  input flow-control is off, output flow-control is unsupported\n")
		b.WriteString("  ARP type: ARPA, ARP Timeout 04:00:00\n")
		b.WriteString("  Last input 00:00:01, output 00:00:00, output hang never\n")
		b.WriteString("  Last clearing of \"show interface\" counters never\n")
		b.WriteString("  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0\n")
		b.WriteString("  Queueing strategy: fifo\n  Output queue: 0/40 (size/max)\n")
		fmt.Fprintf(&b, "  5 minute input rate %d bits/sec, %d packets/sec\n", i.inBytes%100000, i.inPkts%1000)
		fmt.Fprintf(&b, "  5 minute output rate %d bits/sec, %d packets/sec\n", i.outBytes%100000, i.outPkts%1000)
		fmt.Fprintf(&b, "     %d packets input, %d bytes, 0 no buffer\n", i.inPkts, i.inBytes)
		fmt.Fprintf(&b, "     Received %d broadcasts (%d multicasts)\n", i.inPkts%9973, i.inPkts%7919)
		b.WriteString("     0 runts, 0 giants, 0 throttles\n")
		b.WriteString("     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored\n")
		fmt.Fprintf(&b, "     0 watchdog, %d multicast, 0 pause input\n", i.inPkts%7919)
		b.WriteString("     0 input packets with dribble condition detected\n")
		fmt.Fprintf(&b, "     %d packets output, %d bytes, 0 underruns\n", i.outPkts, i.outBytes)
		b.WriteString("     0 output errors, 0 collisions, 1 interface resets\n")
		b.WriteString("     0 unknown protocol drops\n")
		b.WriteString("     0 babbles, 0 late collision, 0 deferred\n")
		b.WriteString("     0 lost carrier, 0 no carrier, 0 pause output\n")
		b.WriteString("     0 output buffer failures, 0 output buffers swapped out\n")
	}
	return b.String()
}

func iosRunning(f *facts) string {
	var b strings.Builder
	r := f.rng(11)
	b.WriteString("!\n")
	fmt.Fprintf(&b, "! Last configuration change at %s by netops\n", f.bootTime().Add(f.bootAge/2).Format("15:04:05 MST Mon Jan 2 2006"))
	b.WriteString("!\n")
	fmt.Fprintf(&b, "version %s\n", strings.SplitN(f.model.version, "(", 2)[0])
	b.WriteString("no service pad\nservice timestamps debug datetime msec\nservice timestamps log datetime msec\nservice password-encryption\n!\n")
	fmt.Fprintf(&b, "hostname %s\n!\nboot-start-marker\nboot-end-marker\n!\n", f.host)
	fmt.Fprintf(&b, "enable secret 9 $9$%016x$%032x\n!\n", r.Uint64(), r.Uint64())
	fmt.Fprintf(&b, "username netops privilege 1 secret 9 $9$%016x$%032x\n", r.Uint64(), r.Uint64())
	b.WriteString("aaa new-model\n!\naaa authentication login default local\naaa authorization exec default local\n!\n")
	b.WriteString("clock timezone UTC 0 0\n")
	fmt.Fprintf(&b, "ip domain-name %s.example.net\nno ip domain-lookup\n!\n", f.site)
	b.WriteString("spanning-tree mode rapid-pvst\nspanning-tree extend system-id\n!\nvlan internal allocation policy ascending\n!\n")
	b.WriteString("interface Loopback0\n")
	fmt.Fprintf(&b, " ip address %s 255.255.255.255\n!\n", f.loopback)
	for _, i := range f.ifaces {
		fmt.Fprintf(&b, "interface %s\n", i.name)
		if i.desc != "" {
			fmt.Fprintf(&b, " description %s\n", i.desc)
		}
		if i.addr != "" {
			fmt.Fprintf(&b, " no switchport\n ip address %s %s\n", i.addr, mask(i.prefix))
		} else {
			b.WriteString(" switchport access vlan 10\n switchport mode access\n spanning-tree portfast\n")
		}
		if !i.admin {
			b.WriteString(" shutdown\n")
		}
		b.WriteString("!\n")
	}
	fmt.Fprintf(&b, "interface Vlan1\n ip address %s 255.255.255.0\n!\n", f.mgmtIP)
	b.WriteString("router ospf 1\n")
	fmt.Fprintf(&b, " router-id %s\n passive-interface default\n", f.loopback)
	b.WriteString(" network 198.51.100.0 0.0.0.255 area 0\n!\n")
	b.WriteString("ip forward-protocol nd\nno ip http server\nno ip http secure-server\n!\n")
	b.WriteString("ip ssh version 2\nip ssh server algorithm encryption aes256-ctr aes192-ctr aes128-ctr\n!\n")
	b.WriteString("logging trap informational\nlogging host 192.0.2.50\n!\n")
	b.WriteString("snmp-server location " + f.site + "\n!\n")
	b.WriteString("line con 0\n logging synchronous\nline vty 0 4\n transport input ssh\nline vty 5 15\n transport input ssh\n!\n")
	b.WriteString("ntp server 192.0.2.123\nend\n\n")
	body := b.String()
	return fmt.Sprintf("Building configuration...\n\nCurrent configuration : %d bytes\n", len(body)) + body
}

func iosInventory(f *facts) string {
	var b strings.Builder
	r := f.rng(13)
	fmt.Fprintf(&b, "NAME: \"1\", DESCR: \"%s\"\n", f.model.pid)
	fmt.Fprintf(&b, "PID: %-18s, VID: V05  , SN: %s\n\n", f.model.pid, f.serial)
	for ps := range 2 {
		fmt.Fprintf(&b, "NAME: \"Switch 1 - Power Supply %d\", DESCR: \"FRU Power Supply\"\n", ps)
		fmt.Fprintf(&b, "PID: %-18s, VID: V02  , SN: LIT%04d%s\n\n", "C3KX-PWR-715WAC", r.IntN(10000), "ABCD"[ps:ps+1]+"XYZ")
	}
	for i := range 2 {
		fmt.Fprintf(&b, "NAME: \"GigabitEthernet1/1/%d\", DESCR: \"1000BaseSX SFP\"\n", i+1)
		fmt.Fprintf(&b, "PID: %-18s, VID: V01  , SN: AGM%07d\n\n", "GLC-SX-MMD", r.IntN(10000000))
	}
	return b.String()
}

func iosLogging(f *facts) string {
	events := f.logEvents(20)
	var b strings.Builder
	b.WriteString(`Syslog logging: enabled (0 messages dropped, 3 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)

No Active Message Discriminator.


No Inactive Message Discriminator.


    Console logging: level debugging, 45 messages logged, xml disabled,
                     filtering disabled
    Monitor logging: level debugging, 0 messages logged, xml disabled,
                     filtering disabled
    Buffer logging:  level debugging, 45 messages logged, xml disabled,
                    filtering disabled
    Exception Logging: size (4096 bytes)
    Count and timestamp logging messages: disabled
    Persistent logging: disabled

No active filter modules.

    Trap logging: level informational, 49 message lines logged
        Logging to 192.0.2.50  (udp port 514, audit disabled,
              link up),
              49 message lines logged,
              0 message lines rate-limited,
              0 message lines dropped-by-MD,
              xml disabled, sequence number disabled
              filtering disabled
        Logging Source-Interface:       VRF Name:

Log Buffer (4096 bytes):

`)
	for _, e := range events {
		stamp := e.at.Format("Jan _2 15:04:05.000")
		switch e.kind {
		case 0:
			fmt.Fprintf(&b, "%s: %%LINK-3-UPDOWN: Interface %s, changed state to down\n", stamp, e.iface)
		case 1:
			fmt.Fprintf(&b, "%s: %%LINEPROTO-5-UPDOWN: Line protocol on Interface %s, changed state to up\n", stamp, e.iface)
		case 2:
			fmt.Fprintf(&b, "%s: %%SYS-5-CONFIG_I: Configured from console by netops on vty0 (%s)\n", stamp, e.from)
		default:
			fmt.Fprintf(&b, "%s: %%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: netops] [Source: %s] [localport: 22] at %s UTC %s\n",
				stamp, e.from, e.at.Format("15:04:05"), e.at.Format("Mon Jan 2 2006"))
		}
	}
	return b.String()
}

func iosClock(*facts) string {
	return "*" + time.Now().UTC().Format("15:04:05.000 MST Mon Jan 2 2006") + "\n"
}
