package callerid

import (
	"math"
	"strings"
	"unicode"
)

// parsePyInt reads s as Python's int(s) reads a string in base 10, which
// is how botocore reads duration_seconds: surrounding white space, an
// optional + or -, then decimal digits, Unicode's included ("٩٠٠" is 900), with single underscores between digits
// ("1_000"); leading zeros are allowed. ok is false for what int()
// refuses. A number beyond int64 is clamped to its bound (it is out of
// any range this package checks).
func parsePyInt(s string) (n int64, ok bool) {
	s = strings.TrimFunc(s, pySpace)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	digits, underscore := 0, false
	for _, r := range s {
		if r == '_' {
			if digits == 0 || underscore {
				return 0, false
			}
			underscore = true
			continue
		}
		d, isDigit := decimalValue(r)
		if !isDigit {
			return 0, false
		}
		digits++
		underscore = false
		if n > (math.MaxInt64-int64(d))/10 {
			n = math.MaxInt64
		} else {
			n = n*10 + int64(d)
		}
	}
	if digits == 0 || underscore {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// pySpace reports whether int() skips r around a number: ASCII's white
// space, and Unicode's beyond ASCII (not the information separators
// U+001C to U+001F, which Python's str.isspace counts).
func pySpace(r rune) bool {
	return unicode.IsSpace(r)
}

// decimalValue is the value of a decimal digit (Unicode category Nd).
// Unicode encodes each set of decimal digits as ten consecutive code
// points from zero to nine, so the value is the number of digits just
// before r, modulo ten.
func decimalValue(r rune) (int, bool) {
	if '0' <= r && r <= '9' {
		return int(r - '0'), true
	}
	if !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	before := 0
	for unicode.Is(unicode.Nd, r-rune(before)-1) {
		before++
	}
	return before % 10, true
}
