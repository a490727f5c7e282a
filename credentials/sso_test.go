package credentials_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
)

var testNow = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// noJitter makes every backoff zero.
func noJitter() float64 { return 0 }

// ssoProvider returns a provider of the given form ("session" or
// "legacy") against f, with its cache in dir.
func ssoProvider(f *fakeSSO, form, dir string) *credentials.SSOProvider {
	p := &credentials.SSOProvider{
		StartURL:       ssoStartURL,
		Region:         ssoRegion,
		AccountID:      ssoAccount,
		RoleName:       ssoRole,
		CacheDir:       dir,
		PortalEndpoint: f.URL(),
		OIDCEndpoint:   f.URL(),
		Now:            fixedNow,
		// Retries at once: no test waits for a backoff.
		Retry: credentials.SSORetryOptions{Jitter: noJitter},
	}
	if form == "session" {
		p.SessionName = ssoSessionName
	}
	return p
}

func wantSSOCreds() credentials.Credentials {
	c := credentials.New(ssoAccessKeyID, ssoSecretKey, ssoSessionToken)
	c.Expires = time.UnixMilli(ssoExpirationMS).UTC()
	c.Source = "SSOProvider"
	c.AccountID = ssoAccount
	return c
}

func TestSSOProviderBothForms(t *testing.T) {
	tests := []struct {
		form, cacheName string
		token           map[string]string
	}{
		{"session", ssoSessionName, cacheToken(testNow.Add(time.Hour))},
		{"legacy", ssoStartURL, legacyToken(testNow.Add(time.Hour))},
	}
	for _, tt := range tests {
		t.Run(tt.form, func(t *testing.T) {
			f := newFakeSSO(t)
			dir := t.TempDir()
			path := writeCache(t, dir, tt.cacheName, tt.token)
			p := ssoProvider(f, tt.form, dir)
			if got, err := p.TokenProvider().CachePath(); err != nil || got != path {
				t.Errorf("CachePath() = %q, %v; want %q", got, err, path)
			}
			got, err := p.Retrieve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantSSOCreds(), got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
			want := []recorded{{Method: "GET", Path: "/federation/credentials", RawQuery: "role_name=ReadOnly&account_id=123456789012", Bearer: ssoAccess}}
			if diff := cmp.Diff(want, f.PortalRequests()); diff != "" {
				t.Errorf("portal requests (-want +got):\n%s", diff)
			}
			if n := len(f.OIDCRequests()); n != 0 {
				t.Errorf("%d OIDC requests for a fresh token, want none", n)
			}

			// The other form's key finds nothing.
			other := "legacy"
			if tt.form == "legacy" {
				other = "session"
			}
			_, err = ssoProvider(f, other, dir).Retrieve(context.Background())
			if !errors.Is(err, credentials.ErrSSOTokenNotFound) {
				t.Errorf("the %s form with a %s cache: err = %v, want ErrSSOTokenNotFound", other, tt.form, err)
			}
		})
	}
}

func TestSSOProviderEscapesQuery(t *testing.T) {
	f := newFakeSSO(t)
	f.SetRole("123456789012", "Read Only+x/é", roleCreds{AccessKeyID: ssoAccessKeyID, SecretAccessKey: ssoSecretKey, SessionToken: ssoSessionToken, ExpirationMS: ssoExpirationMS})
	dir := t.TempDir()
	writeCache(t, dir, ssoSessionName, cacheToken(testNow.Add(time.Hour)))
	p := ssoProvider(f, "session", dir)
	p.RoleName = "Read Only+x/é"
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	// botocore: role_name first, %20 for a space, %2B for a plus.
	if got, want := f.PortalRequests()[0].RawQuery, "role_name=Read%20Only%2Bx%2F%C3%A9&account_id=123456789012"; got != want {
		t.Errorf("query = %q, want %q", got, want)
	}
}

