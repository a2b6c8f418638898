package quota

// DefaultGlobalLimit is the global cap when neither the environment nor the
// caller sets one.
const DefaultGlobalLimit = 50

// Limits are the caps a Manager enforces.
type Limits struct {
	// Global caps the runs active at once across all sites. 0 refuses
	// everything; a negative value means no global cap.
	Global int
	// Sites caps the runs active at once per site. A site not in the map is
	// bounded only by Global; a cap of 0 refuses every run on that site;
	// negative values are treated as no cap.
	Sites map[string]int
}

// DefaultLimits returns a global cap of DefaultGlobalLimit and no site caps.
func DefaultLimits() Limits {
	return Limits{Global: DefaultGlobalLimit, Sites: map[string]int{}}
}

// Merge combines the site caps written in the inventory file with the
// environment's configuration: a site named in the environment takes the
// environment's cap, the others keep the file's; the global cap is the
// environment's when set, else DefaultGlobalLimit. Neither input is modified.
func Merge(fileSites map[string]int, env EnvConfig) Limits {
	l := Limits{Global: DefaultGlobalLimit, Sites: make(map[string]int, len(fileSites)+len(env.Sites))}
	if env.Global != nil {
		l.Global = *env.Global
	}
	for site, n := range fileSites {
		l.Sites[site] = n
	}
	for site, n := range env.Sites {
		l.Sites[site] = n
	}
	return l
}
