package store

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrBadQuery: a search query is not valid FTS5 query syntax (or uses a
// part of it netauto does not support). The wrapping error says where.
var ErrBadQuery = errors.New("bad search query")

// query is a parsed search query: the subset of FTS5 query syntax netauto
// accepts — words, "phrases", prefix* (on a word or a phrase), AND, OR,
// NOT, parentheses and NEAR(...) — which it passes to FTS5 to find blocks
// of output, then evaluates on each line of those blocks: every term of
// an AND (or a NEAR) must be on the same line.
type query struct {
	op     byte // 'p' phrase, '&' and, '|' or, '-' and-not
	terms  []string
	prefix bool
	l, r   *query
}

// parseQuery parses an FTS5 query; errors match ErrBadQuery.
func parseQuery(s string) (*query, error) {
	p := &queryParser{src: s}
	if err := p.lex(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadQuery, err)
	}
	if len(p.toks) == 0 {
		return nil, fmt.Errorf("%w: empty query", ErrBadQuery)
	}
	q, err := p.or()
	if err == nil && p.pos < len(p.toks) {
		err = fmt.Errorf("unexpected %s", p.toks[p.pos].show())
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadQuery, err)
	}
	return q, nil
}

// queryToken is one lexical token of a query: a phrase (word or quoted)
// or punctuation / an operator keyword.
type queryToken struct {
	kind byte // 'p' phrase, '(' ')' '*' ',' , 'A' AND, 'O' OR, 'N' NOT, 'n' NEAR
	text string
	col  int
}

func (t queryToken) show() string {
	switch t.kind {
	case 'p':
		return fmt.Sprintf("%q at column %d", t.text, t.col)
	case 'A', 'O', 'N', 'n':
		return fmt.Sprintf("%s at column %d", t.text, t.col)
	}
	return fmt.Sprintf("'%s' at column %d", t.text, t.col)
}

type queryParser struct {
	src  string
	toks []queryToken
	pos  int
}

// isBareword reports whether r may appear in an unquoted FTS5 word.
func isBareword(r rune) bool {
	return r == '_' || r >= 0x80 || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// lex splits the query into tokens.
func (p *queryParser) lex() error {
	s := p.src
	for i := 0; i < len(s); {
		c := s[i]
		col := utf8.RuneCountInString(s[:i]) + 1
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return fmt.Errorf("unterminated quote at column %d", col)
				}
				if s[j] == '"' {
					if j+1 < len(s) && s[j+1] == '"' {
						b.WriteByte('"')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			p.toks = append(p.toks, queryToken{kind: 'p', text: b.String(), col: col})
			i = j + 1
		case c == '(' || c == ')' || c == '*' || c == ',':
			p.toks = append(p.toks, queryToken{kind: c, text: string(c), col: col})
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if !isBareword(r) {
				return fmt.Errorf("unexpected %q at column %d (put terms with punctuation in double quotes: \"10.0.0.1\", \"Gi0/1\")", r, col)
			}
			j := i + n
			for j < len(s) {
				r, n := utf8.DecodeRuneInString(s[j:])
				if !isBareword(r) {
					break
				}
				j += n
			}
			w := s[i:j]
			t := queryToken{kind: 'p', text: w, col: col}
			switch w {
			case "AND":
				t.kind = 'A'
			case "OR":
				t.kind = 'O'
			case "NOT":
				t.kind = 'N'
			case "NEAR":
				if j < len(s) && s[j] == '(' {
					t.kind = 'n'
				}
			}
			p.toks = append(p.toks, t)
			i = j
		}
	}
	return nil
}

func (p *queryParser) peek() byte {
	if p.pos < len(p.toks) {
		return p.toks[p.pos].kind
	}
	return 0
}

// or := and ("OR" and)*
func (p *queryParser) or() (*query, error) { return p.chain(p.and, 'O', '|') }

// chain parses next (kw next)*, joining the operands left to right with
// op.
func (p *queryParser) chain(next func() (*query, error), kw, op byte) (*query, error) {
	l, err := next()
	for err == nil && p.peek() == kw {
		p.pos++
		var r *query
		if r, err = next(); err == nil {
			l = &query{op: op, l: l, r: r}
		}
	}
	return l, err
}

// and := not (["AND"] not)*
func (p *queryParser) and() (*query, error) {
	l, err := p.not()
	for err == nil {
		switch p.peek() {
		case 'A':
			p.pos++
		case 'p', '(', 'n':
		default:
			return l, nil
		}
		var r *query
		if r, err = p.not(); err == nil {
			l = &query{op: '&', l: l, r: r}
		}
	}
	return l, err
}

// not := primary ("NOT" primary)*
func (p *queryParser) not() (*query, error) { return p.chain(p.primary, 'N', '-') }

// primary := phrase ["*"] | "(" or ")" | NEAR "(" phrase+ ["," N] ")"
func (p *queryParser) primary() (*query, error) {
	if p.pos >= len(p.toks) {
		return nil, errors.New("query ends where a term was expected")
	}
	t := p.toks[p.pos]
	p.pos++
	switch t.kind {
	case 'p':
		return p.phrase(t)
	case '(':
		q, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, fmt.Errorf("missing ')' for '(' at column %d", t.col)
		}
		p.pos++
		return q, nil
	case 'n':
		p.pos++ // the '('
		var q *query
		for p.peek() == 'p' {
			pt := p.toks[p.pos]
			p.pos++
			ph, err := p.phrase(pt)
			if err != nil {
				return nil, err
			}
			if q == nil {
				q = ph
			} else {
				q = &query{op: '&', l: q, r: ph}
			}
		}
		if q == nil {
			return nil, fmt.Errorf("NEAR at column %d needs terms", t.col)
		}
		if p.peek() == ',' {
			p.pos++
			if p.peek() != 'p' {
				return nil, fmt.Errorf("NEAR at column %d: a distance must follow ','", t.col)
			}
			p.pos++
		}
		if p.peek() != ')' {
			return nil, fmt.Errorf("missing ')' for NEAR at column %d", t.col)
		}
		p.pos++
		return q, nil
	}
	return nil, fmt.Errorf("unexpected %s", t.show())
}

