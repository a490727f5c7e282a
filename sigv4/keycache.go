package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"sync"
)

// A signingKey is the key of one credential scope (secret, date, region,
// service), kept as the two padded HMAC key blocks so that a signature
// costs two SHA-256 sums and no allocation:
//
//	HMAC(k, m) = SHA256(k^opad || SHA256(k^ipad || m))
//
// It is key material: it is never printed.
type signingKey struct {
	ipad, opad [sha256.BlockSize]byte
}

func newSigningKey(secret string, date []byte, region, service string) *signingKey {
	k := hmacSum([]byte("AWS4"+secret), date)
	k = hmacSum(k, []byte(region))
	k = hmacSum(k, []byte(service))
	k = hmacSum(k, []byte("aws4_request"))
	sk := new(signingKey)
	for i := range sk.ipad {
		sk.ipad[i], sk.opad[i] = 0x36, 0x5c
	}
	for i, b := range k { // len(k) = 32 < BlockSize: no pre-hash
		sk.ipad[i] ^= b
		sk.opad[i] ^= b
	}
	clear(k)
	return sk
}

func hmacSum(key, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil)
}

// mac returns HMAC-SHA256 of the message that the caller has appended to
// buf after the key's inner block (see appendInner). buf is clobbered.
func (k *signingKey) mac(buf []byte) [sha256.Size]byte {
	inner := sha256.Sum256(buf)
	var outer [sha256.BlockSize + sha256.Size]byte
	copy(outer[:], k.opad[:])
	copy(outer[sha256.BlockSize:], inner[:])
	return sha256.Sum256(outer[:])
}

// appendInner starts an HMAC message in dst: see mac.
func (k *signingKey) appendInner(dst []byte) []byte { return append(dst, k.ipad[:]...) }

// keyCacheSize bounds the number of scopes the cache holds. A scope is
// (secret, day, region, service); a busy verifier with many keys evicts at
// random once full, which costs one more derivation (four HMACs).
const keyCacheSize = 512

// cacheKey names a scope. The secret is not kept: only its SHA-256.
type cacheKey struct {
	secret  [sha256.Size]byte
	date    [dateLen]byte
	region  string
	service string
}

// keyCache maps scopes to signing keys. It is safe for concurrent use.
type keyCache struct {
	mu  sync.RWMutex
	m   map[cacheKey]*signingKey
	max int
}

var keys = &keyCache{m: make(map[cacheKey]*signingKey), max: keyCacheSize}

// get returns the signing key of a scope, deriving and caching it on a miss.
// date is YYYYMMDD.
func (c *keyCache) get(secret string, date []byte, region, service string) *signingKey {
	ck := cacheKey{region: region, service: service}
	copy(ck.date[:], date)
	ck.secret = hashSecret(secret)
	c.mu.RLock()
	k := c.m[ck]
	c.mu.RUnlock()
	if k != nil {
		return k
	}
	k = newSigningKey(secret, date, region, service)
	// The scope strings may be slices of a larger one (an Authorization
	// header): keep copies.
	ck.region, ck.service = strings.Clone(region), strings.Clone(service)
	c.mu.Lock()
	if len(c.m) >= c.max {
		for old := range c.m { // map order is random: evict one at random
			delete(c.m, old)
			break
		}
	}
	c.m[ck] = k
	c.mu.Unlock()
	return k
}

// hashSecret returns SHA-256 of the secret without copying it to the heap.
func hashSecret(secret string) [sha256.Size]byte {
	var b [128]byte
	if len(secret) <= len(b) {
		n := copy(b[:], secret)
		sum := sha256.Sum256(b[:n])
		clear(b[:n])
		return sum
	}
	return sha256.Sum256([]byte(secret))
}
