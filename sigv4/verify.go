package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/callerid/callerid/credentials"
)

// Errors that Verify wraps in a *VerifyError, for errors.Is. The comments
// give the STS error code each stands for.
var (
	// ErrMissingAuthorization: the request carries no SigV4 signature,
	// neither an Authorization header nor an X-Amz-Algorithm parameter
	// (MissingAuthenticationToken).
	ErrMissingAuthorization = errors.New("sigv4: request is not signed")
	// ErrUnsupportedAlgorithm: the signature is not AWS4-HMAC-SHA256
	// (IncompleteSignature).
	ErrUnsupportedAlgorithm = errors.New("sigv4: unsupported signing algorithm")
	// ErrMalformedAuthorization: the Authorization header, the X-Amz-*
	// parameters, X-Amz-Date or X-Amz-Expires cannot be parsed, or both
	// forms are present (IncompleteSignature).
	ErrMalformedAuthorization = errors.New("sigv4: malformed signature")
	// ErrMalformedRequest: a part of the request cannot be canonicalized,
	// such as an invalid percent-escape in the query, or a CR or LF in a
	// signed header (InvalidRequest).
	ErrMalformedRequest = errors.New("sigv4: malformed request")
	// ErrScopeMismatch: the credential scope's date is not that of
	// X-Amz-Date, or its region or service is not the expected one
	// (SignatureDoesNotMatch).
	ErrScopeMismatch = errors.New("sigv4: credential scope mismatch")
	// ErrRequestTimeTooSkewed: the signing time is outside the allowed
	// window around the server's time (SignatureDoesNotMatch, "Signature
	// expired: ...").
	ErrRequestTimeTooSkewed = errors.New("sigv4: request time too skewed")
	// ErrPresignExpired: the presigned request's lifetime is over
	// (ExpiredToken).
	ErrPresignExpired = errors.New("sigv4: presigned request expired")
	// ErrHostNotSigned: the host header is not among the signed headers
	// (SignatureDoesNotMatch).
	ErrHostNotSigned = errors.New("sigv4: host not signed")
	// ErrHeaderNotSigned: an X-Amz-* header is sent but not signed
	// (SignatureDoesNotMatch).
	ErrHeaderNotSigned = errors.New("sigv4: header not signed")
	// ErrUnknownKey: the access key id is not known; a SecretLookup returns
	// it, or an error wrapping it (InvalidClientTokenId).
	ErrUnknownKey = errors.New("sigv4: unknown access key id")
	// ErrInvalidSessionToken: the lookup gave a session token and the
	// request does not carry that one (InvalidClientTokenId).
	ErrInvalidSessionToken = errors.New("sigv4: invalid session token")
	// ErrPayloadHashMismatch: X-Amz-Content-Sha256 does not match the
	// body, or is a kind of payload signing that is not accepted
	// (XAmzContentSHA256Mismatch).
	ErrPayloadHashMismatch = errors.New("sigv4: payload hash mismatch")
	// ErrBodyTooLarge: the body is larger than Verifier.MaxBodyBytes
	// (RequestEntityTooLarge).
	ErrBodyTooLarge = errors.New("sigv4: body too large")
	// ErrSignatureMismatch: the signature is not the one computed for the
	// request (SignatureDoesNotMatch).
	ErrSignatureMismatch = errors.New("sigv4: signature mismatch")
)

// The checks a VerifyError names.
const (
	CheckRequest       = "request"        // the request itself (nil, bad escapes, ...)
	CheckAuthorization = "authorization"  // presence and syntax of the signature
	CheckAlgorithm     = "algorithm"      // AWS4-HMAC-SHA256
	CheckCredential    = "credential"     // syntax of the credential scope
	CheckScope         = "scope"          // date, region and service of the scope
	CheckDate          = "date"           // X-Amz-Date and the skew window
	CheckExpires       = "expires"        // X-Amz-Expires of a presigned request
	CheckSignedHeaders = "signed-headers" // what must be signed is signed
	CheckKey           = "key"            // the access key id lookup
	CheckSessionToken  = "session-token"  // the session token
	CheckPayload       = "payload"        // X-Amz-Content-Sha256 against the body
	CheckBody          = "body"           // reading the body
	CheckSignature     = "signature"      // the signature itself
)

// A VerifyError is the error Verify returns: which check failed, why, and
// the sentinel error (or the SecretLookup's error) it wraps. It never holds
// the expected signature, a secret or a derived key.
type VerifyError struct {
	// Check names the check that failed: one of the Check constants.
	Check string
	// Reason says what was wrong, for people, as AWS would word it where
	// AWS has words for it (e.g. "Signature expired: ...").
	Reason string
	// Err is one of the Err* sentinels, or the lookup's error.
	Err error
}

// Error returns "sigv4: " + e.Check + ": " + e.Reason.
func (e *VerifyError) Error() string { return "sigv4: " + e.Check + ": " + e.Reason }

