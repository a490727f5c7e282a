package sts

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"net/http"
	"sync"
	"time"

	"github.com/callerid/callerid/internal/transient"
)

// Defaults of RetryOptions, those of the AWS SDKs' "standard" retry mode.
const (
	// DefaultMaxAttempts is how many attempts a call makes at most, the
	// first one included.
	DefaultMaxAttempts = 3
	// DefaultBaseDelay scales the wait before a retry: the wait before
	// retry n is a random duration up to DefaultBaseDelay × 2^(n-1).
	DefaultBaseDelay = time.Second
	// DefaultMaxBackoff caps the wait before a retry.
	DefaultMaxBackoff = 20 * time.Second
)

// Retry quota, as in the SDKs' standard mode: every client starts with
// quotaCapacity; each retry takes retryCost (timeoutRetryCost after a
// timeout), a call that succeeds gives back what its last retry took, or
// noRetryIncrement if it needed none. When the quota runs out, calls are
// no longer retried until successes refill it.
const (
	quotaCapacity    = 500
	retryCost        = 5
	timeoutRetryCost = 10
	noRetryIncrement = 1
)

// RetryOptions configure how a Client retries failed calls.
//
// A call is retried, with exponential backoff and full jitter, when STS
// throttles it (error codes Throttling, ThrottlingException,
// RequestLimitExceeded, ... see RetryableError), on the transient errors
// RequestTimeout, RequestTimeoutException, PriorRequestNotComplete and
// IDPCommunicationError, on HTTP 500, 502, 503 and 504, and when the
// connection fails before a whole answer arrives (refused, reset, closed,
// timed out). It is never retried on other 4xx errors, when the context is
// done, or when the server's TLS certificate does not verify. Each retry
// retrieves the credentials and signs the request afresh.
//
// Separately from these, a call refused because the local clock is off
// (see Client.ClockOffset) is retried once at once with a corrected clock;
// that retry counts in the Attempts reported but not against MaxAttempts
// or the retry quota.
type RetryOptions struct {
	// MaxAttempts is how many attempts a call makes at most, the first one
	// included: 1 disables retries. Zero means DefaultMaxAttempts (3).
	// (callerid.LoadConfig sets it from AWS_MAX_ATTEMPTS or the profile's
	// max_attempts.)
	MaxAttempts int
	// BaseDelay scales the backoff; zero means DefaultBaseDelay (1 s).
	BaseDelay time.Duration
	// MaxBackoff caps the wait before a retry; zero means
	// DefaultMaxBackoff (20 s).
	MaxBackoff time.Duration
	// Jitter returns a random number in [0, 1) that scales each wait; nil
	// means math/rand. Tests pass func() float64 { return 0 } to retry at
	// once.
	Jitter func() float64
	// Sleep waits d, or until ctx is done, when it returns ctx.Err(); nil
	// means a timer. Tests may record the waits instead.
	Sleep func(ctx context.Context, d time.Duration) error
}

// backoff returns the wait before retry n (1 for the first retry): a
// random share of BaseDelay × 2^(n-1), capped at MaxBackoff.
func (o *RetryOptions) backoff(n int) time.Duration {
	base, max := o.BaseDelay, o.MaxBackoff
	if base <= 0 {
		base = DefaultBaseDelay
	}
	if max <= 0 {
		max = DefaultMaxBackoff
	}
	ceiling := float64(base) * math.Pow(2, float64(n-1))
	if ceiling > float64(max) {
		ceiling = float64(max)
	}
	jitter := rand.Float64
	if o.Jitter != nil {
		jitter = o.Jitter
	}
	j := jitter()
	if j < 0 || j >= 1 || math.IsNaN(j) {
		j = 0
	}
	return time.Duration(j * ceiling)
}

