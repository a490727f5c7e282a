package main

import (
	"errors"
	"io/fs"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"syscall"

	"github.com/callerid/callerid"
	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sts"
)

// The AWS CLI's messages for what goes wrong before, or instead of, an
// answer from STS. The library's errors say more (which sources were
// tried, where, and why); whoami prints them with --debug or --verbose,
// and otherwise says what the CLI says, found by the errors' types:
// never by their text.

// failure is what whoami needs to say why it cannot tell who the caller
// is: the error, the credential_process's stderr the CLI would quote,
// and the environment (for file paths and certificate settings).
type failure struct {
	err           error
	processStderr string
	getenv        func(string) string
}

// message returns what the AWS CLI prints on stderr for f, newlines
// included.
func (f failure) message() string {
	err := f.err
	var cfgErr *callerid.ConfigError
	if errors.Is(err, callerid.ErrProfileNotFound) && errors.As(err, &cfgErr) {
		return "\nThe config profile (" + cfgErr.Profile + ") could not be found\n"
	}
	if msg, ok := regionalEndpointsMessage(err); ok {
		return "\n" + msg + "\n"
	}
	if msg, ok := retryModeMessage(err); ok {
		return "\n" + msg + "\n"
	}
	if errors.Is(err, sts.ErrNoRegion) {
		// An endpoint URL but no region to sign for: refused before
		// credentials are looked for. No blank line first, as the CLI.
		return "You must specify a region. You can also configure your region by running \"aws configure\".\n"
	}
	var partial *credentials.PartialCredentialsError
	if errors.As(err, &partial) {
		return "\nPartial credentials found in " + f.partialSource(err) + ", missing: " + partial.Missing + "\n"
	}
	var exit *credentials.ProcessExitError
	if errors.As(err, &exit) {
		return "\nError when retrieving credentials from custom-process: " + f.processStderr + "\n"
	}
	if errors.Is(err, credentials.ErrExpirationNoOffset) {
		// Python's TypeError, when botocore compares the expiry with now.
		return "\ncan't subtract offset-naive and offset-aware datetimes\n"
	}
	var output *credentials.ProcessOutputError
	if errors.As(err, &output) {
		return "\nError when retrieving credentials from custom-process: " + processOutputMessage(output) + "\n"
	}
	if msg, ok := ssoMessage(err); ok {
		return "\n" + msg + "\n"
	}
	if msg, ok := roleMessage(err); ok {
		return "\n" + msg + "\n"
	}
	if msg, ok := paramMessage(err); ok {
		return "\n" + msg + "\n"
	}
	if msg, ok := startError(err); ok {
		return "\n" + msg + "\n"
	}
	var chain *credentials.ChainError
	if errors.As(err, &chain) {
		// The only one of the CLI's messages without a blank line first.
		return "Unable to locate credentials. You can configure credentials by running \"aws configure\".\n"
	}
	if apiErr, opErr := apiErrorIn(err); apiErr != nil {
		// botocore counts the retries only when the call stopped at its
		// attempt limit, as its retry mode decides it.
		retries := ""
		if opErr.MaxAttemptsReached {
			retries = " (reached max retries: " + strconv.Itoa(opErr.Attempts-1) + ")"
		}
		return "\nAn error occurred (" + apiErr.Code + ") when calling the " + opErr.Operation + " operation" + retries + ": " + apiErr.Message + "\n"
	}
	if noCACertificates(err) {
		// Also when a credential source (a container endpoint, ...) is
		// what https failed for: the advice is the same.
		return "\nSSL validation failed for " + f.endpointOr(err, "the credentials' source") + ": " + noCACertificatesHelp(f.getenv)
	}
	// The rest concern the request to STS itself, not a failure to get
	// credentials before it (which has no attempts).
	if opErr := sentOperation(err); opErr != nil {
		if cause, ok := certificateError(err); ok {
			return "\nSSL validation failed for " + opErr.Endpoint + " " + cause.Error() + "\n"
		}
		var dnsErr *net.DNSError
		var netErr *net.OpError
		switch {
		case errors.As(err, &netErr) && netErr.Op == "dial" && netErr.Timeout():
			return "\nConnect timeout on endpoint URL: \"" + opErr.Endpoint + "\"\n"
		case errors.As(err, &netErr) && netErr.Op == "dial", errors.As(err, &dnsErr):
			return "\nCould not connect to the endpoint URL: \"" + opErr.Endpoint + "\"\n"
		}
		var timeout interface{ Timeout() bool }
		if errors.As(err, &timeout) && timeout.Timeout() {
			return "\nRead timeout on endpoint URL: \"" + opErr.Endpoint + "\"\n"
		}
	}
	return f.detailed()
}

