package inventory

import (
	"os"
	"path/filepath"
	"testing"
)

// checkOpened checks what every parser promises: an error comes alone and
// lists located problems; an inventory has sorted, unique devices, each
// with a host, a known platform and its sources.
func checkOpened(t *testing.T, inv *Inventory, err error) {
	t.Helper()
	if err != nil {
		if inv != nil {
			t.Fatal("inventory returned with an error")
		}
		if p, ok := err.(Problems); ok {
			for _, e := range p {
				if e.File == "" || e.Msg == "" {
					t.Fatalf("problem without file or message: %+v", e)
				}
			}
		}
		return
	}
	for i, d := range inv.Devices {
		if d.Host == "" || !d.Platform.Known() || d.Platform == PlatformGeneric {
			t.Fatalf("device %+v lacks host or usable platform", d)
		}
		if i > 0 && inv.Devices[i-1].Name >= d.Name {
			t.Fatalf("devices not sorted and unique: %q, %q", inv.Devices[i-1].Name, d.Name)
		}
		if _, ok := inv.Sources[d.Name]; !ok {
			t.Fatalf("device %q has no sources", d.Name)
		}
		if d.Site != "" {
			if _, ok := inv.Sites[d.Site]; !ok {
				t.Fatalf("device %q site %q not in Sites", d.Name, d.Site)
			}
		}
	}
}

// seedFile adds a testdata file to the corpus.
func seedFile(f *testing.F, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
}

// FuzzAnsibleINI checks that the INI parser never panics and keeps its
// promises (checkOpened).
func FuzzAnsibleINI(f *testing.F) {
	seedFile(f, filepath.Join("testdata", "ansible-ini", "hosts.ini"))
	seedFile(f, filepath.Join("testdata", "bad", "hosts.ini"))
	f.Add([]byte("r[1:3]:22 ansible_network_os=eos site='a b'\n[g:children]\ng\n"))
	dir := f.TempDir() // no group_vars here
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := parseAnsible(filepath.Join(dir, "hosts"), data, Options{SiteVar: DefaultSiteVar, Home: dir}, false)
		checkOpened(t, inv, err)
	})
}

// FuzzAnsibleYAML checks the Ansible YAML parser the same way.
func FuzzAnsibleYAML(f *testing.F) {
	seedFile(f, filepath.Join("testdata", "ansible-yaml", "inventory.yml"))
	seedFile(f, filepath.Join("testdata", "bad", "inventory.yml"))
	f.Add([]byte("all:\n  children:\n    a:\n      children:\n        b:\n          children:\n            a:\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := parseAnsible(filepath.Join(dir, "hosts.yml"), data, Options{SiteVar: DefaultSiteVar, Home: dir}, true)
		checkOpened(t, inv, err)
	})
}

// FuzzNornir checks the Nornir parser with fuzzed hosts and groups files
// (the defaults file fixed).
func FuzzNornir(f *testing.F) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", "nornir", name))
		if err != nil {
			f.Fatal(err)
		}
		return data
	}
	f.Add(read("hosts.yaml"), read("groups.yaml"))
	f.Add([]byte("r1: {groups: [a]}\n"), []byte("a: {groups: [b]}\nb: {groups: [a]}\n"))
	defaults := read("defaults.yaml")
	f.Fuzz(func(t *testing.T, hosts, groups []byte) {
		inv, err := parseNornir("nr", nornirFile{"nr/hosts.yaml", hosts}, nornirFile{"nr/groups.yaml", groups},
			nornirFile{"nr/defaults.yaml", defaults}, Options{SiteVar: DefaultSiteVar})
		checkOpened(t, inv, err)
	})
}

// FuzzSSHConfig checks the ssh config reader (Include reads nothing).
func FuzzSSHConfig(f *testing.F) {
	seedFile(f, filepath.Join("testdata", "ssh", "home", ".ssh", "config"))
	seedFile(f, filepath.Join("testdata", "ssh", "home", ".ssh", "conf.d", "10-routers.conf"))
	seedFile(f, filepath.Join("testdata", "bad", "ssh_config"))
	noFiles := func(string) ([]string, error) { return nil, nil }
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := newSSHConfig("config", Options{Home: "/nonexistent"}, noFiles).parse("config", data)
		checkOpened(t, inv, err)
	})
}

// FuzzDetect checks that detection never panics and names a format or
// says why not.
func FuzzDetect(f *testing.F) {
	seedFile(f, filepath.Join("testdata", "ansible-ini", "hosts.ini"))
	seedFile(f, filepath.Join("testdata", "ansible-yaml", "inventory.yml"))
	f.Add([]byte(example))
	f.Fuzz(func(t *testing.T, data []byte) {
		if format, err := Detect("f", data); err == nil && format == "" {
			t.Fatal("no format and no error")
		}
	})
}
