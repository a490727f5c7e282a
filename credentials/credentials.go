package credentials

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Credentials are a set of AWS keys and what is known about them.
//
// The secret access key and the session token are held out of sight: they
// are returned only by SecretAccessKey and SessionToken, and String,
// GoString, Format and MarshalJSON never include them. Even fmt's raw
// printing of a struct that holds a Credentials in an unexported field
// shows only a pointer in their place.
type Credentials struct {
	// AccessKeyID names the key pair. It is not secret.
	AccessKeyID string
	// Expires is when the credentials stop working; the zero time means
	// they do not expire.
	Expires time.Time
	// Source names the provider the credentials came from, e.g.
	// "EnvProvider" or "SharedConfig(profile=dev)".
	Source string
	// AccountID is the account the keys belong to, when the source says so.
	AccountID string

	secrets *secrets
}

// secrets holds the keys in a closure: under a verb that does not suit a
// pointer (%s, %q, ...), fmt prints the target of a pointer in an
// unexported field, which it cannot ask to Format itself, as &{...}; a
// func it prints only as an address. Credentials stays comparable.
type secrets struct {
	get func() (secretAccessKey, sessionToken string)
}

// New returns Credentials holding the given keys. sessionToken is empty for
// long-term keys.
func New(accessKeyID, secretAccessKey, sessionToken string) Credentials {
	return Credentials{
		AccessKeyID: accessKeyID,
		secrets: &secrets{get: func() (string, string) {
			return secretAccessKey, sessionToken
		}},
	}
}

// SecretAccessKey returns the secret access key.
func (c Credentials) SecretAccessKey() string {
	if c.secrets == nil {
		return ""
	}
	key, _ := c.secrets.get()
	return key
}

// SessionToken returns the session token, empty for long-term keys.
func (c Credentials) SessionToken() string {
	if c.secrets == nil {
		return ""
	}
	_, token := c.secrets.get()
	return token
}

// HasKeys reports whether c has both an access key id and a secret.
func (c Credentials) HasKeys() bool {
	return c.AccessKeyID != "" && c.SecretAccessKey() != ""
}

// CanExpire reports whether c has an expiry time.
func (c Credentials) CanExpire() bool { return !c.Expires.IsZero() }

// Expired reports whether c has expired at time now.
func (c Credentials) Expired(now time.Time) bool {
	return c.CanExpire() && !now.Before(c.Expires)
}

// Equal reports whether c and o hold the same keys and metadata. It lets
// github.com/google/go-cmp compare Credentials.
func (c Credentials) Equal(o Credentials) bool {
	return c.AccessKeyID == o.AccessKeyID && c.Expires.Equal(o.Expires) &&
		c.Source == o.Source && c.AccountID == o.AccountID &&
		c.SecretAccessKey() == o.SecretAccessKey() && c.SessionToken() == o.SessionToken()
}

// String describes c without its secrets.
func (c Credentials) String() string {
	var b strings.Builder
	b.WriteString("Credentials{AccessKeyID: ")
	b.WriteString(c.AccessKeyID)
	if c.SecretAccessKey() != "" {
		b.WriteString(", SecretAccessKey: <redacted>")
	}
	if c.SessionToken() != "" {
		b.WriteString(", SessionToken: <redacted>")
	}
	if c.AccountID != "" {
		b.WriteString(", AccountID: ")
		b.WriteString(c.AccountID)
	}
	if c.CanExpire() {
		b.WriteString(", Expires: ")
		b.WriteString(c.Expires.UTC().Format(time.RFC3339))
	}
	if c.Source != "" {
		b.WriteString(", Source: ")
		b.WriteString(c.Source)
	}
	b.WriteByte('}')
	return b.String()
}

// GoString is String, so %#v does not show the secrets.
func (c Credentials) GoString() string { return c.String() }

// Format writes String for every verb, so no fmt verb shows the secrets.
func (c Credentials) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// MarshalJSON writes the public fields only: AccessKeyID, Expires (when
// set), Source and AccountID, with "SecretAccessKey" and "SessionToken"
// reported as present or not, never by value.
func (c Credentials) MarshalJSON() ([]byte, error) {
	v := struct {
		AccessKeyID     string     `json:"AccessKeyId"`
		SecretAccessKey string     `json:"SecretAccessKey,omitempty"`
		SessionToken    string     `json:"SessionToken,omitempty"`
		Expires         *time.Time `json:"Expiration,omitempty"`
		Source          string     `json:"Source,omitempty"`
		AccountID       string     `json:"AccountId,omitempty"`
	}{AccessKeyID: c.AccessKeyID, Source: c.Source, AccountID: c.AccountID}
	if c.SecretAccessKey() != "" {
		v.SecretAccessKey = "<redacted>"
	}
	if c.SessionToken() != "" {
		v.SessionToken = "<redacted>"
	}
	if c.CanExpire() {
		t := c.Expires.UTC()
		v.Expires = &t
	}
	return json.Marshal(v)
}

// A Provider hands out credentials. Retrieve may be called many times;
// implementations that fetch credentials over the network or from a
// process should be wrapped in a cache.
type Provider interface {
	Retrieve(ctx context.Context) (Credentials, error)
}

// ProviderFunc adapts a function to the Provider interface.
type ProviderFunc func(ctx context.Context) (Credentials, error)

// Retrieve calls f(ctx).
func (f ProviderFunc) Retrieve(ctx context.Context) (Credentials, error) { return f(ctx) }
