package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"netauto/inventory"
)

// SyncInventory upserts the inventory's sites (with their caps) and devices
// (host, port, platform, site) in one transaction. Sites and devices no
// longer in the inventory are kept: their runs still refer to them.
func (s *Store) SyncInventory(ctx context.Context, inv *inventory.Inventory) error {
	if inv == nil {
		return nil
	}
	// Copy what the writer needs, so the caller may change inv afterwards.
	type siteRow struct {
		name  string
		limit any
	}
	sites := make([]siteRow, 0, len(inv.Sites))
	for name, site := range inv.Sites {
		var limit any
		if site.Limit != nil {
			limit = *site.Limit
		}
		sites = append(sites, siteRow{name, limit})
	}
	slices.SortFunc(sites, func(a, b siteRow) int { return strings.Compare(a.name, b.name) })
	devices := make([]inventory.Device, len(inv.Devices))
	copy(devices, inv.Devices)
	now := time.Now().UnixNano()

	err := s.do(ctx, func(w *wtx) error {
		for _, st := range sites {
			if _, err := w.exec(`INSERT INTO sites (name, run_limit, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (name) DO UPDATE SET run_limit = excluded.run_limit, updated_at = excluded.updated_at`,
				st.name, st.limit, now); err != nil {
				return err
			}
		}
		for _, d := range devices {
			if d.Site != "" {
				if _, err := w.exec(`INSERT INTO sites (name, updated_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
					d.Site, now); err != nil {
					return err
				}
			}
			if _, err := w.exec(`INSERT INTO devices (name, host, port, platform, site, updated_at) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (name) DO UPDATE SET host = excluded.host, port = excluded.port,
					platform = excluded.platform, site = excluded.site, updated_at = excluded.updated_at`,
				d.Name, d.Host, d.Port, string(d.Platform), nullString(d.Site), now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sync inventory: %w", err)
	}
	return nil
}
