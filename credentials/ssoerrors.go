package credentials

import (
	"errors"
	"strconv"
	"strings"
)

// The kinds of SSOTokenError, for errors.Is. Each is what went wrong with
// the IAM Identity Center access token; SSOTokenError.CLIMessage gives the
// AWS CLI's words for it.
var (
	// ErrSSOTokenNotFound: the token cache has no file for the session or
	// start URL (or the name is not a regular file). The user has not run
	// "aws sso login", or ran it for another session.
	ErrSSOTokenNotFound = errors.New("SSO token not found in the cache")
	// ErrSSOTokenInvalid: the cache file is there but cannot be used: it
	// cannot be read, is not JSON, is too large, or lacks accessToken or
	// expiresAt.
	ErrSSOTokenInvalid = errors.New("SSO token in the cache is invalid")
	// ErrSSOTokenExpired: the token of an sso_session profile has expired
	// and could not be refreshed (no refresh token or registration in the
	// cache, the registration has expired, or SSO OIDC refused or failed;
	// the cause says which).
	ErrSSOTokenExpired = errors.New("SSO token has expired and refresh failed")
	// ErrSSOSessionExpired: the token of a legacy profile (no sso_session)
	// has expired, or the portal refused the token (UnauthorizedException),
	// whatever the form.
	ErrSSOSessionExpired = errors.New("SSO session has expired or is otherwise invalid")
)

// SSOTokenError is the error of an IAM Identity Center token that is
// missing, unusable or expired: errors.Is(err, Kind) holds for its Kind, one
// of ErrSSOTokenNotFound, ErrSSOTokenInvalid, ErrSSOTokenExpired and
// ErrSSOSessionExpired, and errors.As reaches its cause (an *fs.PathError,
// the *url.Error of a failed refresh, ...).
//
// Error is the AWS CLI's message (CLIMessage) followed by the cause, if
// any. It never includes a token.
type SSOTokenError struct {
	// Kind says what is wrong; one of the ErrSSOToken… sentinels.
	Kind error
	// SessionName is the sso_session, empty for the legacy form.
	SessionName string
	// StartURL is the sso_start_url.
	StartURL string
	// Path is the token cache file, when one was looked at.
	Path string
	// Err is the cause, or nil.
	Err error
}

// CLIMessage returns what the AWS CLI v1 (botocore) prints for the same
// failure, byte for byte, without the line breaks it puts around it:
//
//   - ErrSSOTokenNotFound: "Error loading SSO Token: Token for NAME does
//     not exist", NAME being the sso_session, or the start URL in the
//     legacy form;
//   - ErrSSOTokenInvalid: "Error loading SSO Token: Token for START_URL is
//     invalid" (botocore names the start URL in both forms);
//   - ErrSSOTokenExpired: "Error when retrieving token from sso: Token has
//     expired and refresh failed";
//   - ErrSSOSessionExpired: "The SSO session associated with this profile
//     has expired or is otherwise invalid. To refresh this SSO session run
//     aws sso login with the corresponding profile."
//
// One case differs: for a cache file that is not JSON, or cannot be
// opened, botocore lets a KeyError escape and the CLI prints only the
// quoted cache key; CLIMessage gives the "is invalid" text instead.
func (e *SSOTokenError) CLIMessage() string {
	switch e.Kind {
	case ErrSSOTokenNotFound:
		name := e.StartURL
		if e.SessionName != "" {
			name = e.SessionName
		}
		return "Error loading SSO Token: Token for " + name + " does not exist"
	case ErrSSOTokenInvalid:
		return "Error loading SSO Token: Token for " + e.StartURL + " is invalid"
	case ErrSSOTokenExpired:
		return "Error when retrieving token from sso: Token has expired and refresh failed"
	case ErrSSOSessionExpired:
		return "The SSO session associated with this profile has expired or is otherwise invalid. " +
			"To refresh this SSO session run aws sso login with the corresponding profile."
	}
	if e.Kind != nil {
		return e.Kind.Error()
	}
	return "SSO token error"
}

// Error returns CLIMessage, then ": " and the cause when there is one.
func (e *SSOTokenError) Error() string {
	if e.Err == nil {
		return e.CLIMessage()
	}
	return e.CLIMessage() + ": " + e.Err.Error()
}

// Unwrap returns the Kind and the cause.
func (e *SSOTokenError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// SSOServiceError is an answer other than 200 OK from the IAM Identity
// Center portal (GetRoleCredentials) or SSO OIDC (CreateToken): an error the
// service describes, such as UnauthorizedException, or a redirect, which is
// never followed. It comes wrapped in a *url.Error naming the operation
// and the URL (and that in an *SSOAttemptsError when the call was
// retried: a 429 or a 5xx is, see SSORetryOptions).
//
// Code and Message come from the peer: they are cut to a bounded length,
// control characters are replaced and any token the request carried is
// replaced by "<redacted>".
type SSOServiceError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is the service's error code, e.g. "UnauthorizedException",
	// "InvalidGrantException" (from the x-amzn-ErrorType header or the
	// body); empty when the answer has none, as an HTML page from a proxy.
	Code string
	// Message is the service's message, or the start of a body that is not
	// a JSON error document.
	Message string
	// Location is where a 3xx answer points. A redirect with a Location
	// is refused before it comes here, as a *RedirectError; this holds
	// the Location of other 3xx answers (a 304, say), if any.
	Location string
	// RequestID is the x-amzn-RequestId header, if any.
	RequestID string
}

// Error returns "HTTP 401 UnauthorizedException: "message"", or for a
// redirect "HTTP 302 redirect to "location" refused".
func (e *SSOServiceError) Error() string {
	var b strings.Builder
	b.WriteString("HTTP ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.StatusCode >= 300 && e.StatusCode < 400 {
		b.WriteString(" redirect to ")
		b.WriteString(strconv.Quote(e.Location))
		b.WriteString(" refused (redirects are never followed)")
		return b.String()
	}
	if e.Code != "" {
		b.WriteString(" ")
		if plainCode(e.Code) {
			b.WriteString(e.Code)
		} else {
			b.WriteString(strconv.Quote(e.Code))
		}
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(strconv.Quote(e.Message))
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(strconv.Quote(e.RequestID))
		b.WriteString(")")
	}
	return b.String()
}

// plainCode reports whether an error code is a plain name, printed as it
// is; any other code is quoted.
func plainCode(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}
