package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// expandTabs replaces tabs with spaces to the next multiple-of-8 column.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

// wrapLine cuts one output line into rows of at most w cells. An empty line
// is one empty row.
func wrapLine(line string, w int) []string {
	line = expandTabs(line)
	if w <= 0 || ansi.StringWidth(line) <= w {
		return []string{line}
	}
	return strings.Split(ansi.Hardwrap(line, w, true), "\n")
}

// highlight styles every case-insensitive occurrence of q in plain text.
func highlight(text, q string, style lipgloss.Style) string {
	if q == "" {
		return text
	}
	hay, needle := strings.ToLower(text), strings.ToLower(q)
	if len(hay) != len(text) || len(needle) != len(q) {
		hay, needle = text, q
	}
	var b strings.Builder
	for {
		i := strings.Index(hay, needle)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		b.WriteString(style.Render(text[i : i+len(needle)]))
		text, hay = text[i+len(needle):], hay[i+len(needle):]
	}
}

// containsFold reports whether text contains q, ignoring case.
func containsFold(text, q string) bool {
	return strings.Contains(strings.ToLower(text), strings.ToLower(q))
}
