package ststest

import (
	"context"
	"fmt"
	"time"

	"github.com/callerid/callerid/credentials"
)

// Identity is who a key belongs to: what GetCallerIdentity answers for it.
type Identity struct {
	// UserID is the unique id: AIDA… for an IAM user, AROA…:session for an
	// assumed role, ACCOUNT:name for a federated user, the account id for
	// the root user.
	UserID string
	// ARN is the identity's ARN, e.g. arn:aws:iam::123456789012:user/alice.
	ARN string
	// Account is the 12-digit account id.
	Account string
}

// Key is an access key the server knows, and the identity it belongs to.
//
// String, GoString and every fmt verb show the access key id and the
// identity, never the secret access key or the session token.
type Key struct {
	// AccessKeyID names the key: AKIA… for long-term keys, ASIA… for
	// temporary ones.
	AccessKeyID string
	// SecretAccessKey signs requests.
	SecretAccessKey string
	// SessionToken must accompany temporary keys; empty for long-term keys.
	SessionToken string
	// Expires is when the server stops accepting the key; the zero time
	// means never.
	Expires time.Time
	// Identity is who the key belongs to.
	Identity Identity
}

// String describes k without its secrets.
func (k Key) String() string {
	s := "ststest.Key{AccessKeyID: " + k.AccessKeyID
	if k.SecretAccessKey != "" {
		s += ", SecretAccessKey: <redacted>"
	}
	if k.SessionToken != "" {
		s += ", SessionToken: <redacted>"
	}
	if !k.Expires.IsZero() {
		s += ", Expires: " + k.Expires.UTC().Format(time.RFC3339)
	}
	return s + ", ARN: " + k.Identity.ARN + "}"
}

// GoString is String, so %#v does not show the secrets.
func (k Key) GoString() string { return k.String() }

// Format writes String for every verb, so no fmt verb shows the secrets.
func (k Key) Format(f fmt.State, _ rune) { fmt.Fprint(f, k.String()) }

// Credentials returns k as credentials.Credentials, with its expiry and
// account.
func (k Key) Credentials() credentials.Credentials {
	c := credentials.New(k.AccessKeyID, k.SecretAccessKey, k.SessionToken)
	c.Expires = k.Expires
	c.AccountID = k.Identity.Account
	c.Source = "ststest"
	return c
}

// Provider returns a credentials.Provider that hands out k.
func (k Key) Provider() credentials.Provider {
	c := k.Credentials()
	return credentials.ProviderFunc(func(context.Context) (credentials.Credentials, error) { return c, nil })
}

// Env returns the environment variables the AWS CLI and SDKs read keys
// from (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, for temporary keys,
// AWS_SESSION_TOKEN), as "NAME=value" strings for exec.Cmd.Env.
func (k Key) Env() []string {
	env := []string{"AWS_ACCESS_KEY_ID=" + k.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + k.SecretAccessKey}
	if k.SessionToken != "" {
		env = append(env, "AWS_SESSION_TOKEN="+k.SessionToken)
	}
	return env
}
