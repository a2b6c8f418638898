package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"netauto/inventory"
	"netauto/simlab"
)

// testdataInventory is a path into package inventory's testdata.
func testdataInventory(t *testing.T, parts ...string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(append([]string{"..", "inventory", "testdata"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestInventoryCheckAnsibleINI(t *testing.T) {
	h := newHarness(t, nil)
	ini := testdataInventory(t, "ansible-ini", "hosts.ini")
	r := h.run("inventory", "check", "--inventory", ini).want(t, exitFailed)
	for _, want := range []string{
		"(ansible-ini): 8 devices, 6 groups, 3 sites",
		"rtr02.chi1           rtr02.chi1           -     netops  ios       chi1     chi1_access,cisco  password $NETAUTO_PASSWORD",
		"chi1-core-2          port          2222                   " + ini + ":8",
		"chi1-core-2          platform      nxos                   " + ini + ":25",
		"bastion.example.net  site          jumpers                first group",
		"PROBLEMS (1)\nwarning: " + ini + ":26: ansible_password ignored",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q\n%s", want, r)
		}
	}
	if strings.Contains(r.stdout, "SuperSecret1") {
		t.Error("the password was printed")
	}
}

func TestInventoryCheckSiteVarAndFormatFlags(t *testing.T) {
	h := newHarness(t, nil)
	dir := t.TempDir()
	path := filepath.Join(dir, "inventory") // no extension: told from the content
	writeTestFile(t, path, "[core]\nr1 ansible_host=10.0.0.1 dc=chi1 site=ignored\n")
	r := h.run("inventory", "check", "--inventory", path, "--site-var", "dc").want(t, exitOK)
	if !hasRow(r.stdout, "r1", "site", "chi1", path+":2") || !strings.Contains(r.stdout, "no problems") {
		t.Errorf("site from --site-var:\n%s", r)
	}
	r = h.run("inventory", "check", "--inventory", path, "--inventory-format", "ansible-yaml").want(t, exitFailed)
	if !strings.Contains(r.stdout, "error: "+path+":1: ") {
		t.Errorf("INI read as YAML:\n%s", r)
	}
	h.run("inventory", "check", "--inventory", path, "--inventory-format", "csv").want(t, exitUsage)
}

func TestInventoryCheckSSHConfig(t *testing.T) {
	h := newHarness(t, nil)
	h.env["HOME"] = testdataInventory(t, "ssh", "home")
	r := h.run("inventory", "check", "--inventory", "ssh-config").want(t, exitOK)
	conf := filepath.Join(h.env["HOME"], ".ssh", "config")
	for _, want := range [][]string{
		{"core-sw1", "core-sw1.mgmt.example.net", "-", "me", "ios", "chi1", "core"},
		{"bastion", "host", "bastion.example.net", conf + ":5 (HostName)"},
		{"edge-rtr", "port", "22", filepath.Join(h.env["HOME"], ".ssh", "conf.d", "10-routers.conf") + ":4"},
	} {
		if !hasRow(r.stdout, want...) {
			t.Errorf("output lacks row %q\n%s", want, r)
		}
	}
	if !strings.Contains(r.stdout, "(ssh-config): 5 devices") || !strings.Contains(r.stdout, "no problems") {
		t.Errorf("summary:\n%s", r)
	}
}

func TestInventoryCheckMalformed(t *testing.T) {
	h := newHarness(t, nil)
	bad := testdataInventory(t, "bad", "hosts.ini")
	r := h.run("inventory", "check", "--inventory", bad).want(t, exitFailed)
	for _, want := range []string{
		"error: " + bad + ":3: host pattern \"rtr[05:01]\"",
		"error: " + bad + ":6: unknown section kind \"child\"",
		"error: " + bad + ":10: host \"e1\": expected key=value",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q\n%s", want, r)
		}
	}
	r = h.run("inventory", "check", "--inventory", filepath.Join(h.dir, "missing.ini")).want(t, exitUsage)
	if !strings.Contains(r.stderr, "not found") {
		t.Errorf("missing inventory:\n%s", r)
	}
	h.run("inventory", "lint").want(t, exitUsage)
}

func TestComplete(t *testing.T) {
	h := newHarness(t, nil)
	nornir := testdataInventory(t, "nornir")
	cases := []struct {
		words []string
		want  string
	}{
		{[]string{""}, "completion config demo help history hostkeys inventory lab run show"},
		{[]string{"inv"}, "inventory"},
		{[]string{"inventory", ""}, "check"},
		{[]string{"completion", "z"}, "zsh"},
		{[]string{"run", "--dev"}, "--device"},
		{[]string{"run", "--inventory", nornir, "--device", ""}, "core1.hq edge1 mx1 nx1 xe1"},
		{[]string{"run", "--inventory=" + nornir, "--group", ""}, "cisco edge juniper"},
		{[]string{"--inventory", nornir, "run", "--site", "e"}, "edge-dc"},
		{[]string{"run", "--inventory", ""}, completeFilesMarker},
		{[]string{"run", "--inventory-format", "ans"}, "ansible-ini ansible-yaml"},
		{[]string{"run", "--inventory", "/nonexistent", "--device", ""}, ""},
		{[]string{"history", "--status", ""}, "pending running ok error"},
	}
	for _, c := range cases {
		var out, errb strings.Builder
		code := h.Env().Main(append([]string{"__complete"}, c.words...), strings.NewReader(""), &out, &errb)
		got := strings.Join(strings.Fields(out.String()), " ")
		if c.words[0] == "" {
			// Other commands may be registered too; check ours are offered.
			for _, w := range strings.Fields(c.want) {
				if !strings.Contains(" "+got+" ", " "+w+" ") {
					t.Errorf("%q: %q lacks %s", c.words, got, w)
				}
			}
		} else if got != c.want {
			t.Errorf("%q: got %q, want %q", c.words, got, c.want)
		}
		if code != 0 || errb.Len() > 0 {
			t.Errorf("%q: exit %d, stderr %q", c.words, code, errb.String())
		}
	}
}

// TestCompletionFlagsMatchHelp checks that every flag offered for a
// command is one its help documents.
func TestCompletionFlagsMatchHelp(t *testing.T) {
	for cmd, c := range commands {
		if strings.HasPrefix(cmd, "__") {
			continue
		}
		fs := commandFlagSet(Env{}, cmd)
		if fs == nil {
			t.Errorf("%s does not hand its flag set to completion", cmd)
			continue
		}
		for _, f := range flagNames(fs, globalFlagSet(&globals{})) {
			if !strings.Contains(c.help, f) {
				t.Errorf("%s: help does not mention %s", cmd, f)
			}
		}
	}
}

func TestCompletionScriptsParse(t *testing.T) {
	h := newHarness(t, nil)
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			r := h.run("completion", shell).want(t, exitOK)
			path, err := exec.LookPath(shell)
			if err != nil {
				t.Skipf("%s not installed", shell)
			}
			script := filepath.Join(t.TempDir(), "netauto."+shell)
			writeTestFile(t, script, r.stdout)
			if out, err := exec.Command(path, "-n", script).CombinedOutput(); err != nil {
				t.Fatalf("%s -n: %v\n%s", shell, err, out)
			}
		})
	}
	h.run("completion", "tcsh").want(t, exitUsage)
	h.run("completion").want(t, exitUsage)
}

