package credentials

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// EnvProvider reads credentials from the environment variables the AWS CLI
// reads: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the session token
// from AWS_SECURITY_TOKEN or else AWS_SESSION_TOKEN (botocore reads the
// older name first), the expiry from AWS_CREDENTIAL_EXPIRATION (RFC 3339)
// and the account from AWS_ACCOUNT_ID.
//
// The AWS SDK for Go also reads AWS_ACCESS_KEY and AWS_SECRET_KEY; the
// AWS CLI does not, and neither does this provider.
//
// It finds nothing (ErrNotFound) when neither key variable is set, and
// fails with a *PartialCredentialsError when only one of them is. (The AWS CLI ignores a lone
// AWS_SECRET_ACCESS_KEY; this provider says it is lonely.)
type EnvProvider struct {
	// Getenv looks up a variable; nil means os.Getenv.
	Getenv func(string) string
}

// Retrieve reads the environment.
func (p EnvProvider) Retrieve(ctx context.Context) (Credentials, error) {
	getenv := p.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	id, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	switch {
	case id == "" && secret == "":
		return Credentials{}, &Error{Source: "EnvProvider", Err: fmt.Errorf("%w: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set", ErrNotFound)}
	case id == "":
		return Credentials{}, &Error{Source: "EnvProvider", Err: &PartialCredentialsError{Missing: "AWS_ACCESS_KEY_ID", Set: "AWS_SECRET_ACCESS_KEY"}}
	case secret == "":
		return Credentials{}, &Error{Source: "EnvProvider", Err: &PartialCredentialsError{Missing: "AWS_SECRET_ACCESS_KEY", Set: "AWS_ACCESS_KEY_ID"}}
	}
	token := getenv("AWS_SECURITY_TOKEN")
	if token == "" {
		token = getenv("AWS_SESSION_TOKEN")
	}
	c := New(id, secret, token)
	c.Source = "EnvProvider"
	c.AccountID = getenv("AWS_ACCOUNT_ID")
	if exp := getenv("AWS_CREDENTIAL_EXPIRATION"); exp != "" {
		t, err := time.Parse(time.RFC3339, exp)
		if err != nil {
			return Credentials{}, &Error{Source: "EnvProvider", Err: errors.New("AWS_CREDENTIAL_EXPIRATION is not an RFC 3339 time such as 2006-01-02T15:04:05Z")}
		}
		c.Expires = t
	}
	return c, nil
}
