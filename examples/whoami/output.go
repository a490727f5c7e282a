package main

import (
	"sort"
	"strings"
)

// The AWS CLI's three output formats, for the values a query yields.

// formatJSON is the CLI's json output: Python's json.dump with a
// four-space indent, non-ASCII characters as they are, and a newline.
func formatJSON(v value) string {
	var b strings.Builder
	writeJSON(&b, v, 0)
	b.WriteByte('\n')
	return b.String()
}

func writeJSON(b *strings.Builder, v value, depth int) {
	indent := func(d int) { b.WriteString(strings.Repeat("    ", d)) }
	switch {
	case v.null:
		b.WriteString("null")
	case v.isHash():
		if len(v.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, k := range v.keys {
			if i > 0 {
				b.WriteString(",\n")
			}
			indent(depth + 1)
			b.WriteString(jsonString(k))
			b.WriteString(": ")
			writeJSON(b, v.list[i], depth+1)
		}
		b.WriteByte('\n')
		indent(depth)
		b.WriteByte('}')
	case v.isSeq:
		if len(v.list) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, e := range v.list {
			if i > 0 {
				b.WriteString(",\n")
			}
			indent(depth + 1)
			writeJSON(b, e, depth+1)
		}
		b.WriteByte('\n')
		indent(depth)
		b.WriteByte(']')
	default:
		b.WriteString(jsonString(v.str))
	}
}

// jsonString quotes s as Python's json module does with ensure_ascii
// off: the quote, the backslash and control characters escaped (\b, \f,
// \n, \r, \t, else \u00XX), everything else as it is.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 {
				b.WriteString(`\u00` + hex2(uint64(c)))
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// pyText is Python's str() of a scalar value: None for null.
func pyText(v value) string {
	if v.null {
		return "None"
	}
	return v.str
}

// formatText is the CLI's text output: a scalar on its line; the values
// of a list tab-separated on one line; those of a hash likewise, in the
// order of their keys.
func formatText(v value) string {
	switch {
	case v.isHash():
		if len(v.keys) == 0 {
			return ""
		}
		order := sortedIndexes(v.keys)
		parts := make([]string, len(order))
		for i, j := range order {
			parts[i] = pyText(v.list[j])
		}
		return strings.Join(parts, "\t") + "\n"
	case v.isSeq:
		if len(v.list) == 0 {
			return ""
		}
		parts := make([]string, len(v.list))
		for i, e := range v.list {
			parts[i] = pyText(e)
		}
		return strings.Join(parts, "\t") + "\n"
	}
	return pyText(v) + "\n"
}

// sortedIndexes returns the indexes of keys in the order of the keys,
// as Python's sorted() orders strings (by code point, which is the byte
// order of UTF-8).
func sortedIndexes(keys []string) []int {
	idx := make([]int, len(keys))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return keys[idx[a]] < keys[idx[b]] })
	return idx
}
