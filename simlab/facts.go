package simlab

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"

	"netauto/inventory"
)

// facts are a device's invented particulars, derived from its name alone so
// that a device looks the same on every start. Addresses are documentation
// ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and appear only in
// output text.
type facts struct {
	host     string
	site     string
	platform inventory.Platform
	model    model
	serial   string
	mac      [6]byte
	mgmtIP   string // 192.0.2.x
	loopback string // 203.0.113.x
	ifaces   []iface
	// bootAge is how long the device had been up when the lab started.
	bootAge time.Duration
	started time.Time
	seed    uint64
}

// model is one hardware/software combination a platform may run.
type model struct {
	pid, family, version, image, cpu string
	memKB                            int
}

// iface is one interface of a device.
type iface struct {
	name                               string
	desc                               string
	addr                               string // "" = unassigned
	prefix                             int
	up                                 bool
	admin                              bool // administratively up (a shut interface is never up)
	mac                                [6]byte
	inPkts, outPkts, inBytes, outBytes uint64
}

// state names the interface's state in a platform's words: up, down
// (enabled, no link) or shut (administratively down).
func (i iface) state(up, down, shut string) string {
	switch {
	case !i.admin:
		return shut
	case !i.up:
		return down
	}
	return up
}

// newFacts invents a device's particulars from its name.
func newFacts(info DeviceInfo, started time.Time) *facts {
	h := fnv.New64a()
	h.Write([]byte(info.Name))
	seed := h.Sum64()
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	f := &facts{host: info.Name, site: info.Site, platform: info.Platform, started: started, seed: seed}
	models := platformModels[info.Platform]
	f.model = models[r.IntN(len(models))]
	if info.Fault == FaultLegacy {
		f.model = legacyModel
	}
	f.serial = serial(r, info.Platform)
	f.mac = [6]byte{0x0c, byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256)), 0}
	f.mgmtIP = fmt.Sprintf("192.0.2.%d", 10+r.IntN(240))
	f.loopback = fmt.Sprintf("203.0.113.%d", 1+r.IntN(254))
	f.bootAge = time.Duration(2+r.IntN(400))*24*time.Hour + time.Duration(r.IntN(86400))*time.Second
	n := 4 + r.IntN(5)
	base := 2 * r.IntN(100)
	for i := range n {
		ifc := iface{name: ifaceName(info.Platform, i), up: true, admin: true, mac: f.mac}
		ifc.mac[5] = byte(i + 1)
		switch {
		case i < 2:
			ifc.desc = fmt.Sprintf("uplink to %s-core-%d", fleetSites[(r.IntN(3))], 1+i)
			ifc.addr = fmt.Sprintf("198.51.100.%d", base+2*i)
			ifc.prefix = 31
		case r.IntN(4) == 0:
			ifc.up, ifc.admin = false, false
		case r.IntN(3) == 0:
			ifc.up = false
			ifc.desc = "spare"
		default:
			ifc.desc = fmt.Sprintf("access port %d", i)
		}
		if ifc.up {
			ifc.inPkts = uint64(r.IntN(1e9))
			ifc.outPkts = uint64(r.IntN(1e9))
			ifc.inBytes = ifc.inPkts * uint64(64+r.IntN(1400))
			ifc.outBytes = ifc.outPkts * uint64(64+r.IntN(1400))
		}
		f.ifaces = append(f.ifaces, ifc)
	}
	return f
}

// uptime is how long the device has been up now.
func (f *facts) uptime() time.Duration { return f.bootAge + time.Since(f.started) }

// bootTime is when the device booted.
func (f *facts) bootTime() time.Time { return f.started.Add(-f.bootAge).UTC() }

// rng is a fresh generator seeded from the device, for output that must be
// the same each time it is shown (log lines, config hashes).
func (f *facts) rng(salt uint64) *rand.Rand { return rand.New(rand.NewPCG(f.seed, salt)) }

// macDotted formats a MAC the Cisco way, 0c1a.2b3c.4d01.
func macDotted(m [6]byte) string {
	return fmt.Sprintf("%02x%02x.%02x%02x.%02x%02x", m[0], m[1], m[2], m[3], m[4], m[5])
}

// macColon formats a MAC the Unix way, 0c:1a:2b:3c:4d:01.
func macColon(m [6]byte) string {
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5])
}

// mask turns a prefix length into a dotted netmask.
func mask(prefix int) string {
	m := ^uint32(0) << (32 - prefix)
	return fmt.Sprintf("%d.%d.%d.%d", m>>24, m>>16&0xff, m>>8&0xff, m&0xff)
}

// serial invents a serial number in the vendor's style.
func serial(r *rand.Rand, p inventory.Platform) string {
	const up = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	const digits = "0123456789"
	pick := func(set string, n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(set[r.IntN(len(set))])
		}
		return b.String()
	}
	switch p {
	case inventory.PlatformEOS:
		return "JPE" + pick(digits, 8)
	case inventory.PlatformJunos:
		return "DS" + pick(digits, 3)
	case inventory.PlatformLinux:
		return pick(digits+up, 12)
	default:
		return "FOC" + pick(digits, 4) + pick(up, 1) + pick(digits+up, 3)
	}
}

// ifaceName names a device's i-th interface the platform's way.
func ifaceName(p inventory.Platform, i int) string {
	switch p {
	case inventory.PlatformIOSXR:
		return fmt.Sprintf("TenGigE0/0/0/%d", i)
	case inventory.PlatformNXOS:
		return fmt.Sprintf("Ethernet1/%d", i+1)
	case inventory.PlatformEOS:
		return fmt.Sprintf("Ethernet%d", i+1)
	case inventory.PlatformJunos:
		return fmt.Sprintf("ge-0/0/%d", i)
	case inventory.PlatformLinux:
		return fmt.Sprintf("eth%d", i)
	default:
		return fmt.Sprintf("GigabitEthernet1/0/%d", i+1)
	}
}

// ciscoUptime formats an uptime as IOS does: "12 weeks, 3 days, 4 hours, 5 minutes".
func ciscoUptime(d time.Duration) string {
	mins := int(d.Minutes())
	w, dd, h, m := mins/(7*24*60), mins/(24*60)%7, mins/60%24, mins%60
	var parts []string
	add := func(n int, unit string) {
		if n == 1 {
			parts = append(parts, fmt.Sprintf("%d %s", n, unit))
		} else {
			parts = append(parts, fmt.Sprintf("%d %ss", n, unit))
		}
	}
	if w > 0 {
		add(w, "week")
	}
	if w > 0 || dd > 0 {
		add(dd, "day")
	}
	add(h, "hour")
	add(m, "minute")
	return strings.Join(parts, ", ")
}

// syslogTime formats a time as syslog does: "Mar  3 10:14:03".
func syslogTime(t time.Time) string { return t.UTC().Format("Jan _2 15:04:05") }

// logEvent is one invented event in a device's log.
type logEvent struct {
	at    time.Time
	kind  int // 0 link down, 1 link up, 2 config, 3 login
	iface string
	from  string
}

// logEvents invents a device's recent log, oldest first, the same each time.
func (f *facts) logEvents(n int) []logEvent {
	r := f.rng(7)
	t := f.bootTime().Add(time.Minute)
	var out []logEvent
	for range n {
		t = t.Add(time.Duration(1+r.IntN(int(f.bootAge/time.Second)/n+1)) * time.Second)
		out = append(out, logEvent{
			at:    t,
			kind:  r.IntN(4),
			iface: f.ifaces[r.IntN(len(f.ifaces))].name,
			from:  fmt.Sprintf("192.0.2.%d", 10+r.IntN(20)),
		})
	}
	return out
}
