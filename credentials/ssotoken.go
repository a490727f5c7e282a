package credentials

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/callerid/callerid/internal/regularfile"
)

// maxSSOCacheFileSize bounds what is read of a token cache file; the files
// "aws sso login" writes are a few KiB.
const maxSSOCacheFileSize = 256 << 10

// SSOTokenRefreshWindow is how long before its expiry an sso_session
// token is refreshed, as botocore's SSOTokenProvider does: a token that
// expires within 15 minutes is refreshed if it can be, and used as it is
// if the refresh fails but the token has not expired yet.
const SSOTokenRefreshWindow = 15 * time.Minute

// ssoTimeFormat is how botocore writes times into the token cache.
const ssoTimeFormat = "2006-01-02T15:04:05Z"

// SSOToken is an IAM Identity Center (SSO) access token, as "aws sso
// login" leaves it in the token cache, and when it expires.
//
// The token itself is held as a Secret: only AccessToken returns it;
// String, GoString, Format (every fmt verb), MarshalJSON and LogValue show
// Redacted in its place, and Equal lets go-cmp compare tokens without
// looking inside.
type SSOToken struct {
	// Expires is when the token stops working.
	Expires time.Time

	accessToken Secret
}

func newSSOToken(accessToken string, expires time.Time) SSOToken {
	return SSOToken{Expires: expires, accessToken: NewSecret(accessToken)}
}

// AccessToken returns the bearer token.
func (t SSOToken) AccessToken() string { return t.accessToken.Reveal() }

// Equal reports whether t and o are the same token with the same expiry.
func (t SSOToken) Equal(o SSOToken) bool {
	return t.Expires.Equal(o.Expires) && t.accessToken.Equal(o.accessToken)
}

// String describes t without the token.
func (t SSOToken) String() string {
	s := "SSOToken{"
	if !t.accessToken.IsZero() {
		s += "AccessToken: " + t.accessToken.String() + ", "
	}
	return s + "Expires: " + t.Expires.UTC().Format(time.RFC3339) + "}"
}

// GoString is String, so %#v does not show the token.
func (t SSOToken) GoString() string { return t.String() }

// Format writes String for every verb, so no fmt verb shows the token.
func (t SSOToken) Format(f fmt.State, _ rune) { io.WriteString(f, t.String()) }

// MarshalJSON writes {"AccessToken":"<redacted>","Expires":"..."}.
func (t SSOToken) MarshalJSON() ([]byte, error) {
	v := struct {
		AccessToken *Secret   `json:"AccessToken,omitempty"`
		Expires     time.Time `json:"Expires"`
	}{Expires: t.Expires.UTC()}
	if !t.accessToken.IsZero() {
		v.AccessToken = &t.accessToken
	}
	return json.Marshal(v)
}

// LogValue has log/slog log t as a group of AccessToken (Redacted) and
// Expires.
func (t SSOToken) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("AccessToken", t.accessToken), slog.Time("Expires", t.Expires.UTC()))
}

