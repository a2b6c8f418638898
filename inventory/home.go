package inventory

import (
	"path/filepath"
	"strings"
)

// ExpandHome replaces a leading "~" or "~/" in path with home. Other paths,
// "~user" forms, and any path when home is "" are returned unchanged. The
// inventory keeps Device.KeyFile as written; the ssh adapter calls ExpandHome
// with the user's home directory before reading the key.
func ExpandHome(path, home string) string {
	if home == "" {
		return path
	}
	if path == "~" {
		return home
	}
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		return filepath.Join(home, rest)
	}
	return path
}
