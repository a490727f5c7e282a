package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callerid/callerid/internal/httpsafe"
)

// Endpoints and defaults of the EC2 instance metadata service, as botocore
// has them.
const (
	// DefaultIMDSEndpoint is the instance metadata service over IPv4.
	DefaultIMDSEndpoint = "http://169.254.169.254"
	// DefaultIMDSEndpointIPv6 is the instance metadata service over IPv6,
	// used when AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE is IPv6.
	DefaultIMDSEndpointIPv6 = "http://[fd00:ec2::254]"

	defaultIMDSTimeout = time.Second
	imdsTokenTTL       = 6 * time.Hour // 21600 s, the most IMDS grants
	imdsTokenMargin    = time.Minute   // stop using a token this long before it expires
	imdsCredsPath      = "/latest/meta-data/iam/security-credentials/"
)

// IMDSProvider gets the credentials of the IAM role attached to an EC2
// instance from the instance metadata service (IMDS), using IMDSv2: a
// session token from PUT /latest/api/token, sent with each GET. The token
// is kept and reused until shortly before its six hours are up.
//
// Where: Endpoint, else AWS_EC2_METADATA_SERVICE_ENDPOINT, else
// http://[fd00:ec2::254] if AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE is
// IPv6, else http://169.254.169.254; an endpoint with user information
// (user:password@) is refused. With AWS_EC2_METADATA_DISABLED=true
// Retrieve finds nothing (ErrNotFound), and so it does when nothing
// answers at the endpoint, or the instance has no role.
//
// Each request is bounded by Timeout (one second, as the AWS CLI) so that
// a machine without IMDS does not wait long. When the token request times
// out after connecting (the usual sign of a container behind a hop limit
// of 1, where the token response cannot reach the container), the error
// says so. The AWS CLI then falls back to IMDSv1 (requests without a
// token); this provider does that only if AllowIMDSv1 is set, and also
// when the token request is refused (403, 404, 405).
//
// Use an IMDSProvider by pointer, and do not copy it: it keeps the token.
type IMDSProvider struct {
	// Getenv looks up a variable; nil means os.Getenv.
	Getenv func(string) string
	// Client sends the requests; nil means a client with short timeouts
	// that uses no proxy.
	Client *http.Client
	// Endpoint replaces the endpoint the environment would choose.
	Endpoint string
	// AllowIMDSv1 allows requests without a token when no token can be had.
	AllowIMDSv1 bool
	// Timeout bounds each request; zero means 1 second.
	Timeout time.Duration
	// Attempts is how many times to try each request on errors that might
	// pass (5xx answers, broken connections); zero means 1, as the AWS CLI.
	Attempts int
	// Now tells the time, for the token's lifetime; nil means time.Now.
	Now func() time.Time

	tokens imdsTokens
}

type imdsTokens struct {
	mu     sync.Mutex
	byBase map[string]imdsToken
}

type imdsToken struct {
	value   Secret
	expires time.Time
}

func (p *IMDSProvider) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// imdsEndpoint chooses the endpoint as the AWS CLI does.
func imdsEndpoint(explicit string, getenv func(string) string) (string, error) {
	if explicit != "" {
		return strings.TrimSuffix(explicit, "/"), nil
	}
	if e := getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT"); e != "" {
		return strings.TrimSuffix(e, "/"), nil
	}
	switch mode := getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"); strings.ToLower(mode) {
	case "", "ipv4":
		return DefaultIMDSEndpoint, nil
	case "ipv6":
		return DefaultIMDSEndpointIPv6, nil
	default:
		return "", fmt.Errorf("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE is %q; want IPv4 or IPv6", mode)
	}
}

// Retrieve asks the instance metadata service for the role's credentials.
func (p *IMDSProvider) Retrieve(ctx context.Context) (Credentials, error) {
	fail := func(source string, err error) (Credentials, error) {
		return Credentials{}, &Error{Source: source, Err: err}
	}
	const source = "IMDSProvider"
	getenv := p.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if strings.EqualFold(getenv("AWS_EC2_METADATA_DISABLED"), "true") {
		return fail(source, fmt.Errorf("%w: disabled by AWS_EC2_METADATA_DISABLED", ErrNotFound))
	}
	base, err := imdsEndpoint(p.Endpoint, getenv)
	if err != nil {
		return fail(source, err)
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fail(source, errors.New("the instance metadata endpoint is not an absolute http or https URL"))
	}
	if u.User != nil {
		// Not shown: the endpoint is printed in errors, and this part may
		// hold a password.
		return fail(source, errors.New("the instance metadata endpoint has user information, which the instance metadata service does not take"))
	}
	s := &imdsSession{p: p, base: base}
	role, err := s.get(ctx, imdsCredsPath)
	if err != nil {
		var se *imdsStatusError
		if errors.As(err, &se) && se.status == http.StatusNotFound {
			return fail(source, fmt.Errorf("%w: the instance has no IAM role (instance profile) attached", ErrNotFound))
		}
		return fail(source, err)
	}
	role = strings.TrimSpace(role)
	if i := strings.IndexByte(role, '\n'); i >= 0 {
		role = strings.TrimSpace(role[:i])
	}
	if role == "" {
		return fail(source, fmt.Errorf("%w: the instance has no IAM role (instance profile) attached", ErrNotFound))
	}
	if !iamName(role) {
		// The service's text, which goes into paths and errors: IAM
		// names are at most 128 of [A-Za-z0-9+=,.@_-].
		return fail(source, fmt.Errorf("the instance metadata service named the role %q, which is not an IAM name", sanitize(role, 128, s.token)))
	}
	source2 := "IMDSProvider(role=" + role + ")"
	body, err := s.get(ctx, imdsCredsPath+url.PathEscape(role))
	if err != nil {
		return fail(source2, err)
	}
	c, err := parseIMDSCredentialsHiding([]byte(body), s.token)
	if err != nil {
		return fail(source2, err)
	}
	c.Source = source2
	extendIMDSExpiry(&c, p.now())
	return c, nil
}

