// Package peertext makes text that came from a peer (a server's error
// message, a header, a transport error quoting what the server sent) fit
// for an error: secrets cut out, length bounded, and, when shown, quoted
// with Go escapes so that no control character or line break reaches a
// log. Every package of the module that puts peer text in an error uses
// it.
package peertext

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Max is how many bytes of peer text an error keeps by default.
const Max = 1 << 10

// Redacted stands for a secret cut out of peer text.
const Redacted = "<redacted>"

// minSecret is the shortest secret cut out: shorter ones would match
// ordinary text (and an empty one everything).
const minSecret = 4

// Cut returns s with every secret of at least four bytes replaced by
// Redacted, then bounded to max bytes (or a little less, so as not to split
// a UTF-8 sequence) followed by "..." when it was longer. Secrets are cut
// before the bound is applied, so no part of one survives at the end. Cut
// does not escape anything: quote its result when showing it.
func Cut(s string, max int, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= minSecret {
			s = strings.ReplaceAll(s, sec, Redacted)
		}
	}
	if max < 0 {
		max = 0
	}
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && n > max-utf8.UTFMax && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// Quote returns Cut(s, Max, secrets...) quoted as Go's %q does: the
// result is one line of printable text whatever the peer sent.
func Quote(s string, secrets ...string) string {
	return strconv.Quote(Cut(s, Max, secrets...))
}

// Contains reports whether s holds one of secrets (of at least four bytes).
func Contains(s string, secrets ...string) bool {
	for _, sec := range secrets {
		if len(sec) >= minSecret && strings.Contains(s, sec) {
			return true
		}
	}
	return false
}

// Error returns err itself if its text is at most Max bytes, holds no
// control character and none of secrets. Otherwise it returns an error
// whose text is err's, cut and with the secrets replaced, that keeps err's
// timeout nature (net.Error) and its being a context error, io.EOF or
// io.ErrUnexpectedEOF (errors.Is), but that does not unwrap to err: the
// transport's and the decoders' errors quote what the peer sent (a
// malformed status line, an element name), and a hostile peer may put a
// token there, or a megabyte.
func Error(err error, secrets ...string) error {
	return ErrorN(err, Max, secrets...)
}

// ErrorN is Error with a bound of max bytes rather than Max.
func ErrorN(err error, max int, secrets ...string) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	if len(text) <= max && !Contains(text, secrets...) && !hasControl(text) {
		return err
	}
	e := &sanitizedError{text: strings.Map(noControl, Cut(text, max, secrets...))}
	var ne net.Error
	e.timeout = errors.As(err, &ne) && ne.Timeout()
	for _, target := range []error{context.DeadlineExceeded, context.Canceled, io.ErrUnexpectedEOF, io.EOF} {
		if errors.Is(err, target) {
			e.is = append(e.is, target)
		}
	}
	return e
}

func hasControl(s string) bool {
	for _, r := range s {
		if noControl(r) != r {
			return true
		}
	}
	return false
}

// noControl maps control characters, line and paragraph separators,
// format characters (the bidirectional overrides that make a log line read
// other than it is, zero-width characters) and invalid UTF-8 to a space.
func noControl(r rune) rune {
	if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r) {
		return ' '
	}
	return r
}

// sanitizedError stands for an error whose text had to be cut.
type sanitizedError struct {
	text    string
	timeout bool
	is      []error
}

func (e *sanitizedError) Error() string   { return e.text }
func (e *sanitizedError) Timeout() bool   { return e.timeout }
func (e *sanitizedError) Temporary() bool { return false }
func (e *sanitizedError) Unwrap() []error { return e.is }

// Line returns Cut(s, max, secrets...) with every control character (line
// breaks included) and invalid UTF-8 byte replaced by a space, and spaces
// trimmed at both ends: peer text fit to be kept in an error's field and
// printed as it is.
func Line(s string, max int, secrets ...string) string {
	return strings.TrimSpace(strings.Map(noControl, Cut(s, max, secrets...)))
}
