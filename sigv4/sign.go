package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/callerid/callerid/credentials"
)

// Algorithm is the signing algorithm named in every SigV4 signature.
const Algorithm = "AWS4-HMAC-SHA256"

// EmptyPayloadHash is the hex SHA-256 of an empty body.
const EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// UnsignedPayload stands in for the payload hash when the body is not signed.
const UnsignedPayload = "UNSIGNED-PAYLOAD"

// Header names the signer reads or writes.
const (
	HeaderDate          = "X-Amz-Date"
	HeaderSecurityToken = "X-Amz-Security-Token"
	HeaderContentSHA256 = "X-Amz-Content-Sha256"
	HeaderAuthorization = "Authorization"
)

// Bounds of a presigned request's lifetime (X-Amz-Expires).
const (
	MinPresignExpiry = time.Second
	MaxPresignExpiry = 7 * 24 * time.Hour
)

// A Signer signs requests. The zero value signs as the AWS services other
// than S3 expect, at time.Now. A Signer is safe for concurrent use, as
// long as its fields are not changed while in use; it must not be copied
// after first use (go vet says so), as it keeps state for its requests.
//
// A Signer derives the signing key of a (secret, day, service, region)
// once, on its first signature, with crypto/hmac, and keeps it in a bounded
// cache of its own (made on first use), which holds a keyed 128-bit hash
// of each secret, never the secret. The HMAC of each signature is
// crypto/hmac's too, a hash per key reused through a pool (its Reset
// restores the key's padded states), so that a signature allocates no
// hash. Use one Signer for many requests to keep the cache warm. (A nil
// *Signer signs as the zero Signer, deriving the key of every signature.)
type Signer struct {
	// AddContentSHA256Header adds the X-Amz-Content-Sha256 header, which
	// S3 requires and other services ignore. Header signing only.
	AddContentSHA256Header bool

	// S3Paths selects the rules of Amazon S3 for the canonical path: it is
	// not normalized ("." and ".." segments and repeated slashes are kept)
	// and it is URI-encoded once. By default the path is normalized and
	// its segments are encoded as sent, so an escape in the path is encoded
	// a second time, as every other service expects.
	S3Paths bool

	// UnsignedPayload signs the body as UNSIGNED-PAYLOAD rather than
	// hashing it, as S3 allows (and presigned S3 URLs use).
	UnsignedPayload bool

	// UnsignedSessionToken adds the session token (X-Amz-Security-Token)
	// after signing, so that it is sent but not signed, for the few
	// services that want it so. By default the token is signed.
	UnsignedSessionToken bool

	// Now returns the signing time, read once per signature; time.Now if
	// nil. A client corrects its clock here, with the offset to the
	// server's it learnt from a refused request.
	Now func() time.Time

	// Debug, if not nil, is called with the canonical request and the
	// string to sign of every signature. They hold no secret access key
	// and no signing key, but the canonical request holds the session
	// token, which is a secret too: do not log it where secrets may not
	// go. It costs nothing when nil.
	Debug func(canonicalRequest, stringToSign string)

	cache atomic.Pointer[keyCache] // made on first use
}

// state returns s's cache, made on first use. A nil *Signer signs as the
// zero Signer but keeps nothing: each signature derives its key.
func (s *Signer) state() *keyCache {
	if s == nil {
		return newKeyCache()
	}
	return loadCache(&s.cache)
}

