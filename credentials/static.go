package credentials

import (
	"context"
	"errors"
)

// StaticProvider hands out the same credentials every time.
type StaticProvider struct {
	// Credentials are what Retrieve returns; their Source is set to
	// "StaticProvider" when empty.
	Credentials Credentials
}

// NewStaticProvider returns a provider of the given keys.
func NewStaticProvider(accessKeyID, secretAccessKey, sessionToken string) *StaticProvider {
	c := New(accessKeyID, secretAccessKey, sessionToken)
	c.Source = "StaticProvider"
	return &StaticProvider{Credentials: c}
}

// Retrieve returns the static credentials, or an error if they have no keys.
func (p *StaticProvider) Retrieve(ctx context.Context) (Credentials, error) {
	if !p.Credentials.HasKeys() {
		return Credentials{}, &Error{Source: "StaticProvider", Err: errors.New("access key id or secret access key is empty")}
	}
	c := p.Credentials
	if c.Source == "" {
		c.Source = "StaticProvider"
	}
	return c, nil
}
