package sigv4

import (
	"testing"
)

// TestDeriveKey checks the key derivation against the signing key of the
// AWS documentation's example (and the padded blocks kept of it).
func TestDeriveKey(t *testing.T) {
	const secret, want = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
	k := deriveKey(secret, "20150830", "us-east-1", "iam")
	if got := string(appendHex(nil, &k)); got != want {
		t.Errorf("signing key %s, want %s", got, want)
	}
	sk := newSigningKey(secret, "20150830", "us-east-1", "iam")
	var key [32]byte
	for i := range key {
		key[i] = sk.ipad[i] ^ 0x36
	}
	if got := string(appendHex(nil, &key)); got != want {
		t.Errorf("signing key of the padded block %s, want %s", got, want)
	}
}
