//go:build unix

package credentials_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/internal/ssotest"
	"github.com/callerid/callerid/sts"
	"github.com/callerid/callerid/sts/ststest"
)

// The profiles of both forms, as "aws configure sso" writes them.
const ssoCLIConfig = ssotest.Profiles

// ssoCLISetup is an AWS CLI environment with the profiles above, a fake
// portal and OIDC, and a fake STS that knows the keys the portal hands out.
type ssoCLISetup struct {
	env      map[string]string
	cacheDir string
	fake     *fakeSSO
	sts      *ststest.Server
	key      ststest.Key
}

func newSSOCLISetup(t *testing.T) *ssoCLISetup {
	t.Helper()
	peertest.Require(t, "aws")
	s := &ssoCLISetup{fake: newFakeSSO(t), sts: ststest.NewServer()}
	t.Cleanup(s.sts.Close)
	s.key = s.sts.AddAssumedRole(ssoAccount, "AWSReservedSSO_ReadOnly_0123456789abcdef", "alice")
	s.fake.SetRole(ssoAccount, ssoRole, roleCreds{
		AccessKeyID: s.key.AccessKeyID, SecretAccessKey: s.key.SecretAccessKey(), SessionToken: s.key.SessionToken(),
		ExpirationMS: s.key.Expires.UnixMilli(),
	})
	cfg := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(cfg, []byte(ssoCLIConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	s.env = peertest.AWSEnv(t, map[string]string{
		"AWS_CONFIG_FILE": cfg,
		// The AWS CLI v1 (botocore 1.43) honours the service-specific
		// endpoint variables for the SSO and SSO OIDC clients it creates.
		"AWS_ENDPOINT_URL_SSO":      s.fake.URL(),
		"AWS_ENDPOINT_URL_SSO_OIDC": s.fake.URL(),
		"AWS_ENDPOINT_URL_STS":      s.sts.URL,
	})
	s.cacheDir = filepath.Join(s.env["HOME"], ".aws", "sso", "cache")
	return s
}

func (s *ssoCLISetup) provider(form string) *credentials.SSOProvider {
	p := &credentials.SSOProvider{
		StartURL: ssoStartURL, Region: ssoRegion, AccountID: ssoAccount, RoleName: ssoRole,
		CacheDir: s.cacheDir, PortalEndpoint: s.fake.URL(), OIDCEndpoint: s.fake.URL(),
	}
	if form == "session" {
		p.SessionName = ssoSessionName
	}
	return p
}

func (s *ssoCLISetup) cli(t *testing.T, profile string) peertest.CLIResult {
	t.Helper()
	return peertest.AWSCLI(t, s.env, "sts", "get-caller-identity", "--profile", profile, "--output", "json")
}

func cacheName(form string) string {
	if form == "session" {
		return ssoSessionName
	}
	return ssoStartURL
}

// TestSSOAgainstAWSCLI: the CLI and SSOProvider, given the same profile,
// cache file and portal, send the same request and get the same keys,
// which STS then takes for the same identity.
func TestSSOAgainstAWSCLI(t *testing.T) {
	for _, form := range []string{"session", "legacy"} {
		t.Run(form, func(t *testing.T) {
			s := newSSOCLISetup(t)
			tok := legacyToken(time.Now().Add(2 * time.Hour))
			if form == "session" {
				tok = cacheToken(time.Now().Add(2 * time.Hour))
			}
			writeCache(t, s.cacheDir, cacheName(form), tok)

			res := s.cli(t, form)
			if res.ExitCode != 0 {
				t.Fatalf("aws sts get-caller-identity: exit %d\n%s", res.ExitCode, res.Stderr)
			}
			var cliID struct{ UserId, Account, Arn string }
			if err := json.Unmarshal([]byte(res.Stdout), &cliID); err != nil {
				t.Fatalf("CLI output %q: %v", res.Stdout, err)
			}
			if cliID.Arn != s.key.Identity.ARN {
				t.Errorf("the CLI is %s, want %s", cliID.Arn, s.key.Identity.ARN)
			}
			cliReqs := s.fake.PortalRequests()

			creds, err := s.provider(form).Retrieve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			ourReqs := s.fake.PortalRequests()[len(cliReqs):]
			if len(cliReqs) != 1 {
				t.Fatalf("the CLI made %d portal requests, want 1: %+v", len(cliReqs), cliReqs)
			}
			if diff := cmp.Diff(cliReqs, ourReqs); diff != "" {
				t.Errorf("portal requests (-CLI +SSOProvider):\n%s", diff)
			}
			want := s.key.Credentials
			want.Source = "SSOProvider"
			if diff := cmp.Diff(want, creds); diff != "" {
				t.Errorf("credentials (-portal's +SSOProvider's):\n%s", diff)
			}

			// The same keys are the same identity to STS.
			client, err := sts.New(sts.Options{
				Region: "us-east-1", EndpointURL: s.sts.URL, Credentials: s.provider(form),
			})
			if err != nil {
				t.Fatal(err)
			}
			id, err := client.GetCallerIdentity(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if id.ARN != cliID.Arn || id.UserID != cliID.UserId || id.Account != cliID.Account {
				t.Errorf("STS says %+v to SSOProvider's keys and %+v to the CLI's", id, cliID)
			}
		})
	}
}

// TestSSORefreshAgainstAWSCLI: from the same expired sso_session token,
// the CLI and SSOTokenProvider send the same CreateToken request and leave
// the same cache file.
func TestSSORefreshAgainstAWSCLI(t *testing.T) {
	s := newSSOCLISetup(t)
	initial := cacheToken(time.Now().Add(-time.Hour))
	path := writeCache(t, s.cacheDir, ssoSessionName, initial)

	res := s.cli(t, "session")
	if res.ExitCode != 0 {
		t.Fatalf("aws sts get-caller-identity: exit %d\n%s", res.ExitCode, res.Stderr)
	}
	cliFile := readJSONFile(t, path)
	cliOIDC, cliPortal := s.fake.OIDCRequests(), s.fake.PortalRequests()

	// Back to the start: the same expired token and refresh token.
	s.fake.SetRefreshToken(ssoRefresh)
	writeCache(t, s.cacheDir, ssoSessionName, initial)
	if _, err := s.provider("session").Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	ourFile := readJSONFile(t, path)
	ourOIDC, ourPortal := s.fake.OIDCRequests()[len(cliOIDC):], s.fake.PortalRequests()[len(cliPortal):]

	if len(cliOIDC) != 1 {
		t.Fatalf("the CLI made %d CreateToken requests, want 1", len(cliOIDC))
	}
	if diff := cmp.Diff(cliOIDC, ourOIDC); diff != "" {
		t.Errorf("CreateToken requests (-CLI +ours):\n%s", diff)
	}
	if diff := cmp.Diff(cliPortal, ourPortal); diff != "" {
		t.Errorf("portal requests after the refresh (-CLI +ours):\n%s", diff)
	}
	// expiresAt is now+expiresIn on each side's clock, seconds apart.
	cliExp, err1 := time.Parse(time.RFC3339, cliFile["expiresAt"])
	ourExp, err2 := time.Parse(time.RFC3339, ourFile["expiresAt"])
	if err1 != nil || err2 != nil || ourExp.Sub(cliExp) < 0 || ourExp.Sub(cliExp) > time.Minute {
		t.Errorf("expiresAt: CLI %q, ours %q", cliFile["expiresAt"], ourFile["expiresAt"])
	}
	delete(cliFile, "expiresAt")
	delete(ourFile, "expiresAt")
	if diff := cmp.Diff(cliFile, ourFile); diff != "" {
		t.Errorf("refreshed cache file (-CLI +ours):\n%s", diff)
	}
}

func readJSONFile(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want 0600", path, fi.Mode().Perm())
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return m
}

// TestSSOErrorsAgainstAWSCLI: where the CLI fails (exit 255) for want of a
// usable token, the provider fails with an SSOTokenError of the kind and
// with the facts (sso_session, start URL) the CLI's message is made of.
// (examples/whoami's TestSSOErrorsMatchAWSCLI compares the message it
// builds from them with the CLI's, byte for byte.)
func TestSSOErrorsAgainstAWSCLI(t *testing.T) {
	expired := func(form string) map[string]string {
		if form == "session" {
			tok := cacheToken(time.Now().Add(-time.Hour))
			delete(tok, "refreshToken")
			return tok
		}
		return legacyToken(time.Now().Add(-time.Hour))
	}
	tests := []struct {
		name     string
		form     string
		cache    map[string]string
		setup    func(*ssoCLISetup)
		wantKind error
	}{
		{name: "missing", form: "session", wantKind: credentials.ErrSSOTokenNotFound},
		{name: "missing", form: "legacy", wantKind: credentials.ErrSSOTokenNotFound},
		{name: "no expiresAt", form: "session", cache: map[string]string{"accessToken": ssoAccess}, wantKind: credentials.ErrSSOTokenInvalid},
		{name: "no accessToken", form: "legacy", cache: map[string]string{"expiresAt": "2031-01-01T00:00:00Z"}, wantKind: credentials.ErrSSOTokenInvalid},
		{name: "expired", form: "session", cache: expired("session"), wantKind: credentials.ErrSSOTokenExpired},
		{name: "expired", form: "legacy", cache: expired("legacy"), wantKind: credentials.ErrSSOSessionExpired},
		{name: "expired, refresh refused", form: "session", cache: cacheToken(time.Now().Add(-time.Hour)), wantKind: credentials.ErrSSOTokenExpired,
			setup: func(s *ssoCLISetup) {
				s.fake.OIDC = func(w http.ResponseWriter, r *http.Request) {
					writeJSONAnswer(w, 400, "InvalidGrantException", map[string]string{"error": "invalid_grant"})
				}
			}},
		{name: "portal refuses the token", form: "session", cache: cacheToken(time.Now().Add(time.Hour)), wantKind: credentials.ErrSSOSessionExpired,
			setup: func(s *ssoCLISetup) { s.fake.Valid = map[string]bool{} }},
		{name: "portal refuses the token", form: "legacy", cache: legacyToken(time.Now().Add(time.Hour)), wantKind: credentials.ErrSSOSessionExpired,
			setup: func(s *ssoCLISetup) { s.fake.Valid = map[string]bool{} }},
	}
	for _, tt := range tests {
		t.Run(tt.form+"/"+tt.name, func(t *testing.T) {
			s := newSSOCLISetup(t)
			if tt.setup != nil {
				tt.setup(s)
			}
			if tt.cache != nil {
				writeCache(t, s.cacheDir, cacheName(tt.form), tt.cache)
			}
			res := s.cli(t, tt.form)
			if res.ExitCode != 255 || res.Stdout != "" {
				t.Errorf("the CLI: exit %d, stdout %q; want 255 and nothing", res.ExitCode, res.Stdout)
			}
			_, err := s.provider(tt.form).Retrieve(context.Background())
			var te *credentials.SSOTokenError
			if !errors.As(err, &te) || !errors.Is(err, tt.wantKind) {
				t.Fatalf("err = %v, want an SSOTokenError of kind %v", err, tt.wantKind)
			}
			want := credentials.SSOTokenError{Kind: tt.wantKind, StartURL: ssoStartURL}
			if tt.form == "session" {
				want.SessionName = ssoSessionName
			}
			got := credentials.SSOTokenError{Kind: te.Kind, SessionName: te.SessionName, StartURL: te.StartURL}
			if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("SSOTokenError (-want +got):\n%s", diff)
			}
			checkNoSecrets(t, "the error", err.Error())
			checkNoSecrets(t, "the CLI's error", res.Stderr)
		})
	}
}

// The CLI and the provider agree that a token cached under one form's key
// is not found by the other form: the sso_session's token is not there.
func TestSSOCacheKeyAgainstAWSCLI(t *testing.T) {
	s := newSSOCLISetup(t)
	writeCache(t, s.cacheDir, ssoStartURL, legacyToken(time.Now().Add(time.Hour)))
	if res := s.cli(t, "legacy"); res.ExitCode != 0 {
		t.Fatalf("legacy: exit %d: %s", res.ExitCode, res.Stderr)
	}
	res := s.cli(t, "session")
	_, err := s.provider("session").Retrieve(context.Background())
	var te *credentials.SSOTokenError
	if !errors.As(err, &te) || te.Kind != credentials.ErrSSOTokenNotFound || te.SessionName != ssoSessionName ||
		res.ExitCode != 255 || !strings.Contains(res.Stderr, "Token for corp does not exist") {
		t.Errorf("session form with only a legacy cache file: ours %v, the CLI's %q (exit %d)", err, res.Stderr, res.ExitCode)
	}
}

// TestSSORetriesAgainstAWSCLI: given the same failing answers, the CLI (in
// its default, legacy, retry mode) and the providers (with their default
// attempts; no waits on our side) send as many requests, retrying
// GetRoleCredentials and CreateToken on 429, 5xx (509 included), a reset
// connection and an answer cut short, and not on 403, and giving up after
// 5 attempts. The CLI waits its real
// backoff: the failures are few.
func TestSSORetriesAgainstAWSCLI(t *testing.T) {
	tooMany := ssotest.Failure{Status: 429, Code: "TooManyRequestsException", Message: "Too many requests"}
	tests := []struct {
		name               string
		form               string
		refresh            bool // the token has expired: CreateToken first
		portal, oidc       []ssotest.Failure
		wantPortal, wantOI int
		wantOK             bool
	}{
		{name: "429 twice", form: "legacy", portal: []ssotest.Failure{tooMany, tooMany}, wantPortal: 3, wantOK: true},
		{name: "503, then a reset", form: "session", portal: []ssotest.Failure{{Status: 503}, {Reset: true}}, wantPortal: 3, wantOK: true},
		{name: "509, then an answer cut short", form: "legacy", portal: []ssotest.Failure{{Status: 509, Message: "Bandwidth limit exceeded"}, {Cut: true}}, wantPortal: 3, wantOK: true},
		// The CLI waits up to 1+2+4+8 s here: the one slow row, for the
		// default number of attempts.
		{name: "429 to the end: 5 attempts", form: "legacy", portal: []ssotest.Failure{tooMany, tooMany, tooMany, tooMany, tooMany, tooMany}, wantPortal: 5},
		{name: "403 not retried", form: "legacy", portal: []ssotest.Failure{{Status: 403, Code: "ForbiddenException", Message: "No access"}}, wantPortal: 1},
		{name: "CreateToken 500, 429", form: "session", refresh: true,
			oidc: []ssotest.Failure{{Status: 500, Code: "InternalServerException"}, tooMany}, wantOI: 3, wantPortal: 1, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSSOCLISetup(t)
			tok := legacyToken(time.Now().Add(2 * time.Hour))
			if tt.form == "session" {
				tok = cacheToken(time.Now().Add(2 * time.Hour))
			}
			if tt.refresh {
				tok = cacheToken(time.Now().Add(-time.Hour))
			}
			start := func() {
				writeCache(t, s.cacheDir, cacheName(tt.form), tok)
				s.fake.SetRefreshToken(ssoRefresh)
				s.fake.SetPortalFailures(tt.portal...)
				s.fake.SetOIDCFailures(tt.oidc...)
			}

			start()
			res := s.cli(t, tt.form)
			if (res.ExitCode == 0) != tt.wantOK {
				t.Errorf("the CLI: exit %d, want success %v\n%s", res.ExitCode, tt.wantOK, res.Stderr)
			}
			cliPortal, cliOIDC := len(s.fake.PortalRequests()), len(s.fake.OIDCRequests())

			start()
			p := s.provider(tt.form)
			p.Retry.Jitter = noJitter
			_, err := p.Retrieve(context.Background())
			if (err == nil) != tt.wantOK {
				t.Errorf("Retrieve: err = %v, want success %v", err, tt.wantOK)
			}
			ourPortal, ourOIDC := len(s.fake.PortalRequests())-cliPortal, len(s.fake.OIDCRequests())-cliOIDC

			if cliPortal != ourPortal || cliOIDC != ourOIDC {
				t.Errorf("portal and CreateToken requests: the CLI %d and %d, ours %d and %d", cliPortal, cliOIDC, ourPortal, ourOIDC)
			}
			if ourPortal != tt.wantPortal || ourOIDC != tt.wantOI {
				t.Errorf("portal and CreateToken requests: %d and %d, want %d and %d", ourPortal, ourOIDC, tt.wantPortal, tt.wantOI)
			}
		})
	}
}
