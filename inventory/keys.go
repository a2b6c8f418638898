package inventory

import (
	"fmt"
	"slices"
	"strings"
)

// entryKind says which section an entry comes from; it decides which keys
// the entry may hold.
type entryKind int

const (
	kindDefaults entryKind = iota
	kindGroup
	kindDevice
)

// settingKeys are the keys that defaults, groups and devices all accept.
var settingKeys = []string{
	"port", "username", "platform", "key_file", "password_env", "agent",
	"enable_password_env", "jump", "legacy_algorithms", "connect_timeout",
	"command_timeout", "idle_timeout", "prompt_pattern",
}

// topKeys are the sections of an inventory file.
var topKeys = []string{"defaults", "sites", "groups", "devices"}

// siteKeys are the keys of a sites entry.
var siteKeys = []string{"limit"}

// groupKeys and deviceKeys are the keys a group and a device accept, built
// once: allows runs for every key of every entry.
var (
	groupKeys  = append([]string{"site"}, settingKeys...)
	deviceKeys = append([]string{"host", "groups", "site"}, settingKeys...)
)

// keysFor returns the keys an entry of kind k accepts. Callers must not
// modify the result.
func keysFor(k entryKind) []string {
	switch k {
	case kindGroup:
		return groupKeys
	case kindDevice:
		return deviceKeys
	default:
		return settingKeys
	}
}

// allows reports whether an entry of kind k accepts key.
func (k entryKind) allows(key string) bool {
	return slices.Contains(keysFor(k), key)
}

// unknownKeyMsg explains an unknown key and suggests the closest valid one.
func unknownKeyMsg(key, where string, valid []string) string {
	msg := fmt.Sprintf("unknown key %q in %s", key, where)
	if s := closest(key, valid); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg + "; valid keys: " + strings.Join(valid, ", ")
}

// closest returns the candidate nearest to s in edit distance, or "" when
// none is near enough to be a plausible typo.
func closest(s string, candidates []string) string {
	const maxLen = 64
	if len(s) > maxLen {
		return ""
	}
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), c)
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(2, len([]rune(s))/3)
	if bestDist >= 0 && bestDist <= limit {
		return best
	}
	// "hostname" for "host", "key" for "key_file".
	lower := strings.ToLower(s)
	for _, c := range candidates {
		if min(len(c), len(lower)) >= 3 && (strings.HasPrefix(lower, c) || strings.HasPrefix(c, lower)) {
			return c
		}
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, with an
// adjacent transposition counted as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// platformList is the known platforms joined for messages.
func platformList() string {
	names := make([]string, len(Platforms))
	for i, p := range Platforms {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}
