package sts

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/callerid/callerid/credentials"
)

// RedirectError is the error of a call answered with a redirect, which a
// Client never follows (see Options.HTTPClient): nothing is sent to the
// Location, so neither the signed request, nor its session token, nor a
// web identity token goes there. It is credentials.RedirectError: its
// StatusCode is the 3xx status, its Location where the answer pointed
// (resolved, without user information, cut to 512 bytes, with the
// request's secrets cut out). An *OperationError wraps it:
//
//	var re *sts.RedirectError
//	if errors.As(err, &re) { ... }
type RedirectError = credentials.RedirectError

// OperationError is the error of a call: which operation, to which
// endpoint, and why it failed. Err is an *APIError when STS answered with
// an error document, a *ResponseError when the answer was not one STS
// gives, or the transport's or context's error.
type OperationError struct {
	// Operation is the STS action, e.g. "GetCallerIdentity".
	Operation string
	// Endpoint is the URL the request was sent to.
	Endpoint string
	// Attempts is how many requests the call made; zero when it failed
	// before sending any.
	Attempts int
	// MaxAttemptsReached reports that the call gave up because it had
	// made as many attempts as Retry.MaxAttempts allows (a retry with a
	// corrected clock not counted), as botocore's MaxAttemptsReached
	// says it, after which the AWS CLI adds "(reached max retries:
	// Attempts-1)" to its message. Like botocore's, it follows the retry
	// mode: in RetryLegacy it is set only when the last failure would
	// otherwise have been retried; in RetryStandard and RetryAdaptive
	// whenever the last allowed attempt failed, with any error (one that
	// is never retried included).
	MaxAttemptsReached bool
	// Err is the cause.
	Err error
}

// Error names the operation and endpoint, gives the cause and, after
// retries, how many attempts were made.
func (e *OperationError) Error() string {
	s := "sts: " + e.Operation + " " + e.Endpoint + ": " + e.Err.Error()
	if e.Attempts > 1 {
		s += " (after " + strconv.Itoa(e.Attempts) + " attempts)"
	}
	return s
}

// Unwrap returns the cause.
func (e *OperationError) Unwrap() error { return e.Err }

// APIError is an error STS reported in an error document. Its fields are
// the peer's text, bounded (the message to 1 KiB, the others to 128
// bytes), with control characters replaced by spaces and any secret of
// the request (session token, secret key, signature, web identity token)
// cut out.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Type is "Sender" or "Receiver".
	Type string
	// Code is the error code, e.g. "InvalidClientTokenId".
	Code string
	// Message is STS's explanation.
	Message string
	// RequestID identifies the request to AWS support; empty when the
	// server sent none.
	RequestID string
}

// Error gives the code, status, message and request id. The message is
// quoted, and so are the code and request id unless they are plain
// identifiers: they are the peer's text.
func (e *APIError) Error() string {
	s := quoteOdd(e.Code) + " (HTTP " + strconv.Itoa(e.StatusCode) + ")"
	if e.Message != "" {
		s += ": " + strconv.Quote(e.Message)
	}
	if e.RequestID != "" {
		s += " (request id " + quoteOdd(e.RequestID) + ")"
	}
	return s
}

// quoteOdd returns s as it is if it is made of letters, digits, spaces
// and - _ . : / ; = + only, and quoted otherwise.
func quoteOdd(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.:/;=+ ", c) >= 0) {
			return strconv.Quote(s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}

// ResponseError reports an answer that is neither the expected result nor
// an STS error document: an HTML page from a proxy, a truncated body, a
// document of another shape.
type ResponseError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// ContentType is the answer's Content-Type header.
	ContentType string
	// Reason says what was wrong with it.
	Reason string
	// Err is an underlying decoding error, if any.
	Err error
}

// Error gives the status, content type and what was wrong.
func (e *ResponseError) Error() string {
	s := fmt.Sprintf("unexpected response (HTTP %d", e.StatusCode)
	if e.ContentType != "" {
		s += ", " + quoteOdd(e.ContentType)
	}
	s += "): " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the decoding error, if any.
func (e *ResponseError) Unwrap() error { return e.Err }
