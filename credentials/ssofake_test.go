package credentials_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/callerid/callerid/internal/ssotest"
)

// Planted secrets: no output, error or log may show them.
const (
	ssoAccess        = "SSOACCESSTOKEN-planted-aaaa"
	ssoRefresh       = "SSOREFRESHTOKEN-planted-bbbb"
	ssoClientSecret  = "SSOCLIENTSECRET-planted-cccc"
	ssoNewAccess     = "SSONEWACCESSTOKEN-planted-dddd"
	ssoNewRefresh    = "SSONEWREFRESHTOKEN-planted-eeee"
	ssoSecretKey     = "SSOSECRETACCESSKEY/planted+ffff"
	ssoSessionToken  = "SSOSESSIONTOKEN-planted-gggg"
	ssoClientID      = "client-id-1"
	ssoAccount       = "123456789012"
	ssoRole          = "ReadOnly"
	ssoStartURL      = "https://d-1234567890.awsapps.com/start"
	ssoSessionName   = "corp"
	ssoRegion        = "eu-west-1"
	ssoAccessKeyID   = "ASIASSOEXAMPLE"
	ssoExpirationMS  = int64(1924992000000) // 2031-01-01T00:00:00Z
	ssoCLIExpiration = "2031-01-01T00:00:00Z"
)

var plantedSecrets = []string{ssoAccess, ssoRefresh, ssoClientSecret, ssoNewAccess, ssoNewRefresh, ssoSecretKey, ssoSessionToken}

// The fake IAM Identity Center, shared with the root package's tests.
type (
	recorded  = ssotest.Request
	roleCreds = ssotest.RoleCredentials
	fakeSSO   = ssotest.Server
)

var writeJSONAnswer = ssotest.WriteJSON

// newFakeSSO starts a fake portal and SSO OIDC that know the planted
// tokens and the role ssoAccount/ssoRole.
func newFakeSSO(t *testing.T) *fakeSSO {
	t.Helper()
	f := &fakeSSO{
		Valid: map[string]bool{ssoAccess: true},
		Roles: map[string]roleCreds{ssoAccount + "/" + ssoRole: {
			AccessKeyID: ssoAccessKeyID, SecretAccessKey: ssoSecretKey, SessionToken: ssoSessionToken, ExpirationMS: ssoExpirationMS,
		}},
		ClientID: ssoClientID, ClientSecret: ssoClientSecret, RefreshToken: ssoRefresh,
		NewAccessToken: ssoNewAccess, NewRefreshToken: ssoNewRefresh, ExpiresIn: 28800,
	}
	return f.Start(t)
}

// cacheKey is botocore's: the hex SHA-1 of the session name, or of the
// start URL in the legacy form.
func cacheKey(s string) string { return ssotest.CacheKey(s) }

// writeCache writes a token cache file for name (session name or start
// URL) into dir and returns its path.
func writeCache(t *testing.T, dir, name string, v any) string {
	t.Helper()
	return ssotest.WriteCache(t, dir, name, v)
}

// cacheToken is a cache file as "aws sso login" (CLI v2) writes it for an
// sso_session: with the registration, so the token can be refreshed.
func cacheToken(expires time.Time) map[string]string {
	return map[string]string{
		"startUrl":              ssoStartURL,
		"region":                ssoRegion,
		"accessToken":           ssoAccess,
		"expiresAt":             expires.UTC().Format(time.RFC3339),
		"clientId":              ssoClientID,
		"clientSecret":          ssoClientSecret,
		"registrationExpiresAt": expires.Add(90 * 24 * time.Hour).UTC().Format(time.RFC3339),
		"refreshToken":          ssoRefresh,
	}
}

// legacyToken is a cache file of the legacy form: no registration.
func legacyToken(expires time.Time) map[string]string {
	return map[string]string{
		"startUrl":    ssoStartURL,
		"region":      ssoRegion,
		"accessToken": ssoAccess,
		"expiresAt":   expires.UTC().Format(time.RFC3339),
	}
}

func checkNoSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, sec := range plantedSecrets {
		if strings.Contains(s, sec) {
			t.Errorf("%s shows the planted secret %q: %s", what, sec, s)
		}
	}
}

func slogText(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
func slogJSON(w io.Writer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }
