// Package ssotest is a fake IAM Identity Center for tests: the portal's
// GetRoleCredentials and SSO OIDC's CreateToken on one loopback server,
// and helpers that write the token cache files "aws sso login" leaves.
// Only tests import it.
package ssotest

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Profiles holds both forms of SSO profile, as "aws configure sso"
// writes them: "session" (with its [sso-session corp]) and "legacy", for
// account 123456789012 and role ReadOnly, start URL StartURL, SSO region
// eu-west-1, each profile in us-east-1.
const Profiles = `[profile session]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = us-east-1

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[profile legacy]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = us-east-1
`

// RoleProfiles are two role profiles whose source_profile is each of
// Profiles': "role-via-session" and "role-via-legacy".
const RoleProfiles = `
[profile role-via-session]
role_arn = arn:aws:iam::222222222222:role/deploy
role_session_name = ci
source_profile = session

[profile role-via-legacy]
role_arn = arn:aws:iam::222222222222:role/deploy
role_session_name = ci
source_profile = legacy
`

// StartURL is the start URL of Profiles.
const StartURL = "https://d-1234567890.awsapps.com/start"

// Request is a request the fake got.
type Request struct {
	Method, Path, RawQuery string
	Bearer                 string            // x-amz-sso_bearer_token
	Body                   map[string]string // a CreateToken body
}

// RoleCredentials is what the fake portal hands out for a role.
type RoleCredentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	ExpirationMS                               int64 // milliseconds since 1970
}

// Server is the portal (GET /federation/credentials) and SSO OIDC (POST
// /token). The portal accepts the access tokens in Valid and answers for
// the roles in Roles ("ACCOUNT/ROLE"); OIDC exchanges RefreshToken,
// presented with ClientID and ClientSecret, for NewAccessToken (and
// NewRefreshToken, if set), adding it to Valid.
//
// Set the fields before the first request. A Server is an http.Handler;
// Start serves it on loopback.
type Server struct {
	Valid           map[string]bool
	Roles           map[string]RoleCredentials
	ClientID        string
	ClientSecret    string
	RefreshToken    string
	NewAccessToken  string
	NewRefreshToken string
	ExpiresIn       int // seconds, of the tokens CreateToken hands out
	// Portal and OIDC, if set, answer instead of the fake's own logic
	// (the request is still recorded).
	Portal, OIDC http.HandlerFunc
	// PortalFailures and OIDCFailures, if set, answer the first requests
	// of the portal and of SSO OIDC, one each, in order; the requests
	// after them get the answers they would get without. Each request is
	// recorded whatever answers it.
	PortalFailures, OIDCFailures []Failure

	mu         sync.Mutex
	portalReqs []Request
	oidcReqs   []Request
	srv        *httptest.Server
}

// Failure is an answer that fails a request: HTTP Status with Code in
// x-amzn-ErrorType (if set) and a JSON body with Message, as the SSO
// services answer errors; or, if Reset is set, no answer at all: the
// connection is reset as soon as the request has arrived; or, if Cut is
// set, an answer cut short: HTTP 200 and a Content-Length, then the
// connection closes halfway through the body.
type Failure struct {
	Status  int
	Code    string
	Message string
	Reset   bool
	Cut     bool
}

// serve answers with f.
func (f Failure) serve(w http.ResponseWriter) {
	if !f.Reset && !f.Cut {
		WriteJSON(w, f.Status, f.Code, map[string]string{"message": f.Message})
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // the server closes the connection
	}
	if f.Cut {
		const body = `{"roleCredentials": {"accessKeyId": "ASIA`
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", 2*len(body), body)
		buf.Flush()
		conn.Close()
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // close sends a RST, not a FIN
	}
	conn.Close()
}

// nextFailure takes the first of *fs, if any. s.mu must be held.
func nextFailure(fs *[]Failure) (Failure, bool) {
	if len(*fs) == 0 {
		return Failure{}, false
	}
	f := (*fs)[0]
	*fs = (*fs)[1:]
	return f, true
}

// Start serves s on 127.0.0.1 until t ends and returns s.
func (s *Server) Start(t testing.TB) *Server {
	t.Helper()
	s.srv = httptest.NewServer(s)
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the base URL of the started server: the portal's and SSO OIDC's
// endpoint.
func (s *Server) URL() string { return s.srv.URL }

// PortalRequests returns the GetRoleCredentials requests so far.
func (s *Server) PortalRequests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.portalReqs...)
}

// OIDCRequests returns the CreateToken requests so far.
func (s *Server) OIDCRequests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.oidcReqs...)
}

// SetRole sets what the portal hands out for account's role.
func (s *Server) SetRole(account, role string, c RoleCredentials) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Roles == nil {
		s.Roles = map[string]RoleCredentials{}
	}
	s.Roles[account+"/"+role] = c
}

// SetPortalFailures sets PortalFailures: for use after Start.
func (s *Server) SetPortalFailures(fs ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.PortalFailures = fs
}

// SetOIDCFailures sets OIDCFailures: for use after Start.
func (s *Server) SetOIDCFailures(fs ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.OIDCFailures = fs
}