// endpointOr is the STS endpoint err is about, or else what.
func (f failure) endpointOr(err error, what string) string {
	if opErr := sentOperation(err); opErr != nil {
		return opErr.Endpoint
	}
	return what
}

// sentOperation is the STS call err is about that sent a request: the
// outermost *sts.OperationError with attempts. For a role profile whose
// AssumeRole failed, that is the AssumeRole, not the GetCallerIdentity
// that never went out.
func sentOperation(err error) *sts.OperationError {
	var found *sts.OperationError
	walkErrors(err, func(e error) bool {
		if op, ok := e.(*sts.OperationError); ok && op.Attempts > 0 {
			found = op
			return false
		}
		return true
	})
	return found
}

// walkErrors calls visit on err and the errors it wraps, depth first, until
// visit returns false.
func walkErrors(err error, visit func(error) bool) {
	var walk func(err error, depth int) bool
	walk = func(err error, depth int) bool {
		if err == nil || depth > 100 {
			return true
		}
		if !visit(err) {
			return false
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			return walk(u.Unwrap(), depth+1)
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if !walk(e, depth+1) {
					return false
				}
			}
		}
		return true
	}
	walk(err, 0)
}

// roleMessage is botocore's message for a role profile that cannot get
// its source credentials: its configuration says nowhere, two places, a
// place that is not there or a loop, or the source found nothing.
func roleMessage(err error) (string, bool) {
	var rc *callerid.RoleConfigError
	if errors.As(err, &rc) {
		switch rc.Kind {
		case callerid.ErrRoleSourceMissing:
			return "Partial credentials found in assume-role, missing: source_profile or credential_source", true
		case callerid.ErrRoleSourceConflict:
			return "The profile \"" + rc.Profile + "\" contains both source_profile and credential_source.", true
		case callerid.ErrCredentialSourceInvalid:
			return "The credential source \"" + rc.CredentialSource + "\" referenced in profile \"" + rc.Profile + "\" is not valid.", true
		case callerid.ErrSourceProfileNotFound:
			return "The source_profile \"" + rc.SourceProfile + "\" referenced in the profile \"" + rc.Profile + "\" does not exist.", true
		case callerid.ErrSourceProfileLoop:
			visited := make([]any, len(rc.Visited))
			for i, v := range rc.Visited {
				visited[i] = v
			}
			return "Infinite loop in credential configuration detected. Attempting to load from profile " + rc.SourceProfile +
				" which has already been visited. Visited profiles: " + pyRepr(visited), true
		}
		return "", false
	}
	// The source that found nothing is the innermost one: a source
	// profile that is itself a role wraps its own source's error.
	var empty *callerid.RoleSourceError
	walkErrors(err, func(e error) bool {
		if rs, ok := e.(*callerid.RoleSourceError); ok {
			empty = rs
		}
		return true
	})
	if empty == nil || !errors.Is(empty.Err, credentials.ErrNotFound) {
		return "", false
	}
	if empty.CredentialSource != "" {
		return "Error when retrieving credentials from " + empty.CredentialSource +
			": No credentials found in credential_source referenced in profile " + empty.Profile, true
	}
	return "The source profile \"" + empty.SourceProfile + "\" must have credentials.", true
}

// regionalEndpointsMessage is botocore's message for an
// sts_regional_endpoints (or AWS_STS_REGIONAL_ENDPOINTS) that is neither
// "legacy" nor "regional", which LoadConfig refuses with a
// *callerid.ValueError inside a *callerid.ConfigError naming the setting.
func regionalEndpointsMessage(err error) (string, bool) {
	var cfgErr *callerid.ConfigError
	var valErr *callerid.ValueError
	if !errors.As(err, &cfgErr) || !errors.As(cfgErr, &valErr) ||
		cfgErr.Setting != "sts_regional_endpoints" && cfgErr.Setting != "AWS_STS_REGIONAL_ENDPOINTS" {
		return "", false
	}
	return `STS regional endpoints option ` + valErr.Value + ` is invalid. Valid options are: "legacy", "regional"`, true
}

