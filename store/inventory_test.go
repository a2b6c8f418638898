package store_test

import (
	"database/sql"
	"testing"

	"netauto/inventory"
	"netauto/store"
)

func TestSyncInventoryUpsertsSitesAndDevices(t *testing.T) {
	s, path := newStore(t)
	inv, err := inventory.Parse("inventory.yaml", []byte(`
defaults: {username: netops, platform: ios}
sites:
  chi1: {limit: 5}
groups:
  core: {site: chi1}
  edge: {site: nyc2, platform: eos}
devices:
  chi1-core-1: {host: 10.0.0.1, groups: [core]}
  nyc2-edge-1: {host: 10.1.0.1, port: 2222, groups: [edge]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SyncInventory(ctx(t), inv); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	var limit sql.NullInt64
	if err := db.QueryRow(`SELECT run_limit FROM sites WHERE name = 'chi1'`).Scan(&limit); err != nil || !limit.Valid || limit.Int64 != 5 {
		t.Errorf("chi1 limit = %v, %v; want 5", limit, err)
	}
	if err := db.QueryRow(`SELECT run_limit FROM sites WHERE name = 'nyc2'`).Scan(&limit); err != nil || limit.Valid {
		t.Errorf("nyc2 limit = %v, %v; want NULL", limit, err)
	}
	var host, platform, site string
	var port int
	if err := db.QueryRow(`SELECT host, port, platform, site FROM devices WHERE name = 'nyc2-edge-1'`).
		Scan(&host, &port, &platform, &site); err != nil || host != "10.1.0.1" || port != 2222 || platform != "eos" || site != "nyc2" {
		t.Errorf("nyc2-edge-1 = %s %d %s %s, %v", host, port, platform, site, err)
	}

	// A run on a known device; then the inventory changes and is synced again.
	r := mustCreate(t, s, store.NewRun{Device: "chi1-core-1", Site: "chi1", Command: "show version"})
	inv2, err := inventory.Parse("inventory.yaml", []byte(`
sites:
  chi1: {limit: 2}
devices:
  chi1-core-1: {host: 10.0.0.9, site: chi1, platform: iosxe}
`))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SyncInventory(ctx(t), inv2); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT host, platform FROM devices WHERE name = 'chi1-core-1'`).Scan(&host, &platform); err != nil ||
		host != "10.0.0.9" || platform != "iosxe" {
		t.Errorf("after resync chi1-core-1 = %s %s, %v", host, platform, err)
	}
	if err := db.QueryRow(`SELECT run_limit FROM sites WHERE name = 'chi1'`).Scan(&limit); err != nil || limit.Int64 != 2 {
		t.Errorf("after resync chi1 limit = %v, %v; want 2", limit, err)
	}
	var devices int
	if err := db.QueryRow(`SELECT count(*) FROM devices`).Scan(&devices); err != nil || devices != 2 {
		t.Errorf("%d devices after resync, want 2 (a device gone from the inventory keeps its history)", devices)
	}
	if got := mustRun(t, s, r.ID); got.Device != "chi1-core-1" {
		t.Errorf("run = %+v", got)
	}
}
