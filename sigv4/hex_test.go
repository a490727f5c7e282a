package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func TestAppendHex(t *testing.T) {
	var b [32]byte
	for i := range b {
		b[i] = byte(i * 37)
	}
	check := func(b [32]byte) {
		t.Helper()
		if got, want := string(appendHex([]byte("x"), &b)), "x"+hex.EncodeToString(b[:]); got != want {
			t.Fatalf("appendHex = %s, want %s", got, want)
		}
	}
	check(b)
	check([32]byte{})
	for i := range b {
		b[i] = 0xff
	}
	check(b)
	for i := 0; i < 256; i++ {
		check(sha256.Sum256([]byte{byte(i)}))
		var c [32]byte
		for j := range c {
			c[j] = byte(i + j)
		}
		check(c)
	}
}
