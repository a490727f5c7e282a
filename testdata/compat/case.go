package compat

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sigv4"
)

// Header is one header line of a Case. A name may appear more than once:
// its values are then sent, and signed, as one multi-value header.
type Header struct {
	Name, Value string
}

// Case is one request to sign, with everything a signer needs: the same
// Case given to two signers must give the same signature.
type Case struct {
	// ID numbers the case in its generated set, for failure messages.
	ID int
	// Method is the HTTP method.
	Method string
	// URL is scheme://host, the path as sent on the request line (already
	// percent-encoded, in one of several styles) and the raw query.
	URL string
	// Host, if set, is sent as the Host header instead of the URL's host.
	Host string
	// Header holds the headers in order.
	Header []Header
	// Body is the payload.
	Body []byte
	// Creds are the keys; the session token may be empty.
	Creds credentials.Credentials
	// Region and Service make the credential scope (see Scope).
	Region, Service string
	// Time is when the request is signed, in any location.
	Time time.Time
	// Expires is how long a presigned URL is valid.
	Expires time.Duration

	// The knobs of sigv4.Signer, and their equivalents in the other signers.
	AddContentSHA256Header bool
	S3Paths                bool
	UnsignedPayload        bool
}

// String describes c for failure messages: everything but the body, which
// is summarized, and the secret, which is a made-up one anyway.
func (c *Case) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "case %d: %s %s", c.ID, c.Method, c.URL)
	if c.Host != "" {
		fmt.Fprintf(&b, " (Host: %q)", c.Host)
	}
	for _, h := range c.Header {
		fmt.Fprintf(&b, "\n  %s: %q", h.Name, h.Value)
	}
	fmt.Fprintf(&b, "\n  body: %d bytes; key %s, token %d bytes; %s/%s at %s; expires %v",
		len(c.Body), c.Creds.AccessKeyID, len(c.Creds.SessionToken()), c.Region, c.Service,
		c.Time.Format(time.RFC3339Nano), c.Expires)
	fmt.Fprintf(&b, "\n  AddContentSHA256Header=%v S3Paths=%v UnsignedPayload=%v", c.AddContentSHA256Header, c.S3Paths, c.UnsignedPayload)
	return b.String()
}

// Scope is the scope callerid signs c for.
func (c *Case) Scope() sigv4.Scope { return sigv4.Scope{Service: c.Service, Region: c.Region} }

// NewRequest returns a fresh request for c, as http.NewRequest makes it
// (so that GetBody is set), with c's headers and Host.
func (c *Case) NewRequest() (*http.Request, error) {
	var body *bytes.Reader
	if len(c.Body) > 0 {
		body = bytes.NewReader(c.Body)
	}
	var req *http.Request
	var err error
	if body != nil {
		req, err = http.NewRequest(c.Method, c.URL, body)
	} else {
		req, err = http.NewRequest(c.Method, c.URL, nil)
	}
	if err != nil {
		return nil, err
	}
	for _, h := range c.Header {
		req.Header.Add(h.Name, h.Value)
	}
	if c.Host != "" {
		req.Host = c.Host
	}
	return req, nil
}

func (c *Case) hasHeader(name string) bool {
	for _, h := range c.Header {
		if http.CanonicalHeaderKey(h.Name) == name {
			return true
		}
	}
	return false
}

// PayloadHash is the payload hash every signer must use for c: the value
// of an X-Amz-Content-Sha256 header already on the request, else
// UNSIGNED-PAYLOAD when c.UnsignedPayload is set, else the SHA-256 of the
// body.
func (c *Case) PayloadHash() string {
	for _, h := range c.Header {
		if http.CanonicalHeaderKey(h.Name) == sigv4.HeaderContentSHA256 {
			return h.Value
		}
	}
	if c.UnsignedPayload {
		return sigv4.UnsignedPayload
	}
	sum := sha256.Sum256(c.Body)
	return hex.EncodeToString(sum[:])
}

// Profile says which inputs Generate may produce: each peer follows the
// specification on a different subset of them (see DIFFERENCES.md).
type Profile int