// SSOTokenProvider reads the IAM Identity Center access token that "aws sso
// login" cached, as botocore does, and refreshes it through SSO OIDC
// CreateToken when it can.
//
// The cache file is CacheDir/SHA1.json, SHA1 being the hex SHA-1 of
// SessionName (a profile with sso_session) or, in the legacy form without
// sso_session, of StartURL.
//
// In the sso_session form, a token that expires within
// SSOTokenRefreshWindow is refreshed with the refresh token and client
// registration the cache holds, if it holds them and the registration has
// not expired; the new token is written back to the cache file, atomically
// and with mode 0600, with the fields botocore writes (startUrl, region,
// accessToken, expiresAt, clientId, clientSecret, registrationExpiresAt and
// refreshToken if SSO OIDC sent one). CreateToken is retried as Retry
// says. If the refresh fails, a token that has not expired yet is used as
// it is. The legacy form is never
// refreshed.
//
// Failures are *SSOTokenError values, see there. An SSOTokenProvider is
// safe for concurrent use.
type SSOTokenProvider struct {
	// SessionName is the profile's sso_session; empty for the legacy form.
	SessionName string
	// StartURL is sso_start_url (of the sso-session section, in the
	// sso_session form). Required.
	StartURL string
	// Region is sso_region; it places the default OIDC endpoint.
	Region string
	// DNSSuffix is the DNS suffix of the default OIDC endpoint (used when
	// OIDCEndpoint is empty); empty means "amazonaws.com", the aws
	// partition's. A Region in another partition (cn-north-1:
	// "amazonaws.com.cn") needs it, or an explicit OIDCEndpoint.
	// callerid.LoadConfig sets it to the DNS suffix of sso_region's
	// partition, from the arn package.
	DNSSuffix string
	// CacheDir is the token cache directory; empty means
	// HomeDir/.aws/sso/cache.
	CacheDir string
	// HomeDir is the home directory when CacheDir is empty; empty means
	// os.UserHomeDir ($HOME).
	HomeDir string
	// OIDCEndpoint is the SSO OIDC base URL; empty means
	// https://oidc.REGION.DNS_SUFFIX (see DNSSuffix). The config layer
	// sets it from AWS_ENDPOINT_URL_SSO_OIDC or the profile's services
	// section; this type reads no environment.
	OIDCEndpoint string
	// Client sends the CreateToken requests; nil means a client with
	// bounded timeouts that honours HTTPS_PROXY. It is never allowed to
	// follow a redirect (a copy of it is used for that; it is not
	// changed).
	Client *http.Client
	// Retry says how CreateToken is retried: by default as the AWS CLI
	// v1's legacy mode, 429, 5xx and failed connections, at most 5
	// attempts (see SSORetryOptions).
	Retry SSORetryOptions
	// Now returns the time; nil means time.Now.
	Now func() time.Time
}

// CachePath returns the token cache file p reads.
func (p *SSOTokenProvider) CachePath() (string, error) {
	dir := p.CacheDir
	if dir == "" {
		home := p.HomeDir
		if home == "" {
			h, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("finding the SSO token cache: %w", err)
			}
			home = h
		}
		dir = filepath.Join(home, ".aws", "sso", "cache")
	}
	key := p.StartURL
	if p.SessionName != "" {
		key = p.SessionName
	}
	sum := sha1.Sum([]byte(key))
	return filepath.Join(dir, hex.EncodeToString(sum[:])+".json"), nil
}

func (p *SSOTokenProvider) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Token returns a token that has not expired, refreshing it first if it
// is due and can be (sso_session form).
func (p *SSOTokenProvider) Token(ctx context.Context) (SSOToken, error) {
	if p.StartURL == "" {
		return SSOToken{}, errors.New("StartURL (sso_start_url) is empty")
	}
	if _, _, err := p.Retry.rules(); err != nil {
		return SSOToken{}, err
	}
	path, err := p.CachePath()
	if err != nil {
		return SSOToken{}, err
	}
	tokErr := func(kind, cause error) error {
		return &SSOTokenError{Kind: kind, SessionName: p.SessionName, StartURL: p.StartURL, Path: path, Err: cause}
	}
	b, err := readSSOCacheFile(ctx, path)
	if err != nil {
		if ctx.Err() != nil {
			return SSOToken{}, fmt.Errorf("reading the SSO token cache %s: %w", path, err)
		}
		var nf *ssoNotFoundError
		if errors.As(err, &nf) {
			return SSOToken{}, tokErr(ErrSSOTokenNotFound, nf.err)
		}
		return SSOToken{}, tokErr(ErrSSOTokenInvalid, err)
	}
	tok, err := parseSSOCacheFile(b)
	if err != nil {
		return SSOToken{}, tokErr(ErrSSOTokenInvalid, fmt.Errorf("%s: %w", path, err))
	}
	now := p.now()
	if p.SessionName == "" {
		if !now.Before(tok.expiresAt) {
			return SSOToken{}, tokErr(ErrSSOSessionExpired, fmt.Errorf("the token in %s expired at %s", path, tok.expiresAt.UTC().Format(time.RFC3339)))
		}
		return tok.token(), nil
	}
	if tok.expiresAt.Sub(now) >= SSOTokenRefreshWindow {
		return tok.token(), nil
	}
	fresh, rerr := p.refresh(ctx, tok, now)
	if rerr == nil {
		if werr := writeSSOCacheFile(path, fresh); werr != nil {
			return SSOToken{}, fmt.Errorf("saving the refreshed SSO token: %w", werr)
		}
		if p.now().Before(fresh.expiresAt) {
			return fresh.token(), nil
		}
		rerr = fmt.Errorf("SSO OIDC CreateToken returned a token that expired at %s", fresh.expiresAt.UTC().Format(time.RFC3339))
	}
	if ctx.Err() != nil {
		return SSOToken{}, fmt.Errorf("refreshing the SSO token: %w", rerr)
	}
	if now.Before(tok.expiresAt) {
		return tok.token(), nil // due for refresh, not expired: botocore uses it too
	}
	return SSOToken{}, tokErr(ErrSSOTokenExpired, rerr)
}

