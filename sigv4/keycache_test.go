package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"testing"
)

// TestHMACSHA256 checks the derivation's HMAC against crypto/hmac, for
// keys shorter and longer than a block.
func TestHMACSHA256(t *testing.T) {
	for _, key := range []string{"", "k", strings.Repeat("s", 59), strings.Repeat("s", 60), strings.Repeat("s", 61), strings.Repeat("x", 200)} {
		for _, msg := range []string{"", "20150830", "aws4_request", strings.Repeat("m", 100)} {
			m := hmac.New(sha256.New, []byte("AWS4"+key))
			m.Write([]byte(msg))
			want := m.Sum(nil)
			if got := hmacSHA256("AWS4", key, msg); string(got[:]) != string(want) {
				t.Errorf("hmacSHA256(AWS4+%d bytes, %q) = %x, want %x", len(key), msg, got, want)
			}
		}
	}
	// The signing key of the AWS documentation's example.
	k := newSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam")
	var key [32]byte
	for i := range key {
		key[i] = k.ipad[i] ^ 0x36
	}
	if got := string(appendHex(nil, &key)); got != "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9" {
		t.Errorf("signing key %s", got)
	}
}