// TestSSOTokenErrors covers a token that is missing, unusable or expired,
// with the error's text for each kind.
func TestSSOTokenErrors(t *testing.T) {
	expired := testNow.Add(-time.Minute)
	noReg := cacheToken(expired)
	delete(noReg, "clientSecret")
	regExpired := cacheToken(expired)
	regExpired["registrationExpiresAt"] = testNow.Add(-time.Second).Format(time.RFC3339)
	tests := []struct {
		name      string
		form      string
		cache     any // nil: no file
		oidc      http.HandlerFunc
		wantKind  error
		wantErr   string // Error() before ": " and the cause
		wantCause string // in Error()
		wantOIDC  int
	}{
		{name: "missing, session", form: "session", wantKind: credentials.ErrSSOTokenNotFound,
			wantErr: `sso_session "corp": SSO token not found in the cache`, wantCause: "no such file or directory"},
		{name: "missing, legacy", form: "legacy", wantKind: credentials.ErrSSOTokenNotFound,
			wantErr: `sso_start_url "` + ssoStartURL + `": SSO token not found in the cache`},
		{name: "no accessToken", form: "session", cache: map[string]string{"expiresAt": "2031-01-01T00:00:00Z"}, wantKind: credentials.ErrSSOTokenInvalid,
			wantErr: `sso_session "corp": SSO token in the cache is invalid`, wantCause: `has no "accessToken"`},
		{name: "no expiresAt", form: "legacy", cache: map[string]string{"accessToken": ssoAccess}, wantKind: credentials.ErrSSOTokenInvalid,
			wantErr: `sso_start_url "` + ssoStartURL + `": SSO token in the cache is invalid`, wantCause: `has no "expiresAt"`},
		{name: "not JSON", form: "session", cache: []byte(`{"accessToken": "` + ssoAccess), wantKind: credentials.ErrSSOTokenInvalid, wantCause: "not valid JSON"},
		{name: "accessToken a number", form: "session", cache: []byte(`{"accessToken": 5, "expiresAt": "2031-01-01T00:00:00Z"}`), wantKind: credentials.ErrSSOTokenInvalid, wantCause: `"accessToken" is not a string`},
		{name: "bad expiresAt", form: "session", cache: map[string]string{"accessToken": ssoAccess, "expiresAt": "tomorrow"}, wantKind: credentials.ErrSSOTokenInvalid, wantCause: `"expiresAt": "tomorrow" is not an RFC 3339 time`},
		{name: "oversized", form: "session", cache: []byte(`{"accessToken":"` + strings.Repeat("x", 300<<10) + `"}`), wantKind: credentials.ErrSSOTokenInvalid, wantCause: "larger than 256 KiB"},
		{name: "expired, legacy", form: "legacy", cache: legacyToken(expired), wantKind: credentials.ErrSSOSessionExpired,
			wantErr:   `sso_start_url "` + ssoStartURL + `": SSO session has expired or is otherwise invalid`,
			wantCause: "expired at 2030-06-01T11:59:00Z"},
		{name: "expired, legacy, refresh token ignored", form: "legacy", cache: cacheToken(expired), wantKind: credentials.ErrSSOSessionExpired},
		{name: "expired, no registration", form: "session", cache: noReg, wantKind: credentials.ErrSSOTokenExpired,
			wantErr: `sso_session "corp": SSO token has expired and refresh failed`, wantCause: `no usable "clientSecret"`},
		{name: "expired, legacy-style cache", form: "session", cache: legacyToken(expired), wantKind: credentials.ErrSSOTokenExpired,
			wantCause: `no usable "refreshToken", "clientId", "clientSecret", "registrationExpiresAt"`},
		{name: "expired, registration expired", form: "session", cache: regExpired, wantKind: credentials.ErrSSOTokenExpired, wantCause: "client registration expired at 2030-06-01T11:59:59Z"},
		{name: "expired, refresh refused", form: "session", cache: cacheToken(expired), wantOIDC: 1,
			oidc: func(w http.ResponseWriter, r *http.Request) {
				writeJSONAnswer(w, 400, "InvalidGrantException", map[string]string{"error": "invalid_grant", "error_description": "Invalid grant " + ssoRefresh})
			},
			wantKind: credentials.ErrSSOTokenExpired, wantCause: `HTTP 400 InvalidGrantException: "Invalid grant <redacted>"`},
		{name: "expired, refresh answer malformed", form: "session", cache: cacheToken(expired), wantOIDC: 1,
			oidc: func(w http.ResponseWriter, r *http.Request) {
				writeJSONAnswer(w, 200, "", map[string]any{"accessToken": ssoNewAccess, "expiresIn": "soon"})
			},
			wantKind: credentials.ErrSSOTokenExpired, wantCause: `"expiresIn" is not a positive whole number`},
		{name: "expired, refresh answers HTML", form: "session", cache: cacheToken(expired), wantOIDC: 5,
			oidc: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(502)
				fmt.Fprint(w, "<html><body>Bad Gateway</body></html>")
			},
			wantKind: credentials.ErrSSOTokenExpired, wantCause: `HTTP 502: "<html><body>Bad Gateway</body></html>" (after 5 attempts)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSSO(t)
			f.OIDC = tt.oidc
			dir := t.TempDir()
			name := ssoStartURL
			if tt.form == "session" {
				name = ssoSessionName
			}
			var path string
			var before []byte
			if tt.cache != nil {
				path = writeCache(t, dir, name, tt.cache)
				before, _ = os.ReadFile(path)
			}
			_, err := ssoProvider(f, tt.form, dir).Retrieve(context.Background())
			if err == nil {
				t.Fatal("Retrieve succeeded")
			}
			var ce *credentials.Error
			if !errors.As(err, &ce) || ce.Source != "SSOProvider" {
				t.Errorf("err = %v, want a *credentials.Error from SSOProvider", err)
			}
			if errors.Is(err, credentials.ErrNotFound) {
				t.Errorf("err = %v: an SSO profile without a usable token is not 'not found' (the chain must stop)", err)
			}
			var te *credentials.SSOTokenError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want an *SSOTokenError", err)
			}
			if !errors.Is(err, tt.wantKind) || te.Kind != tt.wantKind {
				t.Errorf("Kind = %v, want %v", te.Kind, tt.wantKind)
			}
			if tt.wantErr != "" && te.Error() != tt.wantErr+": "+te.Err.Error() {
				t.Errorf("Error() = %q\nwant      %q + \": \" + the cause", te.Error(), tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantCause) {
				t.Errorf("err = %v\nwant it to contain %q", err, tt.wantCause)
			}
			checkNoSecrets(t, "the error", err.Error())
			checkNoSecrets(t, "the error under %+v", fmt.Sprintf("%+v %#v", err, err))
			if n := len(f.PortalRequests()); n != 0 {
				t.Errorf("%d portal requests, want none", n)
			}
			if n := len(f.OIDCRequests()); n != tt.wantOIDC {
				t.Errorf("%d OIDC requests, want %d", n, tt.wantOIDC)
			}
			if path != "" {
				if after, _ := os.ReadFile(path); string(after) != string(before) {
					t.Errorf("the cache file changed after a failure:\n%s", after)
				}
			}
		})
	}
}

func TestSSOTokenRefresh(t *testing.T) {
	tests := []struct {
		name       string
		expires    time.Duration // of the cached token, from testNow
		newRefresh string        // the refresh token OIDC sends, if any
	}{
		{name: "expired", expires: -time.Hour, newRefresh: ssoNewRefresh},
		{name: "expires within 15 minutes", expires: 14 * time.Minute, newRefresh: ssoNewRefresh},
		{name: "no new refresh token", expires: -time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSSO(t)
			f.NewRefreshToken = tt.newRefresh
			dir := t.TempDir()
			cached := cacheToken(testNow.Add(tt.expires))
			path := writeCache(t, dir, ssoSessionName, cached)
			p := ssoProvider(f, "session", dir)
			p.StartURL = "https://other.awsapps.com/start" // written back as the config says, as botocore does
			p.Region = "us-east-2"
			got, err := p.Retrieve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantSSOCreds(), got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
			wantOIDC := []recorded{{Method: "POST", Path: "/token", Body: map[string]string{
				"grantType": "refresh_token", "clientId": ssoClientID, "clientSecret": ssoClientSecret, "refreshToken": ssoRefresh,
			}}}
			if diff := cmp.Diff(wantOIDC, f.OIDCRequests()); diff != "" {
				t.Errorf("OIDC requests (-want +got):\n%s", diff)
			}
			if reqs := f.PortalRequests(); len(reqs) != 1 || reqs[0].Bearer != ssoNewAccess {
				t.Errorf("portal requests %+v, want one with the new token", reqs)
			}

			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("cache file mode %v, want 0600", fi.Mode().Perm())
			}
			b, _ := os.ReadFile(path)
			var written map[string]string
			if err := json.Unmarshal(b, &written); err != nil {
				t.Fatalf("cache file %s: %v", b, err)
			}
			want := map[string]string{
				"startUrl":              "https://other.awsapps.com/start",
				"region":                "us-east-2",
				"accessToken":           ssoNewAccess,
				"expiresAt":             testNow.Add(8 * time.Hour).Format("2006-01-02T15:04:05Z"),
				"clientId":              ssoClientID,
				"clientSecret":          ssoClientSecret,
				"registrationExpiresAt": cached["registrationExpiresAt"],
			}
			if tt.newRefresh != "" {
				want["refreshToken"] = tt.newRefresh
			}
			if diff := cmp.Diff(want, written); diff != "" {
				t.Errorf("cache file written (-want +got):\n%s", diff)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 1 {
				t.Errorf("cache dir has %d entries, want only the token file (no temporary left)", len(ents))
			}

			// The next Retrieve uses the refreshed token without refreshing.
			if _, err := p.Retrieve(context.Background()); err != nil {
				t.Fatal(err)
			}
			if n := len(f.OIDCRequests()); n != 1 {
				t.Errorf("%d OIDC requests after the second Retrieve, want still 1", n)
			}
		})
	}
}

// A token due for refresh but not expired is used when the refresh fails,
// as botocore does.
func TestSSOTokenRefreshFailsButTokenValid(t *testing.T) {
	f := newFakeSSO(t)
	f.OIDC = func(w http.ResponseWriter, r *http.Request) {
		writeJSONAnswer(w, 500, "InternalServerException", map[string]string{"error": "server_error"})
	}
	dir := t.TempDir()
	writeCache(t, dir, ssoSessionName, cacheToken(testNow.Add(5*time.Minute)))
	got, err := ssoProvider(f, "session", dir).Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantSSOCreds(), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if reqs := f.PortalRequests(); len(reqs) != 1 || reqs[0].Bearer != ssoAccess {
		t.Errorf("portal requests %+v, want one with the cached token", reqs)
	}
}

// TestSSOPortalAnswers covers the portal's error answers and hostile ones.
func TestSSOPortalAnswers(t *testing.T) {
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the redirect was followed: %s %s with token header %q", r.Method, r.URL, r.Header.Get("x-amz-sso_bearer_token"))
	}))
	defer elsewhere.Close()
	tests := []struct {
		name         string
		handler      http.HandlerFunc
		timeout      time.Duration
		wantKind     error // an SSOTokenError of this kind, or nil
		wantSvc      *credentials.SSOServiceError
		wantRedirect *credentials.RedirectError
		wantMsg      string
		wantIs       error
	}{
		{name: "unauthorized", handler: nil, wantKind: credentials.ErrSSOSessionExpired,
			wantSvc: &credentials.SSOServiceError{StatusCode: 401, Code: "UnauthorizedException", Message: "Session token not found or invalid", RequestID: "req-1"},
			wantMsg: `SSO GetRoleCredentials "http://127.0.0.1:PORT/federation/credentials": HTTP 401 UnauthorizedException: "Session token not found or invalid" (request id "req-1")`},
		{name: "not assigned", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSONAnswer(w, 403, "ForbiddenException", map[string]string{"message": "No access"})
		}, wantSvc: &credentials.SSOServiceError{StatusCode: 403, Code: "ForbiddenException", Message: "No access", RequestID: "req-1"}},
		{name: "code in the body", handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(404)
			fmt.Fprint(w, `{"__type":"com.amazonaws.switchboard#ResourceNotFoundException","Message":"no such role"}`)
		}, wantSvc: &credentials.SSOServiceError{StatusCode: 404, Code: "ResourceNotFoundException", Message: "no such role"}},
		{name: "throttled, echoing the token", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSONAnswer(w, 429, "TooManyRequestsException", map[string]string{"message": "slow down, " + r.Header.Get("x-amz-sso_bearer_token") + "\n\x1b[31m"})
		}, wantSvc: &credentials.SSOServiceError{StatusCode: 429, Code: "TooManyRequestsException", Message: "slow down, <redacted>  [31m", RequestID: "req-1"}},
		{name: "hostile code", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("x-amzn-ErrorType", "Evil Code!"+r.Header.Get("x-amz-sso_bearer_token"))
			w.WriteHeader(400)
		}, wantMsg: `HTTP 400 "Evil Code!<redacted>"`},
		{name: "malformed header echoing the token", handler: func(w http.ResponseWriter, r *http.Request) {
			hj, _ := w.(http.Hijacker)
			conn, buf, _ := hj.Hijack()
			defer conn.Close()
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nBad Header %s\r\n\r\n", r.Header.Get("x-amz-sso_bearer_token"))
			buf.Flush()
		}, wantMsg: `"Bad Header <redacted>"`},
		{name: "huge malformed header", handler: func(w http.ResponseWriter, r *http.Request) {
			hj, _ := w.(http.Hijacker)
			conn, buf, _ := hj.Hijack()
			defer conn.Close()
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nBad%s\r\n\r\n", strings.Repeat("x", 1<<20))
			buf.Flush()
		}, wantMsg: `xxx...`},
		{name: "HTML 503", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(503)
			fmt.Fprint(w, "<html><head><title>503 Service Temporarily Unavailable</title></head>"+strings.Repeat("<p>x</p>", 100)+"</html>")
		}, wantMsg: `HTTP 503: "<html><head><title>503 Service Temporarily Unavailable</title></head><p>x</p>`},
		{name: "redirect", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+"/federation/credentials?x=1", http.StatusFound)
		}, wantMsg: `HTTP 302 redirect to "ELSEWHERE/federation/credentials?x=1" refused`},
		{name: "307 redirect", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+"/", http.StatusTemporaryRedirect)
		}, wantRedirect: &credentials.RedirectError{StatusCode: 307, Location: "ELSEWHERE/"}},
		{name: "oversized", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"roleCredentials":{"accessKeyId":"`+strings.Repeat("A", 100<<10)+`"}}`)
		}, wantMsg: "the answer (HTTP 200) is larger than 64 KiB"},
		{name: "HTML 200", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "<html>Sign in</html>")
		}, wantMsg: "the answer is not valid JSON (syntax error at byte 1)"},
		{name: "truncated JSON", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"`+ssoSecretKey)
		}, wantMsg: "the answer is not valid JSON"},
		{name: "roleCredentials a string", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"roleCredentials":"`+ssoSecretKey+`"}`)
		}, wantMsg: `the answer's "roleCredentials" is a JSON string, not an object`},
		{name: "no roleCredentials", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{}`)
		}, wantMsg: `the answer has no "roleCredentials"`},
		{name: "missing keys", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"","sessionToken":null}}`)
		}, wantMsg: `"roleCredentials" has no "secretAccessKey", "sessionToken", "expiration"`},
		{name: "secret a number", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":12345,"sessionToken":"t","expiration":1}}`)
		}, wantMsg: `"roleCredentials.secretAccessKey" is not a string`},
		{name: "expiration in seconds as a string", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"s","sessionToken":"t","expiration":"2031-01-01T00:00:00Z"}}`)
		}, wantMsg: `"roleCredentials.expiration" is not a positive whole number of milliseconds`},
		{name: "expiration a fraction", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"s","sessionToken":"t","expiration":1.5e12}}`)
		}, wantMsg: `"roleCredentials.expiration" is not a positive whole number`},
		{name: "slow", timeout: 200 * time.Millisecond, handler: func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}, wantIs: context.DeadlineExceeded, wantMsg: "context deadline exceeded"},
		{name: "slow body", timeout: 300 * time.Millisecond, handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"roleCredentials":`)
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}, wantIs: context.DeadlineExceeded, wantMsg: "reading the answer (HTTP 200)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSSO(t)
			if tt.handler != nil {
				f.Portal = tt.handler
			} else {
				f.Valid = map[string]bool{}
			}
			dir := t.TempDir()
			writeCache(t, dir, ssoSessionName, cacheToken(testNow.Add(time.Hour)))
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			start := time.Now()
			_, err := ssoProvider(f, "session", dir).Retrieve(ctx)
			if err == nil {
				t.Fatal("Retrieve succeeded")
			}
			if tt.timeout > 0 && time.Since(start) > tt.timeout+2*time.Second {
				t.Errorf("Retrieve took %v with a %v deadline", time.Since(start), tt.timeout)
			}
			msg := strings.ReplaceAll(err.Error(), elsewhere.URL, "ELSEWHERE")
			msg = strings.ReplaceAll(msg, f.URL(), "http://127.0.0.1:PORT")
			if !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("err = %s\nwant it to contain %s", msg, tt.wantMsg)
			}
			checkNoSecrets(t, "the error", fmt.Sprintf("%v %+v %#v", err, err, err))
			for e := error(err); e != nil; e = errors.Unwrap(e) {
				checkNoSecrets(t, fmt.Sprintf("the cause %T", e), e.Error())
			}
			if len(err.Error()) > 2048 {
				t.Errorf("the error is %d bytes long", len(err.Error()))
			}
			var te *credentials.SSOTokenError
			if got := errors.As(err, &te); got != (tt.wantKind != nil) || (got && !errors.Is(err, tt.wantKind)) {
				t.Errorf("err = %v: SSOTokenError %v (%v), want kind %v", err, got, te, tt.wantKind)
			}
			var ue *url.Error
			if !errors.As(err, &ue) || !strings.HasPrefix(ue.Op, "SSO GetRoleCredentials") || !strings.HasSuffix(ue.URL, "/federation/credentials") {
				t.Errorf("err = %v, want a *url.Error naming GetRoleCredentials and the URL", err)
			}
			if tt.wantSvc != nil {
				var se *credentials.SSOServiceError
				if !errors.As(err, &se) {
					t.Fatalf("err = %v, want an *SSOServiceError", err)
				}
				got := *se
				got.Location = strings.ReplaceAll(got.Location, elsewhere.URL, "ELSEWHERE")
				if diff := cmp.Diff(*tt.wantSvc, got); diff != "" {
					t.Errorf("SSOServiceError (-want +got):\n%s", diff)
				}
			}
			if tt.wantRedirect != nil {
				var re *credentials.RedirectError
				if !errors.As(err, &re) {
					t.Fatalf("err = %v, want a *RedirectError", err)
				}
				got := *re
				got.Location = strings.ReplaceAll(got.Location, elsewhere.URL, "ELSEWHERE")
				if diff := cmp.Diff(*tt.wantRedirect, got); diff != "" {
					t.Errorf("RedirectError (-want +got):\n%s", diff)
				}
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("err = %v, want errors.Is %v", err, tt.wantIs)
			}
		})
	}
}

// roundTripFunc lets a test answer requests without a network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestSSODefaultEndpoints checks the portal and OIDC hosts per partition,
// with a transport that answers every request itself: nothing leaves the
// machine.
func TestSSODefaultEndpoints(t *testing.T) {
	tests := []struct{ region, dnsSuffix, portal, oidc string }{
		{"us-east-1", "", "https://portal.sso.us-east-1.amazonaws.com", "https://oidc.us-east-1.amazonaws.com"},
		{"eu-west-1", "", "https://portal.sso.eu-west-1.amazonaws.com", "https://oidc.eu-west-1.amazonaws.com"},
		{"eu-west-1 explicit suffix", "amazonaws.com", "https://portal.sso.eu-west-1.amazonaws.com", "https://oidc.eu-west-1.amazonaws.com"},
		{"cn-north-1", "amazonaws.com.cn", "https://portal.sso.cn-north-1.amazonaws.com.cn", "https://oidc.cn-north-1.amazonaws.com.cn"},
		{"us-gov-west-1", "", "https://portal.sso.us-gov-west-1.amazonaws.com", "https://oidc.us-gov-west-1.amazonaws.com"},
		{"us-iso-east-1", "c2s.ic.gov", "https://portal.sso.us-iso-east-1.c2s.ic.gov", "https://oidc.us-iso-east-1.c2s.ic.gov"},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			region, _, _ := strings.Cut(tt.region, " ")
			var urls []string
			f := &fakeSSO{Valid: map[string]bool{}, Roles: map[string]roleCreds{ssoAccount + "/" + ssoRole: {
				AccessKeyID: ssoAccessKeyID, SecretAccessKey: ssoSecretKey, SessionToken: ssoSessionToken, ExpirationMS: ssoExpirationMS,
			}}, ClientID: ssoClientID, ClientSecret: ssoClientSecret, RefreshToken: ssoRefresh, NewAccessToken: ssoNewAccess, ExpiresIn: 3600}
			client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				urls = append(urls, r.Method+" "+r.URL.String())
				rec := httptest.NewRecorder()
				f.ServeHTTP(rec, r)
				return rec.Result(), nil
			})}
			dir := t.TempDir()
			writeCache(t, dir, ssoSessionName, cacheToken(testNow.Add(-time.Hour)))
			p := &credentials.SSOProvider{
				SessionName: ssoSessionName, StartURL: ssoStartURL, Region: region, DNSSuffix: tt.dnsSuffix,
				AccountID: ssoAccount, RoleName: ssoRole, CacheDir: dir, Client: client, Now: fixedNow,
			}
			if _, err := p.Retrieve(context.Background()); err != nil {
				t.Fatal(err)
			}
			want := []string{"POST " + tt.oidc + "/token", "GET " + tt.portal + "/federation/credentials?role_name=ReadOnly&account_id=123456789012"}
			if diff := cmp.Diff(want, urls); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSSOProviderConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*credentials.SSOProvider)
		wantMsg string
	}{
		{"no account", func(p *credentials.SSOProvider) { p.AccountID = "" }, "missing AccountID (sso_account_id)"},
		{"nothing", func(p *credentials.SSOProvider) { *p = credentials.SSOProvider{} }, "missing StartURL (sso_start_url), AccountID (sso_account_id), RoleName (sso_role_name)"},
		{"no region", func(p *credentials.SSOProvider) { p.Region, p.PortalEndpoint = "", "" }, "missing Region (sso_region)"},
		{"hostile region", func(p *credentials.SSOProvider) { p.Region, p.PortalEndpoint = "evil.example/x?", "" }, `invalid Region (sso_region) "evil.example/x?": not a region name`},
		{"hostile DNS suffix", func(p *credentials.SSOProvider) { p.DNSSuffix, p.PortalEndpoint = "evil.example/x?", "" }, `invalid DNSSuffix "evil.example/x?": not a DNS name`},
		{"endpoint not a URL", func(p *credentials.SSOProvider) { p.PortalEndpoint = "127.0.0.1:80" }, `PortalEndpoint "127.0.0.1:80" is not an absolute http or https URL`},
		{"endpoint with a query", func(p *credentials.SSOProvider) { p.PortalEndpoint = "http://127.0.0.1:1/?a=b" }, `PortalEndpoint "http://127.0.0.1:1/" has user information, a query or a fragment`},
		{"OIDC endpoint ftp", func(p *credentials.SSOProvider) { p.OIDCEndpoint = "ftp://127.0.0.1/" }, `OIDCEndpoint "ftp://127.0.0.1/" is not an absolute http or https URL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSSO(t)
			dir := t.TempDir()
			writeCache(t, dir, ssoSessionName, cacheToken(testNow.Add(-time.Hour)))
			p := ssoProvider(f, "session", dir)
			tt.edit(p)
			_, err := p.Retrieve(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("err = %v, want it to contain %q", err, tt.wantMsg)
			}
			if n := len(f.PortalRequests()) + len(f.OIDCRequests()); n != 0 {
				t.Errorf("%d requests made", n)
			}
		})
	}
}