// iamName reports whether s can be the name of an IAM role or instance
// profile: 1 to 128 of A-Z a-z 0-9 + = , . @ _ -.
func iamName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("+=,.@_-", c) >= 0) {
			return false
		}
	}
	return true
}

// parseIMDSCredentials reads IMDS's credentials, whose Code must be
// "Success".
func parseIMDSCredentials(body []byte) (Credentials, error) {
	return parseIMDSCredentialsHiding(body, "")
}

// parseIMDSCredentialsHiding is parseIMDSCredentials with token, should
// the service echo it in its Code or Message, cut out of the error.
func parseIMDSCredentialsHiding(body []byte, token string) (Credentials, error) {
	var r credentialsJSON
	if json.Unmarshal(body, &r) == nil && r.Code != "" && r.Code != "Success" {
		msg := fmt.Sprintf("the instance metadata service answered Code %q", sanitize(r.Code, 64, token))
		if r.Message != "" {
			msg += ": " + strconv.Quote(sanitize(r.Message, 256, token))
		}
		return Credentials{}, errors.New(msg)
	}
	c, err := parseCredentialsJSON(body, true)
	if err != nil {
		return Credentials{}, err
	}
	if r.Code == "" {
		return Credentials{}, errors.New(`response has no "Code"; want "Success"`)
	}
	return c, nil
}

// imdsSession makes the requests of one Retrieve.
type imdsSession struct {
	p       *IMDSProvider
	base    string
	token   string
	tokenOK bool // token holds a token, or IMDSv1 was chosen
	retried bool // a rejected token was replaced once
}

type imdsStatusError struct {
	method, path string
	status       int
}

func (e *imdsStatusError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d", e.method, e.path, e.status)
}

// get GETs path with a token, getting one first if need be.
func (s *imdsSession) get(ctx context.Context, path string) (string, error) {
	if !s.tokenOK {
		if err := s.getToken(ctx); err != nil {
			return "", err
		}
	}
	body, status, err := s.do(ctx, http.MethodGet, path, s.token)
	if err != nil {
		return "", err
	}
	if status == http.StatusUnauthorized && s.token != "" && !s.retried {
		// The token expired or was revoked (IMDS restarted): get another.
		s.retried = true
		s.p.tokens.drop(s.base)
		s.tokenOK = false
		return s.get(ctx, path)
	}
	if status == http.StatusUnauthorized && s.token == "" {
		return "", fmt.Errorf("GET %s: HTTP 401: the instance requires IMDSv2 and no token could be had", path)
	}
	if status != http.StatusOK {
		return "", &imdsStatusError{http.MethodGet, path, status}
	}
	if body == "" {
		return "", fmt.Errorf("GET %s: empty response", path)
	}
	return body, nil
}

// getToken sets s.token from the cache or from PUT /latest/api/token.
func (s *imdsSession) getToken(ctx context.Context) error {
	now := s.p.now()
	if t, ok := s.p.tokens.get(s.base, now); ok {
		s.token, s.tokenOK = t, true
		return nil
	}
	const path = "/latest/api/token"
	body, status, err := s.do(ctx, http.MethodPut, path, "")
	var te *imdsTimeoutError
	switch {
	case errors.As(err, &te) && te.connected:
		if s.p.AllowIMDSv1 {
			s.tokenOK = true
			return nil
		}
		return fmt.Errorf("the IMDSv2 token request timed out (%w): if this runs in a container on EC2, "+
			"the instance's metadata hop limit (HttpPutResponseHopLimit) is probably 1 and must be 2 for the answer to reach the container; "+
			"or allow IMDSv1", te)
	case err != nil:
		return err
	case status == http.StatusOK && strings.TrimSpace(body) != "":
		s.token, s.tokenOK = strings.TrimSpace(body), true
		s.p.tokens.put(s.base, imdsToken{value: NewSecret(s.token), expires: now.Add(imdsTokenTTL - imdsTokenMargin)})
		return nil
	case status == http.StatusForbidden || status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		if s.p.AllowIMDSv1 {
			s.tokenOK = true
			return nil
		}
		return fmt.Errorf("PUT %s: HTTP %d: the instance metadata service gave no IMDSv2 token, and IMDSv1 is not allowed", path, status)
	case status == http.StatusOK:
		return fmt.Errorf("PUT %s: empty token", path)
	default:
		return &imdsStatusError{http.MethodPut, path, status}
	}
}