// now returns the signing time.
func (s *Signer) now() time.Time {
	if s != nil && s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// signOptions are the fields of a Signer that shape a signature.
type signOptions struct {
	addContentSHA256Header, s3Paths, unsignedPayload, unsignedSessionToken bool
	debug                                                                  func(canonicalRequest, stringToSign string)
}

func (s *Signer) options() signOptions {
	if s == nil {
		return signOptions{}
	}
	return signOptions{s.AddContentSHA256Header, s.S3Paths, s.UnsignedPayload, s.UnsignedSessionToken, s.Debug}
}

// Sign signs req with creds for scope, at s.Now, in place: it sets the
// X-Amz-Date, X-Amz-Security-Token (if creds has a session token) and
// Authorization headers, and X-Amz-Content-Sha256 if
// s.AddContentSHA256Header is set. Signing a request again replaces the
// earlier signature; if signing fails, req has no Authorization header.
//
// The signature covers:
//
//   - the method ("GET" if empty);
//   - the path as it is sent (req.URL.Opaque if set, else
//     req.URL.EscapedPath()), normalized and URI-encoded again, or, with
//     S3Paths, decoded and URI-encoded once;
//   - the query as it is sent (req.URL.RawQuery): each name and value
//     decoded ('+' is a space) and URI-encoded, sorted by name then value;
//   - the host: req.Host, or req.URL.Host;
//   - every header of req except those that clients and proxies change in
//     flight: Authorization, User-Agent, X-Amzn-Trace-Id, Expect, and the
//     hop-by-hop headers (Connection, Keep-Alive, Proxy-Authorization,
//     Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade); values
//     trimmed, runs of spaces collapsed, several values joined by commas;
//   - the payload hash: the value of an X-Amz-Content-Sha256 header
//     already on req (a hex SHA-256 computed beforehand, or
//     UNSIGNED-PAYLOAD), else UNSIGNED-PAYLOAD if s.UnsignedPayload is set,
//     else the SHA-256 of the body, read through req.GetBody (which
//     http.NewRequest sets for in-memory bodies) or, for a body that is an
//     io.Seeker, read and sought back. The body is not consumed; one that
//     cannot be read again is an error.
//
// Bad input (a nil URL, no host, credentials without keys, a scope without
// its service or region, a header name or method with bytes HTTP does not
// allow, a CR or LF in a header value, an invalid escape where one is
// decoded, ...) is an error that says what and where.
func (s *Signer) Sign(req *http.Request, creds credentials.Credentials, scope Scope) error {
	return s.sign(req, "", false, creds, scope)
}

// SignHash signs req as Sign does, with payloadHash as the payload hash:
// the lowercase hex SHA-256 of the body, computed beforehand (for a body
// that is the same on every request, once), or UnsignedPayload. The body
// is not read, GetBody is not called, and s.UnsignedPayload is ignored;
// no X-Amz-Content-Sha256 header is added unless
// s.AddContentSHA256Header is set, when it is set to payloadHash. An
// X-Amz-Content-Sha256 header already on req that differs from
// payloadHash is an error, as is a payloadHash that is neither 64
// lowercase hex digits nor UnsignedPayload.
//
// It saves Sign's reading and hashing of the body: for a small body, the
// two allocations of GetBody and a third of the cost of a signature.
// A wrong payloadHash gives a request the service refuses.
func (s *Signer) SignHash(req *http.Request, payloadHash string, creds credentials.Credentials, scope Scope) error {
	return s.sign(req, payloadHash, true, creds, scope)
}

// sign is Sign, or SignHash when given is set.
func (s *Signer) sign(req *http.Request, givenHash string, given bool, creds credentials.Credentials, scope Scope) error {
	err := s.signHeaders(req, givenHash, given, creds, scope)
	if err != nil && req != nil {
		// Do not leave the signature of an earlier signing.
		delete(req.Header, HeaderAuthorization)
	}
	return err
}

func (s *Signer) signHeaders(req *http.Request, givenHash string, given bool, creds credentials.Credentials, scope Scope) error {
	o := s.options()
	host, err := checkRequest(req)
	if err != nil {
		return err
	}
	if err := checkScope(creds, scope); err != nil {
		return err
	}
	st := s.state()
	at, err := st.amzTime(s.now())
	if err != nil {
		return err
	}
	date := &at.b
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	var ph payloadHash
	if given {
		if ph, err = o.givenPayloadHash(req, givenHash); err != nil {
			return err
		}
	}
	sc := getScratch()
	defer putScratch(sc)

	if !given {
		if ph, err = o.payloadHash(req, sc); err != nil {
			return err
		}
	}
	token := creds.SessionToken()
	// The values of the headers this sets share one array: one allocation.
	n := 2 // X-Amz-Date, Authorization
	if token != "" {
		n++
	}
	if o.addContentSHA256Header {
		n++
	}
	hv := headerValues(make([]string, n))
	if o.addContentSHA256Header {
		switch {
		case ph.lit == "":
			req.Header[HeaderContentSHA256] = hv.next(hex.EncodeToString(ph.sum[:]))
		case !ph.fromHeader:
			req.Header[HeaderContentSHA256] = hv.next(ph.lit)
		}
	}
	req.Header[HeaderDate] = hv.next(at.s)
	if token != "" && !o.unsignedSessionToken {
		req.Header[HeaderSecurityToken] = hv.next(token)
	} else {
		delete(req.Header, HeaderSecurityToken)
	}

	if err := sc.canonicalizeForSign(req, host, o.s3Paths, &ph); err != nil {
		return err
	}
	key := st.get(creds.SecretAccessKey(), date[:dateLen], scope.Region, scope.Service)
	sig := sc.sign(key, date, scope, o.debug)

	b := append(sc.out[:0], Algorithm+" Credential="...)
	b = append(b, creds.AccessKeyID...)
	b = append(b, '/')
	b = appendScope(b, date, scope)
	b = append(b, ", SignedHeaders="...)
	b = sc.appendSignedHeaders(b, ";")
	b = append(b, ", Signature="...)
	b = appendHex(b, &sig)
	sc.out = b
	req.Header[HeaderAuthorization] = hv.next(string(b))
	if token != "" && o.unsignedSessionToken {
		req.Header[HeaderSecurityToken] = hv.next(token)
	}
	return nil
}

// canonicalizeForSign writes the canonical request of req to sc.buf, for
// Sign.
func (sc *scratch) canonicalizeForSign(req *http.Request, host string, s3 bool, ph *payloadHash) error {
	if err := sc.addHeaders(req.Header, true, true); err != nil {
		return err
	}
	sc.addHost(host)
	sc.sortHeaders()
	if err := sc.addQuery(req.URL.RawQuery, 0); err != nil {
		return err
	}
	for _, p := range sc.params {
		// Verify refuses a request signed both ways.
		if k := sc.arena[p.k0:p.k1]; isPresignParam(k) {
			return errorf("the query has a %s parameter, which is for presigned requests: a request is signed in its headers or in its query, not both", k)
		}
	}
	return sc.appendCanonicalRequest(req, s3, ph)
}

// Presign signs req with creds for scope in the query string, at s.Now,
// valid for expires (between MinPresignExpiry and MaxPresignExpiry;
// fractions of a second are dropped). req is not modified.
//
// It returns the presigned URL: req's scheme ("https" if none), the host
// that was signed (req.Host, or req.URL.Host), path (as sent: see Sign),
// and query: req's parameters, in their order, URI-encoded as they are
// signed ("a=b+c" becomes "a=b%20c"), then the X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date (the signing time), X-Amz-Expires,
// X-Amz-SignedHeaders, X-Amz-Security-Token (if creds has a session token)
// and X-Amz-Signature parameters (any such parameters already in req's
// query are replaced). It also returns the headers of req that were
// signed besides the host, which whoever sends the URL must send too, or
// nil if there are none.
//
// Headers and payload are signed as Sign does them, except that no header
// is added: the payload hash is not sent, and the session token is in the
// query, signed unless s.UnsignedSessionToken is set.
func (s *Signer) Presign(req *http.Request, creds credentials.Credentials, scope Scope, expires time.Duration) (string, http.Header, error) {
	sc := getScratch()
	defer putScratch(sc)
	u, err := s.presign(sc, sc.out[:0], req, creds, scope, expires)
	if err != nil {
		return "", nil, err
	}
	sc.out = u
	return string(u), sc.signedHeaderCopy(), nil
}

// AppendPresign is Presign for callers that put the URL into something
// else, as an EKS token encodes it, or presign in a loop: it appends the
// presigned URL to dst and returns the extended buffer, and it does not
// copy the signed headers, which are req's own. If it fails, it returns
// dst as it was, and the error.
//
// The URL holds the session token, if creds has one: a caller that
// reuses the buffer should clear it when done.
func (s *Signer) AppendPresign(dst []byte, req *http.Request, creds credentials.Credentials, scope Scope, expires time.Duration) ([]byte, error) {
	sc := getScratch()
	defer putScratch(sc)
	u, err := s.presign(sc, dst, req, creds, scope, expires)
	if err != nil {
		return dst, err
	}
	return u, nil
}

// presign is Presign, appending the URL to u, with sc as its scratch
// space. sc never holds on to u, which may be a caller's buffer.
func (s *Signer) presign(sc *scratch, u []byte, req *http.Request, creds credentials.Credentials, scope Scope, expires time.Duration) ([]byte, error) {
	o := s.options()
	host, err := checkRequest(req)
	if err != nil {
		return nil, err
	}
	if err := checkScope(creds, scope); err != nil {
		return nil, err
	}
	if expires < MinPresignExpiry || expires >= MaxPresignExpiry+time.Second {
		return nil, errorf("presign expiry %v is outside %v to %v", expires, MinPresignExpiry, MaxPresignExpiry)
	}
	st := s.state()
	at, err := st.amzTime(s.now())
	if err != nil {
		return nil, err
	}
	date := &at.b
	ph, err := o.payloadHash(req, sc)
	if err != nil {
		return nil, err
	}
	if err := sc.addHeaders(req.Header, true, false); err != nil {
		return nil, err
	}
	sc.addHost(host)
	sc.sortHeaders()

	// The URL, up to the parameters this adds.
	if req.URL.Scheme != "" {
		u = append(u, req.URL.Scheme...)
	} else {
		u = append(u, "https"...)
	}
	u = append(u, "://"...)
	u = append(u, host...)
	if p := wirePath(req.URL); p != "" {
		u = append(u, p...)
	} else {
		u = append(u, '/')
	}
	u = append(u, '?')
	if err := sc.addQuery(req.URL.RawQuery, dropPresign); err != nil {
		return nil, err
	}

	// The parameters of the signature, encoded into the arena.
	token := creds.SessionToken()
	signToken := token != "" && !o.unsignedSessionToken
	sc.beginParam(queryAlgorithm)
	sc.arena = append(sc.arena, Algorithm...)
	sc.endParam()
	sc.beginParam(queryCredential)
	sc.arena = appendEscaped(sc.arena, creds.AccessKeyID, false)
	sc.arena = append(sc.arena, "%2F"...)
	sc.arena = append(sc.arena, date[:dateLen]...)
	sc.arena = append(sc.arena, "%2F"...)
	sc.arena = appendEscaped(sc.arena, scope.Region, false)
	sc.arena = append(sc.arena, "%2F"...)
	sc.arena = appendEscaped(sc.arena, scope.Service, false)
	sc.arena = append(sc.arena, "%2Faws4_request"...)
	sc.endParam()
	sc.beginParam(queryDate)
	sc.arena = append(sc.arena, date[:]...)
	sc.endParam()
	sc.beginParam(queryExpires)
	sc.arena = strconv.AppendInt(sc.arena, int64(expires/time.Second), 10)
	sc.endParam()
	sc.beginParam(querySignedHeaders)
	sc.arena = sc.appendSignedHeaders(sc.arena, "%3B")
	sc.endParam()
	if signToken {
		sc.beginParam(querySecurityToken)
		sc.arena = appendEscaped(sc.arena, token, false)
		sc.endParam()
	}
	for i, p := range sc.params {
		if i > 0 {
			u = append(u, '&')
		}
		u = append(u, sc.arena[p.k0:p.k1]...)
		u = append(u, '=')
		u = append(u, sc.arena[p.v0:p.v1]...)
	}

	if err := sc.appendCanonicalRequest(req, o.s3Paths, &ph); err != nil {
		return nil, err
	}
	key := st.get(creds.SecretAccessKey(), date[:dateLen], scope.Region, scope.Service)
	sig := sc.sign(key, date, scope, o.debug)

	if token != "" && !signToken {
		u = append(u, "&"+querySecurityToken+"="...)
		u = appendEscaped(u, token, false)
	}
	u = append(u, "&"+querySignature+"="...)
	return appendHex(u, &sig), nil
}

func (sc *scratch) beginParam(k string) {
	n := len(sc.arena)
	sc.arena = append(sc.arena, k...)
	sc.params = append(sc.params, param{k0: n, k1: len(sc.arena), v0: len(sc.arena)})
}

func (sc *scratch) endParam() { sc.params[len(sc.params)-1].v1 = len(sc.arena) }

// signedHeaderCopy returns the signed headers other than the host, values
// copied, or nil.
func (sc *scratch) signedHeaderCopy() http.Header {
	n, nv := 0, 0
	for _, h := range sc.hdrs {
		if h.vals != nil {
			n++
			nv += len(h.vals)
		}
	}
	if n == 0 {
		return nil
	}
	out := make(http.Header, n)
	vals := make([]string, nv)
	for _, h := range sc.hdrs {
		if h.vals != nil {
			m := copy(vals, h.vals)
			out[h.key] = vals[:m:m]
			vals = vals[m:]
		}
	}
	return out
}

// appendCanonicalRequest writes the canonical request of req to sc.buf,
// with the headers of sc.hdrs and the query parameters of sc.params.
func (sc *scratch) appendCanonicalRequest(req *http.Request, s3 bool, ph *payloadHash) error {
	b := sc.buf[:0]
	if req.Method == "" {
		b = append(b, "GET"...)
	} else {
		b = append(b, req.Method...)
	}
	b = append(b, '\n')
	var err error
	if b, err = appendCanonicalPath(b, wirePath(req.URL), s3); err != nil {
		return err
	}
	b = append(b, '\n')
	b = sc.appendCanonicalQuery(b)
	b = append(b, '\n')
	if b, err = sc.appendCanonicalHeaders(b); err != nil {
		return err
	}
	b = append(b, '\n')
	b = sc.appendSignedHeaders(b, ";")
	b = append(b, '\n')
	b = ph.append(b)
	sc.buf = b
	return nil
}

// sign hashes the canonical request in sc.buf and returns the signature of
// its string to sign.
func (sc *scratch) sign(key *signingKey, date *[amzDateLen]byte, scope Scope, debug func(string, string)) [sha256.Size]byte {
	crHash := sha256.Sum256(sc.buf)
	var cr string
	if debug != nil {
		cr = string(sc.buf)
	}
	sc.buf = appendStringToSign(sc.buf[:0], date, scope, &crHash)
	if debug != nil {
		debug(cr, string(sc.buf))
	}
	return sc.mac(key, sc.buf)
}

func appendStringToSign(b []byte, date *[amzDateLen]byte, scope Scope, crHash *[sha256.Size]byte) []byte {
	b = append(b, Algorithm+"\n"...)
	b = append(b, date[:]...)
	b = append(b, '\n')
	b = appendScope(b, date, scope)
	b = append(b, '\n')
	return appendHex(b, crHash)
}

func appendScope(b []byte, date *[amzDateLen]byte, scope Scope) []byte {
	b = append(b, date[:dateLen]...)
	b = append(b, '/')
	b = append(b, scope.Region...)
	b = append(b, '/')
	b = append(b, scope.Service...)
	return append(b, "/aws4_request"...)
}

// payloadHash is the last line of a canonical request: a literal (from the
// X-Amz-Content-Sha256 header, or UNSIGNED-PAYLOAD) or a SHA-256.
type payloadHash struct {
	lit        string
	sum        [sha256.Size]byte
	fromHeader bool // lit is the X-Amz-Content-Sha256 header's
}

func (p *payloadHash) append(b []byte) []byte {
	if p.lit != "" {
		return append(b, p.lit...)
	}
	return appendHex(b, &p.sum)
}

var emptySum = sha256.Sum256(nil)

// givenPayloadHash checks the payload hash given to SignHash.
func (o *signOptions) givenPayloadHash(req *http.Request, h string) (payloadHash, error) {
	if h != UnsignedPayload && !isLowerHex64(h) {
		return payloadHash{}, errorf("payload hash %q is neither a lowercase hex SHA-256 nor %s", h, UnsignedPayload)
	}
	if v := req.Header[HeaderContentSHA256]; len(v) > 0 && v[0] != "" && !o.addContentSHA256Header {
		if len(v) != 1 || v[0] != h {
			return payloadHash{}, errorf("request has an %s header of %q, not the payload hash %q", HeaderContentSHA256, v[0], h)
		}
		return payloadHash{lit: h, fromHeader: true}, nil
	}
	return payloadHash{lit: h}, nil
}

func (o *signOptions) payloadHash(req *http.Request, sc *scratch) (payloadHash, error) {
	if v := req.Header[HeaderContentSHA256]; len(v) > 0 && v[0] != "" {
		return payloadHash{lit: v[0], fromHeader: true}, nil
	}
	if o.unsignedPayload {
		return payloadHash{lit: UnsignedPayload}, nil
	}
	sum, err := sc.hashBody(req)
	return payloadHash{sum: sum}, err
}

// hashBody returns the SHA-256 of req's body without consuming it.
func (sc *scratch) hashBody(req *http.Request) ([sha256.Size]byte, error) {
	switch {
	case req.Body == nil || req.Body == http.NoBody:
		return emptySum, nil
	case req.GetBody != nil:
		body, err := req.GetBody()
		if err != nil {
			return [sha256.Size]byte{}, wrapErr("re-reading body", err)
		}
		defer body.Close()
		return sc.hashReader(body)
	}
	s, ok := req.Body.(io.Seeker)
	if !ok {
		return [sha256.Size]byte{}, errorf("request body cannot be re-read (no GetBody, not an io.Seeker); use a body http.NewRequest knows (bytes.Reader, strings.Reader, bytes.Buffer), set GetBody, or set X-Amz-Content-Sha256")
	}
	pos, err := s.Seek(0, io.SeekCurrent)
	if err != nil {
		return [sha256.Size]byte{}, wrapErr("seeking body", err)
	}
	sum, err := sc.hashReader(req.Body)
	if _, serr := s.Seek(pos, io.SeekStart); err == nil && serr != nil {
		err = wrapErr("seeking body back", serr)
	}
	return sum, err
}

// bodyChunk is the size of the buffer a body is hashed from: bodies that
// fit are hashed with no allocation.
const bodyChunk = 16 << 10

// hashReader returns the SHA-256 of what r reads.
func (sc *scratch) hashReader(r io.Reader) ([sha256.Size]byte, error) {
	s := &sc.sink
	if s.buf == nil {
		s.buf = make([]byte, 0, bodyChunk)
	}
	s.buf, s.h = s.buf[:0], nil
	if _, err := io.Copy(s, r); err != nil {
		return [sha256.Size]byte{}, wrapErr("reading body", err)
	}
	if s.h == nil {
		return sha256.Sum256(s.buf), nil
	}
	s.h.Write(s.buf)
	var sum [sha256.Size]byte
	s.h.Sum(sum[:0])
	s.h = nil
	return sum, nil
}

// bodySink is an io.Writer that keeps up to bodyChunk bytes, then feeds a
// hash. It is also an io.StringWriter and io.ReaderFrom, so that io.Copy
// from a strings.Reader or bytes.Reader (as GetBody gives) copies once.
type bodySink struct {
	buf []byte
	h   hash.Hash
}

func (s *bodySink) spill() {
	if s.h == nil {
		s.h = sha256.New()
	}
	s.h.Write(s.buf)
	s.buf = s.buf[:0]
}

// Write implements io.Writer.
func (s *bodySink) Write(p []byte) (int, error) {
	if len(s.buf)+len(p) > cap(s.buf) {
		s.spill()
		if len(p) > cap(s.buf) {
			return s.h.Write(p)
		}
	}
	s.buf = append(s.buf, p...)
	return len(p), nil
}

// WriteString implements io.StringWriter.
func (s *bodySink) WriteString(p string) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(s.buf) == cap(s.buf) {
			s.spill()
		}
		m := min(len(p), cap(s.buf)-len(s.buf))
		s.buf = append(s.buf, p[:m]...)
		p = p[m:]
	}
	return n, nil
}

