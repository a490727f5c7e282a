package iamauth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/internal/httpsafe"
	"github.com/callerid/callerid/internal/peertext"
)

// negativeTTL bounds how long a refusal STS gave is kept in the cache: a
// proof refused once is refused again, but a refusal for a signing time
// STS found in the future may not last.
const negativeTTL = time.Minute

// verifyRemote has STS verify the checked proof req, through the cache
// when there is one.
func (v *Verifier) verifyRemote(ctx context.Context, key cacheKey, req *stsRequest) (Identity, error) {
	if v.cache == nil {
		ctx, cancel := context.WithTimeout(ctx, v.timeout)
		defer cancel()
		id, ve := v.callSTS(ctx, req)
		if ve != nil {
			return Identity{}, ve
		}
		return id, nil
	}
	return v.cache.do(ctx, key, v.now, v.timeout, func(ctx context.Context) outcome {
		id, ve := v.callSTS(ctx, req)
		if ve == nil {
			return outcome{id: id, until: id.Expires}
		}
		o := outcome{err: ve}
		if ve.Err == ErrRejected {
			o.until = req.signedAt.Add(MaxAge)
			if max := v.now().Add(negativeTTL); max.Before(o.until) {
				o.until = max
			}
		}
		return o
	})
}

// callSTS sends req to STS and makes an Identity of the answer.
func (v *Verifier) callSTS(ctx context.Context, r *stsRequest) (Identity, *VerifyError) {
	u := &url.URL{Scheme: "https", Host: r.host, Path: "/", RawQuery: r.rawQuery}
	if v.endpoint != nil {
		u.Scheme, u.Host = v.endpoint.Scheme, v.endpoint.Host
	}
	what := func() string { return r.method + " " + u.Scheme + "://" + u.Host + "/" }
	// The URL is set after: parsing it again would only cost.
	var req *http.Request
	var err error
	if r.body != "" {
		req, err = http.NewRequestWithContext(ctx, r.method, "/", strings.NewReader(r.body))
	} else {
		req, err = http.NewRequestWithContext(ctx, r.method, "/", nil)
	}
	if err != nil {
		return Identity{}, &VerifyError{Check: CheckSTS, Reason: "making the request " + what(), Err: ErrUnavailable, Cause: err}
	}
	req.URL, req.Host, req.Header = u, r.host, r.header
	resp, err := v.client.Do(req)
	if err != nil {
		// A *url.Error holds the URL, and so the signature and the
		// session token: Cause keeps only its cause, with the request's
		// secrets cut out of the transport's text and of a Location.
		cause := httpsafe.Cause(err, r.secrets()...)
		var re *httpsafe.RedirectError
		if errors.As(cause, &re) {
			// Not followed: nothing was sent to the Location. A redirect
			// is no GetCallerIdentity answer, and retrying will not
			// make it one.
			return Identity{}, &VerifyError{Check: CheckResponse, Reason: what() + ": a redirect, which is not followed", Err: ErrBadResponse, Cause: cause}
		}
		return Identity{}, &VerifyError{Check: CheckSTS, Reason: what(), Err: ErrUnavailable, Cause: cause}
	}
	defer resp.Body.Close()
	a, ve := readAnswer(resp, r.secrets)
	if ve != nil {
		ve.Reason = what() + ": " + ve.Reason
		return Identity{}, ve
	}
	id, ve := v.identityOf(a, r)
	if ve != nil {
		ve.Reason = what() + ": " + ve.Reason
	}
	return id, ve
}

// secrets returns what of r must not reach an error: the signature and
// the session token, as sent (percent-encoded in a query) and decoded.
func (r *stsRequest) secrets() []string {
	var out []string
	for _, kv := range strings.Split(r.rawQuery, "&") {
		k, val, _ := strings.Cut(kv, "=")
		if k == "X-Amz-Signature" || k == "X-Amz-Security-Token" {
			out = append(out, val)
			if dec, err := url.QueryUnescape(val); err == nil && dec != val {
				out = append(out, dec)
			}
		}
	}
	for k, vals := range r.header {
		if !strings.EqualFold(k, "Authorization") && !strings.EqualFold(k, "X-Amz-Security-Token") {
			continue
		}
		for _, val := range vals {
			out = append(out, val)
			if _, sig, ok := strings.Cut(val, "Signature="); ok {
				out = append(out, sig)
			}
		}
	}
	return out
}

// identityOf checks a GetCallerIdentity result and makes an Identity of
// it: the Arn must name a principal of the host's partition and the
// Account's, the UserId agree with it.
func (v *Verifier) identityOf(a gciAnswer, r *stsRequest) (Identity, *VerifyError) {
	bad := func(format string, args ...any) (Identity, *VerifyError) {
		return Identity{}, verr(CheckResponse, ErrBadResponse, format, args...)
	}
	// peerQuote is quote, with the request's secrets cut first:
	// a false STS may echo them.
	peerQuote := func(s string) string { return quote(peertext.Cut(s, peertext.Max, r.secrets()...)) }
	if len(a.account) != 12 || strings.Trim(a.account, "0123456789") != "" {
		return bad("the Account %s is not 12 digits", peerQuote(a.account))
	}
	p, err := arn.ParsePrincipal(a.arn)
	if err != nil {
		return bad("the Arn %s does not name a principal", peerQuote(a.arn))
	}
	h := v.hosts[r.host]
	switch {
	case p.Kind == arn.KindRole:
		return bad("the Arn %s names a role, not a caller", peerQuote(a.arn))
	case p.ARN.AccountID != a.account:
		return bad("the Arn %s is not of the Account %s", peerQuote(a.arn), a.account)
	case p.ARN.Partition != h.partition:
		return bad("the Arn %s is not in the partition of %s", peerQuote(a.arn), r.host)
	}
	if !userIDMatches(a.userID, p) {
		return bad("the UserId %s does not match the Arn %s", peerQuote(a.userID), peerQuote(a.arn))
	}
	return Identity{
		ARN:          a.arn,
		CanonicalARN: p.Canonical().String(),
		Principal:    p,
		Account:      a.account,
		UserID:       a.userID,
		SessionName:  p.SessionName,
		AccessKeyID:  strings.Clone(r.akid),
		Host:         strings.Clone(r.host),
		SignedAt:     r.signedAt,
		Expires:      r.signedAt.Add(MaxAge),
		RequestID:    truncate(a.requestID),
	}, nil
}

// userIDMatches reports whether the UserId of an answer agrees with its
// Arn: the same kind of principal, account and name where the UserId says
// them (see arn.UserID.Matches). A unique id of a prefix the arn package
// does not know (a new kind of id, or the documentation's examples) must
// still have the session name of a role session after its colon, and no
// colon for a user.
func userIDMatches(userID string, p arn.Principal) bool {
	uid, err := arn.ParseUserID(userID)
	switch {
	case err != nil:
		return false
	case uid.Kind != arn.KindUnknown:
		return uid.Matches(p)
	case p.Kind == arn.KindAssumedRole:
		return uid.UniqueID != "" && uid.Name == p.SessionName
	case p.Kind == arn.KindUser:
		return uid.UniqueID != "" && uid.Name == ""
	}
	return false
}
