package cli

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"netauto/inventory"
	"netauto/runner"
)

// completeFilesMarker is what `netauto __complete` prints, alone, when the
// word being completed is a file name: the shell completes it itself.
const completeFilesMarker = "::files"

// globalFlagsForCompletion are the global flags, offered after every
// command.
var globalFlagsForCompletion = []string{"--inventory", "--inventory-format", "--site-var", "--db", "--known-hosts", "--config"}

// commandFlags are each command's own flags, for completion.
var commandFlags = map[string][]string{
	"run": {"--device", "--group", "--site", "--all", "-c", "--command", "--dry-run", "--yes", "--json",
		"--accept-new-host-keys", "--connect-timeout", "--command-timeout", "--idle-timeout"},
	"history":    {"--device", "--site", "--command", "--status", "--batch", "--limit", "--json"},
	"show":       {"--raw"},
	"lab":        {"--dir", "--devices", "--no-faults"},
	"demo":       {},
	"hostkeys":   {"--device", "--group", "--site", "--all", "--accept", "--connect-timeout"},
	"inventory":  {},
	"config":     {},
	"completion": {},
}

// commandWords are the positional words a command takes first.
var commandWords = map[string][]string{
	"hostkeys":   {"scan"},
	"inventory":  {"check"},
	"config":     {"show"},
	"completion": {"bash", "zsh", "fish"},
}

// valueFlags are the flags that take a value, and what the value is:
// "device", "group", "site", "files", or a fixed list.
var valueFlags = map[string][]string{
	"--device": {"device"}, "--group": {"group"}, "--site": {"site"},
	"--inventory": {"files"}, "--db": {"files"}, "--known-hosts": {"files"}, "--config": {"files"}, "--dir": {"files"},
	"--inventory-format": formatNames(),
	"--status":           {"pending", "running", "ok", "error"},
	"--site-var":         nil, "--command": nil, "-c": nil, "--batch": nil, "--limit": nil, "--devices": nil,
	"--connect-timeout": nil, "--command-timeout": nil, "--idle-timeout": nil,
}

// formatNames lists the inventory format names.
func formatNames() []string {
	out := make([]string, len(inventory.Formats))
	for i, f := range inventory.Formats {
		out[i] = string(f)
	}
	return out
}

// completionCmd is `netauto completion SHELL`: it prints the shell's
// completion script.
func completionCmd(e Env, io *stdio, g *globals, args []string) int {
	fs := newFlagSet("completion", g)
	pos, code, done := parseCommand(io, "completion", completionHelp, fs, args)
	if done {
		return code
	}
	if len(pos) != 1 {
		return usageError(io, "completion", errors.New("name one shell: bash, zsh or fish"))
	}
	script, ok := completionScripts[pos[0]]
	if !ok {
		return usageError(io, "completion", fmt.Errorf("unknown shell %q (bash, zsh or fish)", pos[0]))
	}
	fmt.Fprint(io.out, script)
	return exitOK
}

// completeCmd is the hidden `netauto __complete WORD...`: the words of the
// command line after the program name, the last being the word under the
// cursor (possibly empty). It prints the candidates, one per line, or
// completeFilesMarker; it never fails and never writes to stderr.
func completeCmd(e Env, io *stdio, _ *globals, args []string) int {
	for _, c := range complete(e, args) {
		fmt.Fprintln(io.out, c)
	}
	return exitOK
}

// complete returns the candidates for the last of words.
func complete(e Env, words []string) []string {
	if len(words) == 0 {
		words = []string{""}
	}
	cur, before := words[len(words)-1], words[:len(words)-1]
	g := &globals{}
	cmd, positional := "", 0
	for i := 0; i < len(before); i++ {
		w := before[i]
		if name, value, ok := strings.Cut(w, "="); ok && strings.HasPrefix(w, "-") {
			g.set(name, value)
			continue
		}
		if _, takes := valueFlags[w]; takes && i+1 < len(before) {
			g.set(w, before[i+1])
			i++
			continue
		}
		if strings.HasPrefix(w, "-") {
			continue
		}
		if cmd == "" {
			cmd = w
		} else {
			positional++
		}
	}
	if len(before) > 0 {
		if kinds, takes := valueFlags[before[len(before)-1]]; takes {
			return filterPrefix(valueCandidates(e, g, kinds), cur)
		}
	}
	if strings.HasPrefix(cur, "-") {
		if cmd == "" {
			return filterPrefix(append([]string{"--help"}, globalFlagsForCompletion...), cur)
		}
		return filterPrefix(append(append([]string{"--help"}, commandFlags[cmd]...), globalFlagsForCompletion...), cur)
	}
	switch {
	case cmd == "":
		return filterPrefix(commandNames(), cur)
	case cmd == "help" && positional == 0:
		return filterPrefix(commandNames(), cur)
	case positional == 0:
		return filterPrefix(commandWords[cmd], cur)
	}
	return nil
}

