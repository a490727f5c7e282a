package peertext

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCut(t *testing.T) {
	tests := []struct {
		s       string
		max     int
		secrets []string
		want    string
	}{
		{"short", 10, nil, "short"},
		{"0123456789abc", 10, nil, "0123456789..."},
		{"ééééé", 3, nil, "é..."}, // not split inside a rune
		{"token TOKENVALUE end", 100, []string{"TOKENVALUE"}, "token <redacted> end"},
		// The secret is cut before the bound: no prefix of it survives.
		{"xxxxxxTOKENVALUE", 10, []string{"TOKENVALUE"}, "xxxxxx<red..."},
		{"abc", 10, []string{"", "a", "abc"}, "abc"}, // short secrets are not cut
		{"abcd", 10, []string{"abcd"}, "<redacted>"},
	}
	for _, tt := range tests {
		if got := Cut(tt.s, tt.max, tt.secrets...); got != tt.want {
			t.Errorf("Cut(%q, %d, %q) = %q, want %q", tt.s, tt.max, tt.secrets, got, tt.want)
		}
	}
}

func TestQuoteAndLine(t *testing.T) {
	hostile := "line1\nline2\r\x1b[31m\u2028\u202e\u200b\xff" + strings.Repeat("A", 10000) + "SECRETTOKEN"
	q := Quote(hostile, "SECRETTOKEN")
	if strings.ContainsAny(q, "\n\r\x1b\u2028\u202e\u200b") || len(q) > 2*Max || !utf8.ValidString(q) || !strings.HasPrefix(q, `"line1\nline2`) {
		t.Errorf("Quote = %.100q (%d bytes)", q, len(q))
	}
	l := Line(hostile, 100, "SECRETTOKEN")
	if strings.ContainsAny(l, "\n\r\x1b\u2028\u202e\u200b") || !utf8.ValidString(l) || len(l) > 103 {
		t.Errorf("Line = %q", l)
	}
}

type timeoutErr struct{ text string }

func (e timeoutErr) Error() string   { return e.text }
func (e timeoutErr) Timeout() bool   { return true }
func (e timeoutErr) Temporary() bool { return true }

func TestError(t *testing.T) {
	plain := errors.New("connection reset")
	if got := Error(plain, "SECRETTOKEN"); got != plain {
		t.Errorf("a clean error was replaced: %v", got)
	}
	if Error(nil) != nil {
		t.Error("Error(nil) != nil")
	}
	leaky := fmt.Errorf("malformed header %q: %w", "X SECRETTOKEN\n", io.ErrUnexpectedEOF)
	got := Error(leaky, "SECRETTOKEN")
	if strings.Contains(got.Error(), "SECRETTOKEN") || strings.ContainsAny(got.Error(), "\n") || !errors.Is(got, io.ErrUnexpectedEOF) {
		t.Errorf("Error = %q; want the token cut and io.ErrUnexpectedEOF kept", got)
	}
	long := fmt.Errorf("%w: %s", context.DeadlineExceeded, strings.Repeat("x", 5000))
	if got := Error(long); len(got.Error()) > Max+3 || !errors.Is(got, context.DeadlineExceeded) {
		t.Errorf("Error of a long error: %d bytes, is deadline %v", len(got.Error()), errors.Is(got, context.DeadlineExceeded))
	}
	if got := ErrorN(long, 100); len(got.Error()) > 103 || !errors.Is(got, context.DeadlineExceeded) {
		t.Errorf("ErrorN of a long error: %d bytes, is deadline %v", len(got.Error()), errors.Is(got, context.DeadlineExceeded))
	}
	if short := errors.New("short"); ErrorN(short, 100) != short {
		t.Error("ErrorN replaced an error within its bound")
	}
	bidi := errors.New("element <a\u202eb>")
	if got := Error(bidi); strings.Contains(got.Error(), "\u202e") {
		t.Errorf("Error kept a bidirectional override: %q", got)
	}
	to := Error(timeoutErr{strings.Repeat("y", 5000)})
	if te, ok := to.(interface{ Timeout() bool }); !ok || !te.Timeout() {
		t.Errorf("the timeout nature is lost: %T", to)
	}
}
