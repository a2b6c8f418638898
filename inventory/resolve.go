package inventory

import (
	"cmp"
	"fmt"
	"sort"
)

// orElse returns s with every unset (zero) value taken from fallback.
func (s Settings) orElse(fallback Settings) Settings {
	s.Port = cmp.Or(s.Port, fallback.Port)
	s.Username = cmp.Or(s.Username, fallback.Username)
	s.Platform = cmp.Or(s.Platform, fallback.Platform)
	s.KeyFile = cmp.Or(s.KeyFile, fallback.KeyFile)
	s.PasswordEnv = cmp.Or(s.PasswordEnv, fallback.PasswordEnv)
	s.Agent = cmp.Or(s.Agent, fallback.Agent)
	s.EnablePasswordEnv = cmp.Or(s.EnablePasswordEnv, fallback.EnablePasswordEnv)
	s.Jump = cmp.Or(s.Jump, fallback.Jump)
	s.LegacyAlgorithms = cmp.Or(s.LegacyAlgorithms, fallback.LegacyAlgorithms)
	s.ConnectTimeout = cmp.Or(s.ConnectTimeout, fallback.ConnectTimeout)
	s.CommandTimeout = cmp.Or(s.CommandTimeout, fallback.CommandTimeout)
	s.IdleTimeout = cmp.Or(s.IdleTimeout, fallback.IdleTimeout)
	s.PromptPattern = cmp.Or(s.PromptPattern, fallback.PromptPattern)
	return s
}

// inherit resolves own against the named groups (in order) and defaults,
// and returns the settings and the site (own site, else the first group's
// that has one). Unknown groups are skipped.
func inherit(own Settings, ownSite string, groups []string, inv *Inventory) (Settings, string) {
	s, site := own, ownSite
	for _, name := range groups {
		g, ok := inv.Groups[name]
		if !ok {
			continue
		}
		s = s.orElse(g.Settings)
		if site == "" {
			site = g.Site
		}
	}
	return s.orElse(inv.Defaults), site
}

// device builds a Device from resolved settings.
func device(name, host, site string, groups []string, s Settings) Device {
	return Device{
		Name:              name,
		Host:              host,
		Port:              s.Port,
		Username:          s.Username,
		Platform:          s.Platform,
		Groups:            groups,
		Site:              site,
		KeyFile:           s.KeyFile,
		PasswordEnv:       s.PasswordEnv,
		Agent:             s.Agent != nil && *s.Agent,
		EnablePasswordEnv: s.EnablePasswordEnv,
		Jump:              s.Jump,
		LegacyAlgorithms:  s.LegacyAlgorithms != nil && *s.LegacyAlgorithms,
		ConnectTimeout:    s.ConnectTimeout,
		CommandTimeout:    s.CommandTimeout,
		IdleTimeout:       s.IdleTimeout,
		PromptPattern:     s.PromptPattern,
	}
}

// resolve checks a device entry against the groups and defaults and builds
// its Device; ok is false when the entry has a problem (recorded on p).
func (p *parser) resolve(inv *Inventory, e *entry) (Device, bool) {
	ok := true
	if e.host == "" {
		if !e.given["host"] { // a host given but invalid was reported already
			p.errf(e.key, "%s: missing host: every device needs host (an address or DNS name)", e.ctx)
		}
		ok = false
	}
	var names []string
	seen := make(map[string]bool)
	for _, g := range e.groups {
		if _, known := inv.Groups[g.Value]; !known {
			p.errf(g, "%s: unknown group %q%s", e.ctx, g.Value, groupHint(g.Value, inv))
			ok = false
			continue
		}
		if seen[g.Value] {
			p.errf(g, "%s: group %q is listed twice", e.ctx, g.Value)
			ok = false
			continue
		}
		seen[g.Value] = true
		names = append(names, g.Value)
	}
	s, site := inherit(e.Settings, e.site, names, inv)
	switch {
	case s.Platform == "" && !p.givenFor(e, names, "platform"):
		p.errf(e.key, "%s: no platform: set platform on the device, one of its groups or defaults (one of %s)", e.ctx, platformList())
		ok = false
	case s.Platform == "":
		ok = false // an invalid platform was reported already
	case s.Platform == PlatformGeneric && s.PromptPattern == "" && !p.givenFor(e, names, "prompt_pattern"):
		p.errf(e.key, "%s: platform generic needs prompt_pattern (a regular expression matching the prompt)", e.ctx)
		ok = false
	}
	return device(e.key.Value, e.host, site, names, s), ok
}

// givenFor reports whether the device entry, one of its groups or the
// defaults has key, valid or not.
func (p *parser) givenFor(e *entry, groups []string, key string) bool {
	if e.given[key] || p.defaults.given[key] {
		return true
	}
	for _, g := range groups {
		if p.groups[g].given[key] {
			return true
		}
	}
	return false
}

// groupHint suggests a defined group near name, or lists the groups.
func groupHint(name string, inv *Inventory) string {
	defined := make([]string, 0, len(inv.Groups))
	for g := range inv.Groups {
		defined = append(defined, g)
	}
	sort.Strings(defined)
	if len(defined) == 0 {
		return ": no groups are defined (add it under groups:)"
	}
	if c := closest(name, defined); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ": defined groups are " + quoteAll(defined)
}
