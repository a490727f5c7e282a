package iamauth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/callerid/callerid/credentials"
)

// gciQuery and gciBody are the parameters of GetCallerIdentity, in the
// query of a presigned request or the body of a POST.
const (
	gciQuery = "Action=GetCallerIdentity&Version=2011-06-15"
	gciBody  = gciQuery
	// gciBodyHash is the hex SHA-256 of gciBody.
	gciBodyHash = "ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843"
	// formContentType is the Content-Type of a POST.
	formContentType = "application/x-www-form-urlencoded; charset=utf-8"
)

// A Prover makes identity proofs with credentials: EKS tokens and IAM
// login payloads. Each is a GetCallerIdentity request to STS, signed but
// not sent, that a verifier sends to learn who signed it. A Prover never
// calls STS itself.
//
// A Prover is safe for concurrent use if its fields are not changed.
type Prover struct {
	// Credentials provides the keys proofs are signed with. Required.
	Credentials credentials.Provider
	// Endpoint is the STS endpoint the proofs name; its Region (or
	// Global) must be set. A verifier must accept its host: an EKS cluster
	// accepts those of its own partition.
	Endpoint Endpoint
	// Now returns the signing time; time.Now if nil.
	Now func() time.Time
}

// ProveError is the error of a Prover: which proof it was making, and
// why it could not.
type ProveError struct {
	// Proof is "EKS token" or "login payload".
	Proof string
	// Err is the cause: a bad argument, or the credential provider's or
	// the signer's error.
	Err error
}

// Error returns "iamauth: making a PROOF: CAUSE".
func (e *ProveError) Error() string { return "iamauth: making a " + e.Proof + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *ProveError) Unwrap() error { return e.Err }

// signingContext is what every proof needs: where it goes (host, region
// and the rest of the target), keys, time.
type signingContext struct {
	target
	creds credentials.Credentials
	now   time.Time
}

func (p *Prover) prepare(ctx context.Context) (signingContext, error) {
	var sc signingContext
	if p.Credentials == nil {
		return sc, errors.New("the Prover has no Credentials")
	}
	t, err := p.Endpoint.target()
	if err != nil {
		return sc, err
	}
	creds, err := p.Credentials.Retrieve(ctx)
	if err != nil {
		return sc, fmt.Errorf("retrieving credentials: %w", err)
	}
	if !creds.HasKeys() {
		return sc, errors.New("the credentials have no access key id or no secret access key")
	}
	now := time.Now()
	if p.Now != nil {
		now = p.Now()
	}
	now = now.UTC().Truncate(time.Second)
	if creds.Expired(now) {
		return sc, fmt.Errorf("the credentials (%s) expired at %s", creds.AccessKeyID, creds.Expires.UTC().Format(time.RFC3339))
	}
	return signingContext{target: t, creds: creds, now: now}, nil
}

// EKSToken makes a token for the Kubernetes cluster clusterID (its name,
// for Amazon EKS): a presigned GET of GetCallerIdentity with the
// x-k8s-aws-id header and the bindings signed, X-Amz-Expires=60, as aws
// eks get-token and aws-iam-authenticator make it. Its Expires is the
// signing time plus TokenLifetime, or the credentials' expiry if sooner.
//
// A verifier of the token must send the bound headers with their values
// (aws-iam-authenticator sends only x-k8s-aws-id: bind nothing else for
// it).
func (p *Prover) EKSToken(ctx context.Context, clusterID string, bind ...Binding) (EKSToken, error) {
	fail := func(err error) (EKSToken, error) { return EKSToken{}, &ProveError{Proof: "EKS token", Err: err} }
	var one [1]Binding
	binds := append(one[:0], Binding{Header: ClusterIDHeader, Value: clusterID})
	if len(bind) > 0 {
		binds = append(binds, bind...)
	}
	if err := checkBindings(binds); err != nil {
		return fail(err)
	}
	sc, err := p.prepare(ctx)
	if err != nil {
		return fail(err)
	}
	tok, err := sc.token(binds)
	if err != nil {
		return fail(err)
	}
	expires := sc.now.Add(TokenLifetime)
	if sc.creds.CanExpire() && sc.creds.Expires.Before(expires) {
		expires = sc.creds.Expires
	}
	return EKSToken{
		ClusterID: clusterID,
		Host:      sc.host,
		SignedAt:  sc.now,
		Expires:   expires,
		token:     credentials.NewSecret(tok),
	}, nil
}

// presign presigns a GET of GetCallerIdentity with the bound headers, for
// TokenExpiry, and returns the URL.
func (sc *signingContext) presign(binds []Binding) (string, error) {
	return sc.presignAs(binds, func(u []byte) string { return string(u) })
}

// token is presign's URL made an EKS token.
func (sc *signingContext) token(binds []Binding) (string, error) {
	return sc.presignAs(binds, encodeToken)
}

// presignAs presigns as presign does, into a pooled buffer, and returns
// what as makes of the URL, which it must not keep.
func (sc *signingContext) presignAs(binds []Binding, as func(url []byte) string) (string, error) {
	r := sc.presignReq(binds)
	defer r.done()
	var err error
	if r.buf, err = appendPresign(r.buf[:0], &r.req, sc.creds, sc.region, sc.now, TokenExpiry); err != nil {
		return "", err
	}
	return as(r.buf), nil
}

