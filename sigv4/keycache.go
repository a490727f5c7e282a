package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"hash/maphash"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A signingKey is the key of one credential scope (secret, date, region,
// service), with a pool of crypto/hmac hashes keyed with it: an HMAC that
// is Reset restores the states after its padded key blocks, so that a
// signature costs the two SHA-256 sums of the message and of the inner
// sum, no more, and no allocation once the pool holds a hash.
//
// It is key material: it is never printed.
type signingKey struct {
	key     [sha256.Size]byte
	macs    sync.Pool // of hash.Hash, hmac.New(sha256.New, key)
	region  string    // the scope's, for the cache
	service string
}

func newSigningKey(secret, date, region, service string) *signingKey {
	return &signingKey{key: deriveKey(secret, date, region, service), region: strings.Clone(region), service: strings.Clone(service)}
}

// deriveKey returns the signing key of a scope, with crypto/hmac:
//
//	kDate    = HMAC("AWS4" + secret, date)
//	kRegion  = HMAC(kDate, region)
//	kService = HMAC(kRegion, service)
//	kSigning = HMAC(kService, "aws4_request")
//
// It runs once per scope (the cache keeps the result): four HMACs and a
// few allocations, about a microsecond.
func deriveKey(secret, date, region, service string) [sha256.Size]byte {
	var k [sha256.Size]byte
	first := make([]byte, 0, len("AWS4")+len(secret))
	first = append(append(first, "AWS4"...), secret...)
	m := hmac.New(sha256.New, first)
	clear(first) // hmac.New keeps its own padded copy
	io.WriteString(m, date)
	m.Sum(k[:0])
	for _, part := range [...]string{region, service, "aws4_request"} {
		m = hmac.New(sha256.New, k[:])
		io.WriteString(m, part)
		m.Sum(k[:0])
	}
	return k
}

// mac returns HMAC-SHA256 of msg with key k, into the scratch's sum.
func (sc *scratch) mac(k *signingKey, msg []byte) [sha256.Size]byte {
	h, _ := k.macs.Get().(hash.Hash)
	if h == nil {
		h = hmac.New(sha256.New, k.key[:])
	} else {
		h.Reset()
	}
	h.Write(msg)
	if sc.sum == nil {
		sc.sum = make([]byte, 0, sha256.Size)
	}
	sc.sum = h.Sum(sc.sum[:0])
	k.macs.Put(h)
	var out [sha256.Size]byte
	copy(out[:], sc.sum)
	return out
}

// keyCacheSize bounds the number of scopes a cache holds. A scope is
// (secret, day, region, service); a busy verifier with many keys evicts at
// random once full, which costs one more derivation (four HMACs).
const keyCacheSize = 512

// cacheKey names a scope. The secret is not kept, only a 128-bit keyed
// hash of it (two maphash sums, with seeds drawn at random for each
// cache): the raw secret never sits in the cache, and two secrets that one
// cache sees collide with probability 2^-128. (A SHA-256 of the secret
// would cost as much as hashing the body of a small request, on every
// signature.)
type cacheKey struct {
	secret  [2]uint64
	date    [dateLen]byte
	region  string
	service string
}

// A keyCache is the state a Signer or a Verifier keeps between requests:
// the signing keys of the scopes it signed or verified for, and (a Signer)
// the last signing time formatted. It is safe for concurrent use. The last
// key used is also kept apart, so that a process that signs for one scope
// at a time takes no lock.
type keyCache struct {
	seed0, seed1 maphash.Seed
	last         atomic.Pointer[cacheEntry]
	mu           sync.RWMutex
	m            map[cacheKey]*signingKey
	max          int

	// lastTime is the last amzTime made: a process signs many requests
	// in a second, and formatting a time costs as much as hashing a block.
	lastTime atomic.Pointer[amzTime]
}

type cacheEntry struct {
	ck  cacheKey
	key *signingKey
}

func newKeyCache() *keyCache {
	return &keyCache{
		seed0: maphash.MakeSeed(), seed1: maphash.MakeSeed(),
		m: make(map[cacheKey]*signingKey), max: keyCacheSize,
	}
}

// loadCache returns the cache *p points to, making it on first use.
func loadCache(p *atomic.Pointer[keyCache]) *keyCache {
	if c := p.Load(); c != nil {
		return c
	}
	if c := newKeyCache(); p.CompareAndSwap(nil, c) {
		return c
	}
	return p.Load()
}

// get returns the signing key of a scope, deriving and caching it on a miss.
// date is YYYYMMDD.
func (c *keyCache) get(secret string, date []byte, region, service string) *signingKey {
	ck := cacheKey{
		secret:  [2]uint64{maphash.String(c.seed0, secret), maphash.String(c.seed1, secret)},
		region:  region,
		service: service,
	}
	copy(ck.date[:], date)
	if e := c.last.Load(); e != nil && e.ck == ck {
		return e.key
	}
	c.mu.RLock()
	k := c.m[ck]
	c.mu.RUnlock()
	// The scope strings may be slices of a larger one (an Authorization
	// header): keep the key's copies.
	if k == nil {
		k = newSigningKey(secret, string(date), region, service)
		ck.region, ck.service = k.region, k.service
		c.mu.Lock()
		if len(c.m) >= c.max {
			for old := range c.m { // map order is random: evict one at random
				delete(c.m, old)
				break
			}
		}
		c.m[ck] = k
		c.mu.Unlock()
	}
	ck.region, ck.service = k.region, k.service
	c.last.Store(&cacheEntry{ck: ck, key: k})
	return k
}

// amzTime returns t formatted. The result is shared: read only.
func (c *keyCache) amzTime(t time.Time) (*amzTime, error) {
	sec := t.Unix()
	if at := c.lastTime.Load(); at != nil && at.sec == sec {
		return at, nil
	}
	at := &amzTime{sec: sec}
	if err := formatAmzDate(&at.b, t.UTC()); err != nil {
		return nil, err
	}
	at.s = string(at.b[:])
	c.lastTime.Store(at)
	return at, nil
}
