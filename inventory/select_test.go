package inventory

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

const selectInv = `defaults: {platform: ios}
sites:
  chi1: {limit: 5}
  empty-site: {}
groups:
  core: {site: chi1}
  edge: {site: nyc2}
  spare: {}
devices:
  chi1-core-1: {host: a, groups: [core]}
  chi1-core-2: {host: b, groups: [core]}
  chi1-edge-1: {host: c, groups: [edge], site: chi1}
  nyc2-edge-1: {host: d, groups: [edge]}
  lab-box: {host: e, site: lab}
`

func names(ds []Device) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Name)
	}
	return out
}

func TestSelect(t *testing.T) {
	inv := mustParse(t, selectInv)
	cases := []struct {
		name string
		sel  Selection
		want []string
	}{
		{"all", Selection{All: true}, []string{"chi1-core-1", "chi1-core-2", "chi1-edge-1", "lab-box", "nyc2-edge-1"}},
		{"one device", Selection{Devices: []string{"lab-box"}}, []string{"lab-box"}},
		{"device glob", Selection{Devices: []string{"chi1-*"}}, []string{"chi1-core-1", "chi1-core-2", "chi1-edge-1"}},
		{"group", Selection{Groups: []string{"edge"}}, []string{"chi1-edge-1", "nyc2-edge-1"}},
		{"site uses own site first", Selection{Sites: []string{"chi1"}}, []string{"chi1-core-1", "chi1-core-2", "chi1-edge-1"}},
		{"site glob", Selection{Sites: []string{"l?b"}}, []string{"lab-box"}},
		{"union without duplicates", Selection{Devices: []string{"lab-box", "chi1-core-1"}, Groups: []string{"core"}, Sites: []string{"nyc2"}},
			[]string{"chi1-core-1", "chi1-core-2", "lab-box", "nyc2-edge-1"}},
		{"all plus names", Selection{All: true, Devices: []string{"lab-box"}}, []string{"chi1-core-1", "chi1-core-2", "chi1-edge-1", "lab-box", "nyc2-edge-1"}},
	}
	for _, tc := range cases {
		got, err := inv.Select(tc.sel)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(names(got), tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, names(got), tc.want)
		}
	}
}

func TestSelectErrors(t *testing.T) {
	inv := mustParse(t, selectInv)
	if _, err := inv.Select(Selection{}); !errors.Is(err, ErrEmptySelection) {
		t.Errorf("empty selection: %v", err)
	}
	// A group or site that exists but holds no device selects nothing.
	if _, err := inv.Select(Selection{Groups: []string{"spare"}, Sites: []string{"empty-site"}}); !errors.Is(err, ErrEmptySelection) {
		t.Errorf("selection of nothing: %v", err)
	}
	_, err := inv.Select(Selection{Devices: []string{"lab-box", "nyc9-*"}, Groups: []string{"cor"}, Sites: []string{"[bad"}})
	if err == nil {
		t.Fatal("unmatched names selected")
	}
	for _, want := range []string{`no device matches "nyc9-*"`, `no group matches "cor"`, `site "[bad" is not a valid glob`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	empty := mustParse(t, "")
	if _, err := empty.Select(Selection{All: true}); !errors.Is(err, ErrEmptySelection) {
		t.Errorf("all of empty inventory: %v", err)
	}
}
