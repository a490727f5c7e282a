package iamauth

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/callerid/callerid/sts"
)

// Errors that a *VerifyError wraps, one per check, for errors.Is. The
// local checks' come first, in the order the Verifier makes them; then
// those of the call to STS and of its answer.
var (
	// ErrTooLarge: the token is longer than MaxTokenBytes, or the login
	// payload than MaxPayloadBytes, before anything is decoded.
	ErrTooLarge = errors.New("iamauth: proof too large")
	// ErrPrefix: the token does not start with TokenPrefix, exactly.
	ErrPrefix = errors.New("iamauth: no k8s-aws-v1. prefix")
	// ErrEncoding: the token is not base64url without padding, a payload
	// field not standard base64, the headers not a JSON object of header
	// names and values, or the URL not printable ASCII.
	ErrEncoding = errors.New("iamauth: bad encoding")
	// ErrMethod: a login payload's method is neither POST nor GET.
	ErrMethod = errors.New("iamauth: method not allowed")
	// ErrScheme: the URL is not https.
	ErrScheme = errors.New("iamauth: scheme is not https")
	// ErrHost: the URL's host is not exactly one of the STS hosts the
	// Verifier accepts (user information, a port, a trailing dot, an IP
	// address, any other host), or a Host header names another host.
	ErrHost = errors.New("iamauth: not an accepted STS host")
	// ErrPath: the URL's path is not exactly "/", or it has a fragment.
	ErrPath = errors.New("iamauth: path is not /")
	// ErrDuplicateParameter: a query or body parameter, or a header, is
	// given twice, names compared without regard to case.
	ErrDuplicateParameter = errors.New("iamauth: duplicate parameter")
	// ErrParameterNotAllowed: a query or body parameter that is not on the
	// allowlist (names are case-sensitive and must not be escaped).
	ErrParameterNotAllowed = errors.New("iamauth: parameter not allowed")
	// ErrAction: Action is not GetCallerIdentity or Version not
	// 2011-06-15, or Action is in both the query and the body of a POST.
	ErrAction = errors.New("iamauth: not a GetCallerIdentity request")
	// ErrMalformed: a parameter or header of the signature is missing,
	// repeated or not in its syntax (X-Amz-Algorithm, X-Amz-Credential,
	// X-Amz-SignedHeaders, X-Amz-Signature, Authorization, an escape).
	ErrMalformed = errors.New("iamauth: malformed signature")
	// ErrBody: a POST's body is not a form of exactly Action and Version,
	// or its Content-Type or Content-Length header says otherwise.
	ErrBody = errors.New("iamauth: body not allowed")
	// ErrHeaderNotAllowed: a header that a payload may not carry (an
	// X-Amz-* header not on the allowlist, a hop-by-hop header), or a
	// signed header that is neither the host nor a bound header.
	ErrHeaderNotAllowed = errors.New("iamauth: header not allowed")
	// ErrHeaderNotSigned: a bound header (cluster id, server id,
	// challenge), or X-Amz-Date, is missing or not named in the signed
	// headers.
	ErrHeaderNotSigned = errors.New("iamauth: bound header not signed")
	// ErrBindingMismatch: a bound header does not have the expected value.
	ErrBindingMismatch = errors.New("iamauth: bound header has another value")
	// ErrExpires: X-Amz-Expires is not a number of seconds from 0 to 900.
	ErrExpires = errors.New("iamauth: X-Amz-Expires out of range")
	// ErrExpired: the signing time (X-Amz-Date) is more than 15 minutes
	// ago.
	ErrExpired = errors.New("iamauth: proof expired")
	// ErrNotYetValid: the signing time is later than now plus the
	// allowed clock skew.
	ErrNotYetValid = errors.New("iamauth: proof signed in the future")
	// ErrScope: the credential scope names another region than the host's,
	// another service than sts, or another date than X-Amz-Date's.
	ErrScope = errors.New("iamauth: credential scope mismatch")

	// ErrRejected: STS refused the signed request (an STS error document,
	// such as SignatureDoesNotMatch or InvalidClientTokenId). The cause is
	// an *sts.APIError.
	ErrRejected = errors.New("iamauth: STS refused the proof")
	// ErrThrottled: STS throttled the call. It is worth retrying later;
	// the proof may be fine.
	ErrThrottled = errors.New("iamauth: STS throttled the call")
	// ErrUnavailable: STS could not be reached, or answered with a server
	// error. It is worth retrying; the proof may be fine.
	ErrUnavailable = errors.New("iamauth: STS unavailable")
	// ErrBadResponse: STS's answer is not a GetCallerIdentity result:
	// a redirect, an HTML page, another document, another action's
	// answer, no result or two, an Arn and Account that disagree.
	ErrBadResponse = errors.New("iamauth: not a GetCallerIdentity answer")
)

