package credentials

import "errors"

// ErrNotFound is wrapped by the errors of providers that found no
// credentials in their source at all, as opposed to finding bad ones. A
// chain moves on to its next provider on ErrNotFound.
var ErrNotFound = errors.New("no credentials found")

// Error is the error of a provider: which source failed and why.
// It never holds a secret.
type Error struct {
	// Source names the provider, e.g. "EnvProvider".
	Source string
	// Err is the underlying cause.
	Err error
}

func (e *Error) Error() string { return "credentials: " + e.Source + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

type errMissing string

func (e errMissing) Error() string { return string(e) }
