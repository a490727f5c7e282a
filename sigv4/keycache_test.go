package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"testing"
)

// TestDeriveKey checks the key derivation against the signing key of the
// AWS documentation's example.
func TestDeriveKey(t *testing.T) {
	const secret, want = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
	k := deriveKey(secret, "20150830", "us-east-1", "iam")
	if got := string(appendHex(nil, &k)); got != want {
		t.Errorf("signing key %s, want %s", got, want)
	}
	if sk := newSigningKey(secret, "20150830", "us-east-1", "iam"); string(appendHex(nil, &sk.key)) != want {
		t.Errorf("cached signing key %x, want %s", sk.key, want)
	}
}

// TestMAC checks the per-signature HMAC, with its pooled hashes, against
// crypto/hmac afresh, for a first use and for reuse.
func TestMAC(t *testing.T) {
	sk := newSigningKey("secret", "20150830", "us-east-1", "sts")
	sc := getScratch()
	defer putScratch(sc)
	for _, msg := range []string{"", "a", strings.Repeat("m", 200), "AWS4-HMAC-SHA256\n20150830T123600Z\n"} {
		m := hmac.New(sha256.New, sk.key[:])
		m.Write([]byte(msg))
		want := m.Sum(nil)
		for i := 0; i < 3; i++ {
			if got := sc.mac(sk, []byte(msg)); string(got[:]) != string(want) {
				t.Errorf("mac(%q) #%d = %x, want %x", msg, i, got, want)
			}
		}
	}
}
