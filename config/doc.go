// Package config reads netauto's config file (config.yaml in the user's
// config directory, or the file --config names) and layers the settings it
// holds under the command line and the environment: flags win over the
// environment, which wins over the file, which wins over the built-in
// defaults. Every value in force remembers where it came from, for
// `netauto config show`.
//
// The package sits beside inventory at the bottom of the import order: it
// imports inventory and quota (to check format names and parse the cap
// variables) and units (durations and sizes, read as store and `netauto
// prune` read them) and nothing else of netauto's; cli turns its result into
// runner.Settings, for the headless commands and the console alike.
package config