// Unwrap returns e.Err, for errors.Is and errors.As.
func (e *VerifyError) Unwrap() error { return e.Err }

func verr(check string, err error, format string, args ...any) *VerifyError {
	return &VerifyError{Check: check, Reason: fmt.Sprintf(format, args...), Err: err}
}

// A SecretLookup returns the credentials of an access key id. It is given
// the request's context.
//
// The credentials must have a secret access key, and the access key id
// asked for or none (it is then taken as that one). If they have a session
// token too, the request must carry that token (X-Amz-Security-Token); if
// not, the token is not checked, and Verified.Credentials holds the one
// sent, if any. Their expiry, source and account are passed on in
// Verified.Credentials. For an id it does not know the lookup returns
// ErrUnknownKey or an error wrapping it; any other error is passed on
// (wrapped in a *VerifyError with Check "key").
type SecretLookup func(ctx context.Context, accessKeyID string) (credentials.Credentials, error)

// StaticLookup is a SecretLookup over a fixed set of credentials.
func StaticLookup(creds ...credentials.Credentials) SecretLookup {
	m := make(map[string]credentials.Credentials, len(creds))
	for _, c := range creds {
		m[c.AccessKeyID] = c
	}
	return func(_ context.Context, id string) (credentials.Credentials, error) {
		c, ok := m[id]
		if !ok {
			return credentials.Credentials{}, ErrUnknownKey
		}
		return c, nil
	}
}

// Defaults of a Verifier.
const (
	// DefaultMaxSkew is how far the signing time of a request may be from
	// the server's clock. AWS allows 15 minutes for header-signed
	// requests; this is stricter, for a smaller replay window: set
	// Verifier.MaxSkew to 15*time.Minute to accept what AWS accepts.
	DefaultMaxSkew = 5 * time.Minute
	// DefaultMaxBodyBytes is the largest body Verify buffers to hash.
	DefaultMaxBodyBytes = 1 << 20
)

// A Verifier checks the SigV4 signatures of the requests a server
// receives, for one scope: the service it is, in its region (or, with
// AnyRegion, in any region). Lookup, Scope.Service and Scope.Region (or
// AnyRegion) must be set; the other fields have working defaults.
//
// A Verifier is safe for concurrent use, as long as its fields are not
// changed while in use; it must not be copied after first use, as it keeps
// state for its requests: like a Signer, it derives the signing key of a
// (secret, day, service, region) once and keeps it in a bounded cache of
// its own, which holds a keyed hash of each secret, never the secret.
type Verifier struct {
	// Lookup gives the credentials of the access key id a request names.
	Lookup SecretLookup

	// Scope is what the credential scope of a request must name. Service
	// is required: a signature for another service is refused, so that a
	// request signed for one service cannot be replayed to another.
	// Region is required unless AnyRegion is set.
	Scope Scope

	// AnyRegion accepts a signature scoped to any region, for a service
	// whose callers sign for a region of their choosing (a global
	// endpoint). Scope.Region must then be empty; Verified.Scope.Region
	// says which region the request was signed for.
	AnyRegion bool

	// Now returns the server's time; time.Now if nil.
	Now func() time.Time

	// MaxSkew bounds how far the signing time may be from Now, either
	// way; for a presigned request, how far in the future it may be.
	// DefaultMaxSkew if zero.
	MaxSkew time.Duration

	// S3Paths verifies with Amazon S3's rules for the canonical path, as
	// Signer.S3Paths signs.
	S3Paths bool

	// MaxBodyBytes bounds the body that Verify buffers (a body that
	// req.GetBody cannot give again) to hash it: DefaultMaxBodyBytes if
	// zero, no bound if negative.
	MaxBodyBytes int64

	// AllowUnsignedPayload accepts UNSIGNED-PAYLOAD: in the
	// X-Amz-Content-Sha256 header, or as the payload hash of a presigned
	// request (as S3 presigns).
	AllowUnsignedPayload bool

	// AllowUnsignedSessionToken accepts a session token that is not
	// signed (Signer.UnsignedSessionToken).
	AllowUnsignedSessionToken bool
	// AllowZeroExpires accepts X-Amz-Expires=0 in a presigned request
	// (which then expires at its signing time, unless Now says
	// otherwise), as STS accepts it for GetCallerIdentity, whose
	// presigned requests it takes for 15 minutes whatever X-Amz-Expires
	// says: aws-iam-authenticator's EKS tokens carry 0.
	AllowZeroExpires bool

	// Debug, if not nil, is called with the canonical request and string
	// to sign that Verify computes, before comparing signatures. They hold
	// no secret access key, but the canonical request holds the session
	// token, which is a secret too: do not log it where secrets may not go.
	Debug func(canonicalRequest, stringToSign string)

	cache atomic.Pointer[keyCache] // made on first use
}