func (o *RetryOptions) sleep(ctx context.Context, d time.Duration) error {
	if o.Sleep != nil {
		return o.Sleep(ctx, d)
	}
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

// throttlingCodes are the error codes the SDKs' standard retry mode takes
// for throttling.
var throttlingCodes = map[string]bool{
	"Throttling":                             true,
	"ThrottlingException":                    true,
	"ThrottledException":                     true,
	"RequestThrottledException":              true,
	"TooManyRequestsException":               true,
	"ProvisionedThroughputExceededException": true,
	"TransactionInProgressException":         true,
	"RequestLimitExceeded":                   true,
	"BandwidthLimitExceeded":                 true,
	"LimitExceededException":                 true,
	"RequestThrottled":                       true,
	"SlowDown":                               true,
	"PriorRequestNotComplete":                true,
	"EC2ThrottledException":                  true,
}

// transientCodes are the error codes the standard retry mode retries as
// transient; IDPCommunicationError is STS's own (its identity provider did
// not answer).
var transientCodes = map[string]bool{
	"RequestTimeout":          true,
	"RequestTimeoutException": true,
	"PriorRequestNotComplete": true,
	"IDPCommunicationError":   true,
}

// transientStatus are the HTTP statuses retried whatever the answer says.
var transientStatus = map[int]bool{
	http.StatusInternalServerError: true,
	http.StatusBadGateway:          true,
	http.StatusServiceUnavailable:  true,
	http.StatusGatewayTimeout:      true,
}

// clockSkewCodes are the error codes with which services refuse a
// request signed at a time too far from theirs.
var clockSkewCodes = map[string]bool{
	"SignatureDoesNotMatch":     true,
	"RequestExpired":            true,
	"InvalidSignatureException": true,
	"RequestTimeTooSkewed":      true,
	"RequestInTheFuture":        true,
}

// skewThreshold is how far the server's clock must be from ours before
// the client corrects its own, as the SDKs do.
const skewThreshold = 4 * time.Minute

// retryKind says whether and how an error is retried.
type retryKind int

const (
	noRetry retryKind = iota
	retryThrottled
	retryTransient
	retryTimeout
)

// RetryableError reports whether a client retries a call that failed with
// err (an error returned by its methods, or its cause), and whether err is
// a throttling error.
func RetryableError(err error) (retryable, throttled bool) {
	k := classify(err)
	return k != noRetry, k == retryThrottled
}

func classify(err error) retryKind {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		switch {
		case throttlingCodes[apiErr.Code]:
			return retryThrottled
		case transientCodes[apiErr.Code], transientStatus[apiErr.StatusCode]:
			return retryTransient
		}
		return noRetry
	}
	var respErr *ResponseError
	if errors.As(err, &respErr) {
		switch {
		case transientStatus[respErr.StatusCode]:
			return retryTransient
		case respErr.Err != nil && respErr.Reason == reasonReadingBody:
			return classifyTransport(respErr.Err)
		}
		return noRetry
	}
	return classifyTransport(err)
}

// classifyTransport classifies an error of the connection as package
// transient does: those that leave the request unanswered are retried,
// except a context that is done and TLS certificates that do not verify,
// which a retry does not mend.
func classifyTransport(err error) retryKind {
	switch transient.Classify(err) {
	case transient.Transient:
		return retryTransient
	case transient.Timeout:
		return retryTimeout
	}
	return noRetry
}

// quota is a client's retry quota (see quotaCapacity).
type quota struct {
	mu        sync.Mutex
	available int
}

func newQuota() *quota { return &quota{available: quotaCapacity} }

// acquire takes the cost of a retry of kind k and returns it, or 0 if the
// quota cannot pay it.
func (q *quota) acquire(k retryKind) int {
	cost := retryCost
	if k == retryTimeout {
		cost = timeoutRetryCost
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if cost > q.available {
		return 0
	}
	q.available -= cost
	return cost
}

// release gives back amount after a successful call.
func (q *quota) release(amount int) {
	q.mu.Lock()
	q.available = min(q.available+amount, quotaCapacity)
	q.mu.Unlock()
}

// Available returns what is left of the quota, for tests.
func (q *quota) Available() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.available
}
