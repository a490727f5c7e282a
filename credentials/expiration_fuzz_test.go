package credentials

import (
	"testing"
	"time"
)

// FuzzParseExpiration: no panic; a time in the RFC 3339 form Go prints
// (Go's parser takes more: one-digit hours, year 0, which Python does
// not) parseExpiration takes as the same instant; what it takes, it takes
// again the same from that form.
func FuzzParseExpiration(f *testing.F) {
	for _, s := range []string{
		"2006-01-02T15:04:05Z", "2006-01-02T15:04:05.123456+00:00", "2006-01-02 15:04:05+0000", "2006-01-02t15:04:05.123z",
		"2006-01-02T15:04:05,5-05", "2006-01-02T24:00:00Z", "2006-02-30T00:00:00Z", "2006-01-02T15:04:05", "2006-01-02", "tomorrow",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseExpiration(s)
		if want, rerr := time.Parse(time.RFC3339, s); rerr == nil && want.Year() > 0 && want.Format(time.RFC3339Nano) == s {
			if err != nil || !got.Equal(want) {
				t.Fatalf("%q: parseExpiration = %v, %v; time.Parse = %v", s, got, err, want)
			}
		}
		if err != nil {
			return
		}
		again, err := parseExpiration(got.Format(time.RFC3339Nano))
		if err != nil || !again.Equal(got) {
			t.Fatalf("%q reads as %v; its RFC 3339 form as %v, %v", s, got, again, err)
		}
	})
}
