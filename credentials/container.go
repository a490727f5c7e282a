package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/callerid/callerid/internal/backoff"
	"github.com/callerid/callerid/internal/httpsafe"
	"github.com/callerid/callerid/internal/peertext"
	"github.com/callerid/callerid/internal/regularfile"
)

// Defaults of ContainerProvider, as botocore's ContainerMetadataFetcher.
const (
	// DefaultECSEndpoint is where AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
	// points: the ECS agent's credentials endpoint.
	DefaultECSEndpoint      = "http://169.254.170.2"
	defaultContainerTimeout = 2 * time.Second
	defaultContainerTries   = 3
	defaultContainerDelay   = time.Second
)

// The hosts, besides loopback addresses, that a FULL_URI may name over
// plain http: the ECS agent, and EKS Pod Identity's agent over IPv4 and
// IPv6.
var containerHosts = []net.IP{
	net.ParseIP("169.254.170.2"),
	net.ParseIP("169.254.170.23"),
	net.ParseIP("fd00:ec2::23"),
}

// ContainerProvider gets credentials from a container credentials
// endpoint, as the AWS CLI does when one of these is set:
//
//   - AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: ECS tasks; the endpoint is
//     http://169.254.170.2 followed by this path. It wins if both are set.
//   - AWS_CONTAINER_CREDENTIALS_FULL_URI: EKS Pod Identity and others; a
//     full URL. Over plain http its host must be a loopback address, or
//     169.254.170.2, 169.254.170.23 or fd00:ec2::23, and a host name must
//     resolve to such addresses only; https may go anywhere.
//
// The Authorization header is the content of the file named by
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, read again on every Retrieve, or
// else the value of AWS_CONTAINER_AUTHORIZATION_TOKEN, sent as it is; a
// token with a line break is refused, as the AWS CLI refuses it.
//
// With neither URI variable set, Retrieve finds nothing (ErrNotFound).
// Each attempt is bounded by Timeout; network errors and 5xx answers are
// retried. Errors never include the token, and a service's error message
// is included only with the token cut out.
type ContainerProvider struct {
	// Getenv looks up a variable; nil means os.Getenv.
	Getenv func(string) string
	// Client sends the requests; nil means a client with short timeouts
	// that uses no proxy. Redirects are never followed.
	Client *http.Client
	// LookupHost resolves a FULL_URI host name for the plain-http check;
	// nil means net.DefaultResolver.LookupHost.
	LookupHost func(ctx context.Context, host string) ([]string, error)
	// ECSEndpoint replaces DefaultECSEndpoint as the base of the relative
	// URI, for tests.
	ECSEndpoint string
	// Timeout bounds each attempt; zero means 2 seconds.
	Timeout time.Duration
	// Attempts is how many times to try; zero means 3.
	Attempts int
	// RetryDelay is the pause between attempts; zero means 1 second.
	RetryDelay time.Duration
}

const containerSource = "ContainerProvider"

// Retrieve asks the container credentials endpoint.
func (p *ContainerProvider) Retrieve(ctx context.Context) (Credentials, error) {
	fail := func(err error) (Credentials, error) {
		return Credentials{}, &Error{Source: containerSource, Err: err}
	}
	getenv := p.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	rel, full := getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"), getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI")
	var endpoint string
	switch {
	case rel != "":
		if !strings.HasPrefix(rel, "/") {
			return fail(errors.New("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI does not start with /"))
		}
		base := p.ECSEndpoint
		if base == "" {
			base = DefaultECSEndpoint
		}
		endpoint = strings.TrimSuffix(base, "/") + rel
	case full != "":
		if err := p.checkFullURI(ctx, full); err != nil {
			return fail(err)
		}
		endpoint = full
	default:
		return fail(fmt.Errorf("%w: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set", ErrNotFound))
	}

	token, err := containerToken(getenv)
	if err != nil {
		return fail(err)
	}
	timeout, tries, delay := p.Timeout, p.Attempts, p.RetryDelay
	if timeout <= 0 {
		timeout = defaultContainerTimeout
	}
	if tries <= 0 {
		tries = defaultContainerTries
	}
	if delay <= 0 {
		delay = defaultContainerDelay
	}
	client := httpsafe.NoRedirects(p.Client, metadataClient())
	var lastErr error
	made := 0
	for made < tries {
		if made > 0 {
			if err := backoff.Sleep(ctx, delay); err != nil {
				return fail(fmt.Errorf("%w (after: %w)", err, lastErr))
			}
		}
		made++
		c, retry, err := p.fetch(ctx, client, endpoint, token, timeout)
		if err == nil {
			c.Source = containerSource
			if err := checkFresh(c, time.Now()); err != nil {
				return fail(err)
			}
			return c, nil
		}
		lastErr = err
		if !retry || ctx.Err() != nil {
			break
		}
	}
	if made > 1 {
		lastErr = fmt.Errorf("%w (tried %d times)", lastErr, made)
	}
	return fail(lastErr)
}

