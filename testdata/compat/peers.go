package compat

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"

	"github.com/callerid/callerid/sigv4"
)

// Signed is what a signer made of a Case, in a form that compares byte for
// byte across signers.
type Signed struct {
	// URL is the request's URL: unchanged by header signing, the
	// presigned URL when presigning.
	URL string
	// Header holds, for header signing, every header of the signed request
	// (the signer's additions included); for presigning, the headers that
	// must be sent with the URL besides Host, or nil if none.
	Header http.Header
	// CanonicalRequest is the canonical request the signer built, when it
	// tells: for failure messages only, never compared.
	CanonicalRequest string
}

// OursSign signs c's request with callerid's sigv4.Signer.
func OursSign(c *Case) (Signed, error) {
	req, err := c.NewRequest()
	if err != nil {
		return Signed{}, err
	}
	var cr string
	s := oursSigner(c, &cr)
	if err := s.Sign(req, c.Creds, c.Scope()); err != nil {
		return Signed{CanonicalRequest: cr}, err
	}
	return Signed{URL: req.URL.String(), Header: req.Header, CanonicalRequest: cr}, nil
}

// OursPresign presigns c's request with callerid's sigv4.Signer.
func OursPresign(c *Case) (Signed, error) {
	req, err := c.NewRequest()
	if err != nil {
		return Signed{}, err
	}
	var cr string
	s := oursSigner(c, &cr)
	u, h, err := s.Presign(req, c.Creds, c.Scope(), c.Expires)
	if err != nil {
		return Signed{CanonicalRequest: cr}, err
	}
	return Signed{URL: u, Header: h, CanonicalRequest: cr}, nil
}

func oursSigner(c *Case, cr *string) *sigv4.Signer {
	return &sigv4.Signer{
		AddContentSHA256Header: c.AddContentSHA256Header,
		S3Paths:                c.S3Paths,
		UnsignedPayload:        c.UnsignedPayload,
		Now:                    func() time.Time { return c.Time },
		Debug:                  func(canonicalRequest, _ string) { *cr = canonicalRequest },
	}
}

// sdkSigners are the SDK's signers, one per option set, shared so that
// their key caches stay warm as the SDK's clients keep them.
var sdkSigners = struct {
	sync.Once
	plain, s3 *v4.Signer
}{}

func sdkSigner(s3 bool) *v4.Signer {
	sdkSigners.Do(func() {
		sdkSigners.plain = v4.NewSigner()
		sdkSigners.s3 = v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	})
	if s3 {
		return sdkSigners.s3
	}
	return sdkSigners.plain
}

// SDKRequest returns c's request as it must be given to the SDK's signer
// to be signed as callerid's signer signs c:
//
//   - unless c.S3Paths, its path is normalized (dot segments and empty
//     segments removed), which the SDK does not do itself;
//   - its ContentLength is zero, since the SDK signs a Content-Length
//     header of its own when it is positive and callerid signs only the
//     headers on the request (the payload hash is passed in, so the SDK
//     never reads the body);
//   - with c.AddContentSHA256Header, it has the X-Amz-Content-Sha256
//     header that the SDK's ContentSHA256Header middleware adds before
//     signing.
func SDKRequest(c *Case) (*http.Request, error) {
	req, err := c.NewRequest()
	if err != nil {
		return nil, err
	}
	if !c.S3Paths {
		p := NormalizePath(req.URL.EscapedPath())
		u := *req.URL
		if u.Path, err = url.PathUnescape(p); err != nil {
			return nil, err
		}
		u.RawPath = p
		if u.EscapedPath() != p {
			// Go would send the path escaped otherwise; give the SDK the
			// path as is.
			u.Opaque = "//" + u.Host + p
		}
		req.URL = &u
	}
	req.ContentLength = 0
	if c.AddContentSHA256Header {
		req.Header.Set(sigv4.HeaderContentSHA256, c.PayloadHash())
	}
	return req, nil
}

