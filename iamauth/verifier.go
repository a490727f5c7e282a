package iamauth

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/callerid/callerid/internal/httpsafe"
)

// VerifierOptions configure a Verifier.
type VerifierOptions struct {
	// ClusterID is the cluster EKS tokens must name (x-k8s-aws-id);
	// VerifyEKSToken refuses to work without it.
	ClusterID string
	// ServerID, if set, is the value login payloads must carry in the
	// server-id header, signed; ServerIDHeader names that header
	// (VaultServerIDHeader if empty).
	ServerID       string
	ServerIDHeader string
	// Partitions are the IDs of the partitions whose STS hosts proofs may
	// name; "aws" if empty.
	Partitions []string
	// Regions, if set, are the only regions (of Partitions) whose STS
	// hosts proofs may name; "aws-global" stands for sts.amazonaws.com.
	// Empty means every region of Partitions this package knows by name,
	// and sts.amazonaws.com with the aws partition. A region newer than
	// the package must be listed here (with all the others wanted).
	Regions []string
	// AllowedAmzHeaders names X-Amz-* headers a POST login payload may
	// carry besides X-Amz-Date, X-Amz-Security-Token and
	// X-Amz-Content-Sha256 (as Vault's allowed_sts_header_values).
	AllowedAmzHeaders []string
	// Endpoint, if set, is where the Verifier sends every proof, with the
	// host the proof names as its Host header: a proxy, a VPC endpoint,
	// or a fake STS in tests (sts/ststest). It must be https, or http to
	// a loopback address, with no path, query or user information. Empty
	// means the host the proof names, after the checks.
	Endpoint string
	// HTTPClient sends the requests to STS. Nil means a client with a
	// 10-second timeout. The Verifier uses a copy that never follows a
	// redirect.
	HTTPClient *http.Client
	// Now returns the time proofs are checked against; time.Now if nil.
	Now func() time.Time
	// MaxSkew is how far in the future a signing time may be, for clocks
	// that are a little off; DefaultMaxSkew if zero.
	MaxSkew time.Duration
	// CacheSize bounds the verified proofs the Verifier keeps:
	// DefaultCacheSize if zero; no cache if negative.
	CacheSize int
	// CallTimeout bounds each call to STS, whatever the HTTPClient's own
	// timeout: with the cache, the one call made on behalf of every
	// presenter of a proof (each presenter's own context still bounds
	// its wait); without it, each presenter's call. 10 seconds if zero.
	CallTimeout time.Duration
}

// DefaultCacheSize is the number of verified proofs a Verifier keeps by
// default.
const DefaultCacheSize = 4096

// A Verifier verifies identity proofs: it checks them locally, then has
// STS verify their signature, and returns who signed them. It is safe for
// concurrent use.
type Verifier struct {
	hosts      map[string]stsHost
	clusterID  string
	eks        bindingSet // x-k8s-aws-id
	login      bindingSet // the server id, if any
	amzAllowed map[string]bool
	endpoint   *url.URL
	client     *http.Client
	now        func() time.Time
	maxSkew    time.Duration
	timeout    time.Duration
	cache      *proofCache
}

// NewVerifier returns a Verifier configured by opts, or an error for a
// setting it cannot use.
func NewVerifier(opts VerifierOptions) (*Verifier, error) {
	hosts, err := hostSet(opts.Partitions, opts.Regions)
	if err != nil {
		return nil, err
	}
	v := &Verifier{hosts: hosts, clusterID: opts.ClusterID, now: opts.Now, maxSkew: opts.MaxSkew, timeout: opts.CallTimeout}
	if opts.ClusterID != "" {
		if v.eks, err = newBindingSet(Binding{Header: ClusterIDHeader, Value: opts.ClusterID}); err != nil {
			return nil, fmt.Errorf("iamauth: ClusterID: %w", err)
		}
	}
	if opts.ServerID != "" {
		name := opts.ServerIDHeader
		if name == "" {
			name = VaultServerIDHeader
		}
		if v.login, err = newBindingSet(Binding{Header: name, Value: opts.ServerID}); err != nil {
			return nil, fmt.Errorf("iamauth: ServerID: %w", err)
		}
	} else if v.login, err = newBindingSet(); err != nil {
		return nil, err
	}
	v.amzAllowed = map[string]bool{"x-amz-date": true, "x-amz-security-token": true, "x-amz-content-sha256": true}
	for _, h := range opts.AllowedAmzHeaders {
		l := strings.ToLower(h)
		if !isToken(h) || !strings.HasPrefix(l, "x-amz-") {
			return nil, fmt.Errorf("iamauth: AllowedAmzHeaders: %s is not an X-Amz-* header name", quote(h))
		}
		v.amzAllowed[l] = true
	}
	if opts.Endpoint != "" {
		if v.endpoint, err = checkEndpoint(opts.Endpoint); err != nil {
			return nil, err
		}
	}
	if v.now == nil {
		v.now = time.Now
	}
	if v.maxSkew <= 0 {
		v.maxSkew = DefaultMaxSkew
	}
	if v.timeout <= 0 {
		v.timeout = 10 * time.Second
	}
	v.client = httpsafe.NoRedirects(opts.HTTPClient, defaultClient)
	switch {
	case opts.CacheSize == 0:
		v.cache = newProofCache(DefaultCacheSize)
	case opts.CacheSize > 0:
		v.cache = newProofCache(opts.CacheSize)
	}
	return v, nil
}