// SetRefreshToken sets the refresh token OIDC accepts, which a refresh
// that hands out NewRefreshToken changes: for use after Start.
func (s *Server) SetRefreshToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.RefreshToken = token
}

// WriteJSON answers with status and v as JSON, the error type errType
// (if set) in x-amzn-ErrorType, as the SSO services do.
func WriteJSON(w http.ResponseWriter, status int, errType string, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-amzn-RequestId", "req-1")
	if errType != "" {
		w.Header().Set("x-amzn-ErrorType", errType)
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// ServeHTTP answers as the portal or SSO OIDC.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Bearer: r.Header.Get("x-amz-sso_bearer_token")}
	switch r.URL.Path {
	case "/federation/credentials":
		s.mu.Lock()
		s.portalReqs = append(s.portalReqs, rec)
		h := s.Portal
		fail, failing := nextFailure(&s.PortalFailures)
		s.mu.Unlock()
		if failing {
			fail.serve(w)
			return
		}
		if h != nil {
			h(w, r)
			return
		}
		s.servePortal(w, r)
	case "/token":
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		json.Unmarshal(b, &rec.Body)
		s.mu.Lock()
		s.oidcReqs = append(s.oidcReqs, rec)
		h := s.OIDC
		fail, failing := nextFailure(&s.OIDCFailures)
		s.mu.Unlock()
		if failing {
			fail.serve(w)
			return
		}
		if h != nil {
			h(w, r)
			return
		}
		s.serveOIDC(w, rec.Body)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) servePortal(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Method != http.MethodGet {
		WriteJSON(w, 405, "", map[string]string{"message": "method not allowed"})
		return
	}
	if !s.Valid[r.Header.Get("x-amz-sso_bearer_token")] {
		WriteJSON(w, 401, "UnauthorizedException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/",
			map[string]string{"message": "Session token not found or invalid"})
		return
	}
	q := r.URL.Query()
	c, ok := s.Roles[q.Get("account_id")+"/"+q.Get("role_name")]
	if !ok {
		WriteJSON(w, 403, "ForbiddenException", map[string]string{"message": "No access"})
		return
	}
	WriteJSON(w, 200, "", map[string]any{"roleCredentials": map[string]any{
		"accessKeyId": c.AccessKeyID, "secretAccessKey": c.SecretAccessKey, "sessionToken": c.SessionToken, "expiration": c.ExpirationMS,
	}})
}

func (s *Server) serveOIDC(w http.ResponseWriter, body map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if body["grantType"] != "refresh_token" {
		WriteJSON(w, 400, "UnsupportedGrantTypeException", map[string]string{"error": "unsupported_grant_type"})
		return
	}
	if body["clientId"] != s.ClientID || body["clientSecret"] != s.ClientSecret {
		WriteJSON(w, 401, "InvalidClientException", map[string]string{"error": "invalid_client", "error_description": "Invalid client " + body["clientSecret"]})
		return
	}
	if body["refreshToken"] != s.RefreshToken {
		WriteJSON(w, 400, "InvalidGrantException", map[string]string{"error": "invalid_grant", "error_description": "Invalid refresh token " + body["refreshToken"]})
		return
	}
	if s.Valid == nil {
		s.Valid = map[string]bool{}
	}
	s.Valid[s.NewAccessToken] = true
	ans := map[string]any{"accessToken": s.NewAccessToken, "tokenType": "Bearer", "expiresIn": s.ExpiresIn}
	if s.NewRefreshToken != "" {
		ans["refreshToken"] = s.NewRefreshToken
		s.RefreshToken = s.NewRefreshToken
	}
	WriteJSON(w, 200, "", ans)
}

// CacheKey is botocore's name of a token cache file, without ".json":
// the hex SHA-1 of the session name, or of the start URL in the legacy
// form.
func CacheKey(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// WriteCache writes the token cache file for name (session name or start
// URL) into dir, creating dir, and returns its path. v is the file's
// content as bytes, or a value to marshal as JSON.
func WriteCache(t testing.TB, dir, name string, v any) string {
	t.Helper()
	b, ok := v.([]byte)
	if !ok {
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, CacheKey(name)+".json")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Token is the content of a token cache file. Fields left empty are left
// out of the file.
type Token struct {
	StartURL, Region, AccessToken string
	ExpiresAt                     time.Time
	// The client registration and refresh token "aws sso login" (CLI v2)
	// keeps for an sso_session, so that the token can be refreshed.
	ClientID, ClientSecret, RefreshToken string
	RegistrationExpiresAt                time.Time
}

// MarshalJSON writes the file as botocore and the AWS CLI v2 write it.
func (tok Token) MarshalJSON() ([]byte, error) {
	m := map[string]string{}
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	put("startUrl", tok.StartURL)
	put("region", tok.Region)
	put("accessToken", tok.AccessToken)
	put("expiresAt", when(tok.ExpiresAt))
	put("clientId", tok.ClientID)
	put("clientSecret", tok.ClientSecret)
	put("registrationExpiresAt", when(tok.RegistrationExpiresAt))
	put("refreshToken", tok.RefreshToken)
	return json.Marshal(m)
}
