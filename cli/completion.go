package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
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

// commandWords are the positional words a command takes first.
var commandWords = map[string][]string{
	"hostkeys":   {"scan"},
	"inventory":  {"check"},
	"config":     {"show"},
	"completion": {"bash", "zsh", "fish"},
}

// flagValues are what the values of some flags (by name) are: "device",
// "group", "site", "files", or a fixed list. Which flags take a value at
// all comes from the flag sets.
var flagValues = map[string][]string{
	"device": {"device"}, "group": {"group"}, "site": {"site"},
	"inventory": {"files"}, "db": {"files"}, "known-hosts": {"files"}, "config": {"files"}, "dir": {"files"},
	"inventory-format": formatNames(),
	"status":           {"pending", "running", "ok", "error"},
}

// globalFlagSet is a flag set with the global flags alone, bound to g.
func globalFlagSet(g *globals) *flag.FlagSet {
	fs := flag.NewFlagSet("netauto", flag.ContinueOnError)
	g.register(fs)
	return fs
}

// commandFlagSet is the flag set a command parses its arguments with, nil
// for an unknown or hidden command. The command runs only as far as
// parseCommand, which hands the set over.
func commandFlagSet(e Env, cmd string) *flag.FlagSet {
	c, ok := commands[cmd]
	if !ok || strings.HasPrefix(cmd, "__") {
		return nil
	}
	var fs *flag.FlagSet
	c.run(e, &stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard, flagSet: &fs}, &globals{}, nil)
	return fs
}

// flagNames lists fs's flags as they are typed (-c, --device), leaving
// out those also in skip.
func flagNames(fs, skip *flag.FlagSet) []string {
	var out []string
	fs.VisitAll(func(f *flag.Flag) {
		if skip != nil && skip.Lookup(f.Name) != nil {
			return
		}
		if len(f.Name) == 1 {
			out = append(out, "-"+f.Name)
		} else {
			out = append(out, "--"+f.Name)
		}
	})
	return out
}

// takesValue says whether word is a flag of fs that takes a value.
func takesValue(fs *flag.FlagSet, word string) bool {
	if !strings.HasPrefix(word, "-") {
		return false
	}
	f := fs.Lookup(strings.TrimLeft(word, "-"))
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
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
	globalFS := globalFlagSet(g) // records the global flags met
	fs := globalFS               // the flags of the command met so far
	cmd, positional := "", 0
	for i := 0; i < len(before); i++ {
		w := before[i]
		if name, value, ok := strings.Cut(w, "="); ok && strings.HasPrefix(w, "-") {
			globalFS.Set(strings.TrimLeft(name, "-"), value)
			continue
		}
		if takesValue(fs, w) && i+1 < len(before) {
			globalFS.Set(strings.TrimLeft(w, "-"), before[i+1])
			i++
			continue
		}
		if strings.HasPrefix(w, "-") {
			continue
		}
		if cmd == "" {
			cmd = w
			if cfs := commandFlagSet(e, cmd); cfs != nil {
				fs = cfs
			}
		} else {
			positional++
		}
	}
	if len(before) > 0 {
		if last := before[len(before)-1]; takesValue(fs, last) {
			return filterPrefix(valueCandidates(e, g, flagValues[strings.TrimLeft(last, "-")]), cur)
		}
	}
	if strings.HasPrefix(cur, "-") {
		// The command's own flags (none without one), then the global ones.
		flags := append([]string{"--help"}, flagNames(fs, globalFS)...)
		return filterPrefix(append(flags, flagNames(globalFS, nil)...), cur)
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
