package simlab

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"netauto/inventory"
)

// profile is a network OS personality: prompts, pager, error texts and
// commands.
type profile struct {
	// startEnabled: the session starts in privileged mode.
	startEnabled bool
	// prompt is the prompt for a host in user or enable mode; a leading
	// newline (Junos) is part of it.
	prompt func(host string, enabled bool) string
	// above, if set, gives a line shown above the prompt ("" none): Junos
	// on a virtual-chassis switch shows {master:0}.
	above func(f *facts) string
	// banner, if set, is shown when a shell starts.
	banner func(f *facts) string
	// more is the pager prompt; moreErase what erases it after a key.
	more, moreErase string
	// errText is the platform's complaint about a line, given the width of
	// the prompt before it (for the caret).
	errText  func(e *parseError, promptWidth int) string
	commands []command
	// tech names the commands whose outputs make up show tech-support.
	tech []string
	// stamp: show commands print the time first (IOS XR).
	stamp bool
	// junosPipes: the pipe filters are Junos's (match, except, no-more)
	// rather than IOS's (include, exclude, begin).
	junosPipes bool
}

// profiles maps each network OS platform to its personality; linux has
// none (it is served by runShellLike with linuxCommand).
var profiles = map[inventory.Platform]*profile{
	inventory.PlatformIOS:   iosProfile,
	inventory.PlatformIOSXR: iosxrProfile,
	inventory.PlatformNXOS:  nxosProfile,
	inventory.PlatformEOS:   eosProfile,
	inventory.PlatformJunos: junosProfile,
}

// find returns the command whose canonical words are name.
func (p *profile) find(name string) *command {
	for i := range p.commands {
		if strings.Join(p.commands[i].words, " ") == name {
			return &p.commands[i]
		}
	}
	return nil
}

// backspaceErase is how Cisco-style gear erases a pager prompt of n columns.
func backspaceErase(n int) string {
	return strings.Repeat("\b", n) + strings.Repeat(" ", n) + strings.Repeat("\b", n)
}

// caret is the line that points at column col.
func caret(col int) string { return strings.Repeat(" ", col) + "^\n" }

// netShell is one session on a network OS.
type netShell struct {
	d       *device
	p       *profile
	t       *term
	enabled bool
}

// interactive runs the shell: prompt, line, output, until exit or the
// session ends.
func (s *netShell) interactive() {
	t := s.t
	if s.p.banner != nil {
		if t.output(s.p.banner(s.d.facts)) == errGone {
			return
		}
	}
	for {
		prompt := s.p.prompt(s.d.facts.host, s.enabled)
		if s.p.above != nil {
			if line := s.p.above(s.d.facts); line != "" {
				prompt = "\n" + line + prompt
			}
		}
		if t.write(t.lines(prompt)) != nil {
			return
		}
		line, err := t.readLine(true)
		if err == errInterrupted {
			if t.write(t.nl) != nil {
				return
			}
			continue
		}
		if err != nil {
			return
		}
		t.shown = 0
		width := len(prompt) - strings.LastIndexByte(prompt, '\n') - 1
		switch err := s.exec(line, width); err {
		case nil:
		case errInterrupted:
			if t.write(t.nl) != nil {
				return
			}
		default:
			return
		}
	}
}

// exec runs one command line; promptWidth places the error caret.
func (s *netShell) exec(line string, promptWidth int) error {
	cmdPart, pipePart, piped := strings.Cut(line, "|")
	toks := tokenize(cmdPart)
	if len(toks) == 0 {
		if piped {
			return s.t.output(s.p.errText(&parseError{kind: errInvalid, col: len(cmdPart), word: "|", line: line}, promptWidth))
		}
		return nil
	}
	c, args, perr := match(s.p.commands, toks, s.enabled, line)
	if perr != nil && !s.enabled {
		if _, _, e := match(s.p.commands, toks, true, line); e == nil {
			perr.privileged = true
		}
	}
	if perr != nil {
		return s.t.output(s.p.errText(perr, promptWidth))
	}
	if c.act != nil {
		return c.act(s, args)
	}
	text := c.text(s.d.facts)
	if s.p.stamp {
		text = time.Now().UTC().Format("Mon Jan _2 15:04:05.000 MST") + "\n" + text
	}
	if piped {
		filtered, noMore, perr := s.pipe(text, line, len(cmdPart)+1, pipePart)
		if perr != nil {
			return s.t.output(s.p.errText(perr, promptWidth))
		}
		text = filtered
		if noMore {
			defer func(n int) { s.t.pageLen = n }(s.t.pageLen)
			s.t.pageLen = 0
		}
	}
	return s.t.output(text)
}

