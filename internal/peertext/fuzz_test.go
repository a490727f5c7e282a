package peertext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCut checks Cut, Line and Quote on any text and secret: the secret
// never survives, the bound holds, and Line and Quote give one line.
func FuzzCut(f *testing.F) {
	f.Add("token SECRETVALUE\nnext line", "SECRETVALUE", 20)
	f.Add("ééééé", "", 3)
	f.Add("xxSECRsecretSECRET", "SECRET", 10)
	f.Add("\xff\xfe\u2028\x00", "\x00\x00\x00\x00", 2)
	f.Add("admin\u202e\u2066txt.exe", "", 64)
	f.Fuzz(func(t *testing.T, s, secret string, max int) {
		if max < 0 || max > 1<<16 {
			max = 64
		}
		c := Cut(s, max, secret)
		if len(c) > max+3 {
			t.Errorf("Cut(%q, %d) = %q: %d bytes", s, max, c, len(c))
		}
		if utf8.ValidString(s) && !utf8.ValidString(c) {
			t.Errorf("Cut(%q, %d) = %q splits a rune", s, max, c)
		}
		if len(secret) >= minSecret && !strings.Contains(Redacted, secret) && strings.Contains(c, secret) {
			t.Errorf("Cut(%q, %q) = %q keeps the secret", s, secret, c)
		}
		l := Line(s, max, secret)
		if strings.ContainsAny(l, "\n\r\u2028\u2029\u202e\u2066") || !utf8.ValidString(l) {
			t.Errorf("Line(%q) = %q", s, l)
		}
		if q := Quote(s, secret); strings.ContainsAny(q, "\n\r\u2028\u2029\u202e\u2066") || !utf8.ValidString(q) {
			t.Errorf("Quote(%q) = %q", s, q)
		}
	})
}
