package credentials

import (
	"context"
)

// Chain tries providers in order and returns the credentials of the first
// that has some.
//
// It moves on to the next provider only when one finds nothing (its error
// wraps ErrNotFound; see ErrNotFound for a provider that depends on
// another). A provider that finds its source but fails (a
// malformed file, a process that exits with an error, a metadata service
// that answers 500) stops the chain with its error, as the AWS CLI stops:
// falling through to other credentials would hide the problem and could
// sign as someone else. When no provider finds anything, the error is a
// *ChainError listing what each said.
//
// The winning provider's credentials say where they came from in Source.
type Chain struct {
	providers []Provider
}

// NewChain returns a Chain of the given providers.
func NewChain(providers ...Provider) *Chain {
	return &Chain{providers: append([]Provider(nil), providers...)}
}

// Retrieve asks each provider in turn.
func (c *Chain) Retrieve(ctx context.Context) (Credentials, error) {
	var errs []error
	for _, p := range c.providers {
		if err := ctx.Err(); err != nil {
			return Credentials{}, err
		}
		creds, err := p.Retrieve(ctx)
		if err == nil {
			return creds, nil
		}
		if !isNotFound(err) {
			return Credentials{}, err
		}
		errs = append(errs, err)
	}
	return Credentials{}, &ChainError{Errors: errs}
}
