// Package backoff says how long to wait before a retry, exponential
// backoff with full jitter as the AWS SDKs and the AWS CLI wait, and waits
// it, cut short by a context. The STS client and the SSO provider share
// it; what to retry, how often and whether the wait is capped is each
// retry mode's to say (package retrymode).
package backoff

import (
	"context"
	"math"
	"time"
)

// Delay returns the wait before retry n (1 for the first retry): the
// share j of base × 2^(n-1), capped at max, or uncapped if max is zero or
// less, and never more than the longest time.Duration. j is a random
// number in [0, 1); a j outside that range (or NaN) counts as 0, so a
// broken source of randomness retries at once rather than never.
func Delay(n int, base, max time.Duration, j float64) time.Duration {
	if j < 0 || j >= 1 || math.IsNaN(j) {
		return 0
	}
	ceiling := float64(base) * math.Pow(2, float64(n-1))
	if max > 0 && ceiling > float64(max) {
		ceiling = float64(max)
	}
	d := j * ceiling
	if d >= math.MaxInt64 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(d)
}

// Sleep waits d, or until ctx is done, when it returns ctx.Err(). A
// context already done returns at once, whatever d.
func Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
