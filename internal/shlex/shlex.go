// Package shlex splits a command line into arguments as Python's
// shlex.split does in POSIX mode, which is how the AWS CLI splits a
// credential_process command on Linux and macOS and the name of a
// [profile NAME] section.
package shlex

import (
	"errors"
	"strings"
)

// Errors of Split.
var (
	// ErrNoClosingQuote is the error for a quote that is not closed.
	ErrNoClosingQuote = errors.New("no closing quotation")
	// ErrNoEscapedChar is the error for a backslash that ends the input.
	ErrNoEscapedChar = errors.New("no character after a final backslash")
)

// Split splits a command line into arguments the way the AWS CLI does on
// Linux and macOS, with Python's shlex.split (POSIX mode, no comments):
//
//   - spaces, tabs, carriage returns and newlines separate arguments;
//   - 'single quotes' keep everything up to the next single quote as it is;
//   - "double quotes" keep everything up to the next unescaped double
//     quote, where a backslash escapes only a double quote or a backslash
//     and is otherwise kept;
//   - outside quotes, a backslash makes the next character, whatever it
//     is, part of the argument;
//   - quoted and unquoted parts next to each other make one argument, and
//     an empty pair of quotes is an empty argument.
//
// Unlike a shell it expands nothing: no $VARIABLES, ~, globs, pipes or
// redirections, and # starts no comment. An unclosed quote or a trailing
// backslash is an error.
func Split(s string) ([]string, error) {
	var (
		args   []string
		cur    strings.Builder
		inWord bool
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ' ', '\t', '\r', '\n':
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		case '\\':
			if i+1 >= len(s) {
				return nil, ErrNoEscapedChar
			}
			i++
			cur.WriteByte(s[i])
			inWord = true
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, ErrNoClosingQuote
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case '"':
			closed := false
			for i++; i < len(s); i++ {
				c := s[i]
				if c == '"' {
					closed = true
					break
				}
				if c == '\\' {
					if i+1 >= len(s) {
						return nil, ErrNoEscapedChar
					}
					if n := s[i+1]; n == '"' || n == '\\' {
						cur.WriteByte(n)
						i++
						continue
					}
				}
				cur.WriteByte(c)
			}
			if !closed {
				return nil, ErrNoClosingQuote
			}
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		args = append(args, cur.String())
	}
	return args, nil
}
