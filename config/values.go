package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"netauto/inventory"
)

// ParseDuration reads a duration: a Go duration (90s, 5m, 1h30m) or a
// whole number of days or weeks (30d, 2w). It must be positive.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v <= 0 || v > 100000 {
				return 0, fmt.Errorf("bad duration %q: expected a whole number of %s, such as 30%s", s, map[string]string{"d": "days", "w": "weeks"}[suffix], suffix)
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad duration %q: expected a positive duration such as 30s, 5m, 12h or 30d", s)
	}
	return d, nil
}

// sizeUnits are the size suffixes, longest first.
var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}, {"B", 1},
}

// ParseSize reads a size in bytes: 500MB, 2GB (powers of 1000), 1GiB,
// 512M (powers of 1024), or a plain number of bytes. It must be positive.
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	num, mult := s, int64(1)
	for _, u := range sizeUnits {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			num, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v <= 0 || v*float64(mult) > 1<<62 {
		return 0, fmt.Errorf("bad size %q: expected a positive size such as 500MB, 2GB or 1GiB", s)
	}
	return int64(v * float64(mult)), nil
}

// themes are the console color themes.
var themes = []string{"auto", "dark", "light", "none"}

// check validates a value for kind k and returns it normalized.
func check(k kind, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", fmt.Errorf("expected a value")
	}
	switch k {
	case kindWord:
		if strings.IndexFunc(v, unicode.IsSpace) >= 0 {
			return "", fmt.Errorf("%q must not contain spaces", v)
		}
	case kindFormat:
		if _, err := inventory.ParseFormat(v); err != nil {
			return "", err
		}
	case kindCount:
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return "", fmt.Errorf("bad number %q: expected a whole number, 0 or more", v)
		}
	case kindPositive:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return "", fmt.Errorf("bad number %q: expected a whole number, 1 or more", v)
		}
	case kindDuration:
		if _, err := ParseDuration(v); err != nil {
			return "", err
		}
	case kindSize:
		if _, err := ParseSize(v); err != nil {
			return "", err
		}
	case kindTheme:
		if !contains(themes, v) {
			return "", fmt.Errorf("unknown theme %q: expected one of %s", v, strings.Join(themes, ", "))
		}
	}
	return v, nil
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
