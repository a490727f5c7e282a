package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const ssoSource = "SSOProvider"

// SSOProvider gets a role's credentials from IAM Identity Center (SSO), as
// the AWS CLI does for a profile with sso_account_id and sso_role_name: it
// reads the access token that "aws sso login" cached (see
// SSOTokenProvider, which it uses, for the cache and the refresh of an
// sso_session token) and trades it at the portal's GetRoleCredentials
// (GET /federation/credentials?role_name=…&account_id=…, the token in the
// x-amz-sso_bearer_token header) for temporary keys.
//
// The two forms of profile map to the fields so:
//
//	[profile dev]                      [profile dev]
//	sso_session = corp                 sso_start_url = https://…/start
//	sso_account_id = 123456789012      sso_region = eu-west-1
//	sso_role_name = ReadOnly           sso_account_id = 123456789012
//	[sso-session corp]                 sso_role_name = ReadOnly
//	sso_start_url = https://…/start
//	sso_region = eu-west-1
//
// SessionName is "corp" in the first, empty in the second (legacy) form;
// StartURL, Region, AccountID and RoleName come from the other keys.
// SSOProvider reads no environment and no config: endpoint overrides
// (AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC, a services section)
// are for the config layer to resolve into PortalEndpoint and
// OIDCEndpoint.
//
// The credentials carry Expires, AccountID and Source "SSOProvider".
// Nothing is cached: wrap the provider in a Cache. Errors are *Error
// values from "SSOProvider" that wrap an *SSOTokenError when the token is
// missing, invalid or expired, or the portal refused it
// (UnauthorizedException, as ErrSSOSessionExpired); other error answers of
// the portal are *SSOServiceError values inside a *url.Error. A call is
// retried as Retry says (which answers and failed connections: see
// Retry.Mode); after more than one attempt the *url.Error comes inside an
// *SSOAttemptsError that counts them. No error includes a token.
type SSOProvider struct {
	// SessionName is the profile's sso_session; empty for the legacy form.
	SessionName string
	// StartURL is sso_start_url. Required.
	StartURL string
	// Region is sso_region: where the portal and SSO OIDC are. Required
	// unless both endpoints are set.
	Region string
	// AccountID is sso_account_id. Required.
	AccountID string
	// RoleName is sso_role_name. Required.
	RoleName string
	// CacheDir is the token cache directory; empty means
	// HomeDir/.aws/sso/cache.
	CacheDir string
	// HomeDir is the home directory when CacheDir is empty; empty means
	// os.UserHomeDir ($HOME).
	HomeDir string
	// DNSSuffix is the DNS suffix of the default endpoints (those used
	// when PortalEndpoint or OIDCEndpoint is empty); empty means
	// "amazonaws.com", the aws partition's. A Region in another partition
	// (cn-north-1: "amazonaws.com.cn"; us-iso-east-1: "c2s.ic.gov") needs
	// it, or explicit endpoints. callerid.LoadConfig sets it to the DNS
	// suffix of sso_region's partition, from the arn package.
	DNSSuffix string
	// PortalEndpoint is the portal's base URL; empty means
	// https://portal.sso.REGION.DNS_SUFFIX (see DNSSuffix). The config
	// layer sets it from AWS_ENDPOINT_URL_SSO (which the AWS CLI honours)
	// or the profile's services section.
	PortalEndpoint string
	// OIDCEndpoint is SSO OIDC's base URL, for refreshing the token;
	// empty means https://oidc.REGION.DNS_SUFFIX (see DNSSuffix). The
	// config layer sets it from AWS_ENDPOINT_URL_SSO_OIDC.
	OIDCEndpoint string
	// Client sends the requests; nil means a client with bounded timeouts
	// that honours HTTPS_PROXY. It is never allowed to follow a redirect
	// (a copy of it is used for that; it is not changed).
	Client *http.Client
	// Retry says how GetRoleCredentials and the token's refresh (SSO
	// OIDC CreateToken) are retried: by default as the AWS CLI v1's
	// legacy mode, 429, 5xx and failed connections, at most 5 attempts
	// (see SSORetryOptions).
	Retry SSORetryOptions
	// Now returns the time; nil means time.Now.
	Now func() time.Time
}

// TokenProvider returns the SSOTokenProvider that p gets its token from.
func (p *SSOProvider) TokenProvider() *SSOTokenProvider {
	return &SSOTokenProvider{
		SessionName:  p.SessionName,
		StartURL:     p.StartURL,
		Region:       p.Region,
		DNSSuffix:    p.DNSSuffix,
		CacheDir:     p.CacheDir,
		HomeDir:      p.HomeDir,
		OIDCEndpoint: p.OIDCEndpoint,
		Client:       p.Client,
		Retry:        p.Retry,
		Now:          p.Now,
	}
}

