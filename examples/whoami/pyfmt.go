package main

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The AWS CLI is a Python program, and some of its messages print values
// the way Python does: repr() of a string in argparse's "Invalid choice:
// 'tabel'", str() of a JSON literal in a JMESPath error, "[Errno 2] No
// such file or directory: 'prog'". This file holds those conventions, and
// the JSON reader of Python's json module that JMESPath's lexer uses.

// A pyDict is a JSON object as Python's json.loads makes it: keys in the
// order they first appear, the last value of a repeated key.
type pyDict struct {
	keys []string
	vals map[string]any
}

// pyNumber is a JSON number: its Python repr, an int's digits or a
// float's shortest form.
type pyNumber string

// pyStr is Python's str() of a value made by parsePyJSON: a string as it
// is, anything else as repr.
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

// pyRepr is Python's repr() of a value made by parsePyJSON.
func pyRepr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case pyNumber:
		return string(v)
	case string:
		return pyQuote(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *pyDict:
		parts := make([]string, len(v.keys))
		for i, k := range v.keys {
			parts[i] = pyQuote(k) + ": " + pyRepr(v.vals[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "?"
}

// pyQuote is Python's repr() of a string: in single quotes unless it holds
// a single quote and no double quote, with backslash escapes for the
// quote, backslashes and characters that are not printable.
func pyQuote(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			// Python holds a byte that is not UTF-8 as a lone surrogate
			// U+DC80..U+DCFF, which repr escapes.
			b.WriteString(`\udc` + strconv.FormatUint(uint64(s[i]), 16))
			i++
			continue
		}
		i += size
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < ' ' || r == 0x7f:
			b.WriteString(`\x` + hex2(uint64(r)))
		case r < 0x7f || unicode.IsPrint(r):
			b.WriteRune(r)
		case r <= 0xff:
			b.WriteString(`\x` + hex2(uint64(r)))
		case r <= 0xffff:
			b.WriteString(`\u` + pad(strconv.FormatUint(uint64(r), 16), 4))
		default:
			b.WriteString(`\U` + pad(strconv.FormatUint(uint64(r), 16), 8))
		}
	}
	b.WriteByte(quote)
	return b.String()
}

func hex2(n uint64) string { return pad(strconv.FormatUint(n, 16), 2) }

func pad(s string, n int) string {
	if len(s) < n {
		return strings.Repeat("0", n-len(s)) + s
	}
	return s
}

// pyInt is Python's str(int(s)) of an optional minus sign and digits.
func pyInt(s string) string {
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimLeft(strings.TrimPrefix(s, "-"), "0")
	if digits == "" {
		return "0"
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// pyFloat is Python's repr() of a float: the shortest digits that read
// back as f, in fixed notation with at least one decimal when the
// decimal point falls within 16 digits, else in exponent notation.
func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	point := x + 1 // digits before the decimal point
	if -4 < point && point <= 16 {
		switch {
		case point <= 0:
			return sign + "0." + strings.Repeat("0", -point) + digits
		case point >= len(digits):
			return sign + digits + strings.Repeat("0", point-len(digits)) + ".0"
		default:
			return sign + digits[:point] + "." + digits[point:]
		}
	}
	out := sign + digits[:1]
	if len(digits) > 1 {
		out += "." + digits[1:]
	}
	es := "+"
	if x < 0 {
		es, x = "-", -x
	}
	return out + "e" + es + pad(strconv.Itoa(x), 2)
}

// isPySpace is Python's str.isspace for one character.
func isPySpace(r rune) bool { return unicode.IsSpace(r) || 0x1c <= r && r <= 0x1f }

// parsePyJSON reads s as Python's json.loads does (which also takes NaN,
// Infinity and -Infinity) and reports whether it is a JSON document.
func parsePyJSON(s string) (any, bool) {
	r := &pyJSONReader{s: s}
	r.space()
	v, ok := r.value(0)
	if !ok {
		return nil, false
	}
	r.space()
	return v, r.i == len(r.s)
}

// decodePyJSONString decodes a JSON string literal (quotes included) as
// Python's json module does, or returns the first part of its error
// message, as JMESPath's lexer reports it: "Invalid \escape", "Invalid
// \uXXXX escape", "Invalid control character at".
func decodePyJSONString(s string) (string, string) {
	r := &pyJSONReader{s: s}
	v, ok := r.str()
	if !ok {
		return "", r.why
	}
	return v, ""
}

type pyJSONReader struct {
	s   string
	i   int
	why string
}

const maxPyJSONDepth = 100

func (r *pyJSONReader) space() {
	for r.i < len(r.s) && strings.IndexByte(" \t\n\r", r.s[r.i]) >= 0 {
		r.i++
	}
}

func (r *pyJSONReader) lit(word string) bool {
	if strings.HasPrefix(r.s[r.i:], word) {
		r.i += len(word)
		return true
	}
	return false
}

func (r *pyJSONReader) value(depth int) (any, bool) {
	if r.i >= len(r.s) || depth > maxPyJSONDepth {
		return nil, false
	}
	switch c := r.s[r.i]; {
	case c == '"':
		return r.str()
	case c == '{':
		return r.object(depth)
	case c == '[':
		return r.array(depth)
	case r.lit("null"):
		return nil, true
	case r.lit("true"):
		return true, true
	case r.lit("false"):
		return false, true
	case r.lit("NaN"):
		return pyNumber("nan"), true
	case r.lit("Infinity"):
		return pyNumber("inf"), true
	case r.lit("-Infinity"):
		return pyNumber("-inf"), true
	}
	return r.number()
}

func (r *pyJSONReader) digits() int {
	n := 0
	for r.i < len(r.s) && '0' <= r.s[r.i] && r.s[r.i] <= '9' {
		r.i++
		n++
	}
	return n
}

func (r *pyJSONReader) number() (any, bool) {
	start := r.i
	if r.i < len(r.s) && r.s[r.i] == '-' {
		r.i++
	}
	if r.i < len(r.s) && r.s[r.i] == '0' {
		r.i++
	} else if r.digits() == 0 {
		return nil, false
	}
	isFloat := false
	if r.i+1 < len(r.s) && r.s[r.i] == '.' && '0' <= r.s[r.i+1] && r.s[r.i+1] <= '9' {
		r.i++
		r.digits()
		isFloat = true
	}
	if r.i < len(r.s) && (r.s[r.i] == 'e' || r.s[r.i] == 'E') {
		save := r.i
		r.i++
		if r.i < len(r.s) && (r.s[r.i] == '+' || r.s[r.i] == '-') {
			r.i++
		}
		if r.digits() == 0 {
			r.i = save // Python leaves "1e" as 1 followed by junk
		} else {
			isFloat = true
		}
	}
	text := r.s[start:r.i]
	if !isFloat {
		return pyNumber(pyInt(text)), true
	}
	f, _ := strconv.ParseFloat(text, 64) // ±Inf on overflow, as Python's float()
	return pyNumber(pyFloat(f)), true
}

func (r *pyJSONReader) array(depth int) (any, bool) {
	r.i++ // [
	list := []any{}
	r.space()
	if r.i < len(r.s) && r.s[r.i] == ']' {
		r.i++
		return list, true
	}
	for {
		r.space()
		v, ok := r.value(depth + 1)
		if !ok {
			return nil, false
		}
		list = append(list, v)
		r.space()
		if r.i >= len(r.s) {
			return nil, false
		}
		switch r.s[r.i] {
		case ',':
			r.i++
		case ']':
			r.i++
			return list, true
		default:
			return nil, false
		}
	}
}

func (r *pyJSONReader) object(depth int) (any, bool) {
	r.i++ // {
	d := &pyDict{vals: map[string]any{}}
	r.space()
	if r.i < len(r.s) && r.s[r.i] == '}' {
		r.i++
		return d, true
	}
	for {
		r.space()
		if r.i >= len(r.s) || r.s[r.i] != '"' {
			return nil, false
		}
		k, ok := r.str()
		if !ok {
			return nil, false
		}
		r.space()
		if r.i >= len(r.s) || r.s[r.i] != ':' {
			return nil, false
		}
		r.i++
		r.space()
		v, ok := r.value(depth + 1)
		if !ok {
			return nil, false
		}
		if _, seen := d.vals[k]; !seen {
			d.keys = append(d.keys, k)
		}
		d.vals[k] = v
		r.space()
		if r.i >= len(r.s) {
			return nil, false
		}
		switch r.s[r.i] {
		case ',':
			r.i++
		case '}':
			r.i++
			return d, true
		default:
			return nil, false
		}
	}
}

// str reads a string at r.s[r.i] == '"'.
func (r *pyJSONReader) str() (string, bool) {
	fail := func(why string) (string, bool) { r.why = why; return "", false }
	r.i++ // "
	var b strings.Builder
	for {
		if r.i >= len(r.s) {
			return fail("Unterminated string starting at")
		}
		c := r.s[r.i]
		switch {
		case c == '"':
			r.i++
			return b.String(), true
		case c < 0x20:
			return fail("Invalid control character at")
		case c != '\\':
			b.WriteByte(c)
			r.i++
			continue
		}
		r.i++ // the backslash
		if r.i >= len(r.s) {
			return fail("Unterminated string starting at")
		}
		esc := r.s[r.i]
		if esc != 'u' {
			repl, ok := map[byte]string{'"': `"`, '\\': `\`, '/': "/", 'b': "\b", 'f': "\f", 'n': "\n", 'r': "\r", 't': "\t"}[esc]
			if !ok {
				return fail(`Invalid \escape`)
			}
			b.WriteString(repl)
			r.i++
			continue
		}
		u, ok := r.hex4(r.i + 1)
		if !ok {
			return fail(`Invalid \uXXXX escape`)
		}
		r.i += 5
		if 0xd800 <= u && u <= 0xdbff && r.i+6 < len(r.s) && r.s[r.i] == '\\' && r.s[r.i+1] == 'u' {
			lo, ok := r.hex4(r.i + 2)
			if !ok {
				return fail(`Invalid \uXXXX escape`)
			}
			if 0xdc00 <= lo && lo <= 0xdfff {
				u = 0x10000 + (u-0xd800)<<10 + (lo - 0xdc00)
				r.i += 6
			}
		}
		b.WriteRune(rune(u)) // a lone surrogate becomes U+FFFD
	}
}

func (r *pyJSONReader) hex4(at int) (uint32, bool) {
	if at+4 > len(r.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(r.s[at:at+4], 16, 32)
	if err != nil || strings.ContainsAny(r.s[at:at+4], "+-xX_") {
		return 0, false
	}
	return uint32(n), true
}