// TestBashCompletionEndToEnd sources the bash script and completes device
// names through the real binary.
func TestBashCompletionEndToEnd(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not installed")
	}
	h := newHarness(t, nil)
	bin := binary(t)
	nornir := testdataInventory(t, "nornir")
	script := `source <(netauto completion bash)
COMP_WORDS=(netauto run --inventory "$INV" --device e); COMP_CWORD=5; _netauto; echo "devices: ${COMPREPLY[*]}"
COMP_WORDS=(netauto h); COMP_CWORD=1; _netauto; echo "commands: ${COMPREPLY[*]}"
`
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "--norc", "-c", script)
	cmd.Env = []string{"PATH=" + filepath.Dir(bin) + ":" + os.Getenv("PATH"), "HOME=" + h.env["HOME"],
		"XDG_CONFIG_HOME=" + h.env["XDG_CONFIG_HOME"], "INV=" + nornir}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	want := "devices: edge1\ncommands: help history hostkeys\n"
	if string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestConfigShowPrecedence(t *testing.T) {
	h := newHarness(t, nil)
	cfgDir := filepath.Join(h.env["XDG_CONFIG_HOME"], "netauto")
	cfg := filepath.Join(cfgDir, "config.yaml")
	writeTestFile(t, cfg, `inventory: team.ini
theme: dark
caps:
  global: 30
  sites: {chi1: 4}
timeouts: {connect: 12s}
prune: {older_than: 30d, max_size: 2GB}
`)
	h.env["NETAUTO_THEME"] = "light"
	h.env["NET_AUTO_AUTOMATION_SITE_LIMITS"] = "nyc2=2"
	r := h.run("config", "show", "--inventory", "/srv/flag.ini").want(t, exitOK)
	for _, want := range []string{
		"config file: " + cfg,
		"inventory         /srv/flag.ini",
		"flag --inventory",
		"theme             light",
		"env NETAUTO_THEME",
		"caps.global       30",
		cfg + ":4",
		"caps.sites.chi1   4",
		"caps.sites.nyc2   2",
		"env NET_AUTO_AUTOMATION_SITE_LIMITS",
		"timeouts.connect  12s",
		"prune.older_than  30d",
		"prune.max_size    2GB",
		"database          " + h.db,
		"flag --db",
		"site_var          site",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("config show lacks %q\n%s", want, r)
		}
	}
	// Without the flag the file's inventory, relative to the file, is used.
	r = h.run("config", "show").want(t, exitOK)
	if !strings.Contains(r.stdout, "inventory         "+filepath.Join(cfgDir, "team.ini")) {
		t.Errorf("inventory from the file:\n%s", r)
	}

	// An unknown key is an error with file and line, for every command.
	writeTestFile(t, cfg, "inventory: a.ini\ntimeout:\n  connect: 5s\n")
	r = h.run("config", "show").want(t, exitUsage)
	if !strings.Contains(r.stderr, cfg+":2: unknown key \"timeout\" in the top level (did you mean \"timeouts\"?)") {
		t.Errorf("unknown key:\n%s", r)
	}
	h.run("history").want(t, exitUsage)

	// --config names another file; a missing named file is an error.
	other := filepath.Join(h.dir, "other.yaml")
	writeTestFile(t, other, "theme: none\n")
	r = h.run("config", "show", "--config", other).want(t, exitOK)
	if !hasRow(r.stdout, "theme", "light", "env NETAUTO_THEME") {
		t.Errorf("env over --config file:\n%s", r)
	}
	delete(h.env, "NETAUTO_THEME")
	r = h.run("config", "show", "--config", other).want(t, exitOK)
	if !hasRow(r.stdout, "theme", "none", other+":1") {
		t.Errorf("--config file:\n%s", r)
	}
	h.run("config", "show", "--config", filepath.Join(h.dir, "nope.yaml")).want(t, exitUsage)
}

