// Package units reads the quantities operators type into netauto's config
// file, environment and flags: durations that may be counted in days or
// weeks (30d, 2w) and byte sizes with decimal or binary units (2GB, 1GiB).
// It also writes counts as the CLI and the console print them (Plural).
// One reading serves every place a quantity is typed, so `prune:
// {older_than: 30d, max_size: 2GB}` in config.yaml and `netauto prune
// --older-than 30d --max-size 2GB` mean the same.
//
// It imports nothing of netauto's, so that config (the config file's
// quantities), cli (the flags', and counts) and tui (counts) can all use it.
// The inventory, which by the house's import order imports nothing of ours,
// reads its timeouts as Go durations.
package units

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxDuration bounds a duration (about 270 years): far past any timeout or
// history age, and far from overflow.
const maxDuration = 100000 * 24 * time.Hour

// dayUnits are the suffixes a duration may be counted in beyond Go's.
var dayUnits = []struct {
	suffix string
	unit   time.Duration
}{
	{"d", 24 * time.Hour},
	{"w", 7 * 24 * time.Hour},
}

// ParseDuration reads a positive duration: a Go duration (90s, 5m, 1h30m)
// or a number of days or weeks (30d, 1.5d, 2w). Surrounding blanks are
// ignored.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for _, u := range dayUnits {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(n, 64)
			if err != nil || !(v*float64(u.unit) >= 1) || v*float64(u.unit) > float64(maxDuration) {
				return 0, badDuration(s)
			}
			return time.Duration(v * float64(u.unit)), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 || d > maxDuration {
		return 0, badDuration(s)
	}
	return d, nil
}

// badDuration is ParseDuration's error for s, built only when s is bad.
func badDuration(s string) error {
	return fmt.Errorf("bad duration %q: expected a positive duration such as 30s, 5m, 36h, 30d or 2w", s)
}

// sizeUnits are the size suffixes, lower case, longest first.
var sizeUnits = []struct {
	suffix string
	mult   float64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"t", 1 << 40},
	{"b", 1},
}

// ParseSize reads a positive size in bytes: a number with an optional unit,
// in any case: KB, MB, GB, TB (powers of 1000), KiB, MiB, GiB, TiB or
// K, M, G, T (powers of 1024), B. Examples: 2GB, 500MiB, 512M, 1.5GB, 1e9,
// "10 kb".
func ParseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := 1.0
	for _, u := range sizeUnits {
		if n, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || !(v*mult >= 1) || v*mult > 1<<62 {
		return 0, fmt.Errorf("bad size %q: expected a positive size such as 500MB, 2GB or 1GiB", strings.TrimSpace(s))
	}
	return int64(v * mult), nil
}