// phrase builds a phrase node from token t (already consumed by primary,
// or at p.pos inside NEAR), taking a following '*'.
func (p *queryParser) phrase(t queryToken) (*query, error) {
	terms := tokenize(t.text, nil)
	if len(terms) == 0 {
		return nil, fmt.Errorf("%s holds no word to search for", t.show())
	}
	q := &query{op: 'p', terms: terms}
	if p.peek() == '*' {
		p.pos++
		q.prefix = true
	}
	return q, nil
}

// isTokenRune reports whether r is part of a word for FTS5's unicode61
// tokenizer: letters, numbers and private-use characters.
func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// tokenize appends the lower-cased words of s to dst, as unicode61 splits
// them.
func tokenize(s string, dst []string) []string {
	start := -1
	for i, r := range s {
		if isTokenRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			dst = append(dst, strings.ToLower(s[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		dst = append(dst, strings.ToLower(s[start:]))
	}
	return dst
}

// match reports whether a line's words (from tokenize) satisfy q.
func (q *query) match(words []string) bool {
	switch q.op {
	case '&':
		return q.l.match(words) && q.r.match(words)
	case '|':
		return q.l.match(words) || q.r.match(words)
	case '-':
		return q.l.match(words) && !q.r.match(words)
	}
	last := len(q.terms) - 1
	for i := 0; i+last < len(words); i++ {
		ok := true
		for j, t := range q.terms {
			w := words[i+j]
			if j == last && q.prefix {
				ok = strings.HasPrefix(w, t)
			} else {
				ok = w == t
			}
			if !ok {
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// ftsQuery renders q for FTS5 MATCH over blocks of lines. NOT is left out:
// a block that holds the excluded term on one line may still have lines
// that match, so the block must be found; the line check excludes.
func (q *query) ftsQuery() string {
	switch q.op {
	case '&':
		return "(" + q.l.ftsQuery() + " AND " + q.r.ftsQuery() + ")"
	case '|':
		return "(" + q.l.ftsQuery() + " OR " + q.r.ftsQuery() + ")"
	case '-':
		return q.l.ftsQuery()
	}
	s := `"` + strings.Join(q.terms, " ") + `"`
	if q.prefix {
		s += "*"
	}
	return s
}
