package credentials

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// Credentials are a set of AWS keys and what is known about them.
//
// The secret access key and the session token are held as Secrets: they
// are returned only by SecretAccessKey and SessionToken, and String,
// GoString, Format (every verb), MarshalJSON and LogValue show Redacted in
// their place. They are out of reflection's reach too, so that neither
// fmt's raw printing of a struct that holds a Credentials in an unexported
// field (any verb) nor a cmp.Diff of two Credentials shows them.
type Credentials struct {
	// AccessKeyID names the key pair. It is not secret.
	AccessKeyID string
	// Expires is when the credentials stop working; the zero time means
	// they do not expire.
	Expires time.Time
	// Source names the provider the credentials came from, e.g.
	// "EnvProvider" or "ProcessProvider(profile=dev)".
	Source string
	// AccountID is the account the keys belong to, when the source says so.
	AccountID string

	secretAccessKey, sessionToken Secret
}

// New returns Credentials holding the given keys. sessionToken is empty for
// long-term keys.
func New(accessKeyID, secretAccessKey, sessionToken string) Credentials {
	return Credentials{
		AccessKeyID:     accessKeyID,
		secretAccessKey: NewSecret(secretAccessKey),
		sessionToken:    NewSecret(sessionToken),
	}
}

// SecretAccessKey returns the secret access key.
func (c Credentials) SecretAccessKey() string { return c.secretAccessKey.Reveal() }

// SessionToken returns the session token, empty for long-term keys.
func (c Credentials) SessionToken() string { return c.sessionToken.Reveal() }

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
		c.secretAccessKey.Equal(o.secretAccessKey) && c.sessionToken.Equal(o.sessionToken)
}

// String describes c without its secrets.
func (c Credentials) String() string {
	var b strings.Builder
	b.WriteString("Credentials{AccessKeyID: ")
	b.WriteString(c.AccessKeyID)
	if !c.secretAccessKey.IsZero() {
		b.WriteString(", SecretAccessKey: " + c.secretAccessKey.String())
	}
	if !c.sessionToken.IsZero() {
		b.WriteString(", SessionToken: " + c.sessionToken.String())
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
func (c Credentials) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// LogValue has log/slog log c as a group of its public fields, with the
// secrets as Secrets (Redacted when set).
func (c Credentials) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("AccessKeyID", c.AccessKeyID)}
	if !c.secretAccessKey.IsZero() {
		attrs = append(attrs, slog.Any("SecretAccessKey", c.secretAccessKey))
	}
	if !c.sessionToken.IsZero() {
		attrs = append(attrs, slog.Any("SessionToken", c.sessionToken))
	}
	if c.AccountID != "" {
		attrs = append(attrs, slog.String("AccountID", c.AccountID))
	}
	if c.CanExpire() {
		attrs = append(attrs, slog.Time("Expires", c.Expires.UTC()))
	}
	if c.Source != "" {
		attrs = append(attrs, slog.String("Source", c.Source))
	}
	return slog.GroupValue(attrs...)
}

// MarshalJSON writes the public fields only: AccessKeyID, Expires (when
// set), Source and AccountID, with "SecretAccessKey" and "SessionToken"
// reported as present or not, never by value.
func (c Credentials) MarshalJSON() ([]byte, error) {
	v := struct {
		AccessKeyID     string     `json:"AccessKeyId"`
		SecretAccessKey *Secret    `json:"SecretAccessKey,omitempty"`
		SessionToken    *Secret    `json:"SessionToken,omitempty"`
		Expires         *time.Time `json:"Expiration,omitempty"`
		Source          string     `json:"Source,omitempty"`
		AccountID       string     `json:"AccountId,omitempty"`
	}{AccessKeyID: c.AccessKeyID, Source: c.Source, AccountID: c.AccountID}
	if !c.secretAccessKey.IsZero() {
		v.SecretAccessKey = &c.secretAccessKey
	}
	if !c.sessionToken.IsZero() {
		v.SessionToken = &c.sessionToken
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
