package simlab

import (
	"slices"
	"strconv"
	"strings"

	"netauto/inventory"
)

// writeInventory writes the fleet's netauto inventory: every device at
// 127.0.0.1 on its port, with its platform and site, the healthy ones in a
// group per role, key-auth devices with the lab's key file, password devices
// and enable passwords through PasswordEnv, the legacy device opted in to
// legacy algorithms, and short timeouts on the fault devices that need them.
func writeInventory(path, keyFile string, devices []*device) error {
	inv := &inventory.Inventory{
		Path:     path,
		Defaults: inventory.Settings{Username: Username},
		Sites:    map[string]inventory.Site{},
		Groups:   map[string]inventory.Group{},
	}
	for _, d := range devices {
		info := d.info
		inv.Sites[info.Site] = inventory.Site{Name: info.Site}
		dev := inventory.Device{
			Name:           info.Name,
			Host:           "127.0.0.1",
			Port:           d.port(),
			Username:       Username,
			Platform:       info.Platform,
			Site:           info.Site,
			ConnectTimeout: d.spec.connectTimeout,
			IdleTimeout:    d.spec.idleTimeout,
		}
		if info.Role != "" {
			dev.Groups = []string{info.Role}
			inv.Groups[info.Role] = inventory.Group{Name: info.Role}
		}
		switch info.Auth {
		case AuthKey:
			dev.KeyFile = keyFile
		case AuthPassword, AuthKbdInt:
			dev.PasswordEnv = PasswordEnv
		case AuthNone:
			// Offer everything; nothing works.
			dev.KeyFile, dev.PasswordEnv = keyFile, PasswordEnv
		}
		if info.Enable {
			dev.EnablePasswordEnv = PasswordEnv
		}
		dev.LegacyAlgorithms = info.Fault == FaultLegacy
		inv.Devices = append(inv.Devices, dev)
	}
	slices.SortFunc(inv.Devices, func(a, b inventory.Device) int { return strings.Compare(a.Name, b.Name) })
	data, err := inventory.Marshal(inv)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, data, 0o600)
}

// port is the device's listening port.
func (d *device) port() int {
	_, p, _ := strings.Cut(d.info.Addr, ":")
	n, _ := strconv.Atoi(p)
	return n
}
