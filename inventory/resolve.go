package inventory

import (
	"fmt"
	"sort"
)

// orElse returns s with every unset value taken from fallback.
func (s Settings) orElse(fallback Settings) Settings {
	if s.Port == 0 {
		s.Port = fallback.Port
	}
	if s.Username == "" {
		s.Username = fallback.Username
	}
	if s.Platform == "" {
		s.Platform = fallback.Platform
	}
	if s.KeyFile == "" {
		s.KeyFile = fallback.KeyFile
	}
	if s.PasswordEnv == "" {
		s.PasswordEnv = fallback.PasswordEnv
	}
	if s.Agent == nil {
		s.Agent = fallback.Agent
	}
	if s.EnablePasswordEnv == "" {
		s.EnablePasswordEnv = fallback.EnablePasswordEnv
	}
	if s.Jump == "" {
		s.Jump = fallback.Jump
	}
	if s.LegacyAlgorithms == nil {
		s.LegacyAlgorithms = fallback.LegacyAlgorithms
	}
	if s.ConnectTimeout == 0 {
		s.ConnectTimeout = fallback.ConnectTimeout
	}
	if s.CommandTimeout == 0 {
		s.CommandTimeout = fallback.CommandTimeout
	}
	if s.IdleTimeout == 0 {
		s.IdleTimeout = fallback.IdleTimeout
	}
	if s.PromptPattern == "" {
		s.PromptPattern = fallback.PromptPattern
	}
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
