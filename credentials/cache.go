package credentials

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Defaults of a Cache.
const (
	// DefaultExpiryWindow is how long before credentials expire a Cache
	// starts refreshing them.
	DefaultExpiryWindow = 5 * time.Minute
	// DefaultRetryBackoff is how long a Cache waits, after a refresh ahead
	// of expiry failed, before trying again while the credentials it has
	// are still good.
	DefaultRetryBackoff = 10 * time.Second
	// DefaultRefreshTimeout bounds one refresh.
	DefaultRefreshTimeout = 5 * time.Minute
)

// Cache wraps a Provider and hands out its credentials until they are
// about to expire, like golang.org/x/oauth2's ReuseTokenSource.
//
// Credentials that do not expire are kept until Invalidate. Credentials
// that do are refreshed ahead of time: from ExpiryWindow (plus a random
// jitter, if set) before they expire, one caller's Retrieve starts a
// refresh in the background and every caller keeps getting the current
// credentials; from half that window before they expire, callers wait for
// the refresh. A window longer than half the credentials' lifetime is cut
// to half of it.
//
// However many goroutines call Retrieve, only one refresh runs at a time;
// the others wait for it, each until its own ctx is done. The refresh runs
// with the values of the ctx of the caller that started it but not its
// cancellation (one impatient caller must not fail the others), bounded by
// a timeout. Credentials that have expired by the time they arrive are a
// failed refresh: the error wraps ErrExpired. A failed refresh is returned to the callers that waited for
// it and is not remembered: the next Retrieve that needs credentials tries
// again. Only a failed refresh ahead of time, while the current
// credentials are still good, is not retried for a short backoff.
type Cache struct {
	provider       Provider
	window         time.Duration
	jitter         time.Duration
	backoff        time.Duration
	refreshTimeout time.Duration
	now            func() time.Time

	mu            sync.Mutex
	creds         Credentials
	have          bool
	refreshAt     time.Time // start refreshing in the background
	mustRefreshAt time.Time // callers wait for a refresh
	retryAt       time.Time // no background refresh before then
	flight        *refresh
	gen           uint64 // bumped by Invalidate
}

type refresh struct {
	done  chan struct{}
	creds Credentials
	err   error
}

// A CacheOption configures a Cache.
type CacheOption func(*Cache)

// WithExpiryWindow sets how long before credentials expire a refresh
// starts (DefaultExpiryWindow if not given).
func WithExpiryWindow(d time.Duration) CacheOption {
	return func(c *Cache) { c.window = max(d, 0) }
}

// WithJitter adds a random duration in [0, d) to the expiry window of each
// set of credentials, so that many processes started together do not all
// refresh at once.
func WithJitter(d time.Duration) CacheOption {
	return func(c *Cache) { c.jitter = max(d, 0) }
}

// WithRetryBackoff sets how long to wait after a failed refresh ahead of
// expiry before trying again (DefaultRetryBackoff if not given).
func WithRetryBackoff(d time.Duration) CacheOption {
	return func(c *Cache) { c.backoff = max(d, 0) }
}

// WithRefreshTimeout bounds each refresh (DefaultRefreshTimeout if not
// given; zero or less means no bound but the provider's own).
func WithRefreshTimeout(d time.Duration) CacheOption {
	return func(c *Cache) { c.refreshTimeout = d }
}

// WithClock makes the Cache tell the time with now, for tests.
func WithClock(now func() time.Time) CacheOption {
	return func(c *Cache) { c.now = now }
}

// NewCache returns a Cache of p's credentials.
func NewCache(p Provider, opts ...CacheOption) *Cache {
	c := &Cache{
		provider:       p,
		window:         DefaultExpiryWindow,
		backoff:        DefaultRetryBackoff,
		refreshTimeout: DefaultRefreshTimeout,
		now:            time.Now,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Retrieve returns the cached credentials, refreshing them as needed.
func (c *Cache) Retrieve(ctx context.Context) (Credentials, error) {
	c.mu.Lock()
	now := c.now()
	if c.have {
		if !c.creds.CanExpire() || now.Before(c.refreshAt) {
			creds := c.creds
			c.mu.Unlock()
			return creds, nil
		}
		if now.Before(c.mustRefreshAt) {
			// Ahead of expiry: refresh in the background, hand out what
			// is still good.
			if c.flight == nil && !now.Before(c.retryAt) {
				c.start(ctx)
			}
			creds := c.creds
			c.mu.Unlock()
			return creds, nil
		}
	}
	f := c.flight
	if f == nil {
		f = c.start(ctx)
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.creds, f.err
	case <-ctx.Done():
		return Credentials{}, fmt.Errorf("credentials: waiting for a refresh: %w", ctx.Err())
	}
}

// start begins a refresh; c.mu is held.
func (c *Cache) start(ctx context.Context) *refresh {
	f := &refresh{done: make(chan struct{})}
	c.flight = f
	gen := c.gen
	rctx := context.WithoutCancel(ctx)
	go func() {
		ctx, cancel := rctx, context.CancelFunc(func() {})
		if c.refreshTimeout > 0 {
			ctx, cancel = context.WithTimeout(rctx, c.refreshTimeout)
		}
		creds, err := c.provider.Retrieve(ctx)
		cancel()

		c.mu.Lock()
		if c.flight == f {
			c.flight = nil
		}
		now := c.now()
		if err == nil {
			if e := checkFresh(creds, now); e != nil {
				creds, err = Credentials{}, &Error{Source: creds.Source, Err: e}
			}
		}
		if gen == c.gen {
			if err == nil {
				c.store(creds, now)
			} else {
				c.retryAt = now.Add(c.backoff)
			}
		}
		c.mu.Unlock()
		f.creds, f.err = creds, err
		close(f.done)
	}()
	return f
}

// store keeps creds, fetched at now; c.mu is held.
func (c *Cache) store(creds Credentials, now time.Time) {
	c.creds, c.have, c.retryAt = creds, true, time.Time{}
	if !creds.CanExpire() {
		c.refreshAt, c.mustRefreshAt = time.Time{}, time.Time{}
		return
	}
	w := c.window
	if c.jitter > 0 {
		w += time.Duration(rand.Int64N(int64(c.jitter)))
	}
	if life := creds.Expires.Sub(now); w > life/2 {
		w = max(life/2, 0)
	}
	c.refreshAt = creds.Expires.Add(-w)
	c.mustRefreshAt = creds.Expires.Add(-w / 2)
}

// Invalidate forgets the cached credentials, so the next Retrieve fetches
// new ones: for when a service has rejected them. A refresh already under
// way still answers the callers waiting for it, but what it fetches is not
// kept.
func (c *Cache) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.creds, c.have = Credentials{}, false
	c.refreshAt, c.mustRefreshAt, c.retryAt = time.Time{}, time.Time{}, time.Time{}
	c.flight = nil
	c.gen++
}