// Verified is what Verifier.Verify authenticated.
//
// It prints (under every fmt verb), marshals to JSON and logs with
// log/slog without the secret access key and the session token, as its
// Credentials do.
type Verified struct {
	// Credentials are those the request was authenticated with: what the
	// SecretLookup gave for the access key id of the signature (of the
	// Authorization header, or of the X-Amz-Credential parameter of a
	// presigned request), with the session token the request carried, if
	// any. AccessKeyID is the signature's.
	Credentials credentials.Credentials
	// Scope is the service and region of the credential scope.
	Scope Scope
	// Time is the signing time (X-Amz-Date), UTC.
	Time time.Time
	// Presigned tells a query-string signature from an Authorization
	// header; Expires is its lifetime (X-Amz-Expires).
	Presigned bool
	Expires   time.Duration
	// SignedHeaders are the names of the signed headers, lower case and
	// sorted, "host" among them.
	SignedHeaders []string
	// SessionTokenSigned reports whether the signature covers the session
	// token the request carried.
	SessionTokenSigned bool
}

// String describes v without its secrets.
func (v Verified) String() string {
	return fmt.Sprintf("sigv4.Verified{Credentials: %s, Scope: {Service: %s, Region: %s}, Time: %s, Presigned: %t, Expires: %s, SignedHeaders: %s, SessionTokenSigned: %t}",
		v.Credentials, v.Scope.Service, v.Scope.Region, v.Time.Format(time.RFC3339), v.Presigned, v.Expires,
		strings.Join(v.SignedHeaders, ";"), v.SessionTokenSigned)
}

// GoString is the same as String.
func (v Verified) GoString() string { return v.String() }

// Format writes v as String does for every verb.
func (v Verified) Format(f fmt.State, verb rune) { io.WriteString(f, v.String()) }

// sigInfo is a signature as the request states it.
type sigInfo struct {
	presigned                   bool
	akid, date, region, service string
	signedHeaders               string // "host;x-amz-date"
	signature                   string // 64 hex digits
	amzDate                     string
	expires                     int64
	token                       string
	hasToken                    bool
}

