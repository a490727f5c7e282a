package ststest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sigv4"
)

// verify checks the request's SigV4 signature, in the Authorization
// header or presigned in the query, with a sigv4.Verifier, records the key
// it authenticated in s.requests[idx], and returns that key, or the error
// STS would answer.
func (s *Server) verify(r *http.Request, body []byte, form url.Values, now time.Time, idx int) (*Key, *answer) {
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	at, gci, a := presignedClock(r, form, now, s.cfg.maxSkew)
	if a != nil {
		return nil, a
	}
	var key Key
	v := &sigv4.Verifier{
		Lookup: func(_ context.Context, id string) (credentials.Credentials, error) {
			s.mu.Lock()
			k, ok := s.keys[id]
			if ok {
				key = *k
			}
			s.mu.Unlock()
			if !ok {
				return credentials.Credentials{}, sigv4.ErrUnknownKey
			}
			return key.Credentials, nil
		},
		// A regional endpoint takes signatures for its region; without
		// WithRegion, as the global endpoint, any region.
		Scope:        sigv4.Scope{Service: "sts", Region: s.cfg.region},
		AnyRegion:    s.cfg.region == "",
		Now:          func() time.Time { return at },
		MaxSkew:      s.cfg.maxSkew,
		MaxBodyBytes: MaxRequestBytes,
		// STS ignores X-Amz-Expires of a presigned GetCallerIdentity, 0
		// included.
		AllowZeroExpires: gci,
	}
	got, err := v.Verify(r)
	if err != nil {
		return nil, verifyAnswer(err)
	}
	s.mu.Lock()
	s.requests[idx].AccessKeyID, s.requests[idx].Presigned = got.Credentials.AccessKeyID, got.Presigned
	s.mu.Unlock()
	if key.SessionToken() == "" && got.Credentials.SessionToken() != "" {
		// A session token with a long-term key.
		return nil, apiErr(http.StatusForbidden, "InvalidClientTokenId", msgInvalidToken)
	}
	if !key.Expires.IsZero() && !now.Before(key.Expires) {
		return nil, apiErr(http.StatusBadRequest, "ExpiredToken", msgExpiredToken)
	}
	return &key, nil
}

// verifyAnswer words a sigv4.Verify error as STS does.
func verifyAnswer(err error) *answer {
	reason := err.Error()
	var ve *sigv4.VerifyError
	if errors.As(err, &ve) && ve.Reason != "" {
		reason = ve.Reason
	}
	switch {
	case errors.Is(err, sigv4.ErrMissingAuthorization):
		return apiErr(http.StatusForbidden, "MissingAuthenticationToken", "Request is missing Authentication Token")
	case errors.Is(err, sigv4.ErrUnsupportedAlgorithm), errors.Is(err, sigv4.ErrMalformedAuthorization):
		return apiErr(http.StatusBadRequest, "IncompleteSignature", reason)
	case errors.Is(err, sigv4.ErrMalformedRequest):
		return apiErr(http.StatusBadRequest, "InvalidRequest", reason)
	case errors.Is(err, sigv4.ErrUnknownKey), errors.Is(err, sigv4.ErrInvalidSessionToken):
		return apiErr(http.StatusForbidden, "InvalidClientTokenId", msgInvalidToken)
	case errors.Is(err, sigv4.ErrPresignExpired):
		return apiErr(http.StatusForbidden, "ExpiredToken", reason)
	case errors.Is(err, sigv4.ErrBodyTooLarge):
		return apiErr(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", reason)
	case errors.Is(err, sigv4.ErrSignatureMismatch), errors.Is(err, sigv4.ErrPayloadHashMismatch):
		return apiErr(http.StatusForbidden, "SignatureDoesNotMatch", msgSignatureInvalid)
	case errors.Is(err, sigv4.ErrScopeMismatch), errors.Is(err, sigv4.ErrRequestTimeTooSkewed),
		errors.Is(err, sigv4.ErrHostNotSigned), errors.Is(err, sigv4.ErrHeaderNotSigned):
		return apiErr(http.StatusForbidden, "SignatureDoesNotMatch", reason)
	}
	return apiErr(http.StatusInternalServerError, "InternalFailure", "ststest: verifying the signature: "+reason)
}