// SDKSign signs c's request with aws-sdk-go-v2's v4.Signer.SignHTTP.
func SDKSign(c *Case) (Signed, error) {
	req, err := SDKRequest(c)
	if err != nil {
		return Signed{}, err
	}
	var log captureLogger
	err = sdkSigner(c.S3Paths).SignHTTP(context.Background(), sdkCreds(c), req, c.PayloadHash(), c.Service, c.Region, c.Time,
		func(o *v4.SignerOptions) { o.Logger, o.LogSigning = &log, true })
	if err != nil {
		return Signed{}, err
	}
	return Signed{URL: c.URL, Header: req.Header, CanonicalRequest: log.canonicalRequest()}, nil
}

// SDKPresign presigns c's request with aws-sdk-go-v2's
// v4.Signer.PresignHTTP. The SDK does not add X-Amz-Expires itself: it
// is added to the query first, as the SDK's presign middleware does. Header
// hoisting (moving X-Amz-* headers into the query) is turned off, as
// callerid does not hoist.
// c.AddContentSHA256Header is for header signing only, so the header it
// stands for is not added.
//
// When the request's Host differs from its URL's host, the SDK signs the
// Host but leaves the URL's host in the URL (and returns the Host among
// the headers to send); callerid puts the signed host in the URL. The
// SDK's URL is given the signed host here, so that the rest compares.
func SDKPresign(c *Case) (Signed, error) {
	req, err := SDKRequest(c)
	if err != nil {
		return Signed{}, err
	}
	if c.AddContentSHA256Header && !c.hasHeader(sigv4.HeaderContentSHA256) {
		req.Header.Del(sigv4.HeaderContentSHA256)
	}
	q := req.URL.RawQuery
	if q != "" {
		q += "&"
	}
	req.URL.RawQuery = q + "X-Amz-Expires=" + strconv.FormatInt(int64(c.Expires.Seconds()), 10)
	if req.URL.Opaque != "" {
		req.URL.Opaque = strings.SplitN(req.URL.Opaque, "?", 2)[0]
	}
	var log captureLogger
	u, h, err := sdkSigner(c.S3Paths).PresignHTTP(context.Background(), sdkCreds(c), req, c.PayloadHash(), c.Service, c.Region, c.Time,
		func(o *v4.SignerOptions) {
			o.DisableHeaderHoisting = true
			o.Logger, o.LogSigning = &log, true
		})
	if err != nil {
		return Signed{}, err
	}
	if host := h.Get("Host"); host != "" && c.Host != "" {
		if pu, err := url.Parse(u); err == nil {
			pu.Host = host
			u = pu.String()
		}
	}
	h.Del("Host")
	if len(h) == 0 {
		h = nil
	}
	return Signed{URL: u, Header: h, CanonicalRequest: log.canonicalRequest()}, nil
}

func sdkCreds(c *Case) aws.Credentials {
	return aws.Credentials{AccessKeyID: c.Creds.AccessKeyID, SecretAccessKey: c.Creds.SecretAccessKey(), SessionToken: c.Creds.SessionToken()}
}

// captureLogger keeps what the SDK's signer logs with LogSigning.
type captureLogger struct{ msg string }

func (l *captureLogger) Logf(_ logging.Classification, format string, v ...interface{}) {
	l.msg = fmt.Sprintf(format, v...)
}

// canonicalRequest cuts the canonical request out of the SDK's log.
func (l *captureLogger) canonicalRequest() string {
	const start = "---[ CANONICAL STRING  ]-----------------------------\n"
	const end = "\n---[ STRING TO SIGN ]"
	s := l.msg
	if i := strings.Index(s, start); i >= 0 {
		s = s[i+len(start):]
	}
	if i := strings.Index(s, end); i >= 0 {
		s = s[:i]
	}
	return s
}

