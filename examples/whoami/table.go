package main

import (
	"math"
	"strings"
)

// formatTable is the AWS CLI's table output of v under the title
// "GetCallerIdentity", laid out for a terminal of the given width, as the
// CLI lays it out (its awscli/table.py) without colours:
//
//   - a value that is null or empty prints nothing, and any other scalar
//     prints the title alone (the CLI does not show it);
//   - a list prints a row per element;
//   - a hash prints a header row of its keys, sorted, over a row of their
//     values, or a single key-value row when it has one key;
//   - a table wider than the terminal is turned on its side, keys in the
//     first column, when that makes it a single-row section.
//
// Widths count a character of East Asian wide or fullwidth form as two
// columns, as the CLI does (it also counts ambiguous-width characters as
// two; whoami counts them as one).
func formatTable(v value, terminalWidth int) string {
	t := &table{}
	s := &section{title: "GetCallerIdentity"}
	switch {
	case v.isHash():
		if len(v.keys) == 0 {
			return ""
		}
		order := sortedIndexes(v.keys)
		if len(order) == 1 {
			s.addRow([]string{v.keys[order[0]], pyText(v.list[order[0]])})
		} else {
			headers := make([]string, len(order))
			row := make([]string, len(order))
			for i, j := range order {
				headers[i], row[i] = v.keys[j], pyText(v.list[j])
			}
			s.addHeader(headers)
			s.addRow(row)
		}
	case v.isSeq:
		if len(v.list) == 0 {
			return ""
		}
		for _, e := range v.list {
			s.addRow([]string{pyText(e)})
		}
	default:
		if v.null || v.str == "" {
			return ""
		}
	}
	t.sections = append(t.sections, s)
	return t.render(terminalWidth)
}

type table struct{ sections []*section }

type section struct {
	title     string
	headers   []string
	rows      [][]string
	maxWidths []int
}

func (s *section) addHeader(h []string) {
	s.updateWidths(h)
	s.headers = h
}

func (s *section) addRow(r []string) {
	s.rows = append(s.rows, r)
	s.updateWidths(r)
}

func (s *section) updateWidths(r []string) {
	if len(s.maxWidths) == 0 {
		for _, e := range r {
			s.maxWidths = append(s.maxWidths, textWidth(e))
		}
		return
	}
	for i, e := range r {
		if i < len(s.maxWidths) {
			s.maxWidths[i] = max(s.maxWidths[i], textWidth(e))
		}
	}
}

// columnWidths returns the widths of the columns, each padded by padding
// and, when maxWidth > 0, scaled so that they add up to maxWidth (with
// Python's round half to even, the rounding error taken from the first
// columns or given to the last).
func (s *section) columnWidths(padding, maxWidth int) []int {
	w := make([]int, len(s.maxWidths))
	sum := 0
	for i, m := range s.maxWidths {
		w[i] = m + padding
		sum += w[i]
	}
	if maxWidth <= 0 || len(w) == 0 {
		return w
	}
	scale := float64(maxWidth) / float64(sum)
	total := 0
	for i := range w {
		w[i] = int(math.RoundToEven(scale * float64(w[i])))
		total += w[i]
	}
	for off := total - maxWidth; off != 0; {
		if off > 0 {
			for i := 0; i < len(w) && off != 0; i++ {
				w[i]--
				off--
			}
		} else {
			for i := len(w) - 1; i >= 0 && off != 0; i-- {
				w[i]++
				off++
			}
		}
	}
	return w
}

// totalWidth is the width the section needs: its columns, each padded by
// 4, and a border on each side, or its title with the borders.
func (s *section) totalWidth() int {
	total := 2
	for _, w := range s.columnWidths(0, 0) {
		total += w + 4
	}
	return max(textWidth(s.title)+2, total)
}

func (t *table) maxWidth() int {
	m := 0
	for _, s := range t.sections {
		m = max(m, s.totalWidth())
	}
	return m
}