// refresh asks SSO OIDC for a new token with the cached refresh token.
func (p *SSOTokenProvider) refresh(ctx context.Context, tok ssoCacheToken, now time.Time) (ssoCacheToken, error) {
	if len(tok.cannotRefresh) > 0 {
		return ssoCacheToken{}, fmt.Errorf("the token expired at %s and cannot be refreshed: the cache has no usable %s",
			tok.expiresAt.UTC().Format(time.RFC3339), strings.Join(quoteAll(tok.cannotRefresh), ", "))
	}
	if !now.Before(tok.registrationExpires) {
		return ssoCacheToken{}, fmt.Errorf("the token expired at %s and cannot be refreshed: the client registration expired at %s",
			tok.expiresAt.UTC().Format(time.RFC3339), tok.registrationExpires.UTC().Format(time.RFC3339))
	}
	base, err := ssoEndpoint("OIDCEndpoint", p.OIDCEndpoint, "oidc", p.Region, p.DNSSuffix)
	if err != nil {
		return ssoCacheToken{}, err
	}
	body, err := json.Marshal(struct {
		GrantType    string `json:"grantType"`
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
		RefreshToken string `json:"refreshToken"`
	}{"refresh_token", tok.clientID, tok.secrets().clientSecret, tok.secrets().refreshToken})
	if err != nil {
		return ssoCacheToken{}, err
	}
	u := *base
	u.Path += "/token"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return ssoCacheToken{}, fmt.Errorf("making the CreateToken request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	secrets := []string{tok.secrets().accessToken, tok.secrets().refreshToken, tok.secrets().clientSecret}
	answer, err := ssoCall(ctx, ssoHTTPClient(p.Client), p.Retry, "SSO OIDC CreateToken", req, secrets...)
	if err != nil {
		return ssoCacheToken{}, err
	}
	got, err := parseCreateTokenAnswer(answer)
	if err != nil {
		return ssoCacheToken{}, fmt.Errorf("SSO OIDC CreateToken %s: %w", redactedURL(&u), err)
	}
	fresh := ssoCacheToken{
		startURL:              p.StartURL,
		region:                p.Region,
		expiresAt:             p.now().Add(time.Duration(got.expiresIn) * time.Second),
		clientID:              tok.clientID,
		registrationExpiresAt: tok.registrationExpiresAt,
		registrationExpires:   tok.registrationExpires,
	}
	fresh.setSecrets(ssoCacheSecrets{
		accessToken:  got.accessToken,
		refreshToken: got.refreshToken,
		clientSecret: tok.secrets().clientSecret,
	})
	if got.refreshToken == "" {
		fresh.cannotRefresh = []string{"refreshToken"}
	}
	return fresh, nil
}

// ssoCacheToken is a token cache file's content.
type ssoCacheToken struct {
	startURL, region      string
	expiresAt             time.Time
	clientID              string
	registrationExpiresAt string // as the file has it, written back as it is
	registrationExpires   time.Time
	// cannotRefresh names the keys needed for a refresh that are missing
	// or not strings.
	cannotRefresh                           []string
	accessToken, refreshToken, clientSecret Secret
}

type ssoCacheSecrets struct {
	accessToken, refreshToken, clientSecret string
}

func (t *ssoCacheToken) setSecrets(s ssoCacheSecrets) {
	t.accessToken, t.refreshToken, t.clientSecret = NewSecret(s.accessToken), NewSecret(s.refreshToken), NewSecret(s.clientSecret)
}

func (t ssoCacheToken) secrets() ssoCacheSecrets {
	return ssoCacheSecrets{t.accessToken.Reveal(), t.refreshToken.Reveal(), t.clientSecret.Reveal()}
}

func (t ssoCacheToken) token() SSOToken {
	return newSSOToken(t.secrets().accessToken, t.expiresAt)
}

// parseSSOCacheFile reads a token cache file: a JSON object with string
// accessToken and expiresAt, and, for a refresh, refreshToken, clientId,
// clientSecret and registrationExpiresAt. Errors name keys, never values.
func parseSSOCacheFile(b []byte) (ssoCacheToken, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		return ssoCacheToken{}, jsonError("the token cache file", err)
	}
	if doc == nil {
		return ssoCacheToken{}, errors.New("the token cache file is JSON null, not an object")
	}
	str := func(key string) (string, bool, error) {
		raw, ok := doc[key]
		if !ok {
			return "", false, nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", true, fmt.Errorf("%q is not a string", key)
		}
		return s, true, nil
	}
	var t ssoCacheToken
	var sec ssoCacheSecrets
	access, ok, err := str("accessToken")
	if err != nil {
		return ssoCacheToken{}, err
	}
	if !ok || access == "" {
		return ssoCacheToken{}, errors.New(`the token cache file has no "accessToken"`)
	}
	sec.accessToken = access
	exp, ok, err := str("expiresAt")
	if err != nil {
		return ssoCacheToken{}, err
	}
	if !ok || exp == "" {
		return ssoCacheToken{}, errors.New(`the token cache file has no "expiresAt"`)
	}
	if t.expiresAt, err = parseSSOTime(exp); err != nil {
		return ssoCacheToken{}, fmt.Errorf(`"expiresAt": %w`, err)
	}
	t.startURL, _, _ = str("startUrl")
	t.region, _, _ = str("region")
	for _, k := range []struct {
		key  string
		into *string
	}{
		{"refreshToken", &sec.refreshToken},
		{"clientId", &t.clientID},
		{"clientSecret", &sec.clientSecret},
		{"registrationExpiresAt", &t.registrationExpiresAt},
	} {
		v, _, err := str(k.key)
		if err != nil || v == "" {
			t.cannotRefresh = append(t.cannotRefresh, k.key)
			continue
		}
		*k.into = v
	}
	if t.registrationExpiresAt != "" {
		if t.registrationExpires, err = parseSSOTime(t.registrationExpiresAt); err != nil {
			t.cannotRefresh = append(t.cannotRefresh, "registrationExpiresAt")
		}
	}
	t.setSecrets(sec)
	return t, nil
}

