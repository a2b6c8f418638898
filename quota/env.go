package quota

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Environment variables read by ParseEnv.
const (
	EnvGlobalLimit = "NET_AUTO_AUTOMATION_GLOBAL_LIMIT"
	EnvSiteLimits  = "NET_AUTO_AUTOMATION_SITE_LIMITS"
)

// Accepted forms, quoted in every EnvError.
const (
	globalForms = "a whole number >= 0, e.g. " + EnvGlobalLimit + "=50"
	sitesForms  = `JSON {"chi1":5,"nyc2":10} or CSV chi1=5,nyc2=10, caps whole numbers >= 0`
)

// EnvConfig is the quota configuration found in the environment.
type EnvConfig struct {
	// Global is the global cap, nil when the variable is unset or empty.
	Global *int
	// Sites are the site caps, nil when the variable is unset or empty.
	Sites map[string]int
}

// EnvError is a malformed quota environment variable. Its text names the
// variable, the bad part and the accepted forms, e.g.
//
//	NET_AUTO_AUTOMATION_SITE_LIMITS: "chi1=x": cap "x" is not a whole number (accepted forms: JSON {"chi1":5,"nyc2":10} or CSV chi1=5,nyc2=10, caps whole numbers >= 0)
type EnvError struct {
	// Var is the variable's name.
	Var string
	// Part is the offending part of its value (the whole value when the
	// fault is not in one entry).
	Part string
	// Reason says what is wrong with Part.
	Reason string
}

// Error returns "VAR: "part": reason (accepted forms: ...)".
func (e *EnvError) Error() string {
	forms := sitesForms
	if e.Var == EnvGlobalLimit {
		forms = globalForms
	}
	return fmt.Sprintf("%s: %q: %s (accepted forms: %s)", e.Var, e.Part, e.Reason, forms)
}

// ParseEnv reads NET_AUTO_AUTOMATION_GLOBAL_LIMIT (a whole number >= 0) and
// NET_AUTO_AUTOMATION_SITE_LIMITS (JSON {"chi1":5,"nyc2":10} or CSV
// chi1=5,nyc2=10) through getenv, typically os.Getenv. Surrounding
// whitespace is ignored everywhere; an empty value counts as unset. A
// malformed value is an *EnvError, never ignored: a non-integer or negative
// cap, an empty site name, a site named twice, an empty CSV entry, invalid
// JSON or trailing data.
func ParseEnv(getenv func(string) string) (EnvConfig, error) {
	var cfg EnvConfig
	if v := strings.TrimSpace(getenv(EnvGlobalLimit)); v != "" {
		n, reason := parseCap(v)
		if reason != "" {
			return EnvConfig{}, &EnvError{Var: EnvGlobalLimit, Part: v, Reason: reason}
		}
		cfg.Global = &n
	}
	if v := strings.TrimSpace(getenv(EnvSiteLimits)); v != "" {
		var err error
		if strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") {
			cfg.Sites, err = parseSitesJSON(v)
		} else {
			cfg.Sites, err = parseSitesCSV(v)
		}
		if err != nil {
			return EnvConfig{}, err
		}
	}
	return cfg, nil
}

// parseCap parses one cap; a non-empty reason says why it is not one.
func parseCap(s string) (int, string) {
	n, err := strconv.Atoi(s)
	switch {
	case s == "":
		return 0, "the cap is missing"
	case errors.Is(err, strconv.ErrRange):
		return 0, fmt.Sprintf("cap %q is too large", s)
	case err != nil:
		return 0, fmt.Sprintf("cap %q is not a whole number", s)
	case n < 0:
		return 0, fmt.Sprintf("cap %q is negative", s)
	}
	return n, ""
}

// siteError is an EnvError of NET_AUTO_AUTOMATION_SITE_LIMITS.
func siteError(part, reason string) error {
	return &EnvError{Var: EnvSiteLimits, Part: part, Reason: reason}
}

// addSite records one site cap, refusing empty and repeated names.
func addSite(sites map[string]int, part, name string, n int) error {
	if name == "" {
		return siteError(part, "empty site name")
	}
	if _, dup := sites[name]; dup {
		return siteError(part, fmt.Sprintf("site %q is named twice", name))
	}
	sites[name] = n
	return nil
}

// parseSitesCSV parses chi1=5,nyc2=10.
func parseSitesCSV(v string) (map[string]int, error) {
	sites := map[string]int{}
	for entry := range strings.SplitSeq(v, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			return nil, siteError(v, "empty entry (two commas in a row, or one at an end)")
		}
		name, value, ok := strings.Cut(entry, "=")
		if !ok {
			return nil, siteError(entry, `no "=" between site and cap`)
		}
		n, reason := parseCap(strings.TrimSpace(value))
		if reason != "" {
			return nil, siteError(entry, reason)
		}
		if err := addSite(sites, entry, strings.TrimSpace(name), n); err != nil {
			return nil, err
		}
	}
	return sites, nil
}

// parseSitesJSON parses {"chi1":5,"nyc2":10}, token by token so that a
// repeated site is seen and a cap must be an integer literal.
func parseSitesJSON(v string) (map[string]int, error) {
	dec := json.NewDecoder(strings.NewReader(v))
	dec.UseNumber()
	syntax := func(err error) error {
		if err == io.EOF {
			return siteError(v, "not valid JSON: unexpected end")
		}
		return siteError(v, "not valid JSON: "+err.Error())
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, syntax(err)
	}
	if tok != json.Delim('{') {
		return nil, siteError(v, "JSON must be an object of site names to caps")
	}
	sites := map[string]int{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntax(err)
		}
		name := strings.TrimSpace(tok.(string)) // object keys are always strings
		val, err := dec.Token()
		if err != nil {
			return nil, syntax(err)
		}
		num, ok := val.(json.Number)
		part := fmt.Sprintf("%q:%v", name, val)
		if !ok {
			return nil, siteError(part, fmt.Sprintf("cap of %q is not a number", name))
		}
		n, reason := parseCap(num.String())
		if reason != "" {
			return nil, siteError(part, reason)
		}
		if err := addSite(sites, part, name, n); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, syntax(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, siteError(v, "unexpected data after the JSON object")
	}
	return sites, nil
}
