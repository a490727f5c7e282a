package credentials

import (
	"errors"
	"os/exec"
	"strconv"
	"strings"
)

// ErrNotFound is wrapped by the errors of providers that found no
// credentials in their source at all, as opposed to finding bad ones. A
// Chain moves on to its next provider when that provider found nothing.
//
// A provider that depends on another (a role's source, say) and fails
// because that one found nothing has found its own configuration and
// failed: it wraps the other's *Error in its own. Its error still wraps
// ErrNotFound, so errors.Is reports that no credentials were found, but a
// Chain stops at it: a Chain counts ErrNotFound only when no second *Error
// stands between the provider's error and ErrNotFound.
var ErrNotFound = errors.New("no credentials found")

// Error is the error of a provider, like url.Error is the error of a
// request: which source failed and the cause, with its type. It never
// holds a secret.
type Error struct {
	// Source names the provider, e.g. "EnvProvider" or
	// "ProcessProvider(profile=dev)".
	Source string
	// Err is the cause.
	Err error
}

// Error returns "Source: cause".
func (e *Error) Error() string { return e.Source + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// PartialCredentialsError is the error of a source that holds one half
// of a key pair: an access key id without its secret access key, or the
// reverse. It names the variable or key that is missing and the one that
// is set, never a value. errors.As finds it through the *Error (and, for
// the shared files, the *ConfigError) that name the source.
type PartialCredentialsError struct {
	// Missing is the variable or key that is not set, e.g.
	// "AWS_SECRET_ACCESS_KEY" or "aws_secret_access_key".
	Missing string
	// Set is the one of the pair that is set.
	Set string
}

// Error returns "Missing is not set but Set is".
func (e *PartialCredentialsError) Error() string {
	return e.Missing + " is not set but " + e.Set + " is"
}

// ProcessExitError is the error of a credential_process that ran and
// failed: it exited with a status other than 0, or a signal ended it.
// What the program said about it went to ProcessProvider.Stderr.
type ProcessExitError struct {
	// Program is the program that was run, the first word of the command
	// line (its arguments are left out: they may hold secrets).
	Program string
	// ExitCode is the program's exit status, -1 when a signal ended it.
	ExitCode int
	// Err is os/exec's account of it, which says "exit status 3" or
	// "signal: killed".
	Err *exec.ExitError
}

// Error returns "credential_process "Program" failed: Err (see its
// messages on stderr)"; without Err, "exit status ExitCode" in its place.
func (e *ProcessExitError) Error() string {
	how := "exit status " + strconv.Itoa(e.ExitCode)
	if e.Err != nil {
		how = e.Err.Error()
	}
	return "credential_process " + strconv.Quote(e.Program) + " failed: " + how + " (see its messages on stderr)"
}

// Unwrap returns Err, or nil without one.
func (e *ProcessExitError) Unwrap() error {
	if e.Err == nil {
		return nil // not an error holding a nil *exec.ExitError
	}
	return e.Err
}

// ProcessOutputError is the error of a credential_process that exited 0
// but printed something that is not credentials: nothing, more than the
// bound, not a JSON object, no or another "Version", a key missing or of
// the wrong type. It names keys, never their values (which may be
// secrets), except for an unsupported "Version".
type ProcessOutputError struct {
	// Program is the program that was run, the first word of the command
	// line.
	Program string
	// Key is the key at fault ("Version", "AccessKeyId", ...), empty when
	// the output as a whole is.
	Key string
	// Missing reports that the output has no Key at all (a Key that is
	// null is there, and wrong).
	Missing bool
	// Version is the JSON text of an unsupported "Version", when Key is
	// "Version" and it is there: at most 64 bytes of it, then "..." if
	// it is longer, never a UTF-8 sequence cut in two.
	Version string
	// Err says what is wrong.
	Err error
}

// Error returns "credential_process "Program": what is wrong".
func (e *ProcessOutputError) Error() string {
	return "credential_process " + strconv.Quote(e.Program) + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *ProcessOutputError) Unwrap() error { return e.Err }

// ChainError is the error of a Chain in which no provider found
// credentials: what each provider said, in order. It wraps every one of
// those errors, so errors.Is(err, ErrNotFound) holds for it.
type ChainError struct {
	// Errors holds each provider's error, usually an *Error naming it.
	Errors []error
}

// Error lists what each provider said, one per line.
func (e *ChainError) Error() string {
	if len(e.Errors) == 0 {
		return "credentials: no providers to try: " + ErrNotFound.Error()
	}
	var b strings.Builder
	b.WriteString("credentials: no credentials found; tried:")
	for _, err := range e.Errors {
		b.WriteString("\n\t")
		b.WriteString(err.Error())
	}
	return b.String()
}

// Unwrap returns the providers' errors.
func (e *ChainError) Unwrap() []error {
	if len(e.Errors) == 0 {
		return []error{ErrNotFound}
	}
	return e.Errors
}

// isNotFound reports whether err is the error of a provider that found
// nothing: it wraps ErrNotFound, through at most one *Error (the
// provider's own). ErrNotFound under a second *Error is what a provider
// this one depends on found, which makes this one's a failure.
func isNotFound(err error) bool { return reachesNotFound(err, 0) }

func reachesNotFound(err error, providers int) bool {
	for err != nil {
		if err == ErrNotFound {
			return true
		}
		if _, ok := err.(*Error); ok {
			if providers++; providers > 1 {
				return false
			}
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if reachesNotFound(e, providers) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}