// parseSSOTime reads a time of the token cache: RFC 3339 ("…Z" as botocore
// and the AWS CLI v2 write, or with an offset or fractional seconds), or
// "…UTC" as older botocore wrote.
func parseSSOTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05.999999999UTC", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time", sanitize(s, 64))
}

// createTokenAnswer is what SSO OIDC CreateToken returns.
type createTokenAnswer struct {
	accessToken, refreshToken string
	expiresIn                 int64
}

// parseCreateTokenAnswer reads CreateToken's JSON: accessToken (a
// non-empty string) and expiresIn (a positive whole number of seconds) are
// required; refreshToken is optional. Errors name keys, never values.
func parseCreateTokenAnswer(b []byte) (createTokenAnswer, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		return createTokenAnswer{}, jsonError("the answer", err)
	}
	if doc == nil {
		return createTokenAnswer{}, errors.New("the answer is JSON null, not an object")
	}
	var a createTokenAnswer
	if err := jsonString(doc, "accessToken", &a.accessToken, true); err != nil {
		return createTokenAnswer{}, err
	}
	if err := jsonString(doc, "refreshToken", &a.refreshToken, false); err != nil {
		return createTokenAnswer{}, err
	}
	raw, ok := doc["expiresIn"]
	if !ok {
		return createTokenAnswer{}, errors.New(`the answer has no "expiresIn"`)
	}
	n, err := jsonWholeNumber(raw)
	if err != nil || n <= 0 || n > int64(100*365*24*time.Hour/time.Second) {
		return createTokenAnswer{}, errors.New(`the answer's "expiresIn" is not a positive whole number of seconds`)
	}
	a.expiresIn = n
	return a, nil
}

