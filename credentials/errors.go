package credentials

import (
	"errors"
	"strconv"
	"strings"
)

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

// Error returns "credentials: Source: cause".
func (e *Error) Error() string { return "credentials: " + e.Source + ": " + e.Err.Error() }

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
// exited with a status other than 0. What the program said about it went
// to ProcessProvider.Stderr.
type ProcessExitError struct {
	// Program is the program that was run, the first word of the command
	// line (its arguments are left out: they may hold secrets).
	Program string
	// ExitCode is the program's exit status.
	ExitCode int
}

// Error returns "credential_process "Program" exited with status ExitCode
// (see its messages on stderr)".
func (e *ProcessExitError) Error() string {
	return "credential_process " + strconv.Quote(e.Program) + " exited with status " + strconv.Itoa(e.ExitCode) + " (see its messages on stderr)"
}

// ErrProfileNotFound is wrapped by the error for a profile that is named
// (by ChainOptions.Profile, AWS_PROFILE or AWS_DEFAULT_PROFILE) but is in
// neither shared file. Like the AWS CLI, a missing "default" profile that
// nobody named is not an error.
var ErrProfileNotFound = errors.New("profile not found")

// ConfigError is an error in a shared config or credentials file, or in a
// profile: which file, line and profile, and what is wrong. Like the
// errors of io/fs it names the place; it never quotes a value, which may
// be a secret, only key names.
type ConfigError struct {
	// Path is the file, empty when the error is not about one file.
	Path string
	// Line is the 1-based line number, 0 when unknown.
	Line int
	// Profile is the profile concerned, if any.
	Profile string
	// Err is what is wrong.
	Err error
}

// Error returns "path:line: profile "name": what is wrong", leaving out
// the parts that are not known.
func (e *ConfigError) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		if e.Line > 0 {
			b.WriteString(":")
			b.WriteString(strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	}
	if e.Profile != "" {
		b.WriteString("profile ")
		b.WriteString(strconv.Quote(e.Profile))
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *ConfigError) Unwrap() error { return e.Err }

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
		b.WriteString(strings.TrimPrefix(err.Error(), "credentials: "))
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
