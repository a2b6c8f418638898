package cli

import (
	"io"
	"strings"
	"unicode/utf8"
)

// table lays out rows in aligned columns separated by two spaces.
type table struct {
	header []string
	rows   [][]string
	styles [][]string // per cell: an ANSI style, or ""
}

// newTable starts a table with its column headers.
func newTable(header ...string) *table { return &table{header: header} }

// row adds a row of plain cells.
func (t *table) row(cells ...string) { t.styledRow(nil, cells...) }

// styledRow adds a row whose cells are drawn with the given ANSI styles
// (nil or "" for none); styles do not count toward the width.
func (t *table) styledRow(styles []string, cells ...string) {
	t.rows = append(t.rows, cells)
	t.styles = append(t.styles, styles)
}

// write prints the table; the last column is not padded.
func (t *table) write(w io.Writer) {
	widths := make([]int, len(t.header))
	for _, r := range append([][]string{t.header}, t.rows...) {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	line := func(cells, styles []string) {
		for i, c := range cells {
			style := ""
			if i < len(styles) {
				style = styles[i]
			}
			b.WriteString(paint(c, style, style != ""))
			if i < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	line(t.header, nil)
	for i, r := range t.rows {
		line(r, t.styles[i])
	}
	io.WriteString(w, b.String())
}
