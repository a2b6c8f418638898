package inventory

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
)

// ErrEmptySelection is returned by Select when the selection names nothing
// or selects no device.
var ErrEmptySelection = errors.New("inventory: empty selection: name devices, groups or sites, or select all")

// Selection picks devices: the union of the named devices, the members of the
// named groups and the devices of the named sites, or every device with All.
// Names may be globs in path.Match syntax ("chi1-*").
type Selection struct {
	// Devices are device names or globs.
	Devices []string
	// Groups are group names or globs; a device is selected when it lists one.
	Groups []string
	// Sites are site names or globs; a device is selected when its site matches.
	Sites []string
	// All selects every device.
	All bool
}

// Empty reports whether the selection names nothing.
func (s Selection) Empty() bool {
	return !s.All && len(s.Devices) == 0 && len(s.Groups) == 0 && len(s.Sites) == 0
}

// Select returns the selected devices, sorted by name, each once. A name or
// glob that matches nothing is an error naming it (all such are listed); an
// empty selection, or one that selects no device, is ErrEmptySelection.
func (inv *Inventory) Select(sel Selection) ([]Device, error) {
	if sel.Empty() {
		return nil, ErrEmptySelection
	}
	picked := make([]bool, len(inv.Devices))
	var unmatched []string
	if sel.All {
		for i := range picked {
			picked[i] = true
		}
	}
	byDevice := make(map[string][]int, len(inv.Devices))
	byGroup := make(map[string][]int)
	bySite := make(map[string][]int)
	for i, d := range inv.Devices {
		byDevice[d.Name] = append(byDevice[d.Name], i)
		for _, g := range d.Groups {
			byGroup[g] = append(byGroup[g], i)
		}
		bySite[d.Site] = append(bySite[d.Site], i)
	}
	match := func(kind string, patterns, names []string, members map[string][]int) {
		for _, pat := range patterns {
			if _, err := path.Match(pat, ""); err != nil {
				unmatched = append(unmatched, fmt.Sprintf("%s %q is not a valid glob: %v", kind, pat, err))
				continue
			}
			found := false
			for _, name := range names {
				if ok, _ := path.Match(pat, name); ok {
					found = true
					for _, i := range members[name] {
						picked[i] = true
					}
				}
			}
			if !found {
				unmatched = append(unmatched, fmt.Sprintf("no %s matches %q", kind, pat))
			}
		}
	}
	match("device", sel.Devices, slices.Sorted(maps.Keys(byDevice)), byDevice)
	match("group", sel.Groups, slices.Sorted(maps.Keys(inv.Groups)), byGroup)
	match("site", sel.Sites, slices.Sorted(maps.Keys(inv.Sites)), bySite)
	if len(unmatched) > 0 {
		return nil, fmt.Errorf("inventory: %s", strings.Join(unmatched, "; "))
	}
	var out []Device
	for i, ok := range picked {
		if ok {
			out = append(out, inv.Devices[i])
		}
	}
	if len(out) == 0 {
		return nil, ErrEmptySelection
	}
	return out, nil
}