func (t *table) render(terminalWidth int) string {
	width := t.maxWidth()
	if width > terminalWidth {
		// Turn single-row sections with headers into key-value rows.
		for i, s := range t.sections {
			if len(s.rows) == 1 && len(s.headers) > 0 {
				v := &section{title: s.title}
				for j, h := range s.headers {
					if j < len(s.rows[0]) {
						v.addRow([]string{h, s.rows[0][j]})
					}
				}
				t.sections[i] = v
			}
		}
		width = t.maxWidth()
	}
	var b strings.Builder
	b.WriteString(strings.Repeat("-", width) + "\n")
	for _, s := range t.sections {
		s.render(&b, width)
	}
	return b.String()
}

func (s *section) render(b *strings.Builder, width int) {
	if s.title != "" {
		b.WriteString(centered(s.title, width, "|", "|") + "\n")
		if len(s.headers) == 0 && len(s.rows) == 0 {
			b.WriteString("+" + strings.Repeat("-", width-2) + "+\n")
		}
	}
	if len(s.headers) > 0 {
		widths := s.columnWidths(4, width)
		writeRule(b, widths)
		for i, h := range s.headers {
			if i < len(widths) {
				b.WriteString(centered(h, widths[i], leftEdge(i), "|"))
			}
		}
		b.WriteByte('\n')
	}
	if len(s.rows) > 0 {
		widths := s.columnWidths(4, width)
		if len(widths) == 0 {
			return
		}
		writeRule(b, widths)
		for _, row := range s.rows {
			for i, e := range row {
				if i < len(widths) {
					b.WriteString(alignedLeft(e, widths[i], leftEdge(i), "|"))
				}
			}
			b.WriteByte('\n')
		}
		writeRule(b, widths)
	}
}

func leftEdge(column int) string {
	if column == 0 {
		return "|"
	}
	return ""
}

// writeRule writes +-----+------+ for columns of the given widths.
func writeRule(b *strings.Builder, widths []int) {
	for i, w := range widths {
		if i == 0 {
			b.WriteString("+" + dashes(w-2) + "+")
		} else {
			b.WriteString(dashes(w-1) + "+")
		}
	}
	b.WriteByte('\n')
}

func dashes(n int) string { return strings.Repeat("-", max(n, 0)) }

func spaces(n int) string { return strings.Repeat(" ", max(n, 0)) }

// centered puts text in the middle of a cell of the given width, edges
// included.
func centered(text string, width int, left, right string) string {
	n := textWidth(text)
	start := width/2 - n/2 - 1
	used := len(left) + start + n // with start as it is, even below 0
	return left + spaces(start) + text + spaces(width-len(right)-used) + right
}

// alignedLeft puts text at the left of a cell of the given width, after
// two spaces when they fit.
func alignedLeft(text string, width int, left, right string) string {
	n := textWidth(text)
	padding := 2
	if width-(n+padding+len(left)+len(right)) < 0 {
		padding = 0
	}
	return left + spaces(padding) + text + spaces(width-(len(left)+padding+n)-len(right)) + right
}

// textWidth is how many terminal columns s takes.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x1100 && isWide(r) {
			n++
		}
	}
	return n
}

// isWide reports whether r is of East Asian wide or fullwidth form: the
// main blocks of Unicode's EastAsianWidth W and F.
func isWide(r rune) bool {
	for _, rg := range wideRanges {
		if rg[0] <= r && r <= rg[1] {
			return true
		}
	}
	return false
}

var wideRanges = [][2]rune{
	{0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0},
	{0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F},
	{0x2693, 0x2693}, {0x26A1, 0x26A1}, {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5},
	{0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
	{0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728},
	{0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
	{0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
	{0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF},
	{0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F},
	{0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
	{0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F202},
	{0x1F210, 0x1F23B}, {0x1F240, 0x1F248}, {0x1F250, 0x1F251}, {0x1F260, 0x1F265}, {0x1F300, 0x1F64F},
	{0x1F680, 0x1F6FF}, {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
}