// Verify checks the SigV4 signature of a request a server received, in
// the Authorization header or presigned in the query, and returns what it
// authenticated. The credentials are looked up by access key id with
// v.Lookup, given req.Context().
//
// A Verifier without Lookup, Scope.Service, or Scope.Region (unless
// AnyRegion is set) is an error for every request, which is not a
// *VerifyError: it is the server's fault, not the request's.
//
// It checks, in this order, and fails with a *VerifyError wrapping the
// sentinel in parentheses: that there is one signature, either an
// Authorization header or presigned X-Amz-* parameters, not both: an
// Authorization header with any of the query parameters of presigning is
// refused, so that what is authenticated is never in doubt
// (ErrMissingAuthorization, ErrMalformedAuthorization), its algorithm
// (ErrUnsupportedAlgorithm), that the credential scope is well formed, has
// the date of X-Amz-Date and v.Scope's service and region
// (ErrScopeMismatch), that the signing time is within v.MaxSkew of now
// (ErrRequestTimeTooSkewed) and a presigned request has not expired
// (ErrPresignExpired), that host (ErrHostNotSigned) and every X-Amz-*
// header sent (ErrHeaderNotSigned) are signed, the key (ErrUnknownKey, or
// the lookup's error) and session token (ErrInvalidSessionToken), that an
// X-Amz-Content-Sha256 header matches the body (ErrPayloadHashMismatch),
// and last the signature, compared in constant time (ErrSignatureMismatch).
// Every X-Amz-* parameter of a presigned request but the signature is part
// of the canonical query, so signed.
//
// The signing time is the X-Amz-Date header (or parameter, presigned); a
// Date header is not taken in its place, as no SDK signs without
// X-Amz-Date. Chunked (STREAMING-*) payload signing is not supported.
//
// To hash the body, Verify reads it through req.GetBody if set; otherwise
// it reads req.Body, up to v.MaxBodyBytes, and puts back a reader of the
// same bytes (and sets GetBody), so that the handler can still read it.
// No body is read for UNSIGNED-PAYLOAD.
func (v *Verifier) Verify(req *http.Request) (*Verified, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	if req == nil || req.URL == nil {
		return nil, verr(CheckRequest, ErrMalformedRequest, "nil request or URL")
	}
	si, ve := parseSignature(req, v.AllowZeroExpires)
	if ve != nil {
		return nil, ve
	}
	t, ok := parseAmzDate(si.amzDate)
	if !ok {
		return nil, verr(CheckDate, ErrMalformedAuthorization, "X-Amz-Date %q is not YYYYMMDDTHHMMSSZ", truncate(si.amzDate))
	}
	if ve := v.checkScopeOf(&si); ve != nil {
		return nil, ve
	}
	if ve := v.checkTime(t, &si); ve != nil {
		return nil, ve
	}
	if ve := v.checkSignedHeaders(req, &si); ve != nil {
		return nil, ve
	}

	creds, err := v.Lookup(req.Context(), si.akid)
	switch {
	case err != nil && errors.Is(err, ErrUnknownKey):
		return nil, &VerifyError{Check: CheckKey, Reason: fmt.Sprintf("the access key id %q is not known", si.akid), Err: err}
	case err != nil:
		return nil, &VerifyError{Check: CheckKey, Reason: "looking up the access key id: " + err.Error(), Err: err}
	case creds.SecretAccessKey() == "":
		return nil, verr(CheckKey, ErrUnknownKey, "the access key id %q has no secret", si.akid)
	case creds.AccessKeyID != "" && creds.AccessKeyID != si.akid:
		return nil, verr(CheckKey, ErrUnknownKey, "the lookup of the access key id %q gave the credentials of another", si.akid)
	}
	if tok := creds.SessionToken(); tok != "" && (!si.hasToken ||
		subtle.ConstantTimeCompare([]byte(si.token), []byte(tok)) != 1) {
		what := "is invalid"
		if !si.hasToken {
			what = "is missing"
		}
		return nil, verr(CheckSessionToken, ErrInvalidSessionToken, "the security token included in the request %s", what)
	}

	sc := getScratch()
	defer putScratch(sc)
	payloads, np, ve := sc.payloadHashes(req, &si, v)
	if ve != nil {
		return nil, ve
	}

	// The signed headers, as the server has them.
	if err := sc.addHeaders(req.Header, false, false); err != nil {
		return nil, malformed(err)
	}
	sc.sortHeaders()
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	sc.selectSigned(req, si.signedHeaders, host)
	sc.hdrs, sc.sel = sc.sel, sc.hdrs

	var want [sha256.Size]byte
	hex.Decode(want[:], []byte(si.signature)) // checked by isLowerHex64
	date := new([amzDateLen]byte)
	copy(date[:], si.amzDate)
	key := loadCache(&v.cache).get(creds.SecretAccessKey(), date[:dateLen], si.region, si.service)
	scope := Scope{Service: si.service, Region: si.region}

	// A presigned token may be signed or not, a presigned payload be the
	// body's or unsigned: try what is allowed.
	drops := []int{0}
	if si.presigned {
		drops[0] = dropSignature
		if si.hasToken && v.AllowUnsignedSessionToken {
			drops = append(drops, dropSignature|dropToken)
		}
	}
	mark := len(sc.arena)
	match, tokenSigned := false, si.hasToken
	for _, drop := range drops {
		for i := 0; i < np && !match; i++ {
			sc.arena, sc.params = sc.arena[:mark], sc.params[:0]
			if err := sc.addQuery(req.URL.RawQuery, drop); err != nil {
				return nil, malformed(err)
			}
			if err := sc.appendCanonicalRequest(req, v.S3Paths, &payloads[i]); err != nil {
				return nil, malformed(err)
			}
			got := sc.sign(key, date, scope, v.Debug)
			if subtle.ConstantTimeCompare(got[:], want[:]) == 1 {
				match = true
				tokenSigned = si.hasToken && drop&dropToken == 0
			}
		}
	}
	if !match {
		return nil, verr(CheckSignature, ErrSignatureMismatch,
			"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")
	}
	if !si.presigned {
		tokenSigned = si.hasToken && containsName(si.signedHeaders, "x-amz-security-token")
	}
	authenticated := creds
	if authenticated.SessionToken() == "" && si.token != "" {
		// The lookup gave no token to check: the one sent goes with them.
		authenticated = credentials.New(si.akid, creds.SecretAccessKey(), strings.Clone(si.token))
		authenticated.Expires, authenticated.Source, authenticated.AccountID = creds.Expires, creds.Source, creds.AccountID
	}
	authenticated.AccessKeyID = si.akid
	return &Verified{
		Credentials:        authenticated,
		Scope:              scope,
		Time:               t,
		Presigned:          si.presigned,
		Expires:            time.Duration(si.expires) * time.Second,
		SignedHeaders:      strings.Split(si.signedHeaders, ";"),
		SessionTokenSigned: tokenSigned,
	}, nil
}

// check checks what Verify needs of v.
func (v *Verifier) check() error {
	switch {
	case v == nil:
		return errors.New("sigv4: Verify of a nil *Verifier")
	case v.Lookup == nil:
		return errors.New("sigv4: Verifier has no Lookup")
	case v.Scope.Service == "":
		return errors.New("sigv4: Verifier has no Scope.Service: name the service the requests must be signed for")
	case v.Scope.Region == "" && !v.AnyRegion:
		return errors.New("sigv4: Verifier has no Scope.Region: name the region the requests must be signed for, or set AnyRegion")
	case v.Scope.Region != "" && v.AnyRegion:
		return fmt.Errorf("sigv4: Verifier has both Scope.Region %q and AnyRegion", v.Scope.Region)
	}
	return nil
}

