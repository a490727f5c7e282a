package callerid

import (
	"errors"
	"strconv"
	"strings"
)

// ErrProfileNotFound is wrapped by the error for a profile that is named
// (by WithProfile, AWS_DEFAULT_PROFILE or AWS_PROFILE) but is in neither
// shared file. Like the AWS CLI, a missing "default" profile that nobody
// named is not an error.
var ErrProfileNotFound = errors.New("profile not found")

// ConfigError is an error in the AWS configuration: a shared config or
// credentials file that does not parse, a profile that is missing or
// inconsistent, a setting whose value cannot be used. Like the errors of
// io/fs it names the place (file, line, profile, setting) and keeps the
// cause. It never quotes a value that may be a secret: only key names, and
// the values of settings such as sts_regional_endpoints or retry_mode.
type ConfigError struct {
	// Path is the file, empty when the error is not about one file.
	Path string
	// Line is the 1-based line number, 0 when unknown.
	Line int
	// Profile is the profile concerned, if any.
	Profile string
	// Setting is the profile key or the environment variable at fault,
	// when the error is about the value of one setting, such as
	// "sts_regional_endpoints" or "AWS_RETRY_MODE".
	Setting string
	// Err is what is wrong.
	Err error
}

// Error returns "path:line: profile "name": setting: what is wrong",
// leaving out the parts that are not known.
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
	if e.Setting != "" {
		b.WriteString(e.Setting)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *ConfigError) Unwrap() error { return e.Err }

// ValueError is the value of a setting that LoadConfig refuses, such as
// an sts_regional_endpoints other than "regional" or "legacy". It comes
// inside the *ConfigError that names the setting and where it is set.
type ValueError struct {
	// Value is the setting's value as it was read, at most its first 64
	// bytes (then "...").
	Value string
	// Want says what the setting takes.
	Want string
}

// Error returns the quoted value and what the setting takes.
func (e *ValueError) Error() string { return strconv.Quote(e.Value) + ": " + e.Want }
