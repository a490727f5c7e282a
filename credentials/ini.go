package credentials

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file reads the AWS CLI's INI files the way botocore does: Python's
// configparser.RawConfigParser with its defaults (delimiters "=" and ":",
// whole-line comments starting with "#" or ";" and no inline comments,
// strict duplicate checks, continuation lines indented deeper than their
// key, a [DEFAULT] section whose keys every section inherits, key names
// lowercased), followed by botocore's configloader, which turns a value
// that starts on the line after its key into a nested map:
//
//	s3 =
//	    addressing_style = path
//
// Errors name the file and line, never a value: a value may be a secret.

// maxConfigFileSize bounds how much of a config file is read.
const maxConfigFileSize = 16 << 20

// iniFile is one parsed file.
type iniFile struct {
	path     string
	sections []*iniSection // in the order they first appear; not DEFAULT
}

// iniSection is a section with the [DEFAULT] keys it inherits already
// merged in.
type iniSection struct {
	name   string
	line   int
	keys   []string // in file order
	values map[string]*iniValue
}

// iniValue is one key's value.
type iniValue struct {
	// value is the value with its continuation lines joined by "\n", as
	// configparser returns it.
	value string
	// nested is set when value started on the line after its key.
	nested map[string]string
	// line is the line of the key.
	line int
	// parts are the value's lines, as parsed, and lines the line numbers
	// they came from.
	parts []string
	lines []int
}

// isPySpace reports whether r is whitespace to Python's str.isspace and
// its re module's \s, which add the separators U+001C..U+001F to what Go
// calls space.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

func pyStrip(s string) string { return strings.TrimFunc(s, isPySpace) }

// pySplitLines splits s at the line boundaries of Python's str.splitlines.
func pySplitLines(s string) []string {
	var lines []string
	for len(s) > 0 {
		i := strings.IndexFunc(s, func(r rune) bool {
			switch r {
			case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
				return true
			}
			return false
		})
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i])
		_, n := utf8.DecodeRuneInString(s[i:])
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			n = 2
		}
		s = s[i+n:]
	}
	return lines
}

// splitFileLines splits data at universal newlines ("\n", "\r\n", "\r"),
// as Python reads a text file.
func splitFileLines(data string) []string {
	var lines []string
	for len(data) > 0 {
		i := strings.IndexAny(data, "\r\n")
		if i < 0 {
			lines = append(lines, data)
			break
		}
		lines = append(lines, data[:i])
		if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			i++
		}
		data = data[i+1:]
	}
	return lines
}

type rawSection struct {
	name   string
	line   int
	keys   []string
	values map[string]*iniValue
}

func (s *rawSection) add(key string, v *iniValue) {
	if s.values == nil {
		s.values = make(map[string]*iniValue)
	}
	s.keys = append(s.keys, key)
	s.values[key] = v
}