// imdsTimeoutError is a request that got no answer in time; err is the
// timeout as the transport reported it.
type imdsTimeoutError struct {
	method, path string
	timeout      time.Duration
	connected    bool
	err          error
}

func (e *imdsTimeoutError) Error() string {
	if e.connected {
		return fmt.Sprintf("%s %s: no answer within %v", e.method, e.path, e.timeout)
	}
	return fmt.Sprintf("%s %s: could not connect within %v", e.method, e.path, e.timeout)
}

func (e *imdsTimeoutError) Unwrap() error { return e.err }

// do makes a request, retrying what may pass. It returns the body (at
// most maxResponseSize bytes) and status of the last answer. An error
// means no answer; when nothing could be connected to at all, it wraps
// ErrNotFound: there is no instance metadata service here.
func (s *imdsSession) do(ctx context.Context, method, path, token string) (string, int, error) {
	timeout, tries := s.p.Timeout, s.p.Attempts
	if timeout <= 0 {
		timeout = defaultIMDSTimeout
	}
	if tries <= 0 {
		tries = 1
	}
	client := httpsafe.NoRedirects(s.p.Client, metadataClient())
	var (
		body   string
		status int
		err    error
	)
	for i := 0; i < tries; i++ {
		if ctx.Err() != nil {
			return "", 0, ctx.Err()
		}
		body, status, err = s.once(ctx, client, method, path, token, timeout)
		if err == nil && status < 500 {
			return body, status, nil
		}
		var re *RedirectError
		if errors.As(err, &re) {
			return "", 0, err
		}
	}
	if err != nil {
		return "", 0, err
	}
	return body, status, nil
}

func (s *imdsSession) once(ctx context.Context, client *http.Client, method, path, token string, timeout time.Duration) (string, int, error) {
	var connected atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { connected.Store(true) },
	})
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, method, s.base+path, nil)
	if err != nil {
		return "", 0, errors.New("cannot make a request of the instance metadata endpoint")
	}
	if method == http.MethodPut {
		req.Header.Set("X-aws-ec2-metadata-token-ttl-seconds", strconv.Itoa(int(imdsTokenTTL/time.Second)))
	}
	if token != "" {
		req.Header.Set("X-aws-ec2-metadata-token", token)
	}
	resp, err := client.Do(req)
	if err != nil {
		var re *RedirectError
		if errors.As(err, &re) {
			return "", 0, fmt.Errorf("%s %s: %w", method, path, httpsafe.Cause(err, token))
		}
		if ctx.Err() != nil {
			return "", 0, ctx.Err()
		}
		if isTimeout(err) {
			te := &imdsTimeoutError{method: method, path: path, timeout: timeout, connected: connected.Load(), err: httpsafe.Cause(err, token)}
			if !te.connected {
				return "", 0, fmt.Errorf("%w: no instance metadata service at %s (%w)", ErrNotFound, s.base, te)
			}
			return "", 0, te
		}
		if !connected.Load() {
			return "", 0, fmt.Errorf("%w: no instance metadata service at %s (%s %s: %w)", ErrNotFound, s.base, method, path, httpsafe.Cause(err, token))
		}
		return "", 0, fmt.Errorf("%s %s: %w", method, path, httpsafe.Cause(err, token))
	}
	defer resp.Body.Close()
	b, err := readBody(resp.Body)
	if err != nil {
		if isTimeout(err) {
			return "", 0, &imdsTimeoutError{method: method, path: path, timeout: timeout, connected: true, err: err}
		}
		return "", 0, fmt.Errorf("%s %s: reading response: %w", method, path, err)
	}
	return string(b), resp.StatusCode, nil
}

func (t *imdsTokens) get(base string, now time.Time) (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tok, ok := t.byBase[base]
	if !ok || !now.Before(tok.expires) {
		return "", false
	}
	return tok.value.Reveal(), true
}

func (t *imdsTokens) put(base string, tok imdsToken) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byBase == nil {
		t.byBase = make(map[string]imdsToken)
	}
	t.byBase[base] = tok
}

func (t *imdsTokens) drop(base string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.byBase, base)
}
