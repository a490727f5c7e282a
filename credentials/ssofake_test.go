package credentials_test

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
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

// recorded is a request one of the fakes got.
type recorded struct {
	Method, Path, RawQuery string
	Bearer                 string            // x-amz-sso_bearer_token
	Body                   map[string]string // a CreateToken body
}

// roleCreds is what the fake portal hands out for a role.
type roleCreds struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	ExpirationMS                               int64
}

// fakeSSO is an IAM Identity Center portal (GetRoleCredentials) and SSO
// OIDC (CreateToken) on loopback. The portal accepts the access tokens in
// valid and answers for the roles in roles; OIDC exchanges refresh for
// newAccess (and newRefresh, if set), adding it to valid.
type fakeSSO struct {
	mu         sync.Mutex
	valid      map[string]bool
	roles      map[string]roleCreds // "account/role"
	clientID   string
	secret     string
	refresh    string
	newAccess  string
	newRefresh string
	expiresIn  int
	portalReqs []recorded
	oidcReqs   []recorded
	// portal and oidc, if set, answer instead.
	portal, oidc http.HandlerFunc

	srv *httptest.Server
}

func newFakeSSO(t *testing.T) *fakeSSO {
	t.Helper()
	f := &fakeSSO{
		valid: map[string]bool{ssoAccess: true},
		roles: map[string]roleCreds{ssoAccount + "/" + ssoRole: {
			AccessKeyID: ssoAccessKeyID, SecretAccessKey: ssoSecretKey, SessionToken: ssoSessionToken, ExpirationMS: ssoExpirationMS,
		}},
		clientID: ssoClientID, secret: ssoClientSecret, refresh: ssoRefresh,
		newAccess: ssoNewAccess, newRefresh: ssoNewRefresh, expiresIn: 28800,
	}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSSO) URL() string { return f.srv.URL }

func (f *fakeSSO) PortalRequests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.portalReqs...)
}

func (f *fakeSSO) OIDCRequests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.oidcReqs...)
}

func (f *fakeSSO) setRole(account, role string, c roleCreds) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roles[account+"/"+role] = c
}

func writeJSONAnswer(w http.ResponseWriter, status int, errType string, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-amzn-RequestId", "req-1")
	if errType != "" {
		w.Header().Set("x-amzn-ErrorType", errType)
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *fakeSSO) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := recorded{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Bearer: r.Header.Get("x-amz-sso_bearer_token")}
	switch {
	case r.URL.Path == "/federation/credentials":
		f.mu.Lock()
		f.portalReqs = append(f.portalReqs, rec)
		h := f.portal
		f.mu.Unlock()
		if h != nil {
			h(w, r)
			return
		}
		f.servePortal(w, r)
	case r.URL.Path == "/token":
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		json.Unmarshal(b, &rec.Body)
		f.mu.Lock()
		f.oidcReqs = append(f.oidcReqs, rec)
		h := f.oidc
		f.mu.Unlock()
		if h != nil {
			h(w, r)
			return
		}
		f.serveOIDC(w, rec.Body)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeSSO) servePortal(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Method != http.MethodGet {
		writeJSONAnswer(w, 405, "", map[string]string{"message": "method not allowed"})
		return
	}
	if !f.valid[r.Header.Get("x-amz-sso_bearer_token")] {
		writeJSONAnswer(w, 401, "UnauthorizedException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/",
			map[string]string{"message": "Session token not found or invalid"})
		return
	}
	q := r.URL.Query()
	c, ok := f.roles[q.Get("account_id")+"/"+q.Get("role_name")]
	if !ok {
		writeJSONAnswer(w, 403, "ForbiddenException", map[string]string{"message": "No access"})
		return
	}
	writeJSONAnswer(w, 200, "", map[string]any{"roleCredentials": map[string]any{
		"accessKeyId": c.AccessKeyID, "secretAccessKey": c.SecretAccessKey, "sessionToken": c.SessionToken, "expiration": c.ExpirationMS,
	}})
}

func (f *fakeSSO) serveOIDC(w http.ResponseWriter, body map[string]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if body["grantType"] != "refresh_token" {
		writeJSONAnswer(w, 400, "UnsupportedGrantTypeException", map[string]string{"error": "unsupported_grant_type"})
		return
	}
	if body["clientId"] != f.clientID || body["clientSecret"] != f.secret {
		writeJSONAnswer(w, 401, "InvalidClientException", map[string]string{"error": "invalid_client", "error_description": "Invalid client " + body["clientSecret"]})
		return
	}
	if body["refreshToken"] != f.refresh {
		writeJSONAnswer(w, 400, "InvalidGrantException", map[string]string{"error": "invalid_grant", "error_description": "Invalid refresh token " + body["refreshToken"]})
		return
	}
	f.valid[f.newAccess] = true
	ans := map[string]any{"accessToken": f.newAccess, "tokenType": "Bearer", "expiresIn": f.expiresIn}
	if f.newRefresh != "" {
		ans["refreshToken"] = f.newRefresh
		f.refresh = f.newRefresh
	}
	writeJSONAnswer(w, 200, "", ans)
}

// cacheKey is botocore's: the hex SHA-1 of the session name, or of the
// start URL in the legacy form.
func cacheKey(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// writeCache writes a token cache file for name (session name or start
// URL) into dir and returns its path.
func writeCache(t *testing.T, dir, name string, v any) string {
	t.Helper()
	b, ok := v.([]byte)
	if !ok {
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, cacheKey(name)+".json")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
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
