package credentials

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// countingProvider hands out credentials numbered by call, expiring life
// after the clock's now; when gate is set, each call first waits for it.
type countingProvider struct {
	clock *fakeClock
	life  time.Duration
	calls atomic.Int32
	gate  chan struct{}
	fail  atomic.Bool
}

func (p *countingProvider) Retrieve(ctx context.Context) (Credentials, error) {
	n := p.calls.Add(1)
	if p.gate != nil {
		select {
		case <-p.gate:
		case <-ctx.Done():
			return Credentials{}, ctx.Err()
		}
	}
	if p.fail.Load() {
		return Credentials{}, &Error{Source: "Counting", Err: fmt.Errorf("refresh %d failed", n)}
	}
	c := New(fmt.Sprintf("AKID%d", n), testSecret, "")
	if p.life != 0 {
		c.Expires = p.clock.Now().Add(p.life)
	}
	return c, nil
}

// waitFor polls cond until it holds or a few seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCacheOneRefreshForManyCallersAtExpiry(t *testing.T) {
	clock := newClock()
	p := &countingProvider{clock: clock, life: time.Hour}
	c := NewCache(p, WithClock(clock.Now))
	ctx := context.Background()
	if got, err := c.Retrieve(ctx); err != nil || got.AccessKeyID != "AKID1" {
		t.Fatalf("first Retrieve: %v, %v", got, err)
	}
	p.gate = make(chan struct{})
	clock.Add(time.Hour) // expired

	const callers = 1000
	var started, done sync.WaitGroup
	results := make(chan string, callers)
	errs := make(chan error, callers)
	for i := 0; i < callers; i++ {
		started.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			started.Done()
			got, err := c.Retrieve(ctx)
			if err != nil {
				errs <- err
				return
			}
			results <- got.AccessKeyID
		}()
	}
	started.Wait()
	waitFor(t, "the refresh to start", func() bool { return p.calls.Load() == 2 })
	time.Sleep(20 * time.Millisecond) // let the callers pile up behind it
	close(p.gate)
	done.Wait()
	close(results)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	n := 0
	for id := range results {
		n++
		if id != "AKID2" {
			t.Fatalf("a caller got %s, want the refreshed AKID2", id)
		}
	}
	if n != callers {
		t.Fatalf("%d results", n)
	}
	if calls := p.calls.Load(); calls != 2 {
		t.Errorf("provider called %d times, want 2 (one fill, one refresh)", calls)
	}
}

func TestCacheNonExpiringForever(t *testing.T) {
	clock := newClock()
	p := &countingProvider{clock: clock}
	c := NewCache(p, WithClock(clock.Now))
	for i := 0; i < 5; i++ {
		if _, err := c.Retrieve(context.Background()); err != nil {
			t.Fatal(err)
		}
		clock.Add(365 * 24 * time.Hour)
	}
	if calls := p.calls.Load(); calls != 1 {
		t.Errorf("provider called %d times, want 1", calls)
	}
	c.Invalidate()
	if got, _ := c.Retrieve(context.Background()); got.AccessKeyID != "AKID2" {
		t.Errorf("after Invalidate: %v", got)
	}
}

func TestCacheRefreshesAheadInTheBackground(t *testing.T) {
	clock := newClock()
	p := &countingProvider{clock: clock, life: time.Hour}
	c := NewCache(p, WithClock(clock.Now), WithExpiryWindow(10*time.Minute))
	ctx := context.Background()
	c.Retrieve(ctx)
	p.gate = make(chan struct{})

	clock.Add(49 * time.Minute) // 11 minutes left: fresh
	if got, _ := c.Retrieve(ctx); got.AccessKeyID != "AKID1" || p.calls.Load() != 1 {
		t.Fatalf("fresh: got %v after %d calls", got, p.calls.Load())
	}
	clock.Add(2 * time.Minute) // 9 minutes left: refresh, but hand out the old ones
	for i := 0; i < 3; i++ {
		if got, err := c.Retrieve(ctx); err != nil || got.AccessKeyID != "AKID1" {
			t.Fatalf("ahead of expiry: got %v, %v; want the current credentials at once", got, err)
		}
	}
	waitFor(t, "the background refresh", func() bool { return p.calls.Load() == 2 })
	close(p.gate)
	waitFor(t, "the refreshed credentials", func() bool {
		got, _ := c.Retrieve(ctx)
		return got.AccessKeyID == "AKID2"
	})
	if calls := p.calls.Load(); calls != 2 {
		t.Errorf("provider called %d times, want 2", calls)
	}
}

