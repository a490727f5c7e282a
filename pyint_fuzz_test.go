package callerid

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzParsePyInt: no panic; what plain ASCII digits say, parsePyInt reads
// as strconv does; whatever it reads, it reads again the same from its
// decimal form, and from that form with underscores between the digits.
func FuzzParsePyInt(f *testing.F) {
	for _, s := range []string{"900", " +1_000 ", "-5", "٩٠٠", "1__0", "_1", "1_", "", "+", "0x400", "99999999999999999999", "\u2003900\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := parsePyInt(s)
		if !ok {
			if n != 0 {
				t.Fatalf("parsePyInt(%q) = %d, false", s, n)
			}
			return
		}
		if want, err := strconv.ParseInt(s, 10, 64); err == nil && want != n {
			t.Fatalf("parsePyInt(%q) = %d; strconv reads %d", s, n, want)
		}
		dec := strconv.FormatInt(n, 10)
		if again, ok := parsePyInt(dec); !ok || again != n {
			t.Fatalf("parsePyInt(%q) = %d; its decimal form %q reads as %d, %t", s, n, dec, again, ok)
		}
		digits := strings.TrimPrefix(dec, "-")
		spaced := strings.TrimSuffix(strings.Join(strings.Split(digits, ""), "_"), "_")
		if n < 0 {
			spaced = "-" + spaced
		}
		if again, ok := parsePyInt(spaced); !ok || again != n {
			t.Fatalf("%q reads as %d, %t; want %d", spaced, again, ok, n)
		}
	})
}
