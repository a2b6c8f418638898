package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	sshadapter "netauto/adapters/ssh"
	"netauto/inventory"
	"netauto/quota"
	"netauto/store"
)

// Settings says where netauto keeps its files and how it connects. The zero
// value of every field means "the default" (see DefaultInventoryPath,
// DefaultDBPath and DefaultKnownHostsPath).
type Settings struct {
	// InventoryPath is the inventory file (or Nornir directory, or
	// inventory.SSHConfigPath); "" means DefaultInventoryPath.
	InventoryPath string
	// InventoryFormat is the inventory's format; "" detects it.
	InventoryFormat inventory.Format
	// SiteVar names the Ansible or Nornir variable holding a host's site;
	// "" means inventory.DefaultSiteVar.
	SiteVar string
	// Inventory, when set, is used as already loaded instead of reading
	// InventoryPath again.
	Inventory *inventory.Inventory
	// DBPath is the history database; "" means DefaultDBPath.
	DBPath string
	// KnownHostsPath is netauto's own known_hosts file (read and written);
	// "" means DefaultKnownHostsPath.
	KnownHostsPath string
	// UserKnownHostsPath is the user's known_hosts file (read only); ""
	// means ~/.ssh/known_hosts.
	UserKnownHostsPath string
	// SSHConfigPath is the user's ssh config; "" means ~/.ssh/config.
	SSHConfigPath string
	// ConnectTimeout, CommandTimeout and IdleTimeout are the adapter's
	// defaults for devices that set none; 0 leaves the adapter's own.
	ConnectTimeout, CommandTimeout, IdleTimeout time.Duration
	// AcceptNewHostKeys records unknown host keys instead of refusing them
	// when Callbacks.HostKeys is nil. A changed key is refused regardless.
	AcceptNewHostKeys bool
	// Getenv looks up environment variables (quota caps, NETAUTO_INVENTORY,
	// XDG directories, password variables); nil means os.Getenv.
	Getenv func(string) string
	// Home is the user's home directory; "" means os.UserHomeDir.
	Home string
	// Logger receives quota and runner telemetry; nil means slog.Default().
	Logger *slog.Logger
	// Caps are the caps from the config file: over the inventory's site
	// limits, under the environment's caps.
	Caps Caps
	// ConfirmAbove is the device count above which a launch asks first;
	// 0 means DefaultConfirmAbove.
	ConfirmAbove int
	// Prune is the automatic prune policy from the config file.
	Prune PrunePolicy
	// Theme is the console's color theme: auto, dark, light or none; ""
	// means auto.
	Theme string
}

// DefaultConfirmAbove is the launch size above which netauto asks first.
const DefaultConfirmAbove = 20

// Caps are caps on concurrent runs set in the config file.
type Caps struct {
	// Global is the cap on all runs; nil means not set in the file.
	Global *int
	// Sites are caps per site, over the inventory's.
	Sites map[string]int
}

// PrunePolicy says when history is pruned automatically; zero values mean
// never. The store's pruning (netauto prune) applies it.
type PrunePolicy struct {
	// OlderThan prunes runs that finished longer ago than this.
	OlderThan time.Duration
	// MaxSize prunes the oldest runs while the history is larger than this
	// many bytes.
	MaxSize int64
}

// Callbacks are the parts of a stack that talk to the operator; the headless
// CLI and the console each supply their own.
type Callbacks struct {
	// Password supplies a password the environment does not; nil means
	// passwords come from the environment only.
	Password sshadapter.PasswordSource
	// HostKeys decides about unknown host keys; nil means refuse, or trust
	// always when Settings.AcceptNewHostKeys is set.
	HostKeys sshadapter.HostKeyDecider
}

// Stack is every long-lived part of netauto, opened together and closed
// together.
type Stack struct {
	// Settings are the settings the stack was opened with, defaults filled in.
	Settings Settings
	// Inventory is the loaded inventory.
	Inventory *inventory.Inventory
	// Limits are the caps in force: the inventory's site limits merged with
	// the environment's.
	Limits quota.Limits
	// Store is the history database.
	Store *store.Store
	// Quota admits runs under Limits.
	Quota *quota.Manager
	// Adapter reaches devices over SSH.
	Adapter *sshadapter.Adapter
	// Supervisor runs commands.
	Supervisor *Supervisor
}

// OpenStack resolves the settings' defaults, loads the inventory, reads the
// quota caps from the environment, opens the store and syncs the inventory
// into it, and builds the quota manager, the SSH adapter and the supervisor.
// Every error is one line that names what was wrong (the variable, the
// inventory file and line, the database path).
func OpenStack(ctx context.Context, s Settings, cb Callbacks) (*Stack, error) {
	s, err := s.WithDefaults()
	if err != nil {
		return nil, err
	}
	log := s.Logger
	env, err := quota.ParseEnv(s.Getenv)
	if err != nil {
		return nil, err
	}
	inv := s.Inventory
	if inv == nil {
		if inv, err = LoadInventory(s); err != nil {
			return nil, err
		}
	}
	limits := mergeCaps(inv.SiteLimits(), s.Caps, env)
	st, err := store.Open(s.DBPath, store.Options{})
	if err != nil {
		return nil, err // it names the database
	}
	if err := st.SyncInventory(ctx, inv); err != nil {
		st.Close()
		return nil, fmt.Errorf("history database %s: %w", s.DBPath, err)
	}
	if s.Prune.OlderThan > 0 || s.Prune.MaxSize > 0 {
		autoPrune(ctx, log, st, s.Prune)
	}
	ad, err := NewAdapter(s, cb)
	if err != nil {
		st.Close()
		return nil, err
	}
	q := quota.New(limits, quota.WithHook(func(e quota.Event) {
		log.Debug("quota "+string(e.Kind), "site", e.Site, "run_id", e.Meta.RunID,
			"global_active", e.GlobalActive, "site_active", e.SiteActive)
	}))
	sup := New(Config{
		Store:   st,
		Quota:   q,
		Adapter: ad,
		Hook:    func(t Telemetry) { logTelemetry(log, t) },
	})
	s.Inventory = inv
	return &Stack{
		Settings:   s,
		Inventory:  inv,
		Limits:     limits,
		Store:      st,
		Quota:      q,
		Adapter:    ad,
		Supervisor: sup,
	}, nil
}

// NewAdapter builds the SSH adapter for s (defaults already filled in by
// WithDefaults) and the operator callbacks cb.
func NewAdapter(s Settings, cb Callbacks) (*sshadapter.Adapter, error) {
	hostKeys := cb.HostKeys
	if hostKeys == nil {
		hostKeys = HeadlessHostKeys(s.AcceptNewHostKeys)
	}
	return sshadapter.New(sshadapter.Config{
		KnownHostsFile: s.KnownHostsPath,
		UserKnownHosts: s.UserKnownHostsPath,
		SSHConfigFile:  s.SSHConfigPath,
		Home:           s.Home,
		Getenv:         s.Getenv,
		ConnectTimeout: s.ConnectTimeout,
		CommandTimeout: s.CommandTimeout,
		IdleTimeout:    s.IdleTimeout,
		HostKeys:       hostKeys,
		Password:       cb.Password,
	})
}

// LoadInventory loads the inventory that s names (defaults already filled
// in by WithDefaults), in any format inventory.Open reads; a missing file
// is an error that says how to name another one.
func LoadInventory(s Settings) (*inventory.Inventory, error) {
	inv, err := inventory.Open(s.InventoryPath, inventory.Options{
		Format:    s.InventoryFormat,
		SiteVar:   s.SiteVar,
		SSHConfig: s.SSHConfigPath,
		Home:      s.Home,
	})
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("inventory %s not found (use --inventory FILE or set NETAUTO_INVENTORY)", s.InventoryPath)
	}
	return inv, err
}

// mergeCaps layers the caps: the inventory's site limits, then the config
// file's caps, then the environment's (quota.Merge).
func mergeCaps(inventorySites map[string]int, file Caps, env quota.EnvConfig) quota.Limits {
	sites := make(map[string]int, len(inventorySites)+len(file.Sites))
	for site, n := range inventorySites {
		sites[site] = n
	}
	for site, n := range file.Sites {
		sites[site] = n
	}
	if env.Global == nil && file.Global != nil {
		env.Global = file.Global
	}
	return quota.Merge(sites, env)
}

// Close cancels every run still going, waits for them (bounded by ctx), and
// closes the store, which commits the output already handed to it.
func (st *Stack) Close(ctx context.Context) error {
	errShutdown := st.Supervisor.Shutdown(ctx)
	errClose := st.Store.Close()
	return errors.Join(errShutdown, errClose)
}

