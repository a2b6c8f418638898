package cli

import (
	"path/filepath"
	"testing"
)

// TestQuantitiesReadAlike: an age or a size typed in config.yaml and the
// same one typed on `netauto prune` are read by one parser (units): what
// one accepts the other accepts.
func TestQuantitiesReadAlike(t *testing.T) {
	h := newHarness(t, nil)
	cfg := filepath.Join(h.env["XDG_CONFIG_HOME"], "netauto", "config.yaml")
	for _, c := range []struct {
		age, size string
		ok        bool
	}{
		{"30d", "2GB", true},
		{"1.5d", "512M", true},
		{"2w", "10 kb", true},
		{"36h", "1GiB", true},
		{"0d", "2GB", false},
		{"30d", "0", false},
		{"soon", "2GB", false},
		{"30d", "lots", false},
	} {
		want := exitOK
		if !c.ok {
			want = exitUsage
		}
		writeTestFile(t, cfg, "prune: {older_than: \""+c.age+"\", max_size: \""+c.size+"\"}\n")
		if r := h.run("config", "show"); r.code != want {
			t.Errorf("config.yaml older_than %q, max_size %q: exit %d, want %d\n%s", c.age, c.size, r.code, want, r)
		}
		writeTestFile(t, cfg, "")
		if r := h.run("prune", "--older-than", c.age, "--max-size", c.size, "--dry-run"); r.code != want {
			t.Errorf("prune --older-than %q --max-size %q: exit %d, want %d\n%s", c.age, c.size, r.code, want, r)
		}
	}
}

// TestTimeoutsReadAlike: a timeout typed in config.yaml and on `netauto
// run` is read by one parser (units): what one accepts the other accepts.
// (The inventory, which imports nothing of ours, takes Go durations; those
// read the same everywhere.)
func TestTimeoutsReadAlike(t *testing.T) {
	h := newHarness(t, nil)
	cfg := filepath.Join(h.env["XDG_CONFIG_HOME"], "netauto", "config.yaml")
	plain := h.writeInventory("defaults: {platform: linux}\ndevices:\n  r1: {host: 127.0.0.1, port: 1}\n")
	for _, c := range []struct {
		d  string
		ok bool
	}{
		{"90s", true},
		{"1h30m", true},
		{"1.5d", true},
		{"30", false},
		{"soon", false},
		{"-5s", false},
	} {
		want := exitOK
		if !c.ok {
			want = exitUsage
		}
		writeTestFile(t, cfg, "timeouts: {idle: \""+c.d+"\"}\n")
		if r := h.run("config", "show"); r.code != want {
			t.Errorf("config.yaml timeouts.idle %q: exit %d, want %d\n%s", c.d, r.code, want, r)
		}
		writeTestFile(t, cfg, "")
		if r := h.run("run", "--all", "-c", "x", "--dry-run", "--inventory", plain, "--idle-timeout", c.d); r.code != want {
			t.Errorf("run --idle-timeout %q: exit %d, want %d\n%s", c.d, r.code, want, r)
		}
	}
}