func TestCacheFailuresAreNotKept(t *testing.T) {
	clock := newClock()
	p := &countingProvider{clock: clock, life: time.Hour}
	c := NewCache(p, WithClock(clock.Now))
	ctx := context.Background()
	p.fail.Store(true)
	if _, err := c.Retrieve(ctx); err == nil || err.Error() != "Counting: refresh 1 failed" {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.Retrieve(ctx); err == nil || err.Error() != "Counting: refresh 2 failed" {
		t.Fatalf("the next call should try again: err = %v", err)
	}
	p.fail.Store(false)
	if got, err := c.Retrieve(ctx); err != nil || got.AccessKeyID != "AKID3" {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestCacheBackoffAheadOfExpiry(t *testing.T) {
	clock := newClock()
	p := &countingProvider{clock: clock, life: time.Hour}
	c := NewCache(p, WithClock(clock.Now), WithRetryBackoff(30*time.Second))
	ctx := context.Background()
	c.Retrieve(ctx)
	p.fail.Store(true)
	clock.Add(56 * time.Minute) // 4 minutes left, in the 5-minute window
	c.Retrieve(ctx)
	waitFor(t, "the failed refresh", func() bool { c.mu.Lock(); defer c.mu.Unlock(); return p.calls.Load() == 2 && c.flight == nil })
	for i := 0; i < 5; i++ {
		if got, err := c.Retrieve(ctx); err != nil || got.AccessKeyID != "AKID1" {
			t.Fatalf("got %v, %v; want the still-good credentials", got, err)
		}
	}
	if calls := p.calls.Load(); calls != 2 {
		t.Errorf("during the backoff: %d calls, want 2", calls)
	}
	clock.Add(31 * time.Second)
	c.Retrieve(ctx)
	waitFor(t, "a retry after the backoff", func() bool { return p.calls.Load() == 3 })
	// Past the point where callers wait, a failure reaches them.
	clock.Add(2 * time.Minute)
	if _, err := c.Retrieve(ctx); err == nil {
		t.Error("want the refresh's error when the credentials are about to expire")
	}
}

func TestCacheWaiterContext(t *testing.T) {
	clock := newClock()
	p := &countingProvider{clock: clock, life: time.Hour, gate: make(chan struct{})}
	c := NewCache(p, WithClock(clock.Now))

	// The caller that starts the refresh gives up; the refresh goes on.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Retrieve(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the caller's deadline", err)
	}
	// Another caller waits for the same refresh.
	got := make(chan Credentials)
	go func() {
		creds, _ := c.Retrieve(context.Background())
		got <- creds
	}()
	time.Sleep(10 * time.Millisecond)
	close(p.gate)
	if creds := <-got; creds.AccessKeyID != "AKID1" {
		t.Errorf("got %v", creds)
	}
	if calls := p.calls.Load(); calls != 1 {
		t.Errorf("%d calls, want 1", calls)
	}
}

func TestCacheRefreshTimeout(t *testing.T) {
	clock := newClock()
	p := &countingProvider{clock: clock, life: time.Hour, gate: make(chan struct{})}
	c := NewCache(p, WithClock(clock.Now), WithRefreshTimeout(50*time.Millisecond))
	start := time.Now()
	if _, err := c.Retrieve(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
}

func TestCacheInvalidateDropsAnInFlightResult(t *testing.T) {
	clock := newClock()
	p := &countingProvider{clock: clock, life: time.Hour, gate: make(chan struct{})}
	c := NewCache(p, WithClock(clock.Now))
	first := make(chan Credentials)
	go func() {
		creds, _ := c.Retrieve(context.Background())
		first <- creds
	}()
	waitFor(t, "the first refresh", func() bool { return p.calls.Load() == 1 })
	c.Invalidate()
	close(p.gate)
	if creds := <-first; creds.AccessKeyID != "AKID1" {
		t.Errorf("the waiter of the first refresh got %v", creds)
	}
	if got, _ := c.Retrieve(context.Background()); got.AccessKeyID != "AKID2" {
		t.Errorf("after Invalidate, got %v; the refresh started before it must not be kept", got)
	}
}

func TestCacheWindowAndJitter(t *testing.T) {
	clock := newClock()
	tests := []struct {
		name          string
		life          time.Duration
		opts          []CacheOption
		min, max      time.Duration // refreshAt - now
		wantMustAfter time.Duration
	}{
		{name: "default window", life: time.Hour, min: 55 * time.Minute, max: 55 * time.Minute},
		{name: "jitter", life: time.Hour, opts: []CacheOption{WithJitter(2 * time.Minute)}, min: 53*time.Minute + time.Nanosecond, max: 55 * time.Minute},
		{name: "short-lived: half the life", life: 4 * time.Minute, min: 2 * time.Minute, max: 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := 0; i < 20; i++ {
				c := NewCache(&countingProvider{clock: clock, life: tt.life}, append(tt.opts, WithClock(clock.Now))...)
				c.Retrieve(context.Background())
				c.mu.Lock()
				got := c.refreshAt.Sub(clock.Now())
				must := c.mustRefreshAt.Sub(clock.Now())
				c.mu.Unlock()
				if got < tt.min || got > tt.max {
					t.Fatalf("refresh %v after fetching, want %v..%v", got, tt.min, tt.max)
				}
				if must < got || must > tt.life {
					t.Fatalf("must refresh %v after fetching, want between %v and %v", must, got, tt.life)
				}
			}
		})
	}
}
