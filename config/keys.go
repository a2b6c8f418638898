package config

// Key names one setting, as written in config.yaml (nested keys joined
// with dots) and shown by `netauto config show`.
type Key string

// The settings.
const (
	Inventory       Key = "inventory"
	InventoryFormat Key = "inventory_format"
	SiteVar         Key = "site_var"
	Database        Key = "database"
	KnownHosts      Key = "known_hosts"
	SSHConfig       Key = "ssh_config"
	GlobalCap       Key = "caps.global"
	SiteCaps        Key = "caps.sites"
	ConnectTimeout  Key = "timeouts.connect"
	CommandTimeout  Key = "timeouts.command"
	IdleTimeout     Key = "timeouts.idle"
	ConfirmAbove    Key = "confirm_above"
	PruneOlderThan  Key = "prune.older_than"
	PruneMaxSize    Key = "prune.max_size"
	Theme           Key = "theme"
)

// kind is how a setting's value is written.
type kind int

const (
	kindPath     kind = iota // a file path; ~/ allowed
	kindWord                 // a name without spaces
	kindFormat               // an inventory format name
	kindCount                // a whole number, 0 or more
	kindPositive             // a whole number, 1 or more
	kindDuration             // 30s, 5m, 12h, 30d, 2w
	kindSize                 // 500MB, 2GB, 1GiB
	kindTheme                // auto, dark, light, none
	kindSiteCaps             // a mapping of site names to caps
)

// spec describes one setting: its key, the variable and flag that may set
// it, its kind, its built-in default ("" for none, or a default computed
// elsewhere: the paths) and what it is.
type spec struct {
	key  Key
	env  string
	flag string
	kind kind
	def  string
	doc  string
}

// specs lists every setting in the order config show prints them.
var specs = []spec{
	{Inventory, "NETAUTO_INVENTORY", "--inventory", kindPath, "", "inventory file, Nornir directory, or ssh-config"},
	{InventoryFormat, "NETAUTO_INVENTORY_FORMAT", "--inventory-format", kindFormat, "auto", "inventory format"},
	{SiteVar, "NETAUTO_SITE_VAR", "--site-var", kindWord, "site", "Ansible/Nornir variable naming a host's site"},
	{Database, "NETAUTO_DB", "--db", kindPath, "", "history database"},
	{KnownHosts, "NETAUTO_KNOWN_HOSTS", "--known-hosts", kindPath, "", "netauto's own known_hosts"},
	{SSHConfig, "NETAUTO_SSH_CONFIG", "", kindPath, "", "ssh client config"},
	{GlobalCap, "NET_AUTO_AUTOMATION_GLOBAL_LIMIT", "", kindCount, "50", "cap on runs at once"},
	{SiteCaps, "NET_AUTO_AUTOMATION_SITE_LIMITS", "", kindSiteCaps, "", "caps per site (over the inventory's)"},
	{ConnectTimeout, "NETAUTO_CONNECT_TIMEOUT", "", kindDuration, "", "TCP connect + SSH handshake"},
	{CommandTimeout, "NETAUTO_COMMAND_TIMEOUT", "", kindDuration, "", "a whole run"},
	{IdleTimeout, "NETAUTO_IDLE_TIMEOUT", "", kindDuration, "", "a silence in the output"},
	{ConfirmAbove, "NETAUTO_CONFIRM_ABOVE", "", kindPositive, "20", "a launch on more devices asks first"},
	{PruneOlderThan, "NETAUTO_PRUNE_OLDER_THAN", "", kindDuration, "", "automatic prune: runs older than this"},
	{PruneMaxSize, "NETAUTO_PRUNE_MAX_SIZE", "", kindSize, "", "automatic prune: history above this size"},
	{Theme, "NETAUTO_THEME", "", kindTheme, "auto", "console colors: auto, dark, light or none"},
}

// specFor returns the spec of key.
func specFor(key Key) (spec, bool) {
	for _, s := range specs {
		if s.key == key {
			return s, true
		}
	}
	return spec{}, false
}

// Keys returns every setting's key, in config show order.
func Keys() []Key {
	out := make([]Key, len(specs))
	for i, s := range specs {
		out[i] = s.key
	}
	return out
}

// Env returns the environment variable that sets key ("" for none).
func Env(key Key) string {
	s, _ := specFor(key)
	return s.env
}

// Doc says what key is, in a few words.
func Doc(key Key) string {
	s, _ := specFor(key)
	return s.doc
}