// parseINI parses data, read from path, as botocore's raw_config_parse
// does with parse_subsections=True.
func parseINI(path string, data []byte) (*iniFile, error) {
	fail := func(line int, format string, args ...any) error {
		return &ConfigError{Path: path, Line: line, Err: fmt.Errorf(format, args...)}
	}
	text := string(data)
	text = strings.TrimPrefix(text, "\ufeff") // a byte order mark, as Windows editors write
	var (
		defaults  = &rawSection{name: "DEFAULT"}
		sections  []*rawSection
		byName    = map[string]*rawSection{}
		cur       *rawSection // nil before the first header
		curVal    *iniValue   // the value continuation lines extend
		indent    int
		firstErr  error
		sawHeader bool
	)
	for i, line := range splitFileLines(text) {
		lineno := i + 1
		if !utf8.ValidString(line) {
			return nil, fail(lineno, "line is not valid UTF-8")
		}
		stripped := pyStrip(line)
		if strings.HasPrefix(stripped, "#") || strings.HasPrefix(stripped, ";") {
			continue // a comment, even when indented
		}
		if stripped == "" {
			// configparser keeps empty lines inside a multi-line value.
			if cur != nil && curVal != nil {
				curVal.parts = append(curVal.parts, "")
				curVal.lines = append(curVal.lines, lineno)
			}
			continue
		}
		lineIndent := 0
		for _, r := range line {
			if !isPySpace(r) {
				break
			}
			lineIndent++
		}
		if cur != nil && curVal != nil && lineIndent > indent {
			curVal.parts = append(curVal.parts, stripped)
			curVal.lines = append(curVal.lines, lineno)
			continue
		}
		indent = lineIndent
		if strings.HasPrefix(stripped, "[") {
			if j := strings.LastIndexByte(stripped, ']'); j >= 2 {
				name := stripped[1:j]
				sawHeader = true
				curVal = nil
				if name == "DEFAULT" {
					cur = defaults
					continue
				}
				if prev, ok := byName[name]; ok {
					return nil, fail(lineno, "section [%s] is defined twice (first at line %d)", name, prev.line)
				}
				cur = &rawSection{name: name, line: lineno}
				byName[name] = cur
				sections = append(sections, cur)
				continue
			}
		}
		if !sawHeader {
			return nil, fail(lineno, "a key or value before the first [section] header")
		}
		j := strings.IndexAny(stripped, "=:")
		if j < 0 {
			if firstErr == nil {
				firstErr = fail(lineno, "line is neither a [section] header, a key = value pair nor a comment")
			}
			curVal = nil
			continue
		}
		key := strings.ToLower(strings.TrimRightFunc(stripped[:j], isPySpace))
		if key == "" {
			if firstErr == nil {
				firstErr = fail(lineno, "a value with no key name")
			}
			curVal = nil
			continue
		}
		if prev, ok := cur.values[key]; ok {
			where := "[" + cur.name + "]"
			return nil, fail(lineno, "key %q is set twice in section %s (first at line %d)", key, where, prev.line)
		}
		v := &iniValue{line: lineno, parts: []string{pyStrip(stripped[j+1:])}, lines: []int{lineno}}
		cur.add(key, v)
		curVal = v
	}
	if firstErr != nil {
		return nil, firstErr
	}
	// Every section inherits the [DEFAULT] keys; bound that work.
	if len(defaults.keys) > 0 && len(sections) > (1<<22)/len(defaults.keys) {
		return nil, &ConfigError{Path: path, Err: errors.New("too many [DEFAULT] keys times sections")}
	}
	f := &iniFile{path: path}
	finish := func(v *iniValue) (*iniValue, error) {
		out := *v
		out.value = strings.TrimRightFunc(strings.Join(v.parts, "\n"), isPySpace)
		if strings.HasPrefix(out.value, "\n") {
			nested, err := parseNested(path, v)
			if err != nil {
				return nil, err
			}
			out.nested = nested
		}
		return &out, nil
	}
	for _, s := range sections {
		sec := &iniSection{name: s.name, line: s.line, values: make(map[string]*iniValue)}
		for _, k := range s.keys {
			v, err := finish(s.values[k])
			if err != nil {
				return nil, err
			}
			sec.keys = append(sec.keys, k)
			sec.values[k] = v
		}
		for _, k := range defaults.keys {
			if _, ok := sec.values[k]; ok {
				continue
			}
			v, err := finish(defaults.values[k])
			if err != nil {
				return nil, err
			}
			sec.keys = append(sec.keys, k)
			sec.values[k] = v
		}
		f.sections = append(f.sections, sec)
	}
	return f, nil
}

// parseNested parses the lines of a value that started on the line after
// its key, as botocore's _parse_nested: "key = value" per line, blank lines
// skipped, later keys winning. Nested key names keep their case.
func parseNested(path string, v *iniValue) (map[string]string, error) {
	nested := make(map[string]string)
	for n, part := range v.parts {
		// A part can hold one of Python's other line separators
		// (str.splitlines splits at U+001C, U+2028, ...).
		for _, l := range pySplitLines(part) {
			l = pyStrip(l)
			if l == "" {
				continue
			}
			k, val, ok := strings.Cut(l, "=")
			if !ok {
				return nil, &ConfigError{Path: path, Line: v.lines[n], Err: errors.New("a line of a nested value has no '='")}
			}
			nested[pyStrip(k)] = pyStrip(val)
		}
	}
	return nested, nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
