package sts

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sigv4"
)

// apiVersion is the STS API version every request names.
const apiVersion = "2011-06-15"

// Options configure a Client. The zero value is usable: it reads the region
// and endpoint from the environment and credentials from the environment.
type Options struct {
	// Region is the region whose endpoint is called and signed for. Empty
	// means AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1.
	Region string
	// EndpointURL overrides the endpoint. Empty means AWS_ENDPOINT_URL_STS,
	// then AWS_ENDPOINT_URL, then https://sts.REGION.amazonaws.com/.
	// Plain http is accepted only for loopback hosts.
	EndpointURL string
	// Credentials provides the keys requests are signed with. Nil means
	// credentials.EnvProvider.
	Credentials credentials.Provider
	// HTTPClient sends the requests. Nil means a client with a 30 second
	// timeout.
	HTTPClient *http.Client
	// Getenv looks up environment variables. Nil means os.Getenv.
	Getenv func(string) string
	// Now returns the current time, used to sign. Nil means time.Now.
	Now func() time.Time
}

// A Client calls STS. It is safe for concurrent use.
type Client struct {
	region   string
	endpoint *url.URL
	creds    credentials.Provider
	http     *http.Client
	now      func() time.Time
	signer   sigv4.Signer
}

var defaultHTTPClient = &http.Client{Timeout: 30 * time.Second}

// New returns a Client configured by opts and the environment. It fails
// only on an endpoint it will not use.
func New(opts Options) (*Client, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	c := &Client{
		region: firstNonEmpty(opts.Region, getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION"), DefaultRegion),
		creds:  opts.Credentials,
		http:   opts.HTTPClient,
		now:    opts.Now,
	}
	if c.creds == nil {
		c.creds = credentials.EnvProvider{Getenv: getenv}
	}
	if c.http == nil {
		c.http = defaultHTTPClient
	}
	if c.now == nil {
		c.now = time.Now
	}
	raw := firstNonEmpty(opts.EndpointURL, getenv("AWS_ENDPOINT_URL_STS"), getenv("AWS_ENDPOINT_URL"))
	if raw == "" {
		raw = regionalEndpoint(c.region)
	}
	u, err := checkEndpoint(raw)
	if err != nil {
		return nil, err
	}
	c.endpoint = u
	return c, nil
}

// Region returns the region the client signs for.
func (c *Client) Region() string { return c.region }

// Endpoint returns the URL the client sends requests to.
func (c *Client) Endpoint() string { return c.endpoint.String() }

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
}

// GetCallerIdentity returns who the client's credentials belong to.
func (c *Client) GetCallerIdentity(ctx context.Context) (*CallerIdentity, error) {
	var id struct {
		UserID  string `xml:"UserId" json:"UserId"`
		Account string `xml:"Account" json:"Account"`
		ARN     string `xml:"Arn" json:"Arn"`
	}
	reqID, err := c.call(ctx, "GetCallerIdentity", nil, &id)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"UserId", id.UserID}, {"Account", id.Account}, {"Arn", id.ARN}} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, c.opError("GetCallerIdentity", &ResponseError{StatusCode: http.StatusOK, Reason: "GetCallerIdentityResult has no " + strings.Join(missing, ", ")})
	}
	return &CallerIdentity{UserID: id.UserID, Account: id.Account, ARN: id.ARN, RequestID: reqID}, nil
}

// call sends action with params, signed, and decodes the result into out.
func (c *Client) call(ctx context.Context, action string, params url.Values, out any) (string, error) {
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return "", c.opError(action, err)
	}
	form := url.Values{}
	for k, v := range params {
		form[k] = v
	}
	form.Set("Action", action)
	form.Set("Version", apiVersion)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return "", c.opError(action, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sc := sigv4.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey(), SessionToken: creds.SessionToken()}
	if err := c.signer.Sign(req, sc, c.region, "sts", c.now()); err != nil {
		return "", c.opError(action, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // OperationError already names the endpoint
		}
		return "", c.opError(action, err)
	}
	defer resp.Body.Close()
	body, err := readBody(resp)
	if err != nil {
		return "", c.opError(action, err)
	}
	reqID, err := decodeResponse(action, resp, body, out)
	if err != nil {
		return "", c.opError(action, err)
	}
	return reqID, nil
}

func (c *Client) opError(op string, err error) error {
	return &OperationError{Operation: op, Endpoint: c.endpoint.String(), Err: err}
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