// ReadFrom implements io.ReaderFrom.
func (s *bodySink) ReadFrom(r io.Reader) (int64, error) {
	var total int64
	for {
		if len(s.buf) == cap(s.buf) {
			s.spill()
		}
		n, err := r.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		total += int64(n)
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// checkRequest checks what signing needs of req and returns the host.
func checkRequest(req *http.Request) (string, error) {
	if req == nil {
		return "", errorf("nil request")
	}
	if req.URL == nil {
		return "", errorf("request has no URL")
	}
	for i := 0; i < len(req.Method); i++ {
		if !tokenChar[req.Method[i]] {
			return "", errorf("method %q has an invalid byte at %d", req.Method, i)
		}
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	if host == "" {
		return "", errorf("request has no host (set req.URL.Host or req.Host)")
	}
	for i := 0; i < len(host); i++ {
		if hostBad[host[i]] {
			return "", errorf("host %q has an invalid byte at %d", host, i)
		}
	}
	return host, nil
}

// hostBad holds the bytes that may not appear in a host.
var hostBad = func() (t [256]bool) {
	for c := 0; c <= ' '; c++ {
		t[c] = true
	}
	t[0x7f], t['/'], t['?'], t['#'] = true, true, true, true
	return t
}()

// headerValues hands out one-value slices of one array, capacity-limited
// so that appending to one does not write over the next.
type headerValues []string

func (hv *headerValues) next(v string) []string {
	a := *hv
	a[0] = v
	*hv = a[1:]
	return a[0:1:1]
}

// amzTime is a signing time, to the second, formatted: b is its
// X-Amz-Date, s the same as a string.
type amzTime struct {
	sec int64
	b   [amzDateLen]byte
	s   string
}