// The endpoint may have a path; the operation's path is appended to it.
func TestSSOEndpointWithPath(t *testing.T) {
	f := newFakeSSO(t)
	mux := http.NewServeMux()
	mux.Handle("/prefix/", http.StripPrefix("/prefix", f))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	dir := t.TempDir()
	writeCache(t, dir, ssoSessionName, cacheToken(testNow.Add(-time.Hour)))
	p := ssoProvider(f, "session", dir)
	p.PortalEndpoint, p.OIDCEndpoint = srv.URL+"/prefix/", srv.URL+"/prefix"
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(f.PortalRequests()) != 1 || len(f.OIDCRequests()) != 1 {
		t.Errorf("portal %v, OIDC %v", f.PortalRequests(), f.OIDCRequests())
	}
}

// A caller's client is used but never allowed to follow a redirect, and
// it is not changed.
func TestSSOCallerClientNotFollowedNorChanged(t *testing.T) {
	var hits atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer elsewhere.Close()
	f := newFakeSSO(t)
	f.Portal = func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL, http.StatusMovedPermanently)
	}
	f.OIDC = func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL, http.StatusTemporaryRedirect)
	}
	var used atomic.Int32
	base := http.DefaultTransport
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used.Add(1)
		return base.RoundTrip(r)
	})}
	for _, expires := range []time.Duration{time.Hour, -time.Hour} {
		dir := t.TempDir()
		writeCache(t, dir, ssoSessionName, cacheToken(testNow.Add(expires)))
		p := ssoProvider(f, "session", dir)
		p.Client = client
		_, err := p.Retrieve(context.Background())
		var re *credentials.RedirectError
		if !errors.As(err, &re) || re.Location != elsewhere.URL {
			t.Errorf("err = %v, want a RedirectError with Location %s", err, elsewhere.URL)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("the redirect target got %d requests", hits.Load())
	}
	if used.Load() != 2 {
		t.Errorf("the caller's transport carried %d requests, want 2", used.Load())
	}
	if client.CheckRedirect != nil {
		t.Error("the caller's client was changed")
	}
}