// Retrieve reads the cached token and asks the portal for the role's
// credentials.
func (p *SSOProvider) Retrieve(ctx context.Context) (Credentials, error) {
	fail := func(err error) (Credentials, error) {
		return Credentials{}, &Error{Source: ssoSource, Err: err}
	}
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"StartURL (sso_start_url)", p.StartURL},
		{"AccountID (sso_account_id)", p.AccountID},
		{"RoleName (sso_role_name)", p.RoleName},
	} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fail(fmt.Errorf("missing %s", strings.Join(missing, ", ")))
	}
	if _, _, err := p.Retry.rules(); err != nil {
		return fail(err)
	}
	base, err := ssoEndpoint("PortalEndpoint", p.PortalEndpoint, "portal.sso", p.Region, p.DNSSuffix)
	if err != nil {
		return fail(err)
	}
	tok, err := p.TokenProvider().Token(ctx)
	if err != nil {
		return fail(err)
	}
	c, err := p.getRoleCredentials(ctx, base, tok.AccessToken())
	if err != nil {
		var se *SSOServiceError
		if errors.As(err, &se) && se.Code == "UnauthorizedException" {
			err = &SSOTokenError{Kind: ErrSSOSessionExpired, SessionName: p.SessionName, StartURL: p.StartURL, Err: err}
		}
		return fail(err)
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	if err := checkFresh(c, now()); err != nil {
		return fail(err)
	}
	return c, nil
}

// getRoleCredentials calls the portal's GetRoleCredentials.
func (p *SSOProvider) getRoleCredentials(ctx context.Context, base *url.URL, token string) (Credentials, error) {
	u := *base
	u.Path += "/federation/credentials"
	// botocore's order and escaping, so the request is the CLI's byte for byte.
	u.RawQuery = "role_name=" + percentEncode(p.RoleName) + "&account_id=" + percentEncode(p.AccountID)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Credentials{}, fmt.Errorf("making the GetRoleCredentials request: %w", err)
	}
	if strings.ContainsAny(token, "\r\n\x00") {
		return Credentials{}, errors.New("the cached SSO access token contains a line break or NUL, which an HTTP header cannot carry")
	}
	req.Header.Set("x-amz-sso_bearer_token", token)
	body, err := ssoCall(ctx, ssoHTTPClient(p.Client), p.Retry, "SSO GetRoleCredentials", req, token)
	if err != nil {
		return Credentials{}, err
	}
	c, err := parseRoleCredentials(body)
	if err != nil {
		return Credentials{}, &url.Error{Op: "SSO GetRoleCredentials", URL: redactedURL(&u), Err: err}
	}
	c.Source = ssoSource
	c.AccountID = p.AccountID
	return c, nil
}

// parseRoleCredentials reads GetRoleCredentials' answer:
//
//	{"roleCredentials": {"accessKeyId": "ASIA…", "secretAccessKey": "…",
//	 "sessionToken": "…", "expiration": 1700000000000}}
//
// with the expiration in milliseconds since the Unix epoch. All four are
// required, the first three strings, the expiration a positive whole
// number. Errors name keys, never values.
func parseRoleCredentials(b []byte) (Credentials, error) {
	var doc struct {
		RoleCredentials map[string]json.RawMessage `json:"roleCredentials"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return Credentials{}, fmt.Errorf("the answer's %q is a JSON %s, not an object", te.Field, te.Value)
		}
		return Credentials{}, jsonError("the answer", err)
	}
	rc := doc.RoleCredentials
	if rc == nil {
		return Credentials{}, errors.New(`the answer has no "roleCredentials"`)
	}
	var akid, secret, token string
	var missing []string
	for _, f := range []struct {
		key  string
		into *string
	}{{"accessKeyId", &akid}, {"secretAccessKey", &secret}, {"sessionToken", &token}} {
		raw, ok := rc[f.key]
		if !ok || string(raw) == "null" {
			missing = append(missing, f.key)
			continue
		}
		if err := json.Unmarshal(raw, f.into); err != nil {
			return Credentials{}, fmt.Errorf("the answer's \"roleCredentials.%s\" is not a string", f.key)
		}
		if *f.into == "" {
			missing = append(missing, f.key)
		}
	}
	raw, ok := rc["expiration"]
	if !ok || string(raw) == "null" {
		missing = append(missing, "expiration")
	}
	if len(missing) > 0 {
		return Credentials{}, fmt.Errorf("the answer's \"roleCredentials\" has no %s", strings.Join(quoteAll(missing), ", "))
	}
	ms, err := jsonWholeNumber(raw)
	if err != nil || ms <= 0 || ms > 1<<53 {
		return Credentials{}, errors.New(`the answer's "roleCredentials.expiration" is not a positive whole number of milliseconds since 1970`)
	}
	c := New(akid, secret, token)
	c.Expires = time.UnixMilli(ms).UTC()
	return c, nil
}