// jsonString sets *into from doc[key], which must be a string; a missing
// key or JSON null is an error only when required, and so is "".
func jsonString(doc map[string]json.RawMessage, key string, into *string, required bool) error {
	raw, ok := doc[key]
	if ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, into); err != nil {
			return fmt.Errorf("the answer's %q is not a string", key)
		}
	}
	if required && *into == "" {
		return fmt.Errorf("the answer has no %q", key)
	}
	return nil
}

// jsonWholeNumber reads a JSON number that is a whole number written
// without a fraction or exponent.
func jsonWholeNumber(raw json.RawMessage) (int64, error) {
	s := string(bytes.TrimSpace(raw))
	if s == "" || strings.ContainsAny(s, ".eE+") || s[0] == '"' {
		return 0, errors.New("not a whole number")
	}
	return strconv.ParseInt(s, 10, 64)
}

// ssoNotFoundError marks a cache file that is not there, or not a regular
// file: botocore's os.path.isfile is false for both.
type ssoNotFoundError struct{ err error }

func (e *ssoNotFoundError) Error() string { return e.err.Error() }
func (e *ssoNotFoundError) Unwrap() error { return e.err }

// readSSOCacheFile reads the regular file at path, at most
// maxSSOCacheFileSize bytes, giving up when ctx is done. A FIFO or device
// is refused before it is read (and opened without blocking where the
// system allows), so a hostile cache cannot block the caller.
func readSSOCacheFile(ctx context.Context, path string) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := readRegularFile(path)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func readRegularFile(path string) ([]byte, error) {
	b, err := regularfile.Read(path, maxSSOCacheFileSize)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrNotRegularFile) || errors.Is(err, fs.ErrPermission) {
		return nil, &ssoNotFoundError{err}
	}
	return b, err
}

// writeSSOCacheFile replaces the cache file at path with t, as botocore's
// JSONFileCache does: a temporary file (mode 0600) in the same directory,
// synced, then renamed over path.
func writeSSOCacheFile(path string, t ssoCacheToken) (err error) {
	v := struct {
		StartURL              string `json:"startUrl"`
		Region                string `json:"region"`
		AccessToken           string `json:"accessToken"`
		ExpiresAt             string `json:"expiresAt"`
		ClientID              string `json:"clientId"`
		ClientSecret          string `json:"clientSecret"`
		RegistrationExpiresAt string `json:"registrationExpiresAt"`
		RefreshToken          string `json:"refreshToken,omitempty"`
	}{
		StartURL:              t.startURL,
		Region:                t.region,
		AccessToken:           t.secrets().accessToken,
		ExpiresAt:             t.expiresAt.UTC().Format(ssoTimeFormat),
		ClientID:              t.clientID,
		ClientSecret:          t.secrets().clientSecret,
		RegistrationExpiresAt: t.registrationExpiresAt,
		RefreshToken:          t.secrets().refreshToken,
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
