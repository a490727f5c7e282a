package sts

import (
	"context"
	"errors"
	"math/rand"
	"strconv"
	"sync"
	"time"

	"github.com/callerid/callerid/internal/backoff"
	"github.com/callerid/callerid/internal/retrymode"
	"github.com/callerid/callerid/internal/transient"
)

// Defaults of RetryOptions.
const (
	// DefaultMaxAttempts is how many attempts a call makes at most, the
	// first one included, in RetryStandard and RetryAdaptive modes.
	DefaultMaxAttempts = retrymode.StandardMaxAttempts
	// DefaultLegacyMaxAttempts is how many attempts a call makes at most
	// in RetryLegacy mode, as botocore's legacy mode (the AWS CLI v1's
	// default) makes.
	DefaultLegacyMaxAttempts = retrymode.LegacyMaxAttempts
	// DefaultBaseDelay scales the wait before a retry: the wait before
	// retry n is a random duration up to DefaultBaseDelay × 2^(n-1).
	DefaultBaseDelay = retrymode.BaseDelay
	// DefaultMaxBackoff caps the wait before a retry in RetryStandard and
	// RetryAdaptive modes. RetryLegacy's waits have no cap unless
	// MaxBackoff sets one, as botocore's legacy waits have none.
	DefaultMaxBackoff = retrymode.StandardMaxBackoff
)

// Retry quota, as in the SDKs' standard mode: every client starts with
// quotaCapacity; each retry takes retryCost (timeoutRetryCost after a
// timeout), a call that succeeds gives back what its last retry took, or
// noRetryIncrement if it needed none. When the quota runs out, calls are
// no longer retried until successes refill it. Legacy mode has no quota.
const (
	quotaCapacity    = 500
	retryCost        = 5
	timeoutRetryCost = 10
	noRetryIncrement = 1
)

// A RetryMode is one of the retry modes of the AWS CLI and SDKs, as its
// retry_mode setting names them: which failures a call retries, how many
// attempts it makes by default, and how long it waits between them.
type RetryMode int

const (
	// RetryStandard is the SDKs' "standard" mode, the zero RetryMode:
	// at most DefaultMaxAttempts (3) attempts; retried are the throttling
	// error codes (Throttling, ThrottlingException, RequestLimitExceeded,
	// TooManyRequestsException, ... whatever the HTTP status), the
	// transient codes RequestTimeout, RequestTimeoutException,
	// PriorRequestNotComplete and STS's IDPCommunicationError, HTTP 500,
	// 502, 503 and 504, and failed connections; the wait before retry n
	// is random up to min(BaseDelay × 2^(n-1), MaxBackoff); retries take
	// from a retry quota. (A 429 without a throttling code is not
	// retried.)
	RetryStandard RetryMode = iota
	// RetryLegacy is botocore's "legacy" mode, the AWS CLI v1's default:
	// at most DefaultLegacyMaxAttempts (5) attempts; retried are HTTP
	// 429, 500, 502, 503, 504 and 509 whatever the error code, HTTP 400
	// with the codes Throttling, ThrottlingException, ThrottledException,
	// RequestThrottledException, ProvisionedThroughputExceededException
	// or IDPCommunicationError, and failed connections (its rules for STS
	// in botocore's _retry.json); the wait before retry n is random up to
	// BaseDelay × 2^(n-1), with no cap unless MaxBackoff sets one; there
	// is no retry quota.
	RetryLegacy
	// RetryAdaptive is the SDKs' "adaptive" mode, retried as
	// RetryStandard. (Its client-side rate limiting, which only slows a
	// client that keeps being throttled, is not implemented.)
	RetryAdaptive
)

// String returns the mode's name as retry_mode spells it: "standard",
// "legacy" or "adaptive".
func (m RetryMode) String() string {
	switch m {
	case RetryStandard:
		return "standard"
	case RetryLegacy:
		return "legacy"
	case RetryAdaptive:
		return "adaptive"
	}
	return "RetryMode(" + strconv.Itoa(int(m)) + ")"
}

// mode returns the rules of m (package retrymode). A RetryMode other
// than the three is retried as RetryStandard, as it always was; New
// refuses it.
func (m RetryMode) mode() retrymode.Mode {
	switch m {
	case RetryLegacy:
		return retrymode.Legacy
	case RetryAdaptive:
		return retrymode.Adaptive
	}
	return retrymode.Standard
}

