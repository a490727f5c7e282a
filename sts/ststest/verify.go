package ststest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/callerid/callerid/sigv4"
)

// signer returns the access key id a request names in its signature, if
// any, for the request log.
func signer(r *http.Request, form url.Values) (accessKeyID string, presigned bool) {
	if cred := r.URL.Query().Get("X-Amz-Credential"); cred != "" {
		return strings.SplitN(cred, "/", 2)[0], true
	}
	auth := r.Header.Get("Authorization")
	if i := strings.Index(auth, "Credential="); i >= 0 {
		rest := auth[i+len("Credential="):]
		if j := strings.IndexAny(rest, "/, "); j >= 0 {
			return rest[:j], false
		}
	}
	return "", false
}

// verify checks the request's SigV4 signature, in the Authorization
// header or presigned in the query, with sigv4.Verify, and returns the key
// that signed it, or the error STS would answer.
func (s *Server) verify(r *http.Request, body []byte, form url.Values, now time.Time) (*Key, *answer) {
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	var key Key
	lookup := func(_ context.Context, id string) (sigv4.Credentials, error) {
		s.mu.Lock()
		k, ok := s.keys[id]
		if ok {
			key = *k
		}
		s.mu.Unlock()
		if !ok {
			return sigv4.Credentials{}, sigv4.ErrUnknownKey
		}
		return sigv4.Credentials{AccessKeyID: key.AccessKeyID, SecretAccessKey: key.SecretAccessKey, SessionToken: key.SessionToken}, nil
	}
	at, gci, a := presignedClock(r, form, now, s.cfg.maxSkew)
	if a != nil {
		return nil, a
	}
	v, err := sigv4.Verify(r, lookup, &sigv4.VerifyOptions{
		Now:          func() time.Time { return at },
		MaxSkew:      s.cfg.maxSkew,
		Region:       s.cfg.region,
		Service:      "sts",
		MaxBodyBytes: MaxRequestBytes,
		// STS ignores X-Amz-Expires of a presigned GetCallerIdentity, 0
		// included.
		AllowZeroExpires: gci,
	})
	if err != nil {
		return nil, verifyAnswer(err)
	}
	if key.SessionToken == "" && v.SessionToken != "" {
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
