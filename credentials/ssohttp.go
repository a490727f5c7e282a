package credentials

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/callerid/callerid/internal/httpsafe"
	"github.com/callerid/callerid/internal/peertext"
	"github.com/callerid/callerid/internal/retrymode"
)

// maxSSOResponseSize bounds what is read of an answer of the SSO portal or
// SSO OIDC; their documents are a few KiB.
const maxSSOResponseSize = 64 << 10

var (
	ssoClientOnce sync.Once
	ssoClient     *http.Client
)

// defaultSSOClient returns the client for the SSO portal and SSO OIDC when
// none is given: the environment's proxy settings, bounded connect, TLS
// and header waits, a minute at most per request, no redirects.
func defaultSSOClient() *http.Client {
	ssoClientOnce.Do(func() {
		ssoClient = &http.Client{
			Transport: &http.Transport{
				Proxy:                 http.ProxyFromEnvironment,
				DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
				ForceAttemptHTTP2:     true,
				TLSHandshakeTimeout:   10 * time.Second,
				ResponseHeaderTimeout: 30 * time.Second,
				ExpectContinueTimeout: time.Second,
				MaxIdleConns:          4,
				IdleConnTimeout:       90 * time.Second,
			},
			Timeout: time.Minute,
		}
	})
	return ssoClient
}

// ssoHTTPClient returns c, or the default client, as a client that does
// not follow redirects (httpsafe.NoRedirects). c itself is not changed.
func ssoHTTPClient(c *http.Client) *http.Client {
	return httpsafe.NoRedirects(c, defaultSSOClient())
}

// validRegion is what botocore's endpoint rules accept as a region in a
// host name.
var validRegion = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// validDNSSuffix is a DNS suffix such as amazonaws.com.cn: dot-separated
// labels of letters, digits and hyphens.
var validDNSSuffix = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$`)

// defaultSSODNSSuffix is the DNS suffix of the default SSO endpoints when
// none is given: the aws partition's.
const defaultSSODNSSuffix = "amazonaws.com"

// ssoEndpoint returns the base URL of an SSO service: override if set,
// else https://PREFIX.REGION.DNS_SUFFIX with dnsSuffix, or amazonaws.com
// when it is empty. The result has no trailing slash.
func ssoEndpoint(field, override, prefix, region, dnsSuffix string) (*url.URL, error) {
	raw := override
	if raw == "" {
		if region == "" {
			return nil, errors.New("missing Region (sso_region)")
		}
		if !validRegion.MatchString(region) {
			return nil, fmt.Errorf("invalid Region (sso_region) %q: not a region name", sanitize(region, 64))
		}
		if dnsSuffix == "" {
			dnsSuffix = defaultSSODNSSuffix
		}
		if !validDNSSuffix.MatchString(dnsSuffix) {
			return nil, fmt.Errorf("invalid DNSSuffix %q: not a DNS name", sanitize(dnsSuffix, 64))
		}
		raw = "https://" + prefix + "." + region + "." + dnsSuffix
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("%s %q is not an absolute http or https URL", field, sanitize(raw, 256))
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s %q has user information, a query or a fragment; want scheme://host[:port][/path]", field, sanitize(redactedURL(u), 256))
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// percentEncode escapes s for a query string as botocore does: every byte
// but A-Z a-z 0-9 - _ . ~ as %XX.
func percentEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// ssoDo sends req with client once and returns the body of a 200 answer.
// Any other answer is an *SSOServiceError; every failure comes as a
// *url.Error naming op and the URL (without its query), whose cause keeps
// its type. secrets are cut out of any peer text. retry reports whether
// the failure is one to retry in mode (see SSORetryOptions); ssoCall
// does.
func ssoDo(ctx context.Context, client *http.Client, mode retrymode.Mode, op string, req *http.Request, secrets ...string) (body []byte, retry bool, err error) {
	where := redactedURL(req.URL)
	fail := func(err error) ([]byte, bool, error) { return nil, retry, &url.Error{Op: op, URL: where, Err: err} }
	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		retry = ctx.Err() == nil && retryableTransport(err)
		err = httpsafe.Cause(err, secrets...)
		if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return fail(err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxSSOResponseSize+1))
	if err != nil {
		// As botocore, which reads the body as it sends the request:
		// a connection reset or closed early is retried.
		retry = ctx.Err() == nil && retryableTransport(err)
		return fail(fmt.Errorf("reading the answer (HTTP %d): %w", resp.StatusCode, peertext.Error(err, secrets...)))
	}
	if len(body) > maxSSOResponseSize {
		return fail(fmt.Errorf("the answer (HTTP %d) is larger than %d KiB", resp.StatusCode, maxSSOResponseSize>>10))
	}
	if resp.StatusCode == http.StatusOK {
		return body, false, nil
	}
	se := ssoServiceError(resp, body, secrets)
	retry = mode.Answer(se.StatusCode, se.Code) != retrymode.No
	return fail(se)
}

// ssoServiceError describes an answer other than 200, reading the error
// code as botocore's rest-json parser does: the x-amzn-ErrorType header,
// else the body's "code"/"Code", else "__type", else (SSO OIDC) "error";
// the message from "message"/"Message", else "error_description".
func ssoServiceError(resp *http.Response, body []byte, secrets []string) *SSOServiceError {
	e := &SSOServiceError{
		StatusCode: resp.StatusCode,
		RequestID:  sanitize(resp.Header.Get("X-Amzn-Requestid"), 128, secrets...),
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		e.Location = sanitize(resp.Header.Get("Location"), 512, secrets...)
		return e
	}
	var doc map[string]json.RawMessage
	isDoc := json.Unmarshal(body, &doc) == nil && doc != nil
	str := func(keys ...string) string {
		for _, k := range keys {
			var s string
			if raw, ok := doc[k]; ok && json.Unmarshal(raw, &s) == nil && s != "" {
				return s
			}
		}
		return ""
	}
	code := resp.Header.Get("X-Amzn-Errortype")
	if code == "" && isDoc {
		code = str("code", "Code", "__type", "error")
	}
	// "aws.protocols#UnauthorizedException:http://..." → UnauthorizedException
	code, _, _ = strings.Cut(code, ":")
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	e.Code = sanitize(code, 128, secrets...)
	if isDoc {
		e.Message = sanitize(str("message", "Message", "error_description"), 512, secrets...)
	} else if b := bytes.TrimSpace(body); len(b) > 0 {
		e.Message = sanitize(string(b), 200, secrets...)
	}
	return e
}