// WithDefaults returns s with every unset field given its default.
func (s Settings) WithDefaults() (Settings, error) {
	if s.Getenv == nil {
		s.Getenv = os.Getenv
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.Home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return s, fmt.Errorf("cannot find the home directory: %w", err)
		}
		s.Home = h
	}
	if s.InventoryPath == "" {
		s.InventoryPath = DefaultInventoryPath(s.Getenv, s.Home)
	}
	if s.ConfirmAbove == 0 {
		s.ConfirmAbove = DefaultConfirmAbove
	}
	if s.DBPath == "" {
		s.DBPath = DefaultDBPath(s.Getenv, s.Home)
	}
	if s.KnownHostsPath == "" {
		s.KnownHostsPath = DefaultKnownHostsPath(s.Getenv, s.Home)
	}
	if s.UserKnownHostsPath == "" {
		s.UserKnownHostsPath = filepath.Join(s.Home, ".ssh", "known_hosts")
	}
	if s.SSHConfigPath == "" {
		s.SSHConfigPath = filepath.Join(s.Home, ".ssh", "config")
	}
	if s.InventoryPath != inventory.SSHConfigPath {
		s.InventoryPath = inventory.ExpandHome(s.InventoryPath, s.Home)
	}
	s.DBPath = inventory.ExpandHome(s.DBPath, s.Home)
	s.KnownHostsPath = inventory.ExpandHome(s.KnownHostsPath, s.Home)
	s.UserKnownHostsPath = inventory.ExpandHome(s.UserKnownHostsPath, s.Home)
	s.SSHConfigPath = inventory.ExpandHome(s.SSHConfigPath, s.Home)
	return s, nil
}

// ConfigDir is netauto's configuration directory:
// $XDG_CONFIG_HOME/netauto, else ~/.config/netauto.
func ConfigDir(getenv func(string) string, home string) string {
	if d := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "netauto")
	}
	return filepath.Join(home, ".config", "netauto")
}

// StateDir is netauto's state directory (history, log):
// $XDG_STATE_HOME/netauto, else ~/.local/state/netauto.
func StateDir(getenv func(string) string, home string) string {
	if d := getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "netauto")
	}
	return filepath.Join(home, ".local", "state", "netauto")
}

// DefaultInventoryPath is $NETAUTO_INVENTORY, else inventory.yaml in ConfigDir.
func DefaultInventoryPath(getenv func(string) string, home string) string {
	if p := getenv("NETAUTO_INVENTORY"); p != "" {
		return p
	}
	return filepath.Join(ConfigDir(getenv, home), "inventory.yaml")
}

// DefaultDBPath is history.db in StateDir.
func DefaultDBPath(getenv func(string) string, home string) string {
	return filepath.Join(StateDir(getenv, home), "history.db")
}

// DefaultKnownHostsPath is known_hosts in ConfigDir.
func DefaultKnownHostsPath(getenv func(string) string, home string) string {
	return filepath.Join(ConfigDir(getenv, home), "known_hosts")
}

// HeadlessHostKeys is the host-key decider for runs nobody watches: unknown
// keys are refused, or trusted always (recorded in netauto's known_hosts)
// when acceptNew is set.
func HeadlessHostKeys(acceptNew bool) sshadapter.HostKeyDecider {
	return func(ctx context.Context, q sshadapter.HostKeyQuestion) (sshadapter.Decision, error) {
		if acceptNew {
			return sshadapter.TrustAlways, nil
		}
		return sshadapter.Refuse, nil
	}
}

// logTelemetry writes a run start/stop event to the log.
func logTelemetry(log *slog.Logger, t Telemetry) {
	attrs := []any{"run_id", t.RunID, "device", t.Device, "site", t.Site, "batch_id", t.BatchID}
	if t.Kind == TelemetryStop {
		attrs = append(attrs, "status", t.Status, "reason", t.Reason, "bytes", t.Bytes,
			"duration", t.Duration, "queued", t.Queued)
		if t.StoreErr != nil {
			attrs = append(attrs, "store_error", t.StoreErr.Error())
		}
	}
	log.Info("run "+string(t.Kind), attrs...)
}

// autoPrune applies the config file's prune policy when the stack opens
// and logs what it removed; a failure is logged and does not stop the
// start.
func autoPrune(ctx context.Context, log *slog.Logger, st *store.Store, p PrunePolicy) {
	res, err := st.Prune(ctx, store.PruneOptions{OlderThan: p.OlderThan, MaxSize: p.MaxSize})
	if err != nil {
		log.Warn("history prune at start failed", "error", err.Error())
		return
	}
	log.Info("history pruned at start", "runs", res.Runs, "output_bytes", res.Bytes,
		"size_before", res.SizeBefore, "size_after", res.SizeAfter)
}
