package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// fit truncates or pads a (possibly styled) line to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// box draws content (at most h-2 lines, each fitted to w-2 cells) inside a
// rounded border of exactly w×h cells, with title in the top edge and
// footer in the bottom edge. A focused box has an accented edge.
func box(st Styles, title, footer string, content []string, w, h int, focused bool) string {
	if w < 4 || h < 2 {
		return blank(w, h)
	}
	edge := st.Border
	if focused {
		edge = st.FocusEdge
	}
	inner := w - 2
	side := edge.Render("│") // the same for every line: render it once
	var b strings.Builder
	b.WriteString(edgeLine(edge, "╭", "╮", title, inner))
	for i := 0; i < h-2; i++ {
		b.WriteByte('\n')
		b.WriteString(side)
		line := ""
		if i < len(content) {
			line = content[i]
		}
		b.WriteString(fit(line, inner))
		b.WriteString(side)
	}
	b.WriteByte('\n')
	b.WriteString(edgeLine(edge, "╰", "╯", footer, inner))
	return b.String()
}

// edgeLine draws a top or bottom border with an optional label after the
// first corner, truncated to fit.
func edgeLine(edge lipgloss.Style, left, right, label string, inner int) string {
	if label == "" {
		return edge.Render(left + strings.Repeat("─", inner) + right)
	}
	label = " " + label + " "
	if ansi.StringWidth(label) > inner-1 {
		label = ansi.Truncate(label, inner-1, "… ")
	}
	rest := inner - 1 - ansi.StringWidth(label)
	return edge.Render(left+"─") + label + edge.Render(strings.Repeat("─", rest)+right)
}

// blank returns h lines of w spaces.
func blank(w, h int) string {
	if h <= 0 {
		return ""
	}
	line := strings.Repeat(" ", max(w, 0))
	return strings.TrimSuffix(strings.Repeat(line+"\n", h), "\n")
}

// overlay draws top centered over base (both w×h-ish blocks of lines).
func overlay(base, top string, w, h int) string {
	tw, th := lipgloss.Size(top)
	x := max((w-tw)/2, 0)
	y := max((h-th)/2, 0)
	return lipgloss.NewCompositor(
		lipgloss.NewLayer(base),
		lipgloss.NewLayer(top).X(x).Y(y).Z(1),
	).Render()
}

// window returns the start offset that keeps cursor visible in a list of
// n rows shown h at a time, given the previous offset.
func window(cursor, offset, h, n int) int {
	if h <= 0 {
		return 0
	}
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+h {
		offset = cursor - h + 1
	}
	if offset > n-h {
		offset = n - h
	}
	return max(offset, 0)
}

// joinColumns puts blocks of equal height side by side.
func joinColumns(blocks []string) string {
	split := make([][]string, len(blocks))
	h := 0
	for i, b := range blocks {
		split[i] = strings.Split(b, "\n")
		h = max(h, len(split[i]))
	}
	var out strings.Builder
	for y := 0; y < h; y++ {
		if y > 0 {
			out.WriteByte('\n')
		}
		for _, s := range split {
			if y < len(s) {
				out.WriteString(s[y])
			}
		}
	}
	return out.String()
}

// joinRows stacks blocks vertically.
func joinRows(blocks []string) string { return strings.Join(blocks, "\n") }
