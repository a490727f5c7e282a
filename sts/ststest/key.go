package ststest

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
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
// Its Credentials are the keys (the secret access key and session token
// behind their accessors), when the server stops accepting them
// (Expires; the zero time means never), the account (AccountID, the
// identity's) and Source "ststest". Use k.Credentials to sign.
//
// String, GoString, every fmt verb, MarshalJSON and LogValue show the
// access key id and the identity, never the secret access key or the
// session token.
type Key struct {
	credentials.Credentials
	// Identity is who the key belongs to.
	Identity Identity
}

// String describes k without its secrets.
func (k Key) String() string {
	s := "ststest.Key{AccessKeyID: " + k.AccessKeyID
	if k.SecretAccessKey() != "" {
		s += ", SecretAccessKey: <redacted>"
	}
	if k.SessionToken() != "" {
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

// MarshalJSON writes k's Credentials as they marshal (without their
// secrets) and its Identity.
func (k Key) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Credentials credentials.Credentials
		Identity    Identity
	}{k.Credentials, k.Identity})
}

// LogValue is what log/slog logs of k: its String.
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

// Equal reports whether k and o are the same key of the same identity, so
// that go-cmp compares Keys whole (and not by their Credentials' Equal
// alone).
func (k Key) Equal(o Key) bool { return k.Credentials.Equal(o.Credentials) && k.Identity == o.Identity }

// Provider returns a credentials.Provider that hands out k.Credentials.
func (k Key) Provider() credentials.Provider {
	c := k.Credentials
	return credentials.ProviderFunc(func(context.Context) (credentials.Credentials, error) { return c, nil })
}

// Env returns the environment variables the AWS CLI and SDKs read keys
// from (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, for temporary keys,
// AWS_SESSION_TOKEN), as "NAME=value" strings for exec.Cmd.Env.
func (k Key) Env() []string {
	env := []string{"AWS_ACCESS_KEY_ID=" + k.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + k.SecretAccessKey()}
	if k.SessionToken() != "" {
		env = append(env, "AWS_SESSION_TOKEN="+k.SessionToken())
	}
	return env
}