// pipe applies the filters after the first |: IOS include, exclude, begin;
// Junos match, except, no-more. Each keeps or drops whole lines by regular
// expression.
func (s *netShell) pipe(text, line string, col int, pipes string) (string, bool, *parseError) {
	noMore := false
	for _, seg := range strings.Split(pipes, "|") {
		toks := tokenize(seg)
		bad := func(tk token) *parseError {
			return &parseError{kind: errInvalid, col: col + tk.col, word: tk.s, line: line}
		}
		if len(toks) == 0 {
			return "", false, &parseError{kind: errIncomplete, col: len(line), line: line}
		}
		verb := toks[0]
		kinds := []string{"include", "exclude", "begin"}
		if s.p.junosPipes {
			kinds = []string{"match", "except", "no-more"}
		}
		kind := ""
		for _, k := range kinds {
			if wordMatches(k, verb.s) {
				kind = k
				break
			}
		}
		switch {
		case kind == "":
			return "", false, bad(verb)
		case kind == "no-more":
			noMore = true
		case len(toks) < 2:
			return "", false, &parseError{kind: errIncomplete, col: len(line), line: line}
		default:
			expr := strings.TrimSpace(seg[toks[1].col:])
			re, err := regexp.Compile(strings.Trim(expr, `"`))
			if err != nil {
				return "", false, bad(toks[1])
			}
			text = filterLines(text, kind, re)
		}
		col += len(seg) + 1
	}
	return text, noMore, nil
}

// filterLines keeps the lines a filter selects.
func filterLines(text, kind string, re *regexp.Regexp) string {
	var b strings.Builder
	begun := false
	for _, l := range strings.SplitAfter(text, "\n") {
		if l == "" {
			continue
		}
		hit := re.MatchString(strings.TrimSuffix(l, "\n"))
		keep := false
		switch kind {
		case "include", "match":
			keep = hit
		case "exclude", "except":
			keep = !hit
		case "begin":
			begun = begun || hit
			keep = begun
		}
		if keep {
			b.WriteString(l)
		}
	}
	return b.String()
}

// The actions shared by the personalities.

// actEnable enters privileged mode, asking for the password where the
// device has one (three tries, then "% Bad secrets").
func actEnable(s *netShell, _ []string) error {
	if s.enabled {
		return nil
	}
	if !s.d.info.Enable {
		s.enabled = true
		return nil
	}
	for range 3 {
		if err := s.t.write("Password: "); err != nil {
			return err
		}
		pw, err := s.t.readLine(false)
		if err != nil {
			return err
		}
		if pw == s.d.lab.password {
			s.enabled = true
			return nil
		}
	}
	return s.t.output("% Bad secrets\n\n")
}

// actDisable leaves privileged mode.
func actDisable(s *netShell, _ []string) error {
	if !s.p.startEnabled {
		s.enabled = false
	}
	return nil
}

// actExit ends the session.
func actExit(*netShell, []string) error { return errExit }

// actNothing accepts a command that changes nothing the lab models.
func actNothing(*netShell, []string) error { return nil }

// setLength sets the terminal length to arg lines (0 turns paging off)
// where the session pages (a shell, not exec); it reports false, changing
// nothing, when arg is not a number of at most most.
func (s *netShell) setLength(arg string, most int) bool {
	n, err := strconv.Atoi(arg)
	if err != nil || n > most {
		return false
	}
	if s.t.more != "" {
		s.t.pageLen = n
	}
	return true
}

// actLength is `terminal length N`.
func actLength(s *netShell, args []string) error {
	if !s.setLength(args[0], 512) {
		return s.t.output("% Invalid input detected at '^' marker.\n\n")
	}
	return nil
}

// actTechSupport streams the outputs of the profile's tech commands over
// the lab's StreamDuration.
func actTechSupport(s *netShell, _ []string) error {
	var lines []string
	for _, name := range s.p.tech {
		c := s.p.find(name)
		lines = append(lines, "", fmt.Sprintf("------------------ %s ------------------", name), "")
		lines = append(lines, strings.Split(strings.TrimRight(c.text(s.d.facts), "\n"), "\n")...)
	}
	return s.t.stream(lines, s.d.lab.opts.StreamDuration)
}

// ciscoMore is the Cisco-style pager prompt (IOS, IOS XR, NX-OS, EOS),
// erased with backspaces.
const ciscoMore = " --More-- "

// ciscoMoreErase erases ciscoMore.
var ciscoMoreErase = backspaceErase(len(ciscoMore))

// ciscoPrompt is "host>" in user mode, "host#" in enable mode (IOS, EOS).
func ciscoPrompt(host string, enabled bool) string {
	if enabled {
		return host + "#"
	}
	return host + ">"
}

// ciscoErr is the IOS / IOS XR complaint.
func ciscoErr(e *parseError, w int) string {
	switch e.kind {
	case errIncomplete:
		return "% Incomplete command.\n\n"
	case errAmbiguous:
		return fmt.Sprintf("%% Ambiguous command:  %q\n", strings.TrimSpace(e.line))
	}
	return caret(w+e.col) + "% Invalid input detected at '^' marker.\n\n"
}

// ciscoSession are the session commands IOS, IOS XR and NX-OS share.
func ciscoSession() []command {
	return []command{
		{words: []string{"terminal", "length", "<n>"}, act: actLength},
		{words: []string{"terminal", "width", "<n>"}, act: actNothing},
		{words: []string{"exit"}, act: actExit},
		{words: []string{"logout"}, act: actExit},
	}
}