// NormalizePath normalizes a path as sent, as the canonical request of
// every service but S3 wants it: RFC 3986's remove_dot_segments, with
// empty segments (repeated slashes) removed too. A path that ends in a
// slash, "." or ".." keeps (or gets) a final slash; an empty result is "/".
func NormalizePath(p string) string {
	var out []string
	segs := strings.Split(p, "/")
	for _, s := range segs {
		switch s {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	last := segs[len(segs)-1]
	n := "/" + strings.Join(out, "/")
	if len(out) > 0 && (last == "" || last == "." || last == "..") {
		n += "/"
	}
	return n
}

// PresignedView returns s with its presigned URL taken apart, for
// comparing presigned URLs that carry the same signature but are laid out
// differently (see DIFFERENCES.md): the SDK rewrites the whole query in
// canonical order, callerid keeps the query as the caller wrote it and
// appends its parameters, botocore re-encodes the caller's parameters
// in their order and then appends its own. The view is the scheme, host
// and path (normalized if normalize is set), then one line per query
// parameter, decoded, sorted. The X-Amz-Signature parameter is among them,
// so two views are equal only if the signatures are.
func PresignedView(s Signed, normalize bool) Signed {
	u, err := url.Parse(s.URL)
	if err != nil {
		s.URL = fmt.Sprintf("unparsable URL %q: %v", s.URL, err)
		return s
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/" // what is sent, and signed, for an empty path
	}
	if normalize {
		p = NormalizePath(p)
	}
	var b strings.Builder
	b.WriteString(u.Scheme + "://" + u.Host + p)
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		fmt.Fprintf(&b, "\nunparsable query %q: %v", u.RawQuery, err)
	}
	var lines []string
	for k, vs := range q {
		for _, v := range vs {
			lines = append(lines, fmt.Sprintf("%q=%q", k, v))
		}
	}
	slices.Sort(lines)
	for _, l := range lines {
		b.WriteString("\n" + l)
	}
	s.URL = b.String()
	return s
}

// SDKDefault signs (or, with presign, presigns) c's request with
// aws-sdk-go-v2's signer as it comes, without what SDKRequest does to make
// it sign as callerid: no path normalization, the request's ContentLength
// as http.NewRequest sets it, header hoisting on. X-Amz-Expires is added
// to the query for presigning. It shows the SDK's own behavior in
// TestDocumentedDifferences.
func SDKDefault(c *Case, presign bool) (Signed, error) {
	req, err := c.NewRequest()
	if err != nil {
		return Signed{}, err
	}
	var log captureLogger
	logOpt := func(o *v4.SignerOptions) { o.Logger, o.LogSigning = &log, true }
	if !presign {
		err := sdkSigner(c.S3Paths).SignHTTP(context.Background(), sdkCreds(c), req, c.PayloadHash(), c.Service, c.Region, c.Time, logOpt)
		return Signed{URL: c.URL, Header: req.Header, CanonicalRequest: log.canonicalRequest()}, err
	}
	q := req.URL.Query()
	q.Set("X-Amz-Expires", strconv.FormatInt(int64(c.Expires/time.Second), 10))
	req.URL.RawQuery = q.Encode()
	u, h, err := sdkSigner(c.S3Paths).PresignHTTP(context.Background(), sdkCreds(c), req, c.PayloadHash(), c.Service, c.Region, c.Time, logOpt)
	return Signed{URL: u, Header: h, CanonicalRequest: log.canonicalRequest()}, err
}

// SameLayout reports whether callerid's and the SDK's presigned URLs for c
// must be byte-identical, not just carry the same parameters: when c's
// query is already what the SDK writes (canonically encoded and sorted)
// and sorts before the X-Amz-* parameters, as the EKS token's
// "Action=GetCallerIdentity&Version=2011-06-15" does, its path is sent
// as it is signed (normalized, unless S3), and no Host overrides the URL's.
func SameLayout(c *Case) bool {
	u, err := url.Parse(c.URL)
	if err != nil || c.Host != "" {
		return false
	}
	p := u.EscapedPath()
	if p == "" || !c.S3Paths && NormalizePath(p) != p {
		return false
	}
	if u.RawQuery == "" {
		return !u.ForceQuery
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return false
	}
	var pairs [][2]string
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, [2]string{uriEncode(k, true, false), uriEncode(v, true, false)})
		}
	}
	slices.SortFunc(pairs, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	var canonical []string
	for _, p := range pairs {
		canonical = append(canonical, p[0]+"="+p[1])
	}
	return strings.Join(canonical, "&") == u.RawQuery && pairs[len(pairs)-1][0] < "X-Amz-"
}
