package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"netauto/inventory"
	"netauto/units"
)

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
		if _, err := units.ParseDuration(v); err != nil {
			return "", err
		}
	case kindSize:
		if _, err := units.ParseSize(v); err != nil {
			return "", err
		}
	case kindTheme:
		if !slices.Contains(themes, v) {
			return "", fmt.Errorf("unknown theme %q: expected one of %s", v, strings.Join(themes, ", "))
		}
	}
	return v, nil
}
