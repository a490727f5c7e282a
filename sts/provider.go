package sts

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/callerid/callerid/credentials"
)

// sessionName names a role session that was given no name, as the AWS CLI
// names it: "botocore-session-" and the Unix time in seconds.
func sessionName(now time.Time) string {
	return "botocore-session-" + strconv.FormatInt(now.Unix(), 10)
}

// defaultSession is the session name of a provider that was given none:
// chosen on the first Retrieve, from the client's clock, and kept for the
// provider's life, as the AWS CLI keeps it for its credential fetcher's.
type defaultSession struct {
	mu   sync.Mutex
	name string
}

func (d *defaultSession) get(c *Client) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.name == "" {
		d.name = sessionName(c.now())
	}
	return d.name
}

// AssumeRoleProvider is a credentials.Provider of a role's temporary
// credentials: it calls STS AssumeRole through Client, signed with the
// credentials of Source, as a profile with role_arn and source_profile or
// credential_source asks.
//
//	p := &sts.AssumeRoleProvider{
//		Client: client,
//		Source: credentials.EnvProvider{},
//		Input:  sts.AssumeRoleInput{RoleARN: "arn:aws:iam::123456789012:role/deploy"},
//	}
//	creds := credentials.NewCache(p)
//
// Source is asked, and AssumeRole called, on every Retrieve: wrap the
// provider in a credentials.Cache so that AssumeRole is called only when
// the role's credentials are about to expire. Use it by pointer.
//
// Its errors are *credentials.Error values naming the role. A Source that
// fails, even by finding nothing, makes it fail, so that a
// credentials.Chain stops at it rather than sign as someone else; the
// Source's error is kept (errors.As finds it), and so are STS's
// (*OperationError, *APIError).
type AssumeRoleProvider struct {
	// Client calls STS: its region, endpoint and retries are used, its
	// own credentials only when Source is nil.
	Client *Client
	// Source provides the credentials that sign AssumeRole. Nil means
	// Client's own.
	Source credentials.Provider
	// Input says which role to assume and how. An empty RoleSessionName
	// is replaced by the AWS CLI's "botocore-session-<Unix time>", taken
	// from Client's clock on the first Retrieve and kept.
	Input AssumeRoleInput

	session defaultSession
}

// Retrieve gets the source credentials and assumes the role with them.
// The credentials' Source reads
// "AssumeRoleProvider(role=ROLE, source=SOURCE)".
func (p *AssumeRoleProvider) Retrieve(ctx context.Context) (credentials.Credentials, error) {
	name := "AssumeRoleProvider(role=" + p.Input.RoleARN + ")"
	fail := func(err error) (credentials.Credentials, error) {
		return credentials.Credentials{}, &credentials.Error{Source: name, Err: err}
	}
	if p.Client == nil {
		return fail(errors.New("no sts.Client to call AssumeRole with"))
	}
	source := p.Source
	if source == nil {
		source = p.Client.creds
	}
	src, err := source.Retrieve(ctx)
	if err != nil {
		// In an *Error of its own, so that what the source found (even
		// nothing) is this provider's failure: see credentials.ErrNotFound.
		return fail(&credentials.Error{Source: "source credentials", Err: err})
	}
	in := p.Input
	if in.RoleSessionName == "" {
		in.RoleSessionName = p.session.get(p.Client)
	}
	out, err := p.Client.withCredentials(src).AssumeRole(ctx, &in)
	if err != nil {
		return fail(err)
	}
	c := out.Credentials
	c.Source = "AssumeRoleProvider(role=" + in.RoleARN + ", source=" + src.Source + ")"
	return c, nil
}

// WebIdentityProvider is a credentials.Provider of a role's temporary
// credentials for a web identity token (an OIDC JWT, such as the service
// account token EKS projects into a pod): it calls STS
// AssumeRoleWithWebIdentity through Client, as AWS_WEB_IDENTITY_TOKEN_FILE
// and AWS_ROLE_ARN, or a profile's web_identity_token_file and role_arn,
// ask. The call is not signed: the token authenticates.
//
// The token file is read again on every Retrieve (with
// credentials.ReadTokenFile), since whoever writes it rotates it; wrap the
// provider in a credentials.Cache. Use it by pointer.
//
// Its errors are *credentials.Error values naming the role, keeping STS's
// (*OperationError, *APIError) and the file's (*fs.PathError). The token
// never appears in them.
type WebIdentityProvider struct {
	// Client calls STS: its region, endpoint and retries are used; its
	// credentials are not.
	Client *Client
	// TokenFile is the path of the file holding the token. Empty means
	// Input.WebIdentityToken is the token.
	TokenFile string
	// Input says which role to assume and how. Its WebIdentityToken is
	// replaced by the content of TokenFile when that is set; an empty
	// RoleSessionName is replaced by the AWS CLI's
	// "botocore-session-<Unix time>", taken from Client's clock on the
	// first Retrieve and kept.
	Input AssumeRoleWithWebIdentityInput

	session defaultSession
}

// Retrieve reads the token and assumes the role with it. The credentials'
// Source reads "WebIdentityProvider(role=ROLE)".
func (p *WebIdentityProvider) Retrieve(ctx context.Context) (credentials.Credentials, error) {
	name := "WebIdentityProvider(role=" + p.Input.RoleARN + ")"
	fail := func(err error) (credentials.Credentials, error) {
		return credentials.Credentials{}, &credentials.Error{Source: name, Err: err}
	}
	if p.Client == nil {
		return fail(errors.New("no sts.Client to call AssumeRoleWithWebIdentity with"))
	}
	in := p.Input
	if p.TokenFile != "" {
		token, err := credentials.ReadTokenFile(p.TokenFile)
		if err != nil {
			return fail(fmt.Errorf("web identity token: %w", err))
		}
		in.WebIdentityToken = credentials.NewSecret(token)
	}
	if in.RoleSessionName == "" {
		in.RoleSessionName = p.session.get(p.Client)
	}
	out, err := p.Client.AssumeRoleWithWebIdentity(ctx, &in)
	if err != nil {
		return fail(err)
	}
	c := out.Credentials
	c.Source = name
	return c, nil
}
