package credentials

import (
	"errors"
	"math/rand/v2"
	"time"
)

// ErrExpired is wrapped by the error for credentials that a source handed
// out already expired. Such credentials are refused, as the AWS CLI
// refuses them ("Credentials were refreshed, but the refreshed
// credentials are still expired."), by a Cache (on its clock), and by the
// providers that read an expiry (ProcessProvider, ContainerProvider,
// SSOProvider). IMDSProvider instead extends an expired expiry, as botocore
// does, so that an instance keeps working while the metadata service
// cannot renew its credentials.
var ErrExpired = errors.New("credentials were refreshed, but the refreshed credentials are still expired")

// ExpiredError is the error for credentials handed out already expired.
// It wraps ErrExpired.
type ExpiredError struct {
	// Expires is when the credentials expired.
	Expires time.Time
	// Now is when they were received.
	Now time.Time
}

// Error says when the credentials expired and when they were received.
func (e *ExpiredError) Error() string {
	return ErrExpired.Error() + " (they expired at " + e.Expires.UTC().Format(time.RFC3339) +
		", received at " + e.Now.UTC().Format(time.RFC3339) + ")"
}

// Unwrap returns ErrExpired.
func (e *ExpiredError) Unwrap() error { return ErrExpired }

// checkFresh returns an *ExpiredError if c has expired at now.
func checkFresh(c Credentials, now time.Time) error {
	if c.Expired(now) {
		return &ExpiredError{Expires: c.Expires, Now: now}
	}
	return nil
}

// extendIMDSExpiry does what botocore's InstanceMetadataFetcher does with
// credentials that expire within ten minutes (plus a jitter of two to ten
// minutes) or have expired: IMDS keeps serving the last credentials while
// it cannot renew them, and AWS accepts them for a while, so their expiry
// is moved to that long from now, and a refresh is tried again then.
func extendIMDSExpiry(c *Credentials, now time.Time) {
	if !c.CanExpire() {
		return
	}
	offset := 10*time.Minute + time.Duration(120+rand.IntN(481))*time.Second
	if !now.Before(c.Expires.Add(-offset)) {
		c.Expires = now.Add(offset)
	}
}