func malformed(err error) *VerifyError {
	return verr(CheckRequest, ErrMalformedRequest, "%s", reasonOf(err))
}

// reasonOf returns what err says is wrong with a request, for a
// VerifyError's Reason.
func reasonOf(err error) string {
	var re *requestError
	if errors.As(err, &re) {
		return re.reason()
	}
	return err.Error()
}

func containsName(list, name string) bool {
	for list != "" {
		var n string
		n, list, _ = strings.Cut(list, ";")
		if n == name {
			return true
		}
	}
	return false
}

// parseSignature finds the signature of req, header or presigned, and
// parses it.
func parseSignature(req *http.Request, zeroOK bool) (sigInfo, *VerifyError) {
	var si sigInfo
	auths := req.Header.Values(HeaderAuthorization)
	q, err := presignParams(req.URL.RawQuery)
	if err != nil {
		return si, err
	}
	switch {
	case len(auths) > 1:
		return si, verr(CheckAuthorization, ErrMalformedAuthorization, "more than one Authorization header")
	case len(auths) == 1 && q.any():
		// Which would be authenticated, the header's credential or the
		// query's? Neither: a request is signed one way.
		return si, verr(CheckAuthorization, ErrMalformedAuthorization,
			"only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified (the query has %s)", q.first())
	case len(auths) == 1:
		if err := parseAuthorization(&si, auths[0]); err != nil {
			return si, err
		}
		si.amzDate = req.Header.Get(HeaderDate)
		if si.amzDate == "" {
			return si, verr(CheckDate, ErrMalformedAuthorization, "the request has no X-Amz-Date header")
		}
		if vs := req.Header.Values(HeaderSecurityToken); len(vs) > 0 {
			if len(vs) > 1 {
				return si, verr(CheckSessionToken, ErrMalformedAuthorization, "more than one X-Amz-Security-Token header")
			}
			si.token, si.hasToken = vs[0], true
		}
		return si, nil
	case q.has(queryAlgorithm):
		return si, parsePresigned(&si, &q, zeroOK)
	}
	return si, verr(CheckAuthorization, ErrMissingAuthorization,
		"Request is missing Authentication Token (no Authorization header, no X-Amz-Algorithm parameter)")
}

// presign holds the X-Amz-* parameters of a query, decoded.
type presign struct {
	vals [7]string
	seen [7]bool
}

var presignNames = [7]string{queryAlgorithm, queryCredential, queryDate, queryExpires,
	querySignedHeaders, querySignature, querySecurityToken}

func (p *presign) index(name string) int {
	for i, n := range presignNames {
		if n == name {
			return i
		}
	}
	return -1
}

func (p *presign) has(name string) bool { return p.seen[p.index(name)] }

// any reports whether the query has any of the parameters.
func (p *presign) any() bool { return p.first() != "" }

// first returns the name of the first of the parameters the query has,
// in the order of presignNames, or "".
func (p *presign) first() string {
	for i, ok := range p.seen {
		if ok {
			return presignNames[i]
		}
	}
	return ""
}
func (p *presign) get(name string) string { return p.vals[p.index(name)] }

func presignParams(raw string) (presign, *VerifyError) {
	var p presign
	if !strings.Contains(raw, "X-Amz-") && !strings.Contains(raw, "%") {
		return p, nil
	}
	for rest := raw; rest != ""; {
		var piece string
		piece, rest, _ = strings.Cut(rest, "&")
		k, v, _ := strings.Cut(piece, "=")
		if !strings.HasPrefix(k, "X-Amz-") && !strings.Contains(k, "%") {
			continue
		}
		dk, err := url.QueryUnescape(k)
		if err != nil {
			continue // reported when the query is canonicalized
		}
		i := p.index(dk)
		if i < 0 {
			continue
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			return p, verr(CheckAuthorization, ErrMalformedAuthorization, "the %s parameter has an invalid percent-escape", dk)
		}
		if p.seen[i] {
			return p, verr(CheckAuthorization, ErrMalformedAuthorization, "the %s parameter appears more than once", dk)
		}
		p.vals[i], p.seen[i] = dv, true
	}
	return p, nil
}