// retryModeMessage is botocore's message for a retry_mode (or
// AWS_RETRY_MODE) other than "legacy", "standard" or "adaptive", which
// LoadConfig refuses with a *callerid.ValueError inside a
// *callerid.ConfigError naming the setting.
func retryModeMessage(err error) (string, bool) {
	var cfgErr *callerid.ConfigError
	var valErr *callerid.ValueError
	if !errors.As(err, &cfgErr) || !errors.As(cfgErr, &valErr) ||
		cfgErr.Setting != "retry_mode" && cfgErr.Setting != "AWS_RETRY_MODE" {
		return "", false
	}
	return `Invalid value provided to "mode": "` + valErr.Value + `" must be one of: ('legacy', 'standard', 'adaptive')`, true
}

// paramMessage is botocore's report of the parameters of an STS call
// below their model's minimum, which it refuses before sending: one line
// for each *sts.ParamError in err that is, "Invalid length for parameter
// NAME, value: LENGTH, valid min length: MIN" for a string,
// "Invalid value for parameter NAME, value: N, valid min value: MIN" for
// a number. The other errors (a value too long, a character not allowed)
// botocore leaves to STS, and whoami says what is wrong in the library's
// words.
func paramMessage(err error) (string, bool) {
	var lines []string
	walkErrors(err, func(e error) bool {
		p, ok := e.(*sts.ParamError)
		switch {
		case !ok || strings.Contains(p.Param, "."):
		case p.Kind == sts.ErrParamLength && p.Length < p.Min:
			lines = append(lines, "Invalid length for parameter "+p.Param+", value: "+strconv.Itoa(p.Length)+", valid min length: "+strconv.Itoa(p.Min))
		case p.Kind == sts.ErrParamRange && p.Number < int64(p.Min):
			lines = append(lines, "Invalid value for parameter "+p.Param+", value: "+strconv.FormatInt(p.Number, 10)+", valid min value: "+strconv.Itoa(p.Min))
		}
		return true
	})
	if len(lines) == 0 {
		return "", false
	}
	return "Parameter validation failed:\n" + strings.Join(lines, "\n"), true
}

// ssoMessage is botocore's message for a profile that uses IAM Identity
// Center (SSO) when its token is missing, unusable or expired, or its
// configuration is refused, built from the library's typed errors.
//
// For a *credentials.SSOTokenError, by its Kind:
//
//   - ErrSSOTokenNotFound: Error loading SSO Token: Token for NAME does
//     not exist (NAME: the sso_session, or the start URL in the legacy
//     form)
//   - ErrSSOTokenInvalid: Error loading SSO Token: Token for START_URL is
//     invalid (botocore names the start URL in both forms)
//   - ErrSSOTokenExpired: Error when retrieving token from sso: Token has
//     expired and refresh failed
//   - ErrSSOSessionExpired: The SSO session associated with this profile
//     has expired or is otherwise invalid. To refresh this SSO session
//     run aws sso login with the corresponding profile.
//
// One case differs: for a cache file that is not JSON, or cannot be
// opened, botocore lets a KeyError escape and the CLI prints only the
// quoted cache key; whoami gives the "is invalid" text instead.
//
// For a *callerid.SSOConfigError, by its Kind:
//
//   - ErrSSOConfigMissing: The profile "P" is configured to use SSO but
//     is missing required configuration: KEY, KEY
//   - ErrSSOSessionNotFound: The specified sso-session does not exist:
//     "NAME"
//   - ErrSSOConfigInconsistent: The value for KEY is inconsistent between
//     profile (VALUE) and sso-session (VALUE).
func ssoMessage(err error) (string, bool) {
	var tok *credentials.SSOTokenError
	if errors.As(err, &tok) {
		switch tok.Kind {
		case credentials.ErrSSOTokenNotFound:
			name := tok.StartURL
			if tok.SessionName != "" {
				name = tok.SessionName
			}
			return "Error loading SSO Token: Token for " + name + " does not exist", true
		case credentials.ErrSSOTokenInvalid:
			return "Error loading SSO Token: Token for " + tok.StartURL + " is invalid", true
		case credentials.ErrSSOTokenExpired:
			return "Error when retrieving token from sso: Token has expired and refresh failed", true
		case credentials.ErrSSOSessionExpired:
			return "The SSO session associated with this profile has expired or is otherwise invalid. " +
				"To refresh this SSO session run aws sso login with the corresponding profile.", true
		}
		return "", false
	}
	var cfg *callerid.SSOConfigError
	if errors.As(err, &cfg) {
		switch cfg.Kind {
		case callerid.ErrSSOConfigMissing:
			return `The profile "` + cfg.Profile + `" is configured to use SSO but is missing required configuration: ` + strings.Join(cfg.Missing, ", "), true
		case callerid.ErrSSOSessionNotFound:
			return `The specified sso-session does not exist: "` + cfg.Session + `"`, true
		case callerid.ErrSSOConfigInconsistent:
			return "The value for " + cfg.Key + " is inconsistent between profile (" + cfg.ProfileValue + ") and sso-session (" + cfg.SessionValue + ").", true
		}
	}
	return "", false
}