var defaultClient = &http.Client{Timeout: 10 * time.Second}

// checkEndpoint parses VerifierOptions.Endpoint.
func checkEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	bad := func(why string) (*url.URL, error) {
		return nil, fmt.Errorf("iamauth: Endpoint %s: %s", quote(raw), why)
	}
	switch {
	case err != nil:
		return bad("not a URL")
	case u.User != nil:
		return bad("has user information")
	case u.Host == "" || u.Opaque != "":
		return bad("has no host")
	case u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "":
		return bad("has a path, query or fragment")
	case u.Scheme == "https":
	case u.Scheme == "http":
		h := u.Hostname()
		ip := net.ParseIP(h)
		if !(h == "localhost" || ip != nil && ip.IsLoopback()) {
			return bad("plain http is allowed only to a loopback address")
		}
	default:
		return bad("the scheme is neither https nor http")
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// errNoClusterID is VerifyEKSToken's error without VerifierOptions.ClusterID.
var errNoClusterID = errors.New("iamauth: the Verifier has no ClusterID, so it cannot verify EKS tokens")

// VerifyEKSToken verifies an EKS token (as aws eks get-token and
// aws-iam-authenticator make them, or Prover.EKSToken) for the
// Verifier's ClusterID and the bindings given, and returns who signed it.
//
// It makes the local checks first (see the package documentation), then
// sends the presigned request to STS with the bound headers' expected
// values, which STS's check of the signature compares with those signed.
// A proof verified before and not yet expired is answered from the cache,
// as are the refusals STS gave.
//
// A refusal is a *VerifyError that wraps the sentinel of its check.
func (v *Verifier) VerifyEKSToken(ctx context.Context, token string, bind ...Binding) (Identity, error) {
	if v.clusterID == "" {
		return Identity{}, errNoClusterID
	}
	binds, err := v.eks.with(bind)
	if err != nil {
		return Identity{}, err
	}
	if len(token) > MaxTokenBytes {
		return Identity{}, verr(CheckSize, ErrTooLarge, "the token is %d bytes, more than %d", len(token), MaxTokenBytes)
	}
	now := v.now()
	var key cacheKey
	if v.cache != nil {
		key = hashProof(kindEKS, bind, token)
		if id, err, ok := v.cache.get(key, now); ok {
			return id, err
		}
	}
	su, ve := v.checkToken(token, binds, now)
	if ve != nil {
		return Identity{}, ve
	}
	req := v.presignedRequest(su, binds)
	return v.verifyRemote(ctx, key, req)
}

// CheckEKSToken makes VerifyEKSToken's local checks of token, and no
// more: it does not call STS, so a token that passes may still be
// refused.
func (v *Verifier) CheckEKSToken(token string, bind ...Binding) error {
	if v.clusterID == "" {
		return errNoClusterID
	}
	binds, err := v.eks.with(bind)
	if err != nil {
		return err
	}
	if _, ve := v.checkToken(token, binds, v.now()); ve != nil {
		return ve
	}
	return nil
}

// checkToken makes the local checks of an EKS token.
func (v *Verifier) checkToken(token string, binds bindingSet, now time.Time) (signedURL, *VerifyError) {
	if len(token) > MaxTokenBytes {
		return signedURL{}, verr(CheckSize, ErrTooLarge, "the token is %d bytes, more than %d", len(token), MaxTokenBytes)
	}
	if !strings.HasPrefix(token, TokenPrefix) {
		return signedURL{}, verr(CheckPrefix, ErrPrefix, "the token does not start with %s", TokenPrefix)
	}
	var buf [MaxTokenBytes * 3 / 4]byte
	n, off, ok := decodeRawURL(buf[:], token[len(TokenPrefix):])
	if !ok {
		return signedURL{}, verr(CheckEncoding, ErrEncoding, "the token is not base64url without padding (at byte %d)", len(TokenPrefix)+off)
	}
	return v.checkPresigned(string(buf[:n]), binds.signed, now)
}

// stsRequest is a checked proof, ready to send to STS.
type stsRequest struct {
	method   string
	host     string // the host signed for, sent as Host
	rawQuery string // GET
	body     string // POST
	header   http.Header
	akid     string
	signedAt time.Time
}

// presignedRequest is the GET of a presigned URL with the bound headers.
func (v *Verifier) presignedRequest(su signedURL, binds bindingSet) *stsRequest {
	h := make(http.Header, len(binds.binds)+1)
	for _, b := range binds.binds {
		h[b.Header] = []string{b.Value}
	}
	h["Accept"] = acceptJSON
	return &stsRequest{method: http.MethodGet, host: su.host, rawQuery: su.query, header: h, akid: su.sig.akid, signedAt: su.sig.date}
}

var acceptJSON = []string{"application/json"}

// VerifyLogin verifies a login payload (as Vault's and Consul's AWS IAM
// auth methods take them, or Prover.LoginPayload makes them) for the
// Verifier's ServerID, if set, and the bindings given, and returns who
// signed it. It works as VerifyEKSToken does.
func (v *Verifier) VerifyLogin(ctx context.Context, p LoginPayload, bind ...Binding) (Identity, error) {
	binds, err := v.login.with(bind)
	if err != nil {
		return Identity{}, err
	}
	now := v.now()
	f := p.Fields()
	if n := payloadSize(f); n > MaxPayloadBytes {
		return Identity{}, verr(CheckSize, ErrTooLarge, "the payload is %d bytes, more than %d", n, MaxPayloadBytes)
	}
	var key cacheKey
	if v.cache != nil {
		key = hashProof(kindLogin, bind, f[FieldMethod], f[FieldURL], f[FieldBody], f[FieldHeaders])
		if id, err, ok := v.cache.get(key, now); ok {
			return id, err
		}
	}
	req, ve := v.checkLogin(f, binds, now)
	if ve != nil {
		return Identity{}, ve
	}
	return v.verifyRemote(ctx, key, req)
}

// CheckLogin makes VerifyLogin's local checks of p, and no more.
func (v *Verifier) CheckLogin(p LoginPayload, bind ...Binding) error {
	binds, err := v.login.with(bind)
	if err != nil {
		return err
	}
	if _, ve := v.checkLogin(p.Fields(), binds, v.now()); ve != nil {
		return ve
	}
	return nil
}

// hopByHop are headers a payload may not carry.
var hopByHop = map[string]bool{
	"connection": true, "keep-alive": true, "proxy-authorization": true, "proxy-connection": true,
	"te": true, "trailer": true, "transfer-encoding": true, "upgrade": true, "expect": true,
}

// checkLogin makes the local checks of a login payload.
func (v *Verifier) checkLogin(f map[string]string, binds bindingSet, now time.Time) (*stsRequest, *VerifyError) {
	method := f[FieldMethod]
	if n := payloadSize(f); n > MaxPayloadBytes {
		return nil, verr(CheckSize, ErrTooLarge, "the payload is %d bytes, more than %d", n, MaxPayloadBytes)
	}
	if method != http.MethodPost && method != http.MethodGet {
		return nil, verr(CheckMethod, ErrMethod, "the method is %s, neither POST nor GET", quote(method))
	}
	var dec [3]string
	for i, name := range [...]string{FieldURL, FieldBody, FieldHeaders} {
		s := f[name]
		b, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil || strings.ContainsAny(s, "\r\n") {
			return nil, verr(CheckEncoding, ErrEncoding, "%s is not standard base64", name)
		}
		dec[i] = string(b)
	}
	u, body, hj := dec[0], dec[1], dec[2]
	hs, ve := parseHeaders([]byte(hj))
	if ve != nil {
		return nil, ve
	}
	if method == http.MethodGet {
		return v.checkLoginGET(u, body, hs, binds, now)
	}
	return v.checkLoginPOST(u, body, hs, binds, now)
}

func payloadSize(f map[string]string) int {
	return len(f[FieldMethod]) + len(f[FieldURL]) + len(f[FieldBody]) + len(f[FieldHeaders])
}

// checkLoginGET checks a presigned login payload.
func (v *Verifier) checkLoginGET(u, body string, hs []payloadHeader, binds bindingSet, now time.Time) (*stsRequest, *VerifyError) {
	su, ve := v.checkPresigned(u, binds.signed, now)
	if ve != nil {
		return nil, ve
	}
	if body != "" {
		return nil, verr(CheckBody, ErrBody, "a GET has a body")
	}
	for _, h := range hs {
		l := strings.ToLower(h.name)
		switch {
		case hopByHop[l]:
			return nil, verr(CheckHeaders, ErrHeaderNotAllowed, "the payload has a %s header", h.name)
		case l == "host" && h.value != su.host:
			return nil, verr(CheckHost, ErrHost, "the Host header %s is not the URL's host", quote(h.value))
		case strings.HasPrefix(l, "x-amz-") || l == "authorization":
			return nil, verr(CheckHeaders, ErrHeaderNotAllowed, "the %s header of a presigned request belongs in its query", h.name)
		}
	}
	if ve := checkBoundValues(hs, binds); ve != nil {
		return nil, ve
	}
	return v.presignedRequest(su, binds), nil
}

// checkBoundValues checks that each bound header is in hs with its value.
func checkBoundValues(hs []payloadHeader, binds bindingSet) *VerifyError {
	for _, b := range binds.binds {
		found := false
		for _, h := range hs {
			if strings.EqualFold(h.name, b.Header) {
				found = true
				if h.value != b.Value {
					return verr(CheckBinding, ErrBindingMismatch, "the %s header has another value than the expected one", b.Header)
				}
			}
		}
		if !found {
			return verr(CheckBinding, ErrHeaderNotSigned, "the payload has no %s header", b.Header)
		}
	}
	return nil
}

// checkLoginPOST checks a login payload signed in its headers.
func (v *Verifier) checkLoginPOST(u, body string, hs []payloadHeader, binds bindingSet, now time.Time) (*stsRequest, *VerifyError) {
	host, rest, sh, ve := checkURLPrefix(u, v.hosts)
	if ve != nil {
		return nil, ve
	}
	if rest != "" {
		for _, pair := range strings.Split(rest[1:], "&") {
			name, _, _ := strings.Cut(pair, "=")
			if dec, err := url.QueryUnescape(name); err == nil && strings.EqualFold(dec, "Action") {
				return nil, verr(CheckAction, ErrAction, "a POST has Action in its query")
			}
		}
		return nil, verr(CheckQuery, ErrParameterNotAllowed, "a POST has a query")
	}
	q, ve := parseQuery(body)
	if ve != nil {
		ve.Check = CheckBody
		return nil, ve
	}
	if q.has&^(1<<pAction|1<<pVersion) != 0 {
		for p := range paramNames {
			if _, ok := q.get(p); ok && p != pAction && p != pVersion {
				return nil, verr(CheckBody, ErrParameterNotAllowed, "the body has %s; it may hold only Action and Version", paramNames[p])
			}
		}
	}
	if ve := checkAction(&q); ve != nil {
		return nil, ve
	}

	byName := make(map[string]payloadHeader, len(hs))
	for _, h := range hs {
		l := strings.ToLower(h.name)
		switch {
		case hopByHop[l]:
			return nil, verr(CheckHeaders, ErrHeaderNotAllowed, "the payload has a %s header", h.name)
		case l == "host" && h.value != host:
			return nil, verr(CheckHost, ErrHost, "the Host header %s is not the URL's host", quote(h.value))
		case strings.HasPrefix(l, "x-amz-") && !v.amzAllowed[l]:
			return nil, verr(CheckHeaders, ErrHeaderNotAllowed, "the %s header is not allowed", quote(h.name))
		}
		byName[l] = h
	}
	ct, ok := byName["content-type"]
	if !ok {
		return nil, verr(CheckBody, ErrBody, "the payload has no Content-Type header")
	}
	mt, params, err := mime.ParseMediaType(ct.value)
	if err != nil || mt != "application/x-www-form-urlencoded" || len(params) > 1 || len(params) == 1 && !strings.EqualFold(params["charset"], "utf-8") {
		return nil, verr(CheckBody, ErrBody, "the Content-Type %s is not application/x-www-form-urlencoded", quote(ct.value))
	}
	if cl, ok := byName["content-length"]; ok && cl.value != strconv.Itoa(len(body)) {
		return nil, verr(CheckBody, ErrBody, "the Content-Length %s is not the body's length %d", quote(cl.value), len(body))
	}

	auth, ok := byName["authorization"]
	if !ok {
		return nil, verr(CheckSignature, ErrMalformed, "the payload has no Authorization header")
	}
	cred, list, ve := parseAuthorization(auth.value)
	if ve != nil {
		return nil, ve
	}
	required := append(append(make([]string, 0, len(binds.signed)+1), binds.signed...), "x-amz-date")
	slices.Sort(required)
	signedOK := func(name string) bool { _, ok := byName[name]; return ok && name != "authorization" }
	if ve := checkSignedList([]byte(list), required, signedOK); ve != nil {
		return nil, ve
	}
	if ve := checkBoundValues(hs, binds); ve != nil {
		return nil, ve
	}
	if tok, ok := byName["x-amz-security-token"]; ok && tok.value == "" {
		return nil, verr(CheckSignature, ErrMalformed, "X-Amz-Security-Token is empty")
	}
	date, ok := byName["x-amz-date"]
	if !ok {
		return nil, verr(CheckBinding, ErrHeaderNotSigned, "the payload has no X-Amz-Date header")
	}
	t, ve := v.checkDate(date.value, now)
	if ve != nil {
		return nil, ve
	}
	sp := sigParts{credential: cred, date: t}
	if ve := checkScope(&sp, date.value, sh, false); ve != nil {
		return nil, ve
	}

	// Send the signed headers, the Authorization, the session token and
	// the Content-Type; nothing else.
	out := make(http.Header, len(byName)+1)
	for rest := list; rest != ""; {
		var name string
		name, rest, _ = strings.Cut(rest, ";")
		if h, ok := byName[name]; ok {
			out[h.name] = []string{h.value}
		}
	}
	for _, name := range [...]string{"authorization", "x-amz-security-token", "content-type"} {
		if h, ok := byName[name]; ok {
			out[h.name] = []string{h.value}
		}
	}
	if !strings.Contains(";"+list+";", ";accept;") {
		out["Accept"] = acceptJSON
	}
	return &stsRequest{method: http.MethodPost, host: host, body: body, header: out, akid: sp.akid, signedAt: t}, nil
}

// parseAuthorization parses an Authorization header of SigV4:
// AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=… (each once,
// in any order).
func parseAuthorization(s string) (cred, signed string, ve *VerifyError) {
	rest, ok := strings.CutPrefix(s, algorithm+" ")
	if !ok {
		return "", "", verr(CheckSignature, ErrMalformed, "the Authorization header is not %s", algorithm)
	}
	var sig string
	var seen [3]bool
	for _, part := range strings.Split(rest, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		i := -1
		switch k {
		case "Credential":
			i, cred = 0, val
		case "SignedHeaders":
			i, signed = 1, val
		case "Signature":
			i, sig = 2, val
		}
		if !ok || i < 0 || seen[i] {
			return "", "", verr(CheckSignature, ErrMalformed, "the Authorization header is not Credential=…, SignedHeaders=…, Signature=… each once")
		}
		seen[i] = true
	}
	if !seen[0] || !seen[1] || !seen[2] {
		return "", "", verr(CheckSignature, ErrMalformed, "the Authorization header lacks Credential, SignedHeaders or Signature")
	}
	if !isLowerHex64(sig) {
		return "", "", verr(CheckSignature, ErrMalformed, "the Authorization header's Signature is not 64 lower-case hex digits")
	}
	return cred, signed, nil
}