func parsePresigned(si *sigInfo, q *presign, zeroOK bool) *VerifyError {
	si.presigned = true
	if alg := q.get(queryAlgorithm); alg != Algorithm {
		return verr(CheckAlgorithm, ErrUnsupportedAlgorithm, "X-Amz-Algorithm %q is not supported, only %s", truncate(alg), Algorithm)
	}
	for _, n := range [...]string{queryCredential, queryDate, queryExpires, querySignedHeaders, querySignature} {
		if !q.has(n) {
			return verr(CheckAuthorization, ErrMalformedAuthorization, "the presigned request has no %s parameter", n)
		}
	}
	if err := parseCredential(si, q.get(queryCredential)); err != nil {
		return err
	}
	si.signedHeaders = q.get(querySignedHeaders)
	if err := checkSignedHeaderList(si.signedHeaders); err != nil {
		return err
	}
	si.signature = q.get(querySignature)
	if !isLowerHex64(si.signature) {
		return verr(CheckAuthorization, ErrMalformedAuthorization, "X-Amz-Signature is not 64 lowercase hex digits")
	}
	si.amzDate = q.get(queryDate)
	exp, err := strconv.ParseInt(q.get(queryExpires), 10, 64)
	zero := zeroOK && q.get(queryExpires) == "0"
	if !zero && (err != nil || exp < int64(MinPresignExpiry/time.Second) || exp > int64(MaxPresignExpiry/time.Second)) {
		return verr(CheckExpires, ErrMalformedAuthorization, "X-Amz-Expires must be a number of seconds from %d to %d",
			MinPresignExpiry/time.Second, MaxPresignExpiry/time.Second)
	}
	si.expires = exp
	si.token, si.hasToken = q.get(querySecurityToken), q.has(querySecurityToken)
	return nil
}

// parseAuthorization parses
//
//	AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=hex
//
// The three fields may come in any order, separated by commas and
// optional spaces.
func parseAuthorization(si *sigInfo, auth string) *VerifyError {
	alg, rest, _ := strings.Cut(strings.TrimLeft(auth, " "), " ")
	if alg != Algorithm {
		return verr(CheckAlgorithm, ErrUnsupportedAlgorithm, "Authorization algorithm %q is not supported, only %s", truncate(alg), Algorithm)
	}
	var cred, signed, sig string
	var got [3]bool
	for rest != "" {
		var field string
		field, rest, _ = strings.Cut(rest, ",")
		field = strings.Trim(field, " ")
		k, v, ok := strings.Cut(field, "=")
		var i int
		switch {
		case !ok:
			return verr(CheckAuthorization, ErrMalformedAuthorization, "Authorization field %q is not name=value", truncate(field))
		case k == "Credential":
			i, cred = 0, v
		case k == "SignedHeaders":
			i, signed = 1, v
		case k == "Signature":
			i, sig = 2, v
		default:
			return verr(CheckAuthorization, ErrMalformedAuthorization, "Authorization has an unknown field %q", truncate(k))
		}
		if got[i] {
			return verr(CheckAuthorization, ErrMalformedAuthorization, "Authorization has the %s field more than once", k)
		}
		got[i] = true
	}
	for i, n := range [...]string{"Credential", "SignedHeaders", "Signature"} {
		if !got[i] {
			return verr(CheckAuthorization, ErrMalformedAuthorization, "Authorization header requires '%s' parameter", n)
		}
	}
	if err := parseCredential(si, cred); err != nil {
		return err
	}
	if err := checkSignedHeaderList(signed); err != nil {
		return err
	}
	if !isLowerHex64(sig) {
		return verr(CheckAuthorization, ErrMalformedAuthorization, "Signature is not 64 lowercase hex digits")
	}
	si.signedHeaders, si.signature = signed, sig
	return nil
}

// maxAccessKeyIDLen is the longest access key id IAM makes.
const maxAccessKeyIDLen = 128

// parseCredential parses AKID/YYYYMMDD/region/service/aws4_request.
func parseCredential(si *sigInfo, cred string) *VerifyError {
	var parts [4]string
	rest := cred
	for i := 3; i >= 0; i-- {
		j := strings.LastIndexByte(rest, '/')
		if j < 0 {
			return verr(CheckCredential, ErrMalformedAuthorization, "the credential %q is not AKID/date/region/service/aws4_request", truncate(cred))
		}
		parts[i], rest = rest[j+1:], rest[:j]
	}
	date, region, service, term := parts[0], parts[1], parts[2], parts[3]
	switch {
	case rest == "" || region == "" || service == "":
		return verr(CheckCredential, ErrMalformedAuthorization, "the credential %q has an empty part", truncate(cred))
	case term != "aws4_request":
		return verr(CheckCredential, ErrMalformedAuthorization, "Credential should be scoped with a valid terminator: 'aws4_request', not %q", truncate(term))
	case len(date) != dateLen || strings.Trim(date, "0123456789") != "":
		return verr(CheckCredential, ErrMalformedAuthorization, "the credential date %q is not YYYYMMDD", truncate(date))
	}
	if len(rest) > maxAccessKeyIDLen {
		return verr(CheckCredential, ErrMalformedAuthorization, "the credential's access key id is %d bytes, more than %d", len(rest), maxAccessKeyIDLen)
	}
	for _, p := range [...]string{rest, region, service} {
		if badScopeByte(p) >= 0 {
			return verr(CheckCredential, ErrMalformedAuthorization, "the credential %q has an invalid byte", truncate(cred))
		}
	}
	si.akid, si.date, si.region, si.service = rest, date, region, service
	return nil
}

// checkSignedHeaderList checks a SignedHeaders value: lower-case header
// names, sorted, no repeats.
func checkSignedHeaderList(list string) *VerifyError {
	if list == "" {
		return verr(CheckSignedHeaders, ErrMalformedAuthorization, "SignedHeaders is empty")
	}
	prev := ""
	for rest := list; ; {
		var n string
		var more bool
		n, rest, more = strings.Cut(rest, ";")
		if n == "" {
			return verr(CheckSignedHeaders, ErrMalformedAuthorization, "SignedHeaders has an empty name")
		}
		for i := 0; i < len(n); i++ {
			if c := n[i]; !tokenChar[c] || 'A' <= c && c <= 'Z' {
				return verr(CheckSignedHeaders, ErrMalformedAuthorization, "SignedHeaders name %q is not a lower-case header name", truncate(n))
			}
		}
		if n <= prev {
			return verr(CheckSignedHeaders, ErrMalformedAuthorization, "SignedHeaders is not sorted or repeats %q", truncate(n))
		}
		prev = n
		if !more {
			return nil
		}
	}
}

func isLowerHex64(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	ok := byte(1) // no branch per byte
	for i := 0; i < len(s); i++ {
		ok &= lowerHexDigit[s[i]]
	}
	return ok == 1
}

// lowerHexDigit is 1 for the bytes of lowercase hex, else 0.
var lowerHexDigit = func() (t [256]byte) {
	for _, c := range "0123456789abcdef" {
		t[c] = 1
	}
	return t
}()

// truncate shortens request text quoted in errors.
func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// checkTime checks the signing time t against the skew window and,
// presigned, the expiry.
func (v *Verifier) checkTime(t time.Time, si *sigInfo) *VerifyError {
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	now = now.UTC()
	skew := v.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	f := func(t time.Time) string { return t.Format(amzDateFormat) }
	mins := skew.String()
	if skew%time.Minute == 0 {
		mins = strconv.FormatInt(int64(skew/time.Minute), 10) + " min."
	}
	if t.After(now.Add(skew)) {
		return verr(CheckDate, ErrRequestTimeTooSkewed, "Signature not yet current: %s is still later than %s (%s + %s)",
			f(t), f(now.Add(skew)), f(now), mins)
	}
	if si.presigned {
		if end := t.Add(time.Duration(si.expires) * time.Second); now.After(end) {
			return verr(CheckExpires, ErrPresignExpired, "Request has expired: signed at %s for %d seconds, expired at %s, now %s",
				f(t), si.expires, f(end), f(now))
		}
		return nil
	}
	if t.Before(now.Add(-skew)) {
		return verr(CheckDate, ErrRequestTimeTooSkewed, "Signature expired: %s is now earlier than %s (%s - %s)",
			f(t), f(now.Add(-skew)), f(now), mins)
	}
	return nil
}

// checkScopeOf checks the credential scope against X-Amz-Date and the
// expected service and region.
func (v *Verifier) checkScopeOf(si *sigInfo) *VerifyError {
	if si.date != si.amzDate[:dateLen] {
		return verr(CheckScope, ErrScopeMismatch, "the credential date %s is not the date of X-Amz-Date %s", si.date, si.amzDate)
	}
	if si.service != v.Scope.Service {
		return verr(CheckScope, ErrScopeMismatch, "Credential should be scoped to correct service: %q, not %q", v.Scope.Service, truncate(si.service))
	}
	if !v.AnyRegion && si.region != v.Scope.Region {
		return verr(CheckScope, ErrScopeMismatch, "Credential should be scoped to a valid region, not %q", truncate(si.region))
	}
	return nil
}

// checkSignedHeaders checks that host and every X-Amz-* header sent are
// signed.
func (v *Verifier) checkSignedHeaders(req *http.Request, si *sigInfo) *VerifyError {
	if !containsName(si.signedHeaders, "host") {
		return verr(CheckSignedHeaders, ErrHostNotSigned, "the host header is not signed (SignedHeaders %s)", truncate(si.signedHeaders))
	}
	var lower [64]byte
	for k, vs := range req.Header {
		if len(vs) == 0 || len(k) < len("x-amz-") || !strings.EqualFold(k[:len("x-amz-")], "x-amz-") {
			continue
		}
		if len(k) > len(lower) {
			return verr(CheckSignedHeaders, ErrHeaderNotSigned, "the %s header is not signed", truncate(k))
		}
		name, _ := appendLowerName(lower[:0], k)
		if string(name) == "x-amz-security-token" && v.AllowUnsignedSessionToken {
			continue
		}
		if !containsName(si.signedHeaders, string(name)) {
			return verr(CheckSignedHeaders, ErrHeaderNotSigned, "the %s header is not signed", k)
		}
	}
	return nil
}

// selectSigned puts in sc.sel the headers of sc.hdrs (sorted) that the
// SignedHeaders list names, in its order; the host is host. A signed
// header the request lacks counts as empty, except Content-Length, which
// Go's server keeps in req.ContentLength.
func (sc *scratch) selectSigned(req *http.Request, list, host string) {
	i := 0
	for rest := list; rest != ""; {
		var name string
		name, rest, _ = strings.Cut(rest, ";")
		for i < len(sc.hdrs) && string(sc.name(i)) < name {
			i++
		}
		matched := false
		for i < len(sc.hdrs) && string(sc.name(i)) == name {
			sc.sel = append(sc.sel, sc.hdrs[i])
			i++
			matched = true
		}
		if matched {
			continue
		}
		n0 := len(sc.arena)
		sc.arena = append(sc.arena, name...)
		h := hdr{n0: n0, n1: len(sc.arena)}
		switch {
		case name == "host":
			h.one = host
		case name == "content-length" && req.ContentLength >= 0:
			h.one = strconv.FormatInt(req.ContentLength, 10)
		case name == "transfer-encoding":
			h.one = strings.Join(req.TransferEncoding, ",")
		}
		sc.sel = append(sc.sel, h)
	}
}

// payloadHashes returns the payload hash to verify with and, for a
// presigned request that may have used UNSIGNED-PAYLOAD, a second one: n
// says how many.
func (sc *scratch) payloadHashes(req *http.Request, si *sigInfo, v *Verifier) (out [2]payloadHash, n int, ve *VerifyError) {
	vs := req.Header.Values(HeaderContentSHA256)
	if len(vs) > 1 {
		return out, 0, verr(CheckPayload, ErrMalformedRequest, "more than one X-Amz-Content-Sha256 header")
	}
	if len(vs) == 1 {
		h := vs[0]
		switch {
		case h == UnsignedPayload:
			if !v.AllowUnsignedPayload {
				return out, 0, verr(CheckPayload, ErrPayloadHashMismatch, "UNSIGNED-PAYLOAD is not accepted")
			}
			out[0].lit = h
			return out, 1, nil
		case strings.HasPrefix(h, "STREAMING-"):
			return out, 0, verr(CheckPayload, ErrPayloadHashMismatch, "streaming payload signing (%s) is not supported", truncate(h))
		case !isLowerHex64(h):
			return out, 0, verr(CheckPayload, ErrMalformedRequest, "X-Amz-Content-Sha256 is not 64 lowercase hex digits")
		}
		sum, ve := sc.bodyHash(req, v)
		if ve != nil {
			return out, 0, ve
		}
		var got [2 * sha256.Size]byte
		hex.Encode(got[:], sum[:])
		if string(got[:]) != h {
			return out, 0, verr(CheckPayload, ErrPayloadHashMismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.")
		}
		out[0].lit = h
		return out, 1, nil
	}
	sum, ve := sc.bodyHash(req, v)
	if ve != nil {
		return out, 0, ve
	}
	out[0].sum, n = sum, 1
	if si.presigned && v.AllowUnsignedPayload {
		out[1].lit, n = UnsignedPayload, 2
	}
	return out, n, nil
}

// bodyHash hashes the body: through GetBody, or by buffering it and
// putting it back.
func (sc *scratch) bodyHash(req *http.Request, v *Verifier) ([sha256.Size]byte, *VerifyError) {
	if req.Body == nil || req.Body == http.NoBody || req.GetBody != nil {
		sum, err := sc.hashBody(req)
		if err != nil {
			return sum, &VerifyError{Check: CheckBody, Reason: reasonOf(err), Err: err}
		}
		return sum, nil
	}
	limit := v.MaxBodyBytes
	if limit == 0 {
		limit = DefaultMaxBodyBytes
	}
	orig := req.Body
	var buf bytes.Buffer
	if req.ContentLength > 0 && (limit < 0 || req.ContentLength <= limit) {
		buf.Grow(int(req.ContentLength))
	}
	var r io.Reader = orig
	if limit >= 0 {
		r = io.LimitReader(orig, limit+1)
	}
	_, err := buf.ReadFrom(r)
	data := buf.Bytes()
	if err != nil || limit >= 0 && int64(len(data)) > limit {
		// Give back what was read and the rest.
		req.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(data), orig), orig}
		if err != nil {
			return [sha256.Size]byte{}, &VerifyError{Check: CheckBody, Reason: "reading the body: " + err.Error(), Err: err}
		}
		return [sha256.Size]byte{}, verr(CheckBody, ErrBodyTooLarge, "the body is larger than %d bytes", limit)
	}
	orig.Close()
	req.Body = io.NopCloser(bytes.NewReader(data))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return sha256.Sum256(data), nil
}