// fetch makes one attempt; retry says whether another might succeed.
func (p *ContainerProvider) fetch(ctx context.Context, client *http.Client, endpoint, token string, timeout time.Duration) (c Credentials, retry bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return c, false, errors.New("cannot make a request of the credentials URI")
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	where := redactedURL(req.URL)
	resp, err := client.Do(req)
	if err != nil {
		cause := httpsafe.Cause(err, token)
		var re *RedirectError
		if errors.As(cause, &re) {
			return c, false, fmt.Errorf("GET %s: %w", where, cause)
		}
		if isTimeout(err) {
			return c, true, fmt.Errorf("GET %s: no answer within %v: %w", where, timeout, cause)
		}
		return c, true, fmt.Errorf("GET %s: %w", where, cause)
	}
	defer resp.Body.Close()
	body, err := readBody(resp.Body)
	if err != nil {
		return c, true, fmt.Errorf("GET %s: reading response: %w", where, peertext.Error(err, token))
	}
	if resp.StatusCode != http.StatusOK {
		msg := fmt.Sprintf("GET %s: HTTP %d", where, resp.StatusCode)
		var e struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(body, &e) == nil && (e.Code != "" || e.Message != "") {
			msg += ": " + sanitize(e.Code, 64, token)
			if e.Message != "" {
				msg += ": " + sanitize(e.Message, 256, token)
			}
		}
		retry := resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
		return c, retry, errors.New(msg)
	}
	c, err = parseCredentialsJSON(body, false)
	if err != nil {
		return c, false, fmt.Errorf("GET %s: %w", where, err)
	}
	return c, false, nil
}

// checkFullURI refuses a FULL_URI that would send the token in the clear
// to a host that is not local.
func (p *ContainerProvider) checkFullURI(ctx context.Context, full string) error {
	u, err := url.Parse(full)
	if err != nil || u.Host == "" {
		return errors.New("AWS_CONTAINER_CREDENTIALS_FULL_URI is not an absolute http or https URL")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
	default:
		return fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI has scheme %q; want http or https", u.Scheme)
	}
	host := u.Hostname()
	refuse := func(addrs string) error {
		return fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI host %q%s is not allowed over plain http: "+
			"only loopback addresses, 169.254.170.2, 169.254.170.23 and fd00:ec2::23 are (use https for any other host)", host, addrs)
	}
	if ip := net.ParseIP(host); ip != nil {
		if !allowedContainerIP(ip) {
			return refuse("")
		}
		return nil
	}
	lookup := p.LookupHost
	if lookup == nil {
		lookup = net.DefaultResolver.LookupHost
	}
	addrs, err := lookup(ctx, host)
	if err != nil {
		return fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI host %q cannot be resolved to check that it is local: %w", host, err)
	}
	if len(addrs) == 0 {
		return fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI host %q resolves to no address", host)
	}
	for _, a := range addrs {
		a, _, _ = strings.Cut(a, "%") // an IPv6 zone
		ip := net.ParseIP(a)
		if ip == nil || !allowedContainerIP(ip) {
			return refuse(" (resolving to " + strings.Join(addrs, ", ") + ")")
		}
	}
	return nil
}

func allowedContainerIP(ip net.IP) bool {
	if ip.IsLoopback() {
		return true
	}
	for _, h := range containerHosts {
		if ip.Equal(h) {
			return true
		}
	}
	return false
}

// containerToken returns the Authorization value: the token file's
// content if AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is set, else
// AWS_CONTAINER_AUTHORIZATION_TOKEN.
func containerToken(getenv func(string) string) (string, error) {
	from := "AWS_CONTAINER_AUTHORIZATION_TOKEN"
	token := getenv(from)
	if path := getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); path != "" {
		b, err := regularfile.Read(path, maxTokenFileSize)
		if err != nil {
			return "", fmt.Errorf("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %w", err)
		}
		token, from = string(b), "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE "+path
	}
	if strings.ContainsAny(token, "\r\n") {
		return "", fmt.Errorf("the authorization token from %s contains a line break, which an HTTP header cannot carry", from)
	}
	for _, r := range token {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return "", fmt.Errorf("the authorization token from %s contains a control character, which an HTTP header cannot carry", from)
		}
	}
	return token, nil
}

// redactedURL shows a URL's scheme, host and path, not its query or user
// information, which may hold secrets.
func redactedURL(u *url.URL) string {
	r := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	return r.String()
}
