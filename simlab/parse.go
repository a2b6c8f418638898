package simlab

import (
	"strings"
	"unicode"
)

// command is one CLI command of a network OS personality.
type command struct {
	// words are the canonical words; "<n>" matches a number. A typed word
	// matches a canonical one it is a prefix of, as on real gear (sh ip int br).
	words []string
	// priv marks commands only available in enable mode.
	priv bool
	// text produces a static output; act runs a command with an effect.
	// Exactly one is set.
	text func(f *facts) string
	act  func(s *netShell, args []string) error
}

// token is a typed word and the column it starts at.
type token struct {
	s   string
	col int
}

// tokenize splits a command line into words, keeping their columns.
func tokenize(line string) []token {
	var out []token
	start := -1
	for i, r := range line + " " {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, token{line[start:i], start})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}

// parseErrKind says why a line matched no command.
type parseErrKind int

const (
	errInvalid parseErrKind = iota
	errIncomplete
	errAmbiguous
)

// parseError is a line that matched no command; col is where the fault is
// (the offending word, or the end of the line when it is incomplete).
type parseError struct {
	kind parseErrKind
	col  int
	word string // the offending word
	idx  int    // its index, from 0
	line string
	// privileged: the line names a command of enable mode, typed in user
	// mode.
	privileged bool
}

// match finds the command a line names, with the words that filled its
// placeholders, or says what is wrong with the line.
func match(cmds []command, toks []token, enabled bool, line string) (*command, []string, *parseError) {
	var cands []*command
	for i := range cmds {
		if !cmds[i].priv || enabled {
			cands = append(cands, &cmds[i])
		}
	}
	for i, tk := range toks {
		var next []*command
		exact := ""
		words := map[string]bool{}
		for _, c := range cands {
			if i >= len(c.words) || !wordMatches(c.words[i], tk.s) {
				continue
			}
			next = append(next, c)
			words[c.words[i]] = true
			if strings.EqualFold(c.words[i], tk.s) {
				exact = c.words[i]
			}
		}
		if len(next) == 0 {
			return nil, nil, &parseError{kind: errInvalid, col: tk.col, word: tk.s, idx: i, line: line}
		}
		if len(words) > 1 {
			if exact == "" {
				return nil, nil, &parseError{kind: errAmbiguous, col: tk.col, word: tk.s, idx: i, line: line}
			}
			kept := next[:0]
			for _, c := range next {
				if c.words[i] == exact {
					kept = append(kept, c)
				}
			}
			next = kept
		}
		cands = next
	}
	for _, c := range cands {
		if len(c.words) == len(toks) {
			var args []string
			for i, w := range c.words {
				if w == "<n>" {
					args = append(args, toks[i].s)
				}
			}
			return c, args, nil
		}
	}
	idx := len(toks)
	return nil, nil, &parseError{kind: errIncomplete, col: len(line), idx: idx, line: line}
}

// wordMatches reports whether typed is an abbreviation of the canonical
// word w, or fills its placeholder.
func wordMatches(w, typed string) bool {
	if w == "<n>" {
		for _, r := range typed {
			if r < '0' || r > '9' {
				return false
			}
		}
		return typed != ""
	}
	return len(typed) <= len(w) && strings.EqualFold(w[:len(typed)], typed)
}
