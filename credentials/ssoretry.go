package credentials

import (
	"context"
	"fmt"
	"math/rand"
	"net/http"
	"strconv"
	"time"

	"github.com/callerid/callerid/internal/backoff"
	"github.com/callerid/callerid/internal/retrymode"
	"github.com/callerid/callerid/internal/transient"
)

// Defaults of SSORetryOptions: those of the AWS CLI v1's retry modes for
// the SSO portal and SSO OIDC.
const (
	// DefaultSSOMaxAttempts is how many attempts an SSO call makes at
	// most, the first one included, in SSORetryLegacy mode (the default),
	// as botocore's legacy mode makes. SSORetryStandard and
	// SSORetryAdaptive make 3.
	DefaultSSOMaxAttempts = retrymode.LegacyMaxAttempts
	// DefaultSSOBaseDelay scales the wait before a retry: the wait before
	// retry n is a random duration up to DefaultSSOBaseDelay × 2^(n-1),
	// as in every one of botocore's modes.
	DefaultSSOBaseDelay = retrymode.BaseDelay
	// DefaultSSOMaxBackoff caps the wait before a retry in
	// SSORetryStandard and SSORetryAdaptive modes. SSORetryLegacy's waits
	// have no cap unless MaxBackoff sets one, as botocore's legacy waits
	// have none.
	DefaultSSOMaxBackoff = retrymode.StandardMaxBackoff
)

// An SSORetryMode is one of the retry modes of the AWS CLI, as its
// retry_mode setting names them, for the calls to the SSO portal and SSO
// OIDC: which answers they retry, how many attempts they make by default,
// and how long they wait between them. In every mode a connection that
// fails before or while the answer arrives (refused, reset, closed early,
// timed out) is retried.
type SSORetryMode int

const (
	// SSORetryLegacy is botocore's "legacy" mode, the AWS CLI v1's
	// default and the zero SSORetryMode: at most DefaultSSOMaxAttempts
	// (5) attempts; retried are HTTP 429, 500, 502, 503, 504 and 509
	// whatever the error code, and HTTP 400 with the codes Throttling,
	// ThrottlingException, ThrottledException, RequestThrottledException
	// or ProvisionedThroughputExceededException (botocore's _retry.json
	// has no rules of its own for these services); the wait before retry
	// n is random up to BaseDelay × 2^(n-1), with no cap unless
	// MaxBackoff sets one.
	SSORetryLegacy SSORetryMode = iota
	// SSORetryStandard is the SDKs' "standard" mode: at most 3 attempts;
	// retried are the throttling error codes (Throttling,
	// ThrottlingException, TooManyRequestsException,
	// RequestLimitExceeded, SlowDown, ... whatever the HTTP status), the
	// transient codes RequestTimeout, RequestTimeoutException and
	// PriorRequestNotComplete, and HTTP 500, 502, 503 and 504; the wait
	// before retry n is random up to min(BaseDelay × 2^(n-1),
	// MaxBackoff). A 429 or 509 without a throttling code is not retried
	// (the portal's 429 says TooManyRequestsException, which is). Unlike
	// the STS client's standard mode it has no retry quota shared between
	// calls.
	SSORetryStandard
	// SSORetryAdaptive is the SDKs' "adaptive" mode, retried as
	// SSORetryStandard. (Its client-side rate limiting, which only slows
	// a client that keeps being throttled, is not implemented.)
	SSORetryAdaptive
)

// String returns the mode's name as retry_mode spells it: "legacy",
// "standard" or "adaptive".
func (m SSORetryMode) String() string {
	if rm, ok := m.mode(); ok {
		return rm.String()
	}
	return "SSORetryMode(" + strconv.Itoa(int(m)) + ")"
}

// mode returns the rules of m (package retrymode), and false if m is not
// one of the three modes.
func (m SSORetryMode) mode() (retrymode.Mode, bool) {
	switch m {
	case SSORetryLegacy:
		return retrymode.Legacy, true
	case SSORetryStandard:
		return retrymode.Standard, true
	case SSORetryAdaptive:
		return retrymode.Adaptive, true
	}
	return 0, false
}

