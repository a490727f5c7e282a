// Package retrymode holds the retry modes of the AWS CLI v1 and botocore
// (its retry_mode setting): for each mode, which answers it retries (HTTP
// statuses, error codes) and as what (throttling or transient), how many
// attempts it makes by default, and whether it caps the wait before a
// retry. The STS client and the SSO provider share these rules; each
// names the mode with a public type of its own (sts.RetryMode,
// credentials.SSORetryMode) and maps it to Mode.
//
// What is not here: which failures of the connection to retry (the same
// in every mode: package transient), how long to wait (package backoff),
// and the retry quota of the standard mode (the STS client's).
package retrymode

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// A Mode is one of botocore's retry modes.
type Mode int

const (
	// Legacy is botocore's "legacy" mode, the AWS CLI v1's default: the
	// rules of botocore's _retry.json (its "__default__" entry, which a
	// service's own entry may add codes to). It retries HTTP 429 as
	// throttling; 500, 502, 503, 504 and 509 whatever the error code;
	// HTTP 400 with the codes Throttling, ThrottlingException,
	// ThrottledException, RequestThrottledException or
	// ProvisionedThroughputExceededException as throttling. It makes
	// LegacyMaxAttempts attempts by default and does not cap the wait.
	Legacy Mode = iota
	// Standard is the SDKs' "standard" mode. It retries the throttling
	// error codes of every SDK (Throttling, ThrottlingException,
	// RequestLimitExceeded, TooManyRequestsException, SlowDown, ...) whatever the HTTP status,
	// the transient codes RequestTimeout, RequestTimeoutException and
	// PriorRequestNotComplete, and HTTP 500, 502, 503 and 504. It makes
	// StandardMaxAttempts attempts by default and caps the wait at
	// StandardMaxBackoff. (A 429 or 509 without a throttling code is not
	// retried.)
	Standard
	// Adaptive is the SDKs' "adaptive" mode: Standard's rules, plus a
	// client-side rate limit that is not implemented here.
	Adaptive
)

// Defaults of the modes.
const (
	// LegacyMaxAttempts is how many attempts a call makes at most in
	// Legacy mode, the first included.
	LegacyMaxAttempts = 5
	// StandardMaxAttempts is how many attempts a call makes at most in
	// Standard and Adaptive modes.
	StandardMaxAttempts = 3
	// BaseDelay scales the wait in every mode: the wait before retry n
	// is a random duration up to BaseDelay × 2^(n-1).
	BaseDelay = time.Second
	// StandardMaxBackoff caps the wait before a retry in Standard and
	// Adaptive modes. Legacy mode has no cap.
	StandardMaxBackoff = 20 * time.Second
)

// String returns the mode's name as retry_mode spells it.
func (m Mode) String() string {
	switch m {
	case Legacy:
		return "legacy"
	case Standard:
		return "standard"
	case Adaptive:
		return "adaptive"
	}
	return "retrymode.Mode(" + strconv.Itoa(int(m)) + ")"
}

// MaxAttempts returns n if it is set (above zero), else the mode's
// default: LegacyMaxAttempts in Legacy, StandardMaxAttempts otherwise.
func (m Mode) MaxAttempts(n int) int {
	switch {
	case n > 0:
		return n
	case m == Legacy:
		return LegacyMaxAttempts
	}
	return StandardMaxAttempts
}

// MaxBackoff returns max if it is set (above zero), else the mode's cap
// on the wait before a retry: StandardMaxBackoff in Standard and
// Adaptive, zero (no cap) in Legacy.
func (m Mode) MaxBackoff(max time.Duration) time.Duration {
	switch {
	case max > 0:
		return max
	case m == Legacy:
		return 0
	}
	return StandardMaxBackoff
}

// A Kind says whether a failure is retried, and as what.
type Kind int

const (
	// No: not retried.
	No Kind = iota
	// Throttled: retried as throttling.
	Throttled
	// Transient: retried as a transient failure.
	Transient
	// Timeout: a transient failure that took a time-out to show (a retry
	// quota charges more for it).
	Timeout
)

// String names k.
func (k Kind) String() string {
	switch k {
	case No:
		return "no retry"
	case Throttled:
		return "throttled"
	case Transient:
		return "transient"
	case Timeout:
		return "timeout"
	}
	return "retrymode.Kind(" + strconv.Itoa(int(k)) + ")"
}

// throttledCodes are the error codes Standard mode retries as
// throttling, whatever the HTTP status.
var throttledCodes = map[string]bool{
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

// transientCodes are the error codes Standard mode retries as transient.
var transientCodes = map[string]bool{
	"RequestTimeout":          true,
	"RequestTimeoutException": true,
	"PriorRequestNotComplete": true,
}

// transientStatus are the HTTP statuses Standard mode retries whatever
// the error code.
var transientStatus = map[int]bool{
	http.StatusInternalServerError: true,
	http.StatusBadGateway:          true,
	http.StatusServiceUnavailable:  true,
	http.StatusGatewayTimeout:      true,
}

// legacyStatus are the HTTP statuses Legacy mode retries whatever the
// error code, 429 as throttling and the others as transient (509 is the
// bandwidth limit of some services).
var legacyStatus = map[int]Kind{
	http.StatusTooManyRequests:     Throttled,
	http.StatusInternalServerError: Transient,
	http.StatusBadGateway:          Transient,
	http.StatusServiceUnavailable:  Transient,
	http.StatusGatewayTimeout:      Transient,
	509:                            Transient,
}

// legacyThrottledCodes are the error codes Legacy mode retries with HTTP
// 400 as throttling.
var legacyThrottledCodes = map[string]bool{
	"Throttling":                             true,
	"ThrottlingException":                    true,
	"ThrottledException":                     true,
	"RequestThrottledException":              true,
	"ProvisionedThroughputExceededException": true,
}

// Answer says whether mode m retries an answer with HTTP status status and
// error code code (empty when the answer has none, or its body could not
// be read or parsed). serviceCodes are the service's own error codes
// that botocore retries as transient in every mode (STS's
// IDPCommunicationError): with HTTP 400 in Legacy mode, as _retry.json's
// service entries say, whatever the status in the others. An invalid
// mode retries nothing.
func (m Mode) Answer(status int, code string, serviceCodes ...string) Kind {
	own := code != "" && slices.Contains(serviceCodes, code)
	switch m {
	case Legacy:
		switch {
		case status == http.StatusBadRequest && legacyThrottledCodes[code]:
			return Throttled
		case legacyStatus[status] != No:
			return legacyStatus[status]
		case status == http.StatusBadRequest && own:
			return Transient
		}
	case Standard, Adaptive:
		switch {
		case throttledCodes[code]:
			return Throttled
		case transientCodes[code], transientStatus[status], own:
			return Transient
		}
	}
	return No
}