// presignReq returns a pooled request for a GET of GetCallerIdentity with
// the bound headers.
func (sc *signingContext) presignReq(binds []Binding) *presignReq {
	return sc.presignReqInto(presignReqs.Get().(*presignReq), binds)
}

// presignReqInto is presignReq, in r.
func (sc *signingContext) presignReqInto(r *presignReq, binds []Binding) *presignReq {
	r.url = url.URL{Scheme: sc.scheme, Host: sc.host, Path: sc.path, RawPath: sc.rawPath, RawQuery: gciQuery}
	r.req = http.Request{Method: http.MethodGet, URL: &r.url, Host: sc.host, Header: r.header}
	for i, b := range binds {
		if i < len(r.vals) {
			r.vals[i] = b.Value
			r.header[b.Header] = r.vals[i : i+1 : i+1]
		} else {
			r.header[b.Header] = []string{b.Value}
		}
	}
	return r
}

// presignReq is what presigning an EKS token needs, kept for reuse.
type presignReq struct {
	req    http.Request
	url    url.URL
	header http.Header
	vals   [4]string
	buf    []byte // the presigned URL
}

// done clears r, the URL's session token and signature included, and puts
// it back in the pool (unless its buffer grew too big to keep).
func (r *presignReq) done() {
	clear(r.header)
	clear(r.vals[:])
	clear(r.buf)
	r.req, r.url = http.Request{}, url.URL{}
	if cap(r.buf) <= 8<<10 {
		presignReqs.Put(r)
	}
}

var presignReqs = sync.Pool{New: func() any { return &presignReq{header: make(http.Header, 4)} }}

// LoginOptions are the options of a login payload.
type LoginOptions struct {
	// ServerID, if set, is the value of the server-id header, which the
	// server checks: Vault's iam_server_id_header_value, Consul's
	// ServerIDHeaderValue.
	ServerID string
	// ServerIDHeader names the server-id header; VaultServerIDHeader if
	// empty. (Consul's default is ConsulServerIDHeader.)
	ServerIDHeader string
	// Bind lists more headers to sign, such as a server's challenge.
	Bind []Binding
	// Presign makes a presigned GET (the signature in the URL's query)
	// rather than a POST signed in its headers, which is what Vault and
	// Consul take.
	Presign bool
}

// LoginPayload makes a login payload for Vault's or Consul's AWS IAM auth
// method: by default a POST of Action=GetCallerIdentity&Version=2011-06-15
// to the Endpoint, signed in its headers (Authorization, X-Amz-Date,
// X-Amz-Security-Token for temporary keys, Content-Type, and the server-id
// and bound headers); with opts.Presign, a presigned GET as an EKS token
// holds, the bound headers in the payload's headers.
func (p *Prover) LoginPayload(ctx context.Context, opts LoginOptions) (LoginPayload, error) {
	fail := func(err error) (LoginPayload, error) {
		return LoginPayload{}, &ProveError{Proof: "login payload", Err: err}
	}
	bind := opts.Bind
	if opts.ServerID != "" {
		name := opts.ServerIDHeader
		if name == "" {
			name = VaultServerIDHeader
		}
		bind = append([]Binding{{Header: name, Value: opts.ServerID}}, bind...)
	}
	if err := checkBindings(bind); err != nil {
		return fail(err)
	}
	sc, err := p.prepare(ctx)
	if err != nil {
		return fail(err)
	}
	var method, u, body string
	var hdr http.Header
	if opts.Presign {
		if u, err = sc.presign(bind); err != nil {
			return fail(err)
		}
		method, hdr = http.MethodGet, make(http.Header, len(bind))
		for _, b := range bind {
			hdr[b.Header] = []string{b.Value}
		}
	} else {
		reqURL := &url.URL{Scheme: sc.scheme, Host: sc.host, Path: sc.path, RawPath: sc.rawPath}
		method, u, body = http.MethodPost, reqURL.String(), gciBody
		req := &http.Request{
			Method:        method,
			URL:           reqURL,
			Host:          sc.host,
			Header:        http.Header{"Content-Type": {formContentType}},
			ContentLength: int64(len(body)),
			Body:          http.NoBody, // signHeaders does not read it
		}
		for _, b := range bind {
			req.Header[b.Header] = []string{b.Value}
		}
		if err := signHeaders(req, sc.creds, sc.region, sc.now, gciBodyHash); err != nil {
			return fail(err)
		}
		hdr = req.Header
	}
	hj, err := json.Marshal(hdr)
	if err != nil {
		return fail(err)
	}
	// The three fields in one string, as the payload keeps them.
	enc := base64.StdEncoding
	b := make([]byte, 0, enc.EncodedLen(len(u))+enc.EncodedLen(len(body))+enc.EncodedLen(len(hj)))
	b = enc.AppendEncode(b, []byte(u))
	urlLen := len(b)
	b = enc.AppendEncode(b, []byte(body))
	bodyLen := len(b) - urlLen
	b = enc.AppendEncode(b, hj)
	return LoginPayload{Method: method, request: credentials.NewSecret(string(b)), urlLen: urlLen, bodyLen: bodyLen}, nil
}