// The checks a VerifyError names.
const (
	CheckSize      = "size"       // MaxTokenBytes, MaxPayloadBytes
	CheckPrefix    = "prefix"     // TokenPrefix
	CheckEncoding  = "encoding"   // base64, JSON, printable ASCII
	CheckMethod    = "method"     // POST or GET
	CheckScheme    = "scheme"     // https
	CheckHost      = "host"       // one of the accepted STS hosts
	CheckPath      = "path"       // "/", no fragment
	CheckQuery     = "query"      // duplicates, allowlist
	CheckAction    = "action"     // GetCallerIdentity, 2011-06-15
	CheckBody      = "body"       // the POST body
	CheckHeaders   = "headers"    // duplicates, allowlist, Host
	CheckSignature = "signature"  // the signature's syntax
	CheckBinding   = "binding"    // bound headers: present, signed, equal
	CheckExpires   = "expires"    // X-Amz-Expires
	CheckDate      = "date"       // X-Amz-Date
	CheckScope     = "scope"      // the credential scope
	CheckSTS       = "sts"        // the call to STS
	CheckResponse  = "sts-answer" // STS's answer
)

// A VerifyError is the error of a refused proof: which check failed, why,
// the sentinel error of the check and, for a failed call to STS, the
// cause (an *sts.APIError, or the transport's error).
//
// It never holds the signature, the session token or the token itself;
// text from the proof or from STS in Reason is bounded and quoted.
type VerifyError struct {
	// Check names the check that failed: one of the Check constants.
	Check string
	// Reason says what was wrong.
	Reason string
	// Err is the check's sentinel (ErrHost, ErrRejected, ...).
	Err error
	// Cause is what STS answered (*sts.APIError) or the transport's
	// error, when the call to STS failed; nil otherwise.
	Cause error
}

// Error returns "iamauth: CHECK: REASON", and the cause if there is one
// (STS's error code, status, message and request id, quoted).
func (e *VerifyError) Error() string {
	s := "iamauth: " + e.Check + ": " + e.Reason
	var ae *sts.APIError
	switch {
	case errors.As(e.Cause, &ae):
		s += fmt.Sprintf(": STS error %s (HTTP %d)", quote(ae.Code), ae.StatusCode)
		if ae.Message != "" {
			s += ": " + quote(ae.Message)
		}
		if ae.RequestID != "" {
			s += " (request id " + quote(ae.RequestID) + ")"
		}
	case e.Cause != nil:
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap returns the sentinel and the cause, for errors.Is and errors.As.
func (e *VerifyError) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cause}
}

// Retryable reports whether the proof may verify if presented again
// later: STS throttled the call or could not be reached. Every other
// refusal is final.
func (e *VerifyError) Retryable() bool {
	return e.Err == ErrThrottled || e.Err == ErrUnavailable
}

// Retryable reports whether err is a *VerifyError that is Retryable.
func Retryable(err error) bool {
	var ve *VerifyError
	return errors.As(err, &ve) && ve.Retryable()
}

func verr(check string, sentinel error, format string, args ...any) *VerifyError {
	return &VerifyError{Check: check, Reason: fmt.Sprintf(format, args...), Err: sentinel}
}

// quote quotes peer text for an error: bounded, with Go escapes.
func quote(s string) string { return strconv.Quote(truncate(s)) }
