package sigv4

// hexPairs holds the two lowercase hex digits of every byte.
var hexPairs = func() (t [256][2]byte) {
	const digits = "0123456789abcdef"
	for i := range t {
		t[i] = [2]byte{digits[i>>4], digits[i&15]}
	}
	return t
}()

// appendHex appends the lowercase hex of b. It is several times faster
// than encoding/hex for the three hashes of a signature.
func appendHex(dst []byte, b *[32]byte) []byte {
	n := len(dst)
	if cap(dst)-n < 64 {
		dst = append(dst, make([]byte, 64)...)[:n]
	}
	out := (*[64]byte)(dst[n : n+64])
	for i, c := range b {
		out[2*i], out[2*i+1] = hexPairs[c][0], hexPairs[c][1]
	}
	return dst[:n+64]
}