// ansibleNetworkOS names each lab platform the way Ansible does.
var ansibleNetworkOS = map[inventory.Platform]string{
	inventory.PlatformIOS:   "cisco.ios.ios",
	inventory.PlatformIOSXR: "cisco.iosxr.iosxr",
	inventory.PlatformNXOS:  "cisco.nxos.nxos",
	inventory.PlatformEOS:   "arista.eos.eos",
	inventory.PlatformJunos: "junipernetworks.junos.junos",
	inventory.PlatformLinux: "linux",
}

// TestRunThroughAnsibleINI runs show version on the lab's devices through
// an Ansible INI inventory naming them (127.0.0.1 and their ports), with
// the config file naming the inventory and a cap.
func TestRunThroughAnsibleINI(t *testing.T) {
	lab := healthyLab.get(t)
	h := newHarness(t, lab)
	delete(h.env, "NETAUTO_INVENTORY")
	var b strings.Builder
	fmt.Fprintf(&b, "[all:vars]\nansible_host=127.0.0.1\nansible_user=%s\nansible_ssh_private_key_file=%s\n\n", simlab.Username, lab.KeyFile())
	bySite := map[string][]simlab.DeviceInfo{}
	var sites []string
	for _, d := range lab.Devices() {
		if _, ok := bySite[d.Site]; !ok {
			sites = append(sites, d.Site)
		}
		bySite[d.Site] = append(bySite[d.Site], d)
	}
	for _, site := range sites {
		fmt.Fprintf(&b, "[%s]\n", site)
		for _, d := range bySite[site] {
			_, port, _ := strings.Cut(d.Addr, ":")
			fmt.Fprintf(&b, "%s ansible_port=%s ansible_network_os=%s\n", d.Name, port, ansibleNetworkOS[d.Platform])
		}
		b.WriteString("\n")
	}
	b.WriteString("[lab:children]\n" + strings.Join(sites, "\n") + "\n[lab:vars]\nansible_password=never-read\n")
	ini := filepath.Join(h.dir, "hosts.ini")
	writeTestFile(t, ini, b.String())
	writeTestFile(t, filepath.Join(h.env["XDG_CONFIG_HOME"], "netauto", "config.yaml"),
		"inventory: "+ini+"\ncaps: {global: 2}\n")

	r := h.run("run", "--group", "lab", "-c", "show version", "--json").want(t, exitOK)
	if !strings.Contains(r.stderr, "1 warning") || !strings.Contains(r.stderr, "ansible_password ignored") {
		t.Errorf("no warning about the ignored password:\n%s", r)
	}
	runs := h.history()
	if len(runs) != len(lab.Devices()) {
		t.Fatalf("%d runs stored, want %d", len(runs), len(lab.Devices()))
	}
	for _, run := range runs {
		d := labDevice(t, lab, run["device"].(string))
		if run["status"] != "ok" || run["site"] != d.Site {
			t.Errorf("run %v: want ok on site %s", run, d.Site)
		}
	}
}

