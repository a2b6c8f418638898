package sshadapter

import (
	"path/filepath"
	"reflect"
	"testing"

	"netauto/inventory"
)

func TestResolve(t *testing.T) {
	e := newTestEnv(t)
	writeFile(t, e.Config.SSHConfigFile, `
Host edge-*
  HostName %h.example.net
  User netops
  Port 2222
  IdentityFile ~/.ssh/edge_%r
  ProxyJump bastion

Host bastion
  HostName 192.0.2.1
  User jumper
  ProxyJump gw.example.net:2200

Host *
  IdentityFile ~/.ssh/id_all
`)
	writeFile(t, filepath.Join(e.Home, ".ssh", "id_ed25519"), "unused")
	a := e.adapter(t)

	tg, hops, err := a.resolve(inventory.Device{Name: "e1", Host: "edge-1", KeyFile: "/keys/inv"})
	if err != nil {
		t.Fatal(err)
	}
	want := target{alias: "edge-1", hostname: "edge-1.example.net", port: 2222, user: "netops",
		keyFiles: []string{"/keys/inv", filepath.Join(e.Home, ".ssh/edge_netops"), filepath.Join(e.Home, ".ssh/id_all")}}
	if !reflect.DeepEqual(tg, want) {
		t.Errorf("target = %+v\nwant     %+v", tg, want)
	}
	if len(hops) != 2 || hops[0].hostname != "gw.example.net" || hops[0].port != 2200 || hops[0].user != "root" ||
		hops[1].hostname != "192.0.2.1" || hops[1].user != "jumper" || hops[1].port != 22 {
		t.Errorf("hops = %+v", hops)
	}

	// Inventory values win; unset values fall back to defaults.
	tg, hops, err = a.resolve(inventory.Device{Name: "e2", Host: "edge-2", Port: 22, Username: "admin", Jump: "none"})
	if err != nil || tg.port != 22 || tg.user != "admin" || len(hops) != 0 {
		t.Errorf("inventory wins: %+v %+v %v", tg, hops, err)
	}
	tg, _, err = a.resolve(inventory.Device{Name: "plain"})
	if err != nil || tg.hostname != "plain" || tg.port != 22 || tg.user != "root" {
		t.Errorf("defaults: %+v %v", tg, err)
	}

	// Default identities only when the config names none.
	writeFile(t, e.Config.SSHConfigFile, "")
	tg, _, _ = e.adapter(t).resolve(inventory.Device{Name: "x", Host: "x"})
	if !reflect.DeepEqual(tg.keyFiles, []string{filepath.Join(e.Home, ".ssh", "id_ed25519")}) {
		t.Errorf("default identities = %v", tg.keyFiles)
	}

	// A ProxyJump loop is cut off.
	writeFile(t, e.Config.SSHConfigFile, "Host loop\n  ProxyJump loop\n")
	if _, _, err := e.adapter(t).resolve(inventory.Device{Name: "l", Host: "loop"}); err == nil {
		t.Error("ProxyJump loop not detected")
	}
}