// detailed is the library's own account of err, as --debug prints it.
func (f failure) detailed() string { return "\n" + f.err.Error() + "\n" }

// partialSource names the source of half a key pair as botocore does:
// "env", "shared-credentials-file" or "config-file".
func (f failure) partialSource(err error) string {
	var cfgErr *callerid.ConfigError
	if !errors.As(err, &cfgErr) {
		return "env"
	}
	_, credentialsFile := callerid.SharedFilePaths(f.getenv)
	if cfgErr.Path == credentialsFile {
		return "shared-credentials-file"
	}
	return "config-file"
}

// startError is Python's message for a credential_process the AWS CLI
// could not start, "[Errno 2] No such file or directory: 'prog'", for
// the errors both fail with.
func startError(err error) (string, bool) {
	var exit *credentials.ProcessExitError
	if errors.As(err, &exit) {
		return "", false
	}
	var execErr *exec.Error
	if errors.As(err, &execErr) && errors.Is(execErr.Err, exec.ErrNotFound) {
		return "[Errno 2] No such file or directory: " + pyQuote(execErr.Name), true
	}
	var pathErr *fs.PathError
	var errno syscall.Errno
	if errors.As(err, &pathErr) && errors.As(pathErr.Err, &errno) {
		if text, ok := pythonStrerror[errno]; ok {
			return "[Errno " + strconv.Itoa(int(errno)) + "] " + text + ": " + pyQuote(pathErr.Path), true
		}
	}
	return "", false
}

// pythonStrerror is the C library's text for the errors that starting a
// program gives, as Python prints them.
var pythonStrerror = map[syscall.Errno]string{
	syscall.ENOENT:       "No such file or directory",
	syscall.EACCES:       "Permission denied",
	syscall.ENOEXEC:      "Exec format error",
	syscall.ENOTDIR:      "Not a directory",
	syscall.EISDIR:       "Is a directory",
	syscall.ELOOP:        "Too many levels of symbolic links",
	syscall.ENAMETOOLONG: "File name too long",
}

// apiErrorIn finds the *sts.APIError in err and the *sts.OperationError
// of the call it answered, the nearest one around it: for a role
// profile, the AssumeRole inside GetCallerIdentity.
func apiErrorIn(err error) (*sts.APIError, *sts.OperationError) {
	var walk func(err error, op *sts.OperationError, depth int) (*sts.APIError, *sts.OperationError)
	walk = func(err error, op *sts.OperationError, depth int) (*sts.APIError, *sts.OperationError) {
		if err == nil || depth > 100 {
			return nil, nil
		}
		switch e := err.(type) {
		case *sts.APIError:
			if op == nil {
				op = &sts.OperationError{Operation: "GetCallerIdentity"}
			}
			return e, op
		case *sts.OperationError:
			op = e
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			return walk(u.Unwrap(), op, depth+1)
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if a, o := walk(e, op, depth+1); a != nil {
					return a, o
				}
			}
		}
		return nil, nil
	}
	return walk(err, nil, 0)
}

// processOutputMessage is botocore's reason for a credential_process
// output without Version 1 or without a key pair. Where botocore fails
// in Python's own words (json.loads' "Expecting value: line 1 column 1
// (char 0)", dateutil's "Unknown string format: ..."), or accepts what
// the library refuses, it is the library's reason, which says what is
// wrong with the output.
func processOutputMessage(e *credentials.ProcessOutputError) string {
	const unsupported = " for credential process provider, supported versions: 1"
	switch {
	case e.Key == "Version" && e.Missing:
		return "Unsupported version '<Version key not provided>'" + unsupported
	case e.Key == "Version":
		// botocore formats the value as Python's str() does. It takes
		// true as 1, which the library does not.
		if v, ok := parsePyJSON(e.Version); ok {
			if _, isBool := v.(bool); !isBool {
				return "Unsupported version '" + pyStr(v) + "'" + unsupported
			}
		}
	case e.Missing && (e.Key == "AccessKeyId" || e.Key == "SecretAccessKey"):
		return "Missing required key in response: " + pyQuote(e.Key)
	}
	return e.Error()
}
