package sts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/httpsafe"
	"github.com/callerid/callerid/sigv4"
)

// apiVersion is the STS API version every request names.
const apiVersion = "2011-06-15"

// DefaultTimeout bounds each attempt of a call made with the default HTTP
// client, from sending the request to reading the end of the answer. The
// context bounds the whole call, retries included.
const DefaultTimeout = 30 * time.Second

// Options configure a Client. They are typed settings, used as they are:
// the package reads no AWS_* environment variable and no file (only the
// default HTTP client takes its proxy from the environment, as
// net/http's does). The zero value is usable for unsigned calls
// (AssumeRoleWithWebIdentity) in us-east-1.
//
// callerid.LoadConfig resolves these settings as the AWS CLI does, from
// its options, the environment and the shared config profile, and hands
// out Clients made with them.
type Options struct {
	// Region is the region whose endpoint is called and signed for. Empty
	// means DefaultRegion (us-east-1).
	Region string
	// EndpointURL, when set, is where requests go instead of the region's
	// endpoint (see ResolveEndpoint). Plain http is accepted only for
	// loopback hosts.
	EndpointURL string
	// UseFIPSEndpoint picks the region's FIPS endpoint, as the AWS CLI's
	// use_fips_endpoint.
	UseFIPSEndpoint bool
	// UseDualStackEndpoint picks the region's dual-stack (IPv6) endpoint,
	// as the AWS CLI's use_dualstack_endpoint.
	UseDualStackEndpoint bool
	// UseGlobalEndpoint sends the calls of the legacy global regions (see
	// LegacyGlobalRegion) to the global endpoint, sts.amazonaws.com, as
	// the AWS CLI's sts_regional_endpoints = legacy. By default every
	// call goes to its region's endpoint.
	UseGlobalEndpoint bool
	// Credentials provides the keys requests are signed with. Nil means
	// none: signed calls fail with an error that wraps
	// credentials.ErrNotFound.
	Credentials credentials.Provider
	// HTTPClient sends the requests. Nil means a client shared by all
	// Clients that limits each attempt to DefaultTimeout and reuses
	// connections. Either way no redirect is followed: the client is used
	// through a copy whose CheckRedirect refuses every one (the given
	// client is not changed), and a 3xx answer fails the call with a
	// *RedirectError.
	HTTPClient *http.Client
	// Retry configures retries. Its zero value retries as the SDKs'
	// standard mode (RetryStandard), 3 attempts at most; the AWS CLI v1's
	// default is RetryLegacy, 5 attempts (callerid.LoadConfig's too).
	Retry RetryOptions
	// Now returns the current time, used to sign and to name role
	// sessions. Nil means time.Now.
	Now func() time.Time
}

// A Client calls STS. It is safe for concurrent use.
type Client struct {
	region   string
	endpoint *url.URL
	signing  string // the signing region
	creds    credentials.Provider
	http     *http.Client
	now      func() time.Time
	retry    RetryOptions
	signer   *sigv4.Signer // shared by the Clients derived from this one

	// skew is the offset, in nanoseconds, added to the local clock when
	// signing; shared by the Clients derived from this one.
	skew *atomic.Int64
	// quota is the retry quota, shared likewise.
	quota *quota
}

var defaultHTTPClient = &http.Client{Timeout: DefaultTimeout, Transport: defaultTransport()}

// defaultTransport is http.DefaultTransport's configuration (proxies from
// the environment, keep-alives, HTTP/2), with its own pool of connections.
func defaultTransport() http.RoundTripper {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		t = t.Clone()
		t.MaxIdleConnsPerHost = 4
		t.ResponseHeaderTimeout = DefaultTimeout
		return t
	}
	return http.DefaultTransport
}

