package callerid

import (
	"errors"
	"strconv"
	"strings"

	"github.com/callerid/callerid/internal/peertext"
)

// The kinds of RoleConfigError, for errors.Is.
var (
	// ErrRoleSourceMissing: a profile sets role_arn but neither
	// source_profile nor credential_source.
	ErrRoleSourceMissing = errors.New("role_arn without source_profile or credential_source")
	// ErrRoleSourceConflict: a profile sets both source_profile and
	// credential_source.
	ErrRoleSourceConflict = errors.New("both source_profile and credential_source")
	// ErrCredentialSourceInvalid: credential_source is not one of
	// Environment, Ec2InstanceMetadata, EcsContainer.
	ErrCredentialSourceInvalid = errors.New("credential_source not valid")
	// ErrSourceProfileNotFound: source_profile names a profile that is in
	// neither shared file.
	ErrSourceProfileNotFound = errors.New("source_profile not found")
	// ErrSourceProfileLoop: following source_profile comes back to a
	// profile already on the way (other than a profile with keys that is
	// its own source).
	ErrSourceProfileLoop = errors.New("source_profile loop")
)

// RoleConfigError is what is wrong with how a role profile (one with
// role_arn) says where its source credentials come from, as botocore
// checks it before assuming any role. It comes inside a *ConfigError that
// says where (file, line, profile), itself inside the *credentials.Error
// of the chain's AssumeRoleProvider step. errors.Is(err, Kind) holds for
// its Kind.
type RoleConfigError struct {
	// Kind says what is wrong: ErrRoleSourceMissing,
	// ErrRoleSourceConflict, ErrCredentialSourceInvalid,
	// ErrSourceProfileNotFound or ErrSourceProfileLoop.
	Kind error
	// Profile is the profile whose setting is at fault.
	Profile string
	// SourceProfile is its source_profile, for ErrSourceProfileNotFound
	// and ErrSourceProfileLoop.
	SourceProfile string
	// CredentialSource is its credential_source, for
	// ErrCredentialSourceInvalid.
	CredentialSource string
	// Visited lists the profiles on the way to Profile's source_profile,
	// from the one in use to Profile, for ErrSourceProfileLoop.
	Visited []string
}

// Error describes the mistake.
func (e *RoleConfigError) Error() string {
	switch e.Kind {
	case ErrRoleSourceMissing:
		return "sets role_arn but neither source_profile nor credential_source"
	case ErrRoleSourceConflict:
		return "sets both source_profile and credential_source; set one"
	case ErrCredentialSourceInvalid:
		return "credential_source " + strconv.Quote(peertext.Cut(e.CredentialSource, 128)) + " is not one of Environment, Ec2InstanceMetadata, EcsContainer"
	case ErrSourceProfileNotFound:
		return "source_profile " + strconv.Quote(peertext.Cut(e.SourceProfile, 128)) + " does not exist"
	case ErrSourceProfileLoop:
		return "source_profile loop: " + strings.Join(append(e.Visited[:len(e.Visited):len(e.Visited)], e.SourceProfile), " -> ")
	}
	if e.Kind != nil {
		return e.Kind.Error()
	}
	return "role configuration error"
}

// Is reports whether target is e's Kind.
func (e *RoleConfigError) Is(target error) bool { return e.Kind != nil && target == e.Kind }

// RoleSourceError is the error of a role profile's source of credentials,
// its source_profile or its credential_source, when it fails or finds
// nothing: errors.Is(err, credentials.ErrNotFound) tells the latter. It
// comes inside the role's *credentials.Error, around the source's own
// error.
type RoleSourceError struct {
	// Profile is the role profile.
	Profile string
	// SourceProfile is its source_profile, when that is the source.
	SourceProfile string
	// CredentialSource is its credential_source (Environment,
	// Ec2InstanceMetadata or EcsContainer), when that is the source.
	CredentialSource string
	// Err is the source's error.
	Err error
}

// Error returns `source_profile "NAME" of profile "NAME": cause` or
// `credential_source NAME of profile "NAME": cause`.
func (e *RoleSourceError) Error() string {
	what := "source_profile " + strconv.Quote(e.SourceProfile)
	if e.CredentialSource != "" {
		what = "credential_source " + e.CredentialSource
	}
	return what + " of profile " + strconv.Quote(e.Profile) + ": " + e.Err.Error()
}

// Unwrap returns the source's error.
func (e *RoleSourceError) Unwrap() error { return e.Err }