func TestSSOCacheFileNotRegular(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, cacheKey(ssoSessionName)+".json"), 0o700); err != nil {
		t.Fatal(err)
	}
	f := newFakeSSO(t)
	_, err := ssoProvider(f, "session", dir).Retrieve(context.Background())
	var pe *fs.PathError
	if !errors.Is(err, credentials.ErrSSOTokenNotFound) || !errors.As(err, &pe) || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("err = %v, want ErrSSOTokenNotFound for a directory, with an *fs.PathError", err)
	}
}

// TestSSORedaction plants secrets in every type that holds one and looks
// for them in every way such a value may be shown.
func TestSSORedaction(t *testing.T) {
	f := newFakeSSO(t)
	dir := t.TempDir()
	writeCache(t, dir, ssoSessionName, cacheToken(testNow.Add(time.Hour)))
	p := ssoProvider(f, "session", dir)
	tok, err := p.TokenProvider().Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken() != ssoAccess || !tok.Expires.Equal(testNow.Add(time.Hour)) {
		t.Fatalf("token %v: AccessToken() or Expires wrong", tok)
	}
	creds, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f.Valid = map[string]bool{}
	_, unauthorized := p.Retrieve(context.Background())
	var zeroTok credentials.SSOToken
	values := map[string]any{
		"SSOToken":         tok,
		"*SSOToken":        &tok,
		"Credentials":      creds,
		"holder":           struct{ T, t credentials.SSOToken }{tok, tok},
		"SSOProvider":      p,
		"error":            unauthorized,
		"zero token":       zeroTok,
		"token in a slice": []credentials.SSOToken{tok},
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			var outs []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%T", "%d"} {
				outs = append(outs, fmt.Sprintf(verb, v))
			}
			js, _ := json.Marshal(v)
			outs = append(outs, string(js))
			var text, jsonLog strings.Builder
			slogText(&text).Info("msg", "v", v)
			slogJSON(&jsonLog).Info("msg", "v", v)
			outs = append(outs, text.String(), jsonLog.String())
			for _, out := range outs {
				checkNoSecrets(t, name, out)
			}
		})
	}
	// cmp.Diff of two different tokens or credentials shows neither secret.
	other := tok
	other.Expires = other.Expires.Add(time.Second)
	if d := cmp.Diff(tok, other); d == "" {
		t.Error("cmp.Diff sees no difference between tokens with different expiries")
	} else {
		checkNoSecrets(t, "cmp.Diff of tokens", d)
	}
	if d := cmp.Diff(zeroTok, tok); d == "" {
		t.Error("cmp.Diff sees no difference between a token and the zero token")
	} else {
		checkNoSecrets(t, "cmp.Diff of tokens", d)
	}
	if d := cmp.Diff(credentials.Credentials{}, creds); d == "" {
		t.Error("cmp.Diff sees no difference")
	} else {
		checkNoSecrets(t, "cmp.Diff of credentials", d)
	}
	if !strings.Contains(fmt.Sprint(tok), "<redacted>") {
		t.Errorf("token prints as %v, want <redacted> in place of the token", tok)
	}
}