// set records a global flag met on the command line being completed.
func (g *globals) set(flag, value string) {
	switch strings.TrimLeft(flag, "-") {
	case "inventory":
		g.inventory = value
	case "inventory-format":
		g.inventoryFormat = value
	case "site-var":
		g.siteVar = value
	case "config":
		g.configFile = value
	}
}

// valueCandidates lists the values a flag takes: names from the
// inventory, the files marker, or a fixed list.
func valueCandidates(e Env, g *globals, kinds []string) []string {
	if len(kinds) != 1 {
		return kinds
	}
	switch kinds[0] {
	case "files":
		return []string{completeFilesMarker}
	case "device", "group", "site":
		return inventoryNames(e, g, kinds[0])
	}
	return kinds
}

// inventoryNames loads the inventory (quietly: any error gives no names)
// and returns its device, group or site names.
func inventoryNames(e Env, g *globals, kind string) []string {
	s, err := g.settingsWithDefaults(e)
	if err != nil {
		return nil
	}
	inv, err := runner.LoadInventory(s)
	if err != nil {
		return nil
	}
	var out []string
	switch kind {
	case "device":
		for _, d := range inv.Devices {
			out = append(out, d.Name)
		}
	case "group":
		out = slices.Sorted(maps.Keys(inv.Groups))
	case "site":
		out = slices.Sorted(maps.Keys(inv.Sites))
	}
	return out
}

// commandNames lists the subcommands, sorted (hidden ones left out).
func commandNames() []string {
	out := []string{"help"}
	for name := range commands {
		if !strings.HasPrefix(name, "__") {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// filterPrefix keeps the candidates that start with prefix (the files
// marker is always kept).
func filterPrefix(cands []string, prefix string) []string {
	var out []string
	for _, c := range cands {
		if c == completeFilesMarker || strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// completionScripts are the shell scripts `netauto completion` prints.
// Each calls `netauto __complete` with the words typed so far.
var completionScripts = map[string]string{
	"bash": `# bash completion for netauto. Load it with:
#   source <(netauto completion bash)
# or save it as ~/.local/share/bash-completion/completions/netauto
_netauto() {
    local cur="${COMP_WORDS[COMP_CWORD]}" out
    out=$("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
    if [[ "$out" == "::files" ]]; then
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
        return
    fi
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$out" -- "$cur"))
}
complete -F _netauto netauto
`,
	"zsh": `#compdef netauto
# zsh completion for netauto. Load it with:
#   source <(netauto completion zsh)
# or save it as _netauto in a directory of your $fpath
_netauto() {
    local out
    out="$("${words[1]}" __complete "${(@)words[2,CURRENT]}" 2>/dev/null)"
    if [[ "$out" == "::files" ]]; then
        _files
        return
    fi
    local -a cands
    cands=("${(@f)out}")
    compadd -- "${cands[@]}"
}
if (( $+functions[compdef] )); then
    compdef _netauto netauto
fi
`,
	"fish": `# fish completion for netauto. Load it with:
#   netauto completion fish | source
# or save it as ~/.config/fish/completions/netauto.fish
function __netauto_complete
    set -l words (commandline -opc)
    set -l out (netauto __complete $words[2..-1] (commandline -ct) 2>/dev/null)
    if test "$out" = "::files"
        __fish_complete_path (commandline -ct)
    else
        printf '%s\n' $out
    end
end
complete -c netauto -f -a '(__netauto_complete)'
`,
}