// ParseRetryMode returns the mode retry_mode names: "legacy", "standard"
// or "adaptive", exactly, as the AWS CLI accepts them. It reports false
// for any other value.
func ParseRetryMode(s string) (RetryMode, bool) {
	switch s {
	case "standard":
		return RetryStandard, true
	case "legacy":
		return RetryLegacy, true
	case "adaptive":
		return RetryAdaptive, true
	}
	return 0, false
}

// RetryOptions configure how a Client retries failed calls.
//
// Mode says what is retried and how (see RetryStandard, the default for
// a Client made with New, and RetryLegacy, the AWS CLI v1's default,
// which callerid.LoadConfig uses unless retry_mode says otherwise). In
// every mode, a call is never retried when the context is done, when the
// server's TLS certificate does not verify or its host name does not
// resolve (which botocore retries, to no avail), or on a redirect; each
// retry retrieves the credentials and signs the request afresh; and each
// wait is cut short by the context.
//
// Separately from these, a call refused because the local clock is off
// (see Client.ClockOffset) is retried once at once with a corrected clock;
// that retry counts in the Attempts reported but not against MaxAttempts
// or the retry quota.
type RetryOptions struct {
	// Mode is the retry mode; the zero value is RetryStandard.
	// (callerid.LoadConfig sets it from AWS_RETRY_MODE or the profile's
	// retry_mode, else to RetryLegacy, as the AWS CLI v1.)
	Mode RetryMode
	// MaxAttempts is how many attempts a call makes at most, the first one
	// included: 1 disables retries. Zero means the mode's default:
	// DefaultLegacyMaxAttempts (5) in RetryLegacy, else DefaultMaxAttempts
	// (3). (callerid.LoadConfig sets it from AWS_MAX_ATTEMPTS or the
	// profile's max_attempts, which override the mode's default, as in
	// the AWS CLI.)
	MaxAttempts int
	// BaseDelay scales the backoff; zero means DefaultBaseDelay (1 s).
	BaseDelay time.Duration
	// MaxBackoff caps the wait before a retry; zero means
	// DefaultMaxBackoff (20 s) in RetryStandard and RetryAdaptive, and no
	// cap in RetryLegacy, as in botocore: with many attempts a legacy wait
	// grows long (up to 2^(n-1) seconds before retry n), so give calls a
	// context with a deadline, which cuts every wait short, or set
	// MaxBackoff.
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
// random share of BaseDelay × 2^(n-1), capped at MaxBackoff (in legacy
// mode only if MaxBackoff is set).
func (o *RetryOptions) backoff(n int) time.Duration {
	base := o.BaseDelay
	if base <= 0 {
		base = DefaultBaseDelay
	}
	jitter := rand.Float64
	if o.Jitter != nil {
		jitter = o.Jitter
	}
	return backoff.Delay(n, base, o.Mode.mode().MaxBackoff(o.MaxBackoff), jitter())
}

// sleep waits d, or until ctx is done.
func (o *RetryOptions) sleep(ctx context.Context, d time.Duration) error {
	if o.Sleep != nil {
		return o.Sleep(ctx, d)
	}
	return backoff.Sleep(ctx, d)
}

// stsTransientCodes are STS's own error codes that botocore retries as
// transient in every mode: its identity provider did not answer.
var stsTransientCodes = []string{"IDPCommunicationError"}

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
type retryKind = retrymode.Kind

const (
	noRetry        = retrymode.No
	retryThrottled = retrymode.Throttled
	retryTransient = retrymode.Transient
	retryTimeout   = retrymode.Timeout
)

// RetryableError reports whether a client in the default mode,
// RetryStandard, retries a call that failed with err (an error returned
// by its methods, or its cause), and whether err is a throttling error.
func RetryableError(err error) (retryable, throttled bool) {
	return RetryStandard.Retryable(err)
}

// Retryable reports whether a client in mode m retries a call that failed
// with err (an error returned by its methods, or its cause), and whether
// err is a throttling error.
func (m RetryMode) Retryable(err error) (retryable, throttled bool) {
	k := m.classify(err)
	return k != noRetry, k == retryThrottled
}

// classify says whether and how a call in mode m that failed with err is
// retried: an answer as m's rules say for STS (package retrymode), a body
// that failed to arrive and a failed connection as package transient
// says.
func (m RetryMode) classify(err error) retryKind {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return m.mode().Answer(apiErr.StatusCode, apiErr.Code, stsTransientCodes...)
	}
	var respErr *ResponseError
	if errors.As(err, &respErr) {
		switch k := m.mode().Answer(respErr.StatusCode, ""); {
		case k != noRetry:
			return k
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