const (
	// ProfileSDK is what aws-sdk-go-v2 signs as callerid does, once paths
	// are normalized for it (it does not remove dot segments): any query
	// encoding Go parses, header values whose white space is spaces, no
	// hop-by-hop headers, no default port in the host.
	ProfileSDK Profile = iota
	// ProfileBotocore is what botocore signs as callerid does: it signs the
	// query string as sent, so the query is sent in canonical form
	// (RFC 3986 escapes, upper-case hex, %20 for spaces), and it drops the
	// trailing slash RFC 3986 keeps when a path ends in "/." or "/..", so
	// such paths get one.
	ProfileBotocore
	// ProfileBotocorePresign is ProfileBotocore without bodies (botocore
	// moves a body into the query when presigning), repeated query keys
	// (it keeps only the first value) or the form Content-Type (which it
	// drops).
	ProfileBotocorePresign
)

// Generate returns n cases drawn from seed: the same seed, n and profile
// give the same cases.
func Generate(seed uint64, n int, p Profile) []Case {
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), p: p}
	cases := make([]Case, n)
	for i := range cases {
		cases[i] = g.next()
		cases[i].ID = i
	}
	return cases
}

type gen struct {
	r *rand.Rand
	p Profile
}

func (g *gen) pick(s []string) string { return s[g.r.IntN(len(s))] }
func (g *gen) chance(p float64) bool  { return g.r.Float64() < p }