// New returns a Client configured by opts. It fails on an option it
// cannot use (a negative Retry.MaxAttempts, an unknown Retry.Mode) and on an endpoint it will not
// use (*EndpointError).
func New(opts Options) (*Client, error) {
	if opts.Retry.Mode < RetryStandard || opts.Retry.Mode > RetryAdaptive {
		return nil, fmt.Errorf("sts: Options.Retry.Mode is %v; want RetryStandard, RetryLegacy or RetryAdaptive", opts.Retry.Mode)
	}
	defaultAttempts := opts.Retry.Mode.mode().MaxAttempts(0)
	if opts.Retry.MaxAttempts < 0 {
		return nil, fmt.Errorf("sts: Options.Retry.MaxAttempts is %d; want at least 1, or 0 for %d", opts.Retry.MaxAttempts, defaultAttempts)
	}
	c := &Client{
		creds: opts.Credentials,
		http:  opts.HTTPClient,
		now:   opts.Now,
		retry: opts.Retry,
		skew:  new(atomic.Int64),
		quota: newQuota(),
	}
	if c.retry.MaxAttempts == 0 {
		c.retry.MaxAttempts = defaultAttempts
	}
	if c.creds == nil {
		c.creds = noCredentials{}
	}
	// Never follow a redirect: it would resend the signed request, its
	// session token or a web identity token wherever the peer points. A
	// user's client is used through a copy; it is not changed.
	c.http = httpsafe.NoRedirects(c.http, defaultHTTPClient)
	if c.now == nil {
		c.now = time.Now
	}
	c.signer = &sigv4.Signer{Now: c.signingTime}
	region := opts.Region
	if region == "" {
		region = DefaultRegion
	}
	err := c.setEndpoint(EndpointOptions{
		Region:            region,
		EndpointURL:       opts.EndpointURL,
		UseFIPS:           opts.UseFIPSEndpoint,
		UseDualStack:      opts.UseDualStackEndpoint,
		UseGlobalEndpoint: opts.UseGlobalEndpoint,
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// noCredentials is the provider of a Client given none.
type noCredentials struct{}

func (noCredentials) Retrieve(context.Context) (credentials.Credentials, error) {
	return credentials.Credentials{}, &credentials.Error{Source: "sts.Options.Credentials",
		Err: fmt.Errorf("%w: the client was given no credentials provider", credentials.ErrNotFound)}
}

func (c *Client) setEndpoint(o EndpointOptions) error {
	ep, err := ResolveEndpoint(o)
	if err != nil {
		return err
	}
	u, err := url.Parse(ep.URL)
	if err != nil {
		return &EndpointError{URL: ep.URL, Reason: "not a URL", Err: err}
	}
	c.region, c.endpoint, c.signing = o.Region, u, ep.SigningRegion
	return nil
}

// withCredentials returns a Client like c that signs with creds.
func (c *Client) withCredentials(creds credentials.Credentials) *Client {
	d := *c
	d.creds = credentials.ProviderFunc(func(context.Context) (credentials.Credentials, error) { return creds, nil })
	return &d
}

// Region returns the client's region.
func (c *Client) Region() string { return c.region }

// SigningRegion returns the region requests are signed for: the client's
// region, or us-east-1 for the global endpoint.
func (c *Client) SigningRegion() string { return c.signing }

// Endpoint returns the URL the client sends requests to.
func (c *Client) Endpoint() string { return c.endpoint.String() }

// MaxAttempts returns how many attempts a call makes at most.
func (c *Client) MaxAttempts() int { return c.retry.MaxAttempts }

// RetryMode returns the client's retry mode.
func (c *Client) RetryMode() RetryMode { return c.retry.Mode }

// ClockOffset returns what the client adds to its clock when it signs.
// It is zero until STS refuses a request for a signing time more than 4
// minutes from its own clock, in its Date header; then the client sets it
// to the difference, retries, and keeps it for later calls.
func (c *Client) ClockOffset() time.Duration { return time.Duration(c.skew.Load()) }

// CloseIdleConnections closes the idle connections of the client's HTTP
// client (which, for the default one, Clients share).
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// CallerIdentity is the answer to GetCallerIdentity.
type CallerIdentity struct {
	// UserID is the caller's unique id: AIDA… for an IAM user,
	// AROA…:session for an assumed role, ACCOUNT:name for a federated user.
	UserID string
	// Account is the 12-digit account id.
	Account string
	// ARN is the caller's ARN.
	ARN string
	// RequestID is the STS request id of the call.
	RequestID string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Attempts is how many requests the call made.
	Attempts int
}

// GetCallerIdentity returns who the client's credentials belong to.
func (c *Client) GetCallerIdentity(ctx context.Context) (*CallerIdentity, error) {
	const op = "GetCallerIdentity"
	var id struct {
		UserID  string `xml:"UserId" json:"UserId"`
		Account string `xml:"Account" json:"Account"`
		ARN     string `xml:"Arn" json:"Arn"`
	}
	res, err := c.call(ctx, op, nil, &id, true)
	if err != nil {
		return nil, err
	}
	if err := requireFields(op, map[string]string{"UserId": id.UserID, "Account": id.Account, "Arn": id.ARN}, "UserId", "Account", "Arn"); err != nil {
		return nil, c.opError(op, res.attempts, err)
	}
	return &CallerIdentity{UserID: id.UserID, Account: id.Account, ARN: id.ARN, RequestID: res.requestID, StatusCode: res.status, Attempts: res.attempts}, nil
}

// requireFields returns a *ResponseError naming those of names whose
// values are empty.
func requireFields(op string, values map[string]string, names ...string) error {
	var missing []string
	for _, n := range names {
		if values[n] == "" {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return &ResponseError{StatusCode: http.StatusOK, Reason: op + "Result has no " + strings.Join(missing, ", ")}
}

// result is what a successful call returns besides its document.
type result struct {
	requestID string
	status    int
	attempts  int
}

// call sends action with params, signed if signed is set, retrying as
// RetryOptions says, and decodes the result into out.
func (c *Client) call(ctx context.Context, action string, params url.Values, out any, signed bool) (result, error) {
	form := url.Values{}
	for k, v := range params {
		form[k] = v
	}
	form.Set("Action", action)
	form.Set("Version", apiVersion)
	body := form.Encode()

	attempts, counted, lastCost := 0, 0, 0
	skewCorrected := false
	for {
		attempts++
		counted++
		reqID, status, date, signedAt, err := c.attempt(ctx, action, body, out, signed, secretParams(params))
		if err == nil {
			if lastCost > 0 {
				c.quota.release(lastCost)
			} else {
				c.quota.release(noRetryIncrement)
			}
			return result{requestID: reqID, status: status, attempts: attempts}, nil
		}
		var bs *beforeSendError
		if errors.As(err, &bs) {
			// Nothing was sent: credentials or signing failed, which a
			// retry does not mend.
			return result{}, c.opError(action, attempts-1, bs.err)
		}
		if ctx.Err() != nil {
			return result{}, c.opError(action, attempts, err)
		}
		if !skewCorrected && signed && c.correctSkew(err, date, signedAt) {
			skewCorrected = true
			counted--
			continue
		}
		kind := c.retry.Mode.classify(err)
		if kind == noRetry || counted >= c.retry.MaxAttempts {
			e := c.opError(action, attempts, err)
			// botocore's legacy mode checks the limit only for a failure
			// it retries; its standard mode checks it first.
			e.MaxAttemptsReached = counted >= c.retry.MaxAttempts && (kind != noRetry || c.retry.Mode != RetryLegacy)
			return result{}, e
		}
		if c.retry.Mode != RetryLegacy {
			if lastCost = c.quota.acquire(kind); lastCost == 0 {
				return result{}, c.opError(action, attempts, &quotaError{err: err})
			}
		}
		if serr := c.retry.sleep(ctx, c.retry.backoff(counted)); serr != nil {
			return result{}, c.opError(action, attempts, &canceledRetryError{ctxErr: serr, last: err})
		}
	}
}

// secretParams returns the values of the secret parameters among
// params, which must not reach an error even when a server echoes them.
func secretParams(params url.Values) []string {
	var s []string
	for _, k := range []string{"WebIdentityToken", "TokenCode"} {
		s = append(s, params[k]...)
	}
	return s
}

// attempt makes one request. It returns the request id and the HTTP
// status, or the error and the server's Date header if it sent one, and
// the time the request was signed at (zero if it was not signed).
// secrets are cut out of any peer text put in the error, together with
// the credentials' secrets and the request's signature.
func (c *Client) attempt(ctx context.Context, action, body string, out any, signed bool, secrets []string) (reqID string, status int, date, signedAt time.Time, err error) {
	var creds credentials.Credentials
	if signed {
		if creds, err = c.creds.Retrieve(ctx); err != nil {
			return "", 0, time.Time{}, time.Time{}, &beforeSendError{err}
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint.String(), strings.NewReader(body))
	if err != nil {
		return "", 0, time.Time{}, time.Time{}, &beforeSendError{err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if signed {
		// The body is at hand: hash it here rather than have the signer
		// read it again through GetBody.
		sum := sha256.Sum256([]byte(body))
		if err := c.signer.SignHash(req, hex.EncodeToString(sum[:]), creds, sigv4.Scope{Service: "sts", Region: c.signing}); err != nil {
			return "", 0, time.Time{}, time.Time{}, &beforeSendError{err}
		}
		// The time the signature is for, whatever offset the clock had
		// then: correctSkew compares the server's clock with it.
		signedAt, _ = time.Parse("20060102T150405Z", req.Header.Get("X-Amz-Date"))
		secrets = append(secrets, creds.SecretAccessKey(), creds.SessionToken(), signatureOf(req.Header.Get("Authorization")))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		// Without the *url.Error (OperationError already names the
		// endpoint), a refused redirect as a *RedirectError, peer text
		// bounded and the secrets cut out.
		return "", 0, time.Time{}, signedAt, httpsafe.Cause(err, secrets...)
	}
	defer closeBody(resp.Body)
	date, _ = http.ParseTime(resp.Header.Get("Date"))
	b, err := readBody(resp, secrets)
	if err != nil {
		return "", 0, date, signedAt, err
	}
	reqID, err = decodeResponse(action, resp, b, out, secrets...)
	return reqID, resp.StatusCode, date, signedAt, err
}

// signatureOf returns the Signature of an Authorization header.
func signatureOf(auth string) string {
	_, sig, _ := strings.Cut(auth, "Signature=")
	sig, _, _ = strings.Cut(sig, ",")
	return strings.TrimSpace(sig)
}

// closeBody drains a little of what is left of a body, so that the
// connection can carry another request, and closes it. A body with more
// left than that is not worth reading: closing it drops the connection.
func closeBody(body io.ReadCloser) {
	io.Copy(io.Discard, io.LimitReader(body, 4<<10))
	body.Close()
}

// signingTime is the local clock corrected by the offset.
func (c *Client) signingTime() time.Time {
	return c.now().Add(time.Duration(c.skew.Load()))
}

// correctSkew reports whether err refuses a request signed at signedAt
// for its signing time while the server's clock, in date, is more than
// skewThreshold from signedAt; if so it sets the offset to the difference
// between the server's clock and the local one.
//
// It compares with the time the failed request was signed at, not with
// the clock as corrected since: under load, many requests are signed
// with the old offset before the first refusal comes back, and each of
// them must be retried with the new one.
func (c *Client) correctSkew(err error, date, signedAt time.Time) bool {
	var apiErr *APIError
	if date.IsZero() || signedAt.IsZero() || !errors.As(err, &apiErr) || !clockSkewCodes[apiErr.Code] {
		return false
	}
	d := date.Sub(signedAt)
	if d > -skewThreshold && d < skewThreshold {
		return false
	}
	c.skew.Store(int64(date.Sub(c.now())))
	return true
}

func (c *Client) opError(op string, attempts int, err error) *OperationError {
	return &OperationError{Operation: op, Endpoint: c.endpoint.String(), Attempts: attempts, Err: err}
}

// canceledRetryError is the error of a call whose context ended while it
// waited to retry: it is both the context's error and the last failure.
type canceledRetryError struct {
	ctxErr error
	last   error
}

func (e *canceledRetryError) Error() string {
	return e.ctxErr.Error() + " while waiting to retry after: " + e.last.Error()
}

func (e *canceledRetryError) Unwrap() []error { return []error{e.ctxErr, e.last} }

// quotaError is the error of a call not retried because the client's
// retry quota ran out.
type quotaError struct{ err error }

func (e *quotaError) Error() string {
	return e.err.Error() + " (not retried: too many recent calls of this client failed)"
}

func (e *quotaError) Unwrap() error { return e.err }

// beforeSendError marks a failure before the request was sent.
type beforeSendError struct{ err error }

func (e *beforeSendError) Error() string { return e.err.Error() }

func (e *beforeSendError) Unwrap() error { return e.err }
