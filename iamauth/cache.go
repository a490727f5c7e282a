package iamauth

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"
)

// A cacheKey is the SHA-256 of a proof: its kind, every byte of it, and
// the bindings its verification was asked for. The cache keeps no proof,
// only this hash.
type cacheKey [sha256.Size]byte

const (
	kindEKS   = 'E'
	kindLogin = 'L'
)

// hashBufs are buffers to hash proofs in without allocating.
var hashBufs = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// hashProof hashes kind, parts and binds, each part and each binding's
// name and value ended with a zero byte (which none of them holds: they
// are printable, or the proof is refused before it is cached).
func hashProof(kind byte, binds []Binding, parts ...string) cacheKey {
	bp := hashBufs.Get().(*[]byte)
	b := append((*bp)[:0], kind)
	for _, p := range parts {
		b = append(append(b, p...), 0)
	}
	for _, bd := range binds {
		b = append(append(b, bd.Header...), 0)
		b = append(append(b, bd.Value...), 0)
	}
	k := cacheKey(sha256.Sum256(b))
	if cap(b) <= 64<<10 {
		*bp = b
		hashBufs.Put(bp)
	}
	return k
}

// An outcome is what a verification came to, and until when it may be
// kept (the zero time: not at all).
type outcome struct {
	id    Identity
	err   error
	until time.Time
}

// proofCache keeps outcomes of verifications by the hash of the proof,
// for no longer than each says, at most max of them, and makes sure that
// presentations of a proof that arrive while it is being verified wait
// for that verification rather than start another.
type proofCache struct {
	max int

	mu      sync.RWMutex
	entries map[cacheKey]*cacheEntry
	flights map[cacheKey]*flight
	swept   time.Time // when expired entries were last swept
}

type cacheEntry struct {
	id    Identity
	err   error
	until int64 // Unix nanoseconds
}

type flight struct {
	done chan struct{}
	out  outcome
}

func newProofCache(max int) *proofCache {
	return &proofCache{max: max, entries: make(map[cacheKey]*cacheEntry), flights: make(map[cacheKey]*flight)}
}

// get returns the outcome kept for k, if any is and it has not expired at
// now.
func (c *proofCache) get(k cacheKey, now time.Time) (Identity, error, bool) {
	c.mu.RLock()
	e := c.entries[k]
	c.mu.RUnlock()
	if e == nil || now.UnixNano() >= e.until {
		return Identity{}, nil, false
	}
	return e.id, e.error(), true
}

// error returns a copy of the refusal kept, so that no caller can change
// what another gets.
func (e *cacheEntry) error() error {
	if e.err == nil {
		return nil
	}
	if ve, ok := e.err.(*VerifyError); ok {
		cp := *ve
		return &cp
	}
	return e.err
}

// do returns the outcome kept for k or, if there is none, that of verify,
// which runs once for all the callers that ask for k while it runs. It
// runs with a context that the callers' cancellation does not end (one
// caller giving up must not fail the others) but that timeout bounds;
// each caller waits no longer than its own context allows.
func (c *proofCache) do(ctx context.Context, k cacheKey, now func() time.Time, timeout time.Duration, verify func(context.Context) outcome) (Identity, error) {
	c.mu.Lock()
	if e := c.entries[k]; e != nil && now().UnixNano() < e.until {
		c.mu.Unlock()
		return e.id, e.error()
	}
	f := c.flights[k]
	if f == nil {
		f = &flight{done: make(chan struct{})}
		c.flights[k] = f
		go c.run(context.WithoutCancel(ctx), k, f, now, timeout, verify)
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.out.id, (&cacheEntry{err: f.out.err}).error()
	case <-ctx.Done():
		return Identity{}, ctx.Err()
	}
}

func (c *proofCache) run(ctx context.Context, k cacheKey, f *flight, now func() time.Time, timeout time.Duration, verify func(context.Context) outcome) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	f.out = verify(ctx)
	c.mu.Lock()
	delete(c.flights, k)
	if t := now(); f.out.until.After(t) {
		c.storeLocked(k, &cacheEntry{id: f.out.id, err: f.out.err, until: f.out.until.UnixNano()}, t)
	}
	c.mu.Unlock()
	close(f.done)
}

// storeLocked keeps e, making room if the cache is full: first by
// dropping the expired entries (at most once a second), then an entry at
// random.
func (c *proofCache) storeLocked(k cacheKey, e *cacheEntry, now time.Time) {
	if _, ok := c.entries[k]; !ok && len(c.entries) >= c.max {
		if now.Sub(c.swept) >= time.Second {
			c.swept = now
			n := now.UnixNano()
			for key, old := range c.entries {
				if n >= old.until {
					delete(c.entries, key)
				}
			}
		}
		for key := range c.entries {
			if len(c.entries) < c.max {
				break
			}
			delete(c.entries, key)
		}
	}
	c.entries[k] = e
}

// len returns the number of entries kept, expired or not.
func (c *proofCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
