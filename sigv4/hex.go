package sigv4

import "encoding/binary"

// appendHex appends the lowercase hex of b, eight bytes at a time: the
// three hex encodings of a signature cost more than a SHA-256 block with
// encoding/hex.
func appendHex(dst []byte, b *[32]byte) []byte {
	n := len(dst)
	if cap(dst)-n < 64 {
		dst = append(dst, make([]byte, 64)...)[:n]
	}
	dst = dst[:n+64]
	out := dst[n:]
	for i := 0; i < 32; i += 4 {
		binary.BigEndian.PutUint64(out[2*i:], hex4(binary.BigEndian.Uint32(b[i:])))
	}
	return dst
}

// hex4 returns the eight lowercase hex digits of v, as the bytes of a
// big-endian uint64.
func hex4(v uint32) uint64 {
	x := uint64(v)
	// Spread the nibbles of x, most significant first, one per byte.
	x = (x&0xFFFF0000)<<16 | x&0x0000FFFF
	x = (x&0x0000FF000000FF00)<<8 | x&0x000000FF000000FF
	x = (x&0x00F000F000F000F0)<<4 | x&0x000F000F000F000F
	// Nibbles above 9 get 'a'-'0'-10 more.
	over := (x + 0x0606060606060606) >> 4 & 0x0101010101010101
	return x + 0x3030303030303030 + over*('a'-'0'-10)
}
