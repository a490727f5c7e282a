// Package transient decides whether a request that failed before an
// answer arrived (an error of http.Client.Do, or of reading an answer's
// body) may be sent again: the one decision that the sts client's and the
// SSO provider's retries share.
//
// botocore retries every failed connection, in its legacy and standard
// modes alike: refused, reset, closed, timed out, and also a TLS
// certificate that does not verify and a host name that does not resolve.
// This package does not retry those last two, nor a refused redirect, an
// answer over its size limit or a canceled context: sending the same
// request again cannot mend them, and a retry would only delay the error
// (by up to 15 s with botocore's legacy backoff).
package transient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"

	"github.com/callerid/callerid/internal/httpsafe"
)

// Kind is what Classify finds a failure to be.
type Kind int

const (
	// Permanent failures are not retried.
	Permanent Kind = iota
	// Transient failures (a connection refused, reset or closed early)
	// are retried.
	Transient
	// Timeout failures (a connection or an answer that took too long) are
	// retried; retry quotas charge them more.
	Timeout
)

// String names k.
func (k Kind) String() string {
	switch k {
	case Permanent:
		return "permanent"
	case Transient:
		return "transient"
	case Timeout:
		return "timeout"
	}
	return "transient.Kind(?)"
}

// Classify says whether a request that failed with err, before or while
// its answer arrived, may be sent again. A nil err is Permanent.
//
// The caller checks its own context first: a time-out of the HTTP client
// (http.Client.Timeout, which reports context.DeadlineExceeded too) is a
// Timeout, but a context that is done is for the caller to stop on.
// context.Canceled is Permanent.
func Classify(err error) Kind {
	if err == nil || errors.Is(err, context.Canceled) {
		return Permanent
	}
	var (
		redirect   *httpsafe.RedirectError
		unknownCA  x509.UnknownAuthorityError
		hostname   x509.HostnameError
		invalid    x509.CertificateInvalidError
		verifyErr  *tls.CertificateVerificationError
		recordErr  tls.RecordHeaderError
		maxByteErr *http.MaxBytesError
		dnsErr     *net.DNSError
		netErr     net.Error
		opErr      *net.OpError
	)
	switch {
	case errors.As(err, &redirect),
		errors.As(err, &unknownCA), errors.As(err, &hostname), errors.As(err, &invalid),
		errors.As(err, &verifyErr), errors.As(err, &recordErr), errors.As(err, &maxByteErr):
		return Permanent
	case errors.As(err, &dnsErr):
		switch {
		case dnsErr.IsNotFound:
			return Permanent
		case dnsErr.IsTimeout:
			return Timeout
		}
		return Transient
	case errors.As(err, &netErr) && netErr.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return Timeout
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		errors.As(err, &opErr):
		return Transient
	}
	return Permanent
}
