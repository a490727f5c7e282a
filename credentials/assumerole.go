package credentials

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// defaultSessionName names a role session when nothing else does. botocore
// uses "botocore-session-<unix time>"; this is the same with our name.
func defaultSessionName(now func() time.Time) string {
	if now == nil {
		now = time.Now
	}
	return "callerid-" + strconv.FormatInt(now().Unix(), 10)
}

// AssumeRoleProvider trades the credentials of Source for a role's
// temporary credentials through Assumer (STS AssumeRole), as a profile
// with role_arn and source_profile or credential_source asks.
//
// Source is asked on every Retrieve; wrap the AssumeRoleProvider in a
// Cache so that AssumeRole is called only when the role's credentials are
// about to expire.
type AssumeRoleProvider struct {
	// Source provides the credentials that sign AssumeRole.
	Source Provider
	// Assumer calls STS. Without one, Retrieve fails and says so.
	Assumer RoleAssumer
	// Request says which role to assume. An empty RoleSessionName becomes
	// "callerid-<unix time>".
	Request AssumeRoleRequest
	// Profile names the profile that asked for the role, for errors; it
	// may be empty.
	Profile string
	// Now tells the time, for the default session name; nil means time.Now.
	Now func() time.Time
}

func (p *AssumeRoleProvider) source() string {
	return "AssumeRoleProvider(role=" + p.Request.RoleARN + ")"
}

// Retrieve gets the source credentials and assumes the role with them.
func (p *AssumeRoleProvider) Retrieve(ctx context.Context) (Credentials, error) {
	fail := func(err error) (Credentials, error) {
		return Credentials{}, &Error{Source: p.source(), Err: err}
	}
	if p.Assumer == nil {
		return fail(errNoAssumer("AssumeRole", p.Profile))
	}
	if p.Source == nil {
		return fail(errors.New("no source of credentials to assume the role with"))
	}
	src, err := p.Source.Retrieve(ctx)
	if err != nil {
		return fail(fmt.Errorf("source credentials: %w", err))
	}
	req := p.Request
	if req.RoleSessionName == "" {
		req.RoleSessionName = defaultSessionName(p.Now)
	}
	c, err := p.Assumer.AssumeRole(ctx, src, req)
	if err != nil {
		return fail(fmt.Errorf("AssumeRole: %w", err))
	}
	c.Source = "AssumeRoleProvider(role=" + req.RoleARN + ", source=" + src.Source + ")"
	return c, nil
}

// WebIdentityProvider trades a web identity token (an OIDC JWT, such as
// the service account token EKS projects into a pod) for a role's
// temporary credentials through Assumer (STS AssumeRoleWithWebIdentity),
// as AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, or a profile's
// web_identity_token_file and role_arn, ask.
//
// The token file is read again on every Retrieve, since whoever writes it
// rotates it. Surrounding whitespace is trimmed from the token (a JWT has
// none; botocore sends the file as it is).
type WebIdentityProvider struct {
	// TokenFile is the path of the file holding the token.
	TokenFile string
	// Assumer calls STS. Without one, Retrieve fails and says so.
	Assumer RoleAssumer
	// Request says which role to assume. An empty RoleSessionName becomes
	// "callerid-<unix time>".
	Request AssumeRoleRequest
	// Profile names the profile that asked for the role, for errors; it is
	// empty when the environment asked.
	Profile string
	// Now tells the time, for the default session name; nil means time.Now.
	Now func() time.Time
}

func (p *WebIdentityProvider) source() string {
	return "WebIdentityProvider(role=" + p.Request.RoleARN + ")"
}

// Retrieve reads the token and assumes the role with it.
func (p *WebIdentityProvider) Retrieve(ctx context.Context) (Credentials, error) {
	fail := func(err error) (Credentials, error) {
		return Credentials{}, &Error{Source: p.source(), Err: err}
	}
	if p.Assumer == nil {
		return fail(errNoAssumer("AssumeRoleWithWebIdentity", p.Profile))
	}
	if p.Request.RoleARN == "" {
		return fail(errors.New("no role ARN to assume (set AWS_ROLE_ARN or the profile's role_arn)"))
	}
	token, err := ReadTokenFile(p.TokenFile)
	if err != nil {
		return fail(fmt.Errorf("web identity token: %w", err))
	}
	req := p.Request
	if req.RoleSessionName == "" {
		req.RoleSessionName = defaultSessionName(p.Now)
	}
	c, err := p.Assumer.AssumeRoleWithWebIdentity(ctx, token, req)
	if err != nil {
		return fail(fmt.Errorf("AssumeRoleWithWebIdentity: %w", err))
	}
	c.Source = p.source()
	return c, nil
}

func errNoAssumer(op, profile string) error {
	who := "the environment asks"
	if profile != "" {
		who = "profile " + strconv.Quote(profile) + " asks"
	}
	return fmt.Errorf("%s for a role, which needs STS %s, but no RoleAssumer was configured (the sts package provides one)", who, op)
}
