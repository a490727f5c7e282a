package credentials

import (
	"errors"
	"strconv"
	"strings"

	"github.com/callerid/callerid/internal/peertext"
)

// The kinds of SSOTokenError, for errors.Is. Each is what went wrong with
// the IAM Identity Center access token. (A program that speaks as the AWS
// CLI builds the CLI's message from the Kind and the SessionName and
// StartURL, as examples/whoami does.)
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
// Error names the token by its sso_session, or by its sso_start_url in the
// legacy form, then says what is wrong (the Kind) and why (the cause). It
// never includes a token or anything else the cache file holds but its
// keys' names.
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

// Error returns `sso_session "NAME": KIND: CAUSE`, or in the legacy form
// `sso_start_url "URL": KIND: CAUSE`, KIND being the text of Kind, and
// without ": CAUSE" when there is no cause. For example:
//
//	sso_session "corp": SSO token not found in the cache: open /home/alice/.aws/sso/cache/6e8c….json: no such file or directory
func (e *SSOTokenError) Error() string {
	var b strings.Builder
	if e.SessionName != "" {
		b.WriteString("sso_session ")
		b.WriteString(peertext.Quote(e.SessionName))
	} else {
		b.WriteString("sso_start_url ")
		b.WriteString(peertext.Quote(e.StartURL))
	}
	b.WriteString(": ")
	if e.Kind != nil {
		b.WriteString(e.Kind.Error())
	} else {
		b.WriteString("SSO token error")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
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
// retried, which answers are as SSORetryOptions.Mode's rules say: see
// SSORetryLegacy and SSORetryStandard).
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
