package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"netauto/inventory"
)

const sample = `# team settings
inventory: hosts.ini
inventory_format: ansible-ini
database: ~/netauto/history.db
caps:
  global: 40
  sites: {chi1: 5, nyc2: 10}
timeouts:
  connect: 15s
  command: 10m
confirm_above: 50
prune: {older_than: 30d, max_size: 2GB}
theme: dark
`

func TestResolvePrecedence(t *testing.T) {
	f, err := Parse("/etc/team/config.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"NETAUTO_THEME":                   "light",
		"NET_AUTO_AUTOMATION_SITE_LIMITS": "nyc2=3",
		"NETAUTO_CONFIRM_ABOVE":           "",
	}
	s, err := Resolve(Input{
		Flags:  map[Key]string{Inventory: "cli.ini", Database: ""},
		Getenv: func(k string) string { return env[k] },
		File:   f,
	})
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[Key]Value{
		Inventory:       {"cli.ini", "flag --inventory"},
		InventoryFormat: {"ansible-ini", "/etc/team/config.yaml:3"},
		Database:        {"~/netauto/history.db", "/etc/team/config.yaml:4"},
		Theme:           {"light", "env NETAUTO_THEME"},
		SiteVar:         {"site", "default"},
		ConfirmAbove:    {"50", "/etc/team/config.yaml:11"},
		GlobalCap:       {"40", "/etc/team/config.yaml:6"},
		IdleTimeout:     {"", "default"},
	} {
		if got := s.Get(key); got != want {
			t.Errorf("%s = %+v, want %+v", key, got, want)
		}
	}
	if s.Duration(PruneOlderThan) != 30*24*time.Hour || s.Size(PruneMaxSize) != 2e9 || s.Duration(CommandTimeout) != 10*time.Minute {
		t.Errorf("prune %v %v, command %v", s.Duration(PruneOlderThan), s.Size(PruneMaxSize), s.Duration(CommandTimeout))
	}
	if g := s.FileCap(); g == nil || *g != 40 {
		t.Errorf("FileCap = %v", g)
	}
	if got := s.FileSiteCaps(); len(got) != 1 || got["chi1"] != 5 {
		t.Errorf("FileSiteCaps = %v (nyc2 comes from the environment)", got)
	}
	caps := s.SiteCaps()
	if len(caps) != 2 || caps[1].Site != "nyc2" || caps[1].Value != (Value{"3", "env NET_AUTO_AUTOMATION_SITE_LIMITS"}) {
		t.Errorf("SiteCaps = %+v", caps)
	}
}

func TestResolveRelativePathFromFile(t *testing.T) {
	f, err := Parse("/etc/team/config.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Resolve(Input{File: f})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.String(Inventory); got != "/etc/team/hosts.ini" {
		t.Errorf("inventory = %q", got)
	}
}

func TestResolveBadEnvAndFlag(t *testing.T) {
	_, err := Resolve(Input{Getenv: func(k string) string {
		if k == "NETAUTO_IDLE_TIMEOUT" {
			return "soon"
		}
		return ""
	}})
	if err == nil || !strings.HasPrefix(err.Error(), "NETAUTO_IDLE_TIMEOUT: bad duration") {
		t.Errorf("bad env: %v", err)
	}
	_, err = Resolve(Input{Flags: map[Key]string{InventoryFormat: "csv"}})
	if err == nil || !strings.HasPrefix(err.Error(), "--inventory-format: unknown inventory format") {
		t.Errorf("bad flag: %v", err)
	}
}

func TestParseProblems(t *testing.T) {
	src := `inventory: a.ini
timeouts:
  conect: 10s
  idle: forever
caps:
  sites: {chi1: -1}
theme: purple
colour: red
confirm_above: 0
`
	_, err := Parse("c.yaml", []byte(src))
	var p inventory.Problems
	if !errors.As(err, &p) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		`c.yaml:3: unknown key "conect" in timeouts (did you mean "connect"?)`,
		`c.yaml:4: timeouts.idle: bad duration "forever"`,
		`c.yaml:6: caps.sites.chi1: bad number "-1"`,
		`c.yaml:7: theme: unknown theme "purple"`,
		`c.yaml:8: unknown key "colour" in the top level`,
		`c.yaml:9: confirm_above: bad number "0": expected a whole number, 1 or more`,
	}
	if len(p) != len(want) {
		t.Fatalf("problems:\n%v", err)
	}
	for i, w := range want {
		if !strings.HasPrefix(p[i].Error(), w) {
			t.Errorf("problem %d = %q, want prefix %q", i, p[i], w)
		}
	}
	if _, err := Parse("c.yaml", []byte("inventory: [a\n")); err == nil || !strings.Contains(err.Error(), "c.yaml:") {
		t.Errorf("broken YAML: %v", err)
	}
}

func TestLoadMissing(t *testing.T) {
	dir := t.TempDir()
	f, err := Load(filepath.Join(dir, FileName), false)
	if err != nil || f.Path != "" {
		t.Errorf("default file missing: %+v, %v", f, err)
	}
	if _, err := Load(filepath.Join(dir, "named.yaml"), true); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("named file missing: %v", err)
	}
	p, explicit := FilePath("", func(k string) string { return map[string]string{PathEnv: "/x.yaml"}[k] }, dir)
	if p != "/x.yaml" || !explicit {
		t.Errorf("FilePath from env = %q %v", p, explicit)
	}
	if p, explicit := FilePath("", func(string) string { return "" }, dir); p != filepath.Join(dir, FileName) || explicit {
		t.Errorf("default FilePath = %q %v", p, explicit)
	}
}