// SSORetryOptions configure how SSOProvider retries GetRoleCredentials and
// SSOTokenProvider retries SSO OIDC CreateToken: as the AWS CLI v1 does in
// the retry mode Mode, with exponential backoff and full jitter.
//
// In every mode a call is retried when the connection fails before or
// while the answer arrives (refused, reset, closed early, timed out), and
// never on a redirect (never followed), on an answer larger than the
// limit or whose body does not parse, when the server's TLS certificate
// does not verify, when a host name does not resolve (which botocore
// retries, to no avail), or when the context is done. Other answers are
// retried as Mode says (see SSORetryLegacy and SSORetryStandard); none
// retries 401 UnauthorizedException, 403 or 400 InvalidGrantException.
type SSORetryOptions struct {
	// Mode is the retry mode; the zero value is SSORetryLegacy, the AWS
	// CLI v1's default. (callerid.LoadConfig sets it from AWS_RETRY_MODE
	// or the profile's retry_mode, as for STS.)
	Mode SSORetryMode
	// MaxAttempts is how many attempts a call makes at most, the first one
	// included: 1 disables retries. Zero means the mode's default:
	// DefaultSSOMaxAttempts (5) in SSORetryLegacy, else 3; a negative
	// value is an error. (callerid.LoadConfig sets it from
	// AWS_MAX_ATTEMPTS or the profile's max_attempts, which override the
	// mode's default, as in the AWS CLI.)
	MaxAttempts int
	// BaseDelay scales the backoff; zero means DefaultSSOBaseDelay (1 s).
	BaseDelay time.Duration
	// MaxBackoff caps the wait before a retry; zero means
	// DefaultSSOMaxBackoff (20 s) in SSORetryStandard and
	// SSORetryAdaptive, and no cap in SSORetryLegacy, as in botocore: with
	// many attempts a legacy wait grows long (up to 2^(n-1) seconds before
	// retry n), so give calls a context with a deadline, which cuts every
	// wait short, or set MaxBackoff.
	MaxBackoff time.Duration
	// Jitter returns a random number in [0, 1) that scales each wait; nil
	// means math/rand. Tests pass func() float64 { return 0 } to retry at
	// once.
	Jitter func() float64
	// Sleep waits d, or until ctx is done, when it returns ctx.Err(); nil
	// means a timer. Tests may record the waits instead.
	Sleep func(ctx context.Context, d time.Duration) error
}

// rules returns the rules of Mode and MaxAttempts with the mode's
// default, or an error for a mode that is not one of the three or a
// negative MaxAttempts.
func (o *SSORetryOptions) rules() (retrymode.Mode, int, error) {
	mode, ok := o.Mode.mode()
	switch {
	case !ok:
		return 0, 0, fmt.Errorf("Retry.Mode is %v; want SSORetryLegacy, SSORetryStandard or SSORetryAdaptive", o.Mode)
	case o.MaxAttempts < 0:
		return 0, 0, fmt.Errorf("Retry.MaxAttempts is %d; want at least 1, or 0 for %d", o.MaxAttempts, mode.MaxAttempts(0))
	}
	return mode, mode.MaxAttempts(o.MaxAttempts), nil
}

// backoff returns the wait before retry n (1 for the first retry) in
// mode: a random share of BaseDelay × 2^(n-1), capped at MaxBackoff (in
// legacy mode only if MaxBackoff is set).
func (o *SSORetryOptions) backoff(mode retrymode.Mode, n int) time.Duration {
	base := o.BaseDelay
	if base <= 0 {
		base = DefaultSSOBaseDelay
	}
	jitter := rand.Float64
	if o.Jitter != nil {
		jitter = o.Jitter
	}
	return backoff.Delay(n, base, mode.MaxBackoff(o.MaxBackoff), jitter())
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
	mode, limit, err := o.rules()
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
		body, retry, err := ssoDo(ctx, client, mode, op, r, secrets...)
		if err == nil {
			return body, nil
		}
		if !retry || attempt >= limit || ctx.Err() != nil {
			if attempt == 1 {
				return nil, err
			}
			return nil, &SSOAttemptsError{Attempts: attempt, Err: err}
		}
		if serr := o.sleep(ctx, o.backoff(mode, attempt)); serr != nil {
			return nil, &SSOAttemptsError{Attempts: attempt, Err: err, Stopped: serr}
		}
	}
}

// retryableTransport reports whether a request that failed with err (an
// error of http.Client.Do, or of reading the answer's body) is one to
// retry, as package transient decides: a connection refused, reset, closed
// or timed out (the HTTP client's Timeout included, as botocore retries
// its read and connect time-outs). A context that is done (the caller
// checks), a refused redirect, a TLS certificate that does not verify and
// a host name that does not resolve are not: a retry does not mend them.
func retryableTransport(err error) bool {
	return transient.Classify(err) != transient.Permanent
}
