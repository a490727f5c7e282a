package credentials

import (
	"context"
	"fmt"
	"math/rand"
	"net/http"
	"strconv"
	"time"

	"github.com/callerid/callerid/internal/backoff"
	"github.com/callerid/callerid/internal/transient"
)

// Defaults of SSORetryOptions: those of the AWS CLI v1's default retry
// mode ("legacy") for the SSO portal and SSO OIDC.
const (
	// DefaultSSOMaxAttempts is how many attempts an SSO call makes at
	// most, the first one included: botocore's legacy mode makes 5. (Its
	// "standard" and "adaptive" modes make 3; callerid.LoadConfig sets
	// MaxAttempts so when retry_mode says so.)
	DefaultSSOMaxAttempts = 5
	// DefaultSSOBaseDelay scales the wait before a retry: the wait before
	// retry n is a random duration up to DefaultSSOBaseDelay × 2^(n-1),
	// as in both of botocore's modes.
	DefaultSSOBaseDelay = time.Second
	// DefaultSSOMaxBackoff caps the wait before a retry (botocore's
	// standard mode caps it so; its legacy mode reaches 8 s at most with
	// its 5 attempts).
	DefaultSSOMaxBackoff = 20 * time.Second
)

// SSORetryOptions configure how SSOProvider retries GetRoleCredentials and
// SSOTokenProvider retries SSO OIDC CreateToken.
//
// A call is retried, with exponential backoff and full jitter, on what
// botocore retries for these services in both its legacy and standard
// modes: HTTP 429 (TooManyRequestsException), 500, 502, 503 and 504; the
// throttling codes Throttling, ThrottlingException, ThrottledException,
// RequestThrottledException and ProvisionedThroughputExceededException
// with HTTP 400; and a connection that fails before an answer arrives
// (refused, reset, closed, timed out). It is never retried on other
// answers (401 UnauthorizedException, 403, 400 InvalidGrantException, ...),
// on a redirect (never followed), on an answer whose body fails to arrive
// or to parse, when the server's TLS certificate does not verify, when a
// host name does not resolve, or when the context is done.
type SSORetryOptions struct {
	// MaxAttempts is how many attempts a call makes at most, the first one
	// included: 1 disables retries. Zero means DefaultSSOMaxAttempts (5);
	// a negative value is an error. (callerid.LoadConfig sets it from
	// AWS_MAX_ATTEMPTS or the profile's max_attempts, else to 3 when
	// AWS_RETRY_MODE or retry_mode is "standard" or "adaptive".)
	MaxAttempts int
	// BaseDelay scales the backoff; zero means DefaultSSOBaseDelay (1 s).
	BaseDelay time.Duration
	// MaxBackoff caps the wait before a retry; zero means
	// DefaultSSOMaxBackoff (20 s).
	MaxBackoff time.Duration
	// Jitter returns a random number in [0, 1) that scales each wait; nil
	// means math/rand. Tests pass func() float64 { return 0 } to retry at
	// once.
	Jitter func() float64
	// Sleep waits d, or until ctx is done, when it returns ctx.Err(); nil
	// means a timer. Tests may record the waits instead.
	Sleep func(ctx context.Context, d time.Duration) error
}

// maxAttempts returns MaxAttempts with its default, or an error for a
// negative one.
func (o *SSORetryOptions) maxAttempts() (int, error) {
	switch {
	case o.MaxAttempts < 0:
		return 0, fmt.Errorf("Retry.MaxAttempts is %d; want at least 1, or 0 for %d", o.MaxAttempts, DefaultSSOMaxAttempts)
	case o.MaxAttempts == 0:
		return DefaultSSOMaxAttempts, nil
	}
	return o.MaxAttempts, nil
}