// hasRow reports whether a table in out has a row starting with cells
// (columns are separated by two or more spaces).
func hasRow(out string, cells ...string) bool {
	for _, line := range strings.Split(out, "\n") {
		var cols []string
		for _, c := range strings.Split(line, "  ") {
			if c = strings.TrimSpace(c); c != "" {
				cols = append(cols, c)
			}
		}
		if len(cols) >= len(cells) && slices.Equal(cols[:len(cells)], cells) {
			return true
		}
	}
	return false
}

func writeTestFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestAnsiblePasswordNeverRead points an Ansible host holding
// ansible_password at the lab's password device: the password in the file
// is not used; without $NETAUTO_PASSWORD the run says it needs one, and
// with it the run logs in.
func TestAnsiblePasswordNeverRead(t *testing.T) {
	lab := faultLab.get(t)
	h := newHarness(t, lab)
	d := labDevice(t, lab, "lab-password")
	_, port, _ := strings.Cut(d.Addr, ":")
	ini := filepath.Join(h.dir, "hosts")
	writeTestFile(t, ini, fmt.Sprintf("[auth]\nlab-password ansible_host=127.0.0.1 ansible_port=%s ansible_user=%s ansible_network_os=linux ansible_password=%s\n",
		port, simlab.Username, lab.Password()))
	r := h.run("run", "--inventory", ini, "--device", "lab-password", "-c", "echo hi", "--json").want(t, exitFailed)
	runs := h.history()
	if len(runs) != 1 || runs[0]["error_reason"] != "auth: password required (set NETAUTO_PASSWORD)" {
		t.Fatalf("runs %v\n%s", runs, r)
	}
	h.env[inventory.DefaultPasswordEnv] = lab.Password()
	h.run("run", "--inventory", ini, "--device", "lab-password", "-c", "echo hi").want(t, exitOK)
}