var (
	methods  = []string{"GET", "GET", "POST", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"}
	regions  = []string{"us-east-1", "us-east-1", "eu-west-3", "ap-southeast-2", "cn-north-1", "us-gov-west-1", "us-iso-east-1", "il-central-1"}
	services = []string{"sts", "sts", "iam", "s3", "execute-api", "es", "service", "lambda", "sqs"}
	hosts    = []string{
		"https://sts.amazonaws.com", "https://sts.us-east-1.amazonaws.com", "https://example.amazonaws.com",
		"https://iam.amazonaws.com", "https://bucket.s3.eu-west-3.amazonaws.com", "https://sts.cn-north-1.amazonaws.com.cn",
		"http://127.0.0.1:4566", "http://localhost:8080", "https://[::1]:9000", "https://abc123.execute-api.il-central-1.amazonaws.com",
	}
	// pathPieces are the parts path segments are made of: ASCII, unicode,
	// spaces, '%', every sub-delim, and the characters a path may keep.
	pathPieces = []string{
		"example", "a", "Z9", "-_.~", "caf\u00e9", "\u65e5\u672c", "\u1234", "\U0001F642", " ", "  ", "%", "%20",
		"+", "!", "*", "'", "(", ")", "$", "&", ",", ";", "=", ":", "@", "?", "#", "[", "]", "\"", "<", "^", "`", "{", "|", "\\",
	}
	// queryPieces make query keys and values; '&', '=' and '+' are
	// escaped when sent.
	queryPieces = []string{
		"Action", "Version", "GetCallerIdentity", "2011-06-15", "a", "B", "z", "x-amz-meta", "-_.~", "\u00e9", "\u00e9t\u00e9",
		"\u65e5", " ", "+", "=", "&", "%", "/", ":", ";", "!", "*", "'", "(", ")", "$", ",", "@", "?", "[", "]", "0", "9", "~a", "Z",
	}
	headerNames = []string{
		"X-Amz-Meta-Foo", "X-Amz-Meta-Bar", "X-Custom-Header", "My-Header1", "My-Header2", "Content-Type", "Accept",
		"X-Amz-Target", "Cache-Control", "If-Match", "X-K8s-Aws-Id", "Content-Encoding", "X-Amz-Acl", "Range",
		// Never signed by anyone.
		"User-Agent", "X-Amzn-Trace-Id", "Expect",
	}
	headerPieces = []string{
		"value", "a", "b", "c", "\"a b\"", ",", ", ", ";", "=", "/", "text/plain", "application/x-www-form-urlencoded; charset=utf-8",
		"caf\u00e9", "\u65e5\u672c", "my-cluster", "100-continue", "*", "bytes=0-9",
	}
	tokenAlphabet  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	keyIDAlphabet  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

func (g *gen) randString(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

func (g *gen) next() Case {
	c := Case{
		Method:  g.pick(methods),
		Region:  g.pick(regions),
		Service: g.pick(services),
		Expires: time.Duration(1+g.r.IntN(604800)) * time.Second,
	}
	switch g.r.IntN(4) {
	case 0:
		c.Time = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	case 1:
		// Another zone, and a fraction of a second, both to be ignored.
		c.Time = time.Unix(946684800+g.r.Int64N(3155760000), g.r.Int64N(1e9)).In(time.FixedZone("UTC+5:30", 5*3600+1800))
	default:
		c.Time = time.Unix(946684800+g.r.Int64N(3155760000), 0).UTC()
	}
	prefix, token := "AKIA", ""
	if g.chance(0.5) {
		prefix = "ASIA"
		token = g.randString(tokenAlphabet, 16+g.r.IntN(800)) + strings.Repeat("=", g.r.IntN(3))
	}
	c.Creds = credentials.New(prefix+g.randString(keyIDAlphabet, 16), g.randString(secretAlphabet, 40), token)

	c.S3Paths = g.chance(0.15)
	c.AddContentSHA256Header = g.chance(0.15)
	c.UnsignedPayload = g.chance(0.1)

	c.URL = g.pick(hosts) + g.path(c.S3Paths) + g.query()
	if g.chance(0.05) {
		c.Host = "other.example.com"
	}
	c.Header = g.headers()
	if g.p != ProfileBotocorePresign {
		c.Body = g.body()
	}
	if g.p != ProfileSDK {
		// botocore has no knob for an unsigned payload outside S3, and
		// its S3 signer always adds X-Amz-Content-Sha256 with the hash of
		// the body (header form) or signs UNSIGNED-PAYLOAD (query form).
		c.UnsignedPayload = false
		if c.S3Paths {
			c.AddContentSHA256Header = g.p == ProfileBotocore
			c.UnsignedPayload = g.p == ProfileBotocorePresign
			c.Header = slices.DeleteFunc(c.Header, func(h Header) bool {
				return http.CanonicalHeaderKey(h.Name) == sigv4.HeaderContentSHA256
			})
		}
	}
	return c
}

// path returns a path as sent on the request line.
func (g *gen) path(s3 bool) string {
	n := g.r.IntN(6)
	if n == 0 {
		// botocore's S3 signers sign an empty path as empty, not "/".
		if g.chance(0.5) && (g.p == ProfileSDK || !s3) {
			return ""
		}
		return "/"
	}
	segs := make([]string, n)
	for i := range segs {
		switch x := g.r.IntN(20); {
		case x == 0:
			segs[i] = "."
		case x == 1:
			segs[i] = ".."
		case x == 2:
			segs[i] = "" // a repeated slash
		default:
			var b strings.Builder
			for k := 1 + g.r.IntN(4); k > 0; k-- {
				b.WriteString(g.pick(pathPieces))
			}
			segs[i] = b.String()
		}
	}
	raw := "/" + strings.Join(segs, "/")
	if g.chance(0.3) {
		raw += "/"
	}
	if g.p != ProfileSDK && (strings.HasSuffix(raw, "/.") || strings.HasSuffix(raw, "/..")) {
		raw += "/"
	}
	// How the path is sent: Go's own escaping (which keeps sub-delims and
	// ':' '@'), the strict escaping of the canonical form, or with
	// lower-case hex. S3 paths are signed as decoded and encoded once,
	// which the SDK can only do if they are sent strictly encoded.
	style := g.r.IntN(3)
	if s3 {
		style = 1
	}
	switch style {
	case 0:
		return (&url.URL{Path: raw}).EscapedPath()
	case 1:
		return uriEncode(raw, false, false)
	default:
		return uriEncode(raw, false, true)
	}
}

// uriEncode percent-encodes every byte outside RFC 3986's unreserved set
// (and '/', unless encodeSlash is false), with lower-case hex if lower.
func uriEncode(s string, encodeSlash, lower bool) string {
	hexdig := "0123456789ABCDEF"
	if lower {
		hexdig = "0123456789abcdef"
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || c == '/' && !encodeSlash {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdig[c>>4])
		b.WriteByte(hexdig[c&15])
	}
	return b.String()
}

// query returns "" or "?" and a raw query: repeated keys, empty keys and
// values, keys without '=', in one of several encodings.
func (g *gen) query() string {
	n := g.r.IntN(7)
	if n == 0 {
		if g.chance(0.2) {
			return "?"
		}
		return ""
	}
	style := g.r.IntN(3) // 0 strict, 1 form (+ for space), 2 lower-case hex
	if g.p != ProfileSDK {
		style = 0
	}
	enc := func(s string) string {
		switch style {
		case 1:
			return url.QueryEscape(s)
		case 2:
			return uriEncode(s, true, true)
		}
		return uriEncode(s, true, false)
	}
	var keys []string
	var pairs []string
	for i := 0; i < n; i++ {
		var k string
		switch {
		case len(keys) > 0 && g.chance(0.25) && g.p != ProfileBotocorePresign:
			k = keys[g.r.IntN(len(keys))] // repeated
		case g.chance(0.05) && g.p != ProfileBotocorePresign:
			k = "" // empty key
		default:
			var b strings.Builder
			for j := 1 + g.r.IntN(3); j > 0; j-- {
				b.WriteString(g.pick(queryPieces))
			}
			k = b.String()
		}
		if g.p == ProfileBotocorePresign && contains(keys, k) {
			continue
		}
		keys = append(keys, k)
		var v string
		if !g.chance(0.2) {
			var b strings.Builder
			for j := g.r.IntN(4); j > 0; j-- {
				b.WriteString(g.pick(queryPieces))
			}
			v = b.String()
		}
		switch {
		case v == "" && g.chance(0.5) && k != "":
			pairs = append(pairs, enc(k)) // no '='
		default:
			pairs = append(pairs, enc(k)+"="+enc(v))
		}
	}
	return "?" + strings.Join(pairs, "&")
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func (g *gen) headers() []Header {
	var hs []Header
	for n := g.r.IntN(7); n > 0; n-- {
		name := g.pick(headerNames)
		if g.chance(0.1) && len(hs) > 0 {
			name = hs[g.r.IntN(len(hs))].Name // another value of the same header
		}
		if g.p == ProfileBotocorePresign && name == "Content-Type" {
			continue
		}
		var b strings.Builder
		if g.chance(0.2) {
			b.WriteString(strings.Repeat(" ", 1+g.r.IntN(3)))
		}
		for k := g.r.IntN(4); k > 0; k-- {
			b.WriteString(g.pick(headerPieces))
			if k > 1 {
				b.WriteString(strings.Repeat(" ", 1+g.r.IntN(4)))
			}
		}
		if g.chance(0.2) {
			b.WriteString(strings.Repeat(" ", 1+g.r.IntN(3)))
		}
		hs = append(hs, Header{name, b.String()})
	}
	if g.p == ProfileBotocorePresign {
		// botocore's presigner, unlike its header signer, would sign these.
		return hs
	}
	switch g.r.IntN(20) {
	case 0:
		// A stale signature, replaced by every signer.
		hs = append(hs, Header{"Authorization", "AWS4-HMAC-SHA256 stale"})
	case 1:
		hs = append(hs, Header{"X-Amz-Date", "20000101T000000Z"})
	case 2:
		hs = append(hs, Header{"X-Amz-Content-Sha256", sigv4.UnsignedPayload})
	}
	return hs
}

func (g *gen) body() []byte {
	var n int
	switch x := g.r.IntN(10); {
	case x < 4:
		return nil
	case x < 7:
		n = 1 + g.r.IntN(100)
	case x < 9:
		n = 100 + g.r.IntN(4000)
	default:
		n = 4096 + g.r.IntN(64<<10-4096+1)
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return b
}
