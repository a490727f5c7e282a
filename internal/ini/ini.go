// Package ini reads the AWS CLI's INI files (~/.aws/config,
// ~/.aws/credentials, boto's config) the way botocore does: Python's
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
package ini

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxFileSize bounds how much of a file its readers should read; Parse
// itself takes what it is given.
const MaxFileSize = 16 << 20

// File is one parsed file.
type File struct {
	// Path is the file's path, as given to Parse.
	Path string
	// Sections are the file's sections in the order they first appear,
	// not [DEFAULT], whose keys they inherit.
	Sections []*Section
}

// Section is a section with the [DEFAULT] keys it inherits already
// merged in.
type Section struct {
	// Name is what is between the brackets of the header.
	Name string
	// Line is the header's line.
	Line int
	// Keys are the section's keys, lowercased, in file order, then the
	// [DEFAULT] keys it inherits.
	Keys []string
	// Values holds the value of each key.
	Values map[string]*Value
}

// Value is one key's value.
type Value struct {
	// Value is the value with its continuation lines joined by "\n", as
	// configparser returns it.
	Value string
	// Nested is set when the value started on the line after its key:
	// the "key = value" lines below it, keys keeping their case.
	Nested map[string]string
	// Line is the line of the key.
	Line int

	// parts are the value's lines, as parsed, and lines the line numbers
	// they came from.
	parts []string
	lines []int
}

// Error is a syntax error: the file, the line and what is wrong. It never
// quotes the line, which may hold a secret.
type Error struct {
	// Path is the file.
	Path string
	// Line is the 1-based line, or 0 when the error is not about one line.
	Line int
	// Err says what is wrong.
	Err error
}

// Error returns "path:line: what is wrong".
func (e *Error) Error() string {
	if e.Line > 0 {
		return e.Path + ":" + strconv.Itoa(e.Line) + ": " + e.Err.Error()
	}
	return e.Path + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// IsSpace reports whether r is whitespace to Python's str.isspace and
// its re module's \s, which add the separators U+001C..U+001F to what Go
// calls space.
func IsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// TrimSpace trims what IsSpace calls space from both ends of s, as
// Python's str.strip.
func TrimSpace(s string) string { return strings.TrimFunc(s, IsSpace) }

// SplitLines splits s at the line boundaries of Python's str.splitlines.
func SplitLines(s string) []string {
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
	values map[string]*Value
}

func (s *rawSection) add(key string, v *Value) {
	if s.values == nil {
		s.values = make(map[string]*Value)
	}
	s.keys = append(s.keys, key)
	s.values[key] = v
}

// Parse parses data, read from path, as botocore's raw_config_parse
// does with parse_subsections=True. Its errors are *Error values.
func Parse(path string, data []byte) (*File, error) {
	fail := func(line int, format string, args ...any) error {
		return &Error{Path: path, Line: line, Err: fmt.Errorf(format, args...)}
	}
	text := string(data)
	text = strings.TrimPrefix(text, "\ufeff") // a byte order mark, as Windows editors write
	var (
		defaults  = &rawSection{name: "DEFAULT"}
		sections  []*rawSection
		byName    = map[string]*rawSection{}
		cur       *rawSection // nil before the first header
		curVal    *Value      // the value continuation lines extend
		indent    int
		firstErr  error
		sawHeader bool
	)
	for i, line := range splitFileLines(text) {
		lineno := i + 1
		if !utf8.ValidString(line) {
			return nil, fail(lineno, "line is not valid UTF-8")
		}
		stripped := TrimSpace(line)
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
			if !IsSpace(r) {
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
		key := strings.ToLower(strings.TrimRightFunc(stripped[:j], IsSpace))
		if key == "" {
			if firstErr == nil {
				firstErr = fail(lineno, "a value with no key name")
			}
			curVal = nil
			continue
		}
		if prev, ok := cur.values[key]; ok {
			where := "[" + cur.name + "]"
			return nil, fail(lineno, "key %q is set twice in section %s (first at line %d)", key, where, prev.Line)
		}
		v := &Value{Line: lineno, parts: []string{TrimSpace(stripped[j+1:])}, lines: []int{lineno}}
		cur.add(key, v)
		curVal = v
	}
	if firstErr != nil {
		return nil, firstErr
	}
	// Every section inherits the [DEFAULT] keys; bound that work.
	if len(defaults.keys) > 0 && len(sections) > (1<<22)/len(defaults.keys) {
		return nil, &Error{Path: path, Err: errors.New("too many [DEFAULT] keys times sections")}
	}
	f := &File{Path: path}
	finish := func(v *Value) (*Value, error) {
		out := *v
		out.Value = strings.TrimRightFunc(strings.Join(v.parts, "\n"), IsSpace)
		if strings.HasPrefix(out.Value, "\n") {
			nested, err := parseNested(path, v)
			if err != nil {
				return nil, err
			}
			out.Nested = nested
		}
		return &out, nil
	}
	for _, s := range sections {
		sec := &Section{Name: s.name, Line: s.line, Values: make(map[string]*Value)}
		for _, k := range s.keys {
			v, err := finish(s.values[k])
			if err != nil {
				return nil, err
			}
			sec.Keys = append(sec.Keys, k)
			sec.Values[k] = v
		}
		for _, k := range defaults.keys {
			if _, ok := sec.Values[k]; ok {
				continue
			}
			v, err := finish(defaults.values[k])
			if err != nil {
				return nil, err
			}
			sec.Keys = append(sec.Keys, k)
			sec.Values[k] = v
		}
		f.Sections = append(f.Sections, sec)
	}
	return f, nil
}

// parseNested parses the lines of a value that started on the line after
// its key, as botocore's _parse_nested: "key = value" per line, blank lines
// skipped, later keys winning. Nested key names keep their case.
func parseNested(path string, v *Value) (map[string]string, error) {
	nested := make(map[string]string)
	for n, part := range v.parts {
		// A part can hold one of Python's other line separators
		// (str.splitlines splits at U+001C, U+2028, ...).
		for _, l := range SplitLines(part) {
			l = TrimSpace(l)
			if l == "" {
				continue
			}
			k, val, ok := strings.Cut(l, "=")
			if !ok {
				return nil, &Error{Path: path, Line: v.lines[n], Err: errors.New("a line of a nested value has no '='")}
			}
			nested[TrimSpace(k)] = TrimSpace(val)
		}
	}
	return nested, nil
}