// backoff returns the wait before retry n (1 for the first retry): a
// random share of BaseDelay × 2^(n-1), capped at MaxBackoff.
func (o *SSORetryOptions) backoff(n int) time.Duration {
	base, max := o.BaseDelay, o.MaxBackoff
	if base <= 0 {
		base = DefaultSSOBaseDelay
	}
	if max <= 0 {
		max = DefaultSSOMaxBackoff
	}
	jitter := rand.Float64
	if o.Jitter != nil {
		jitter = o.Jitter
	}
	return backoff.Delay(n, base, max, jitter())
}

// sleep waits d, or until ctx is done.
func (o *SSORetryOptions) sleep(ctx context.Context, d time.Duration) error {
	if o.Sleep != nil {
		return o.Sleep(ctx, d)
	}
	return backoff.Sleep(ctx, d)
}

// SSOAttemptsError is the error of an SSO call (GetRoleCredentials,
// CreateToken) that was sent more than once, or whose retry was cut short
// because the context was done: Err is the last attempt's error, as it
// would be without retries (a *url.Error naming the operation and the URL,
// around an *SSOServiceError or the transport's error), and errors.As
// and errors.Is reach it and, if set, Stopped.
type SSOAttemptsError struct {
	// Attempts is how many requests the call made.
	Attempts int
	// Err is the error of the last attempt.
	Err error
	// Stopped is the context's error when the context was done while
	// waiting to retry; nil otherwise.
	Stopped error
}

// Error is the last attempt's error, then how many attempts were made
// and, if so, that the wait for the next one was cut short.
func (e *SSOAttemptsError) Error() string {
	n := strconv.Itoa(e.Attempts) + " attempts"
	if e.Attempts == 1 {
		n = "1 attempt"
	}
	s := e.Err.Error() + " (after " + n
	if e.Stopped != nil {
		s += "; stopped waiting to retry: " + e.Stopped.Error()
	}
	return s + ")"
}

// Unwrap returns Err and, if set, Stopped.
func (e *SSOAttemptsError) Unwrap() []error {
	if e.Stopped == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Stopped}
}

// ssoCall sends req with client as ssoDo does, again as o says while the
// failure is one to retry (see SSORetryOptions). req's body, if any, must
// be replayable (GetBody). After more than one attempt, or a retry cut
// short, the error is an *SSOAttemptsError around the last one.
func ssoCall(ctx context.Context, client *http.Client, o SSORetryOptions, op string, req *http.Request, secrets ...string) ([]byte, error) {
	limit, err := o.maxAttempts()
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		r := req.Clone(ctx)
		if req.GetBody != nil {
			if r.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
		body, retry, err := ssoDo(ctx, client, op, r, secrets...)
		if err == nil {
			return body, nil
		}
		if !retry || attempt >= limit || ctx.Err() != nil {
			if attempt == 1 {
				return nil, err
			}
			return nil, &SSOAttemptsError{Attempts: attempt, Err: err}
		}
		if serr := o.sleep(ctx, o.backoff(attempt)); serr != nil {
			return nil, &SSOAttemptsError{Attempts: attempt, Err: err, Stopped: serr}
		}
	}
}

// ssoThrottlingCodes are the throttling error codes botocore retries with
// HTTP 400 in both its legacy and standard modes.
var ssoThrottlingCodes = map[string]bool{
	"Throttling":                             true,
	"ThrottlingException":                    true,
	"ThrottledException":                     true,
	"RequestThrottledException":              true,
	"ProvisionedThroughputExceededException": true,
}

// retryable reports whether e is an answer to retry.
func (e *SSOServiceError) retryable() bool {
	switch e.StatusCode {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	case http.StatusBadRequest:
		return ssoThrottlingCodes[e.Code]
	}
	return false
}

// retryableTransport reports whether a request that failed with err (an
// error of http.Client.Do) before any answer arrived is one to retry, as
// package transient decides: a connection refused, reset, closed or timed
// out (the HTTP client's Timeout included, as botocore retries its read
// and connect time-outs). A context that is done (the caller checks), a
// refused redirect, a TLS certificate that does not verify and a host name
// that does not resolve are not: a retry does not mend them.
func retryableTransport(err error) bool {
	return transient.Classify(err) != transient.Permanent
}
