package callerid

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/ssotest"
	"github.com/callerid/callerid/sts"
)

// Planted SSO secrets: no error or output may show them.
const (
	ssoTestAccess  = "SSOACCESSTOKEN-planted-root-aaaa"
	ssoTestRefresh = "SSOREFRESHTOKEN-planted-root-bbbb"
	ssoTestClient  = "SSOCLIENTSECRET-planted-root-cccc"
	ssoTestStart   = ssotest.StartURL
	ssoTestAccount = "123456789012"
)

// The profiles of both forms, as "aws configure sso" writes them, and
// roles whose source_profile is each.
const ssoTestConfig = ssotest.Profiles + ssotest.RoleProfiles

// ssoCacheName is the name a form's token is cached under.
func ssoCacheName(form string) string {
	if form == "legacy" {
		return ssoTestStart
	}
	return "corp"
}

// ssoTestToken is a cache file for form expiring at expires; the
// sso_session form's has what a refresh needs unless noRefresh.
func ssoTestToken(form string, expires time.Time, noRefresh bool) ssotest.Token {
	tok := ssotest.Token{StartURL: ssoTestStart, Region: "eu-west-1", AccessToken: ssoTestAccess, ExpiresAt: expires}
	if form == "session" && !noRefresh {
		tok.ClientID, tok.ClientSecret, tok.RefreshToken = "client-1", ssoTestClient, ssoTestRefresh
		tok.RegistrationExpiresAt = expires.Add(90 * 24 * time.Hour)
	}
	return tok
}

// newSSOServer starts a fake portal that hands out key for ReadOnly in
// ssoTestAccount to the bearer of ssoTestAccess.
func newSSOServer(t *testing.T, c credentials.Credentials, expires time.Time) *ssotest.Server {
	f := &ssotest.Server{
		Valid:    map[string]bool{ssoTestAccess: true},
		ClientID: "client-1", ClientSecret: ssoTestClient, RefreshToken: ssoTestRefresh,
		NewAccessToken: "SSONEWACCESS-planted-root-dddd", ExpiresIn: 3600,
	}
	f.SetRole(ssoTestAccount, "ReadOnly", ssotest.RoleCredentials{
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey(), SessionToken: c.SessionToken(), ExpirationMS: expires.UnixMilli(),
	})
	return f.Start(t)
}

// ssoHarness is a chain harness with ssoTestConfig, a fake portal that
// hands out keys the fake STS knows (an AWSReservedSSO role session), and
// AWS_ENDPOINT_URL_SSO pointing at the portal.
func ssoHarness(t *testing.T) (*chainHarness, *ssotest.Server) {
	h := newHarness(t, ssoTestConfig, "")
	key := h.sts.AddAssumedRole(ssoTestAccount, "AWSReservedSSO_ReadOnly_0123456789abcdef", "alice")
	f := newSSOServer(t, key.Credentials, key.Expires)
	h.env["AWS_ENDPOINT_URL_SSO"] = f.URL()
	return h, f
}

func (h *chainHarness) ssoCacheDir() string { return filepath.Join(h.home, ".aws", "sso", "cache") }

// TestChainSSO: both forms of SSO profile get the role's keys from the
// portal, with the cached token, and Whoami says who they are; a role
// whose source_profile is an SSO profile is assumed with them.
func TestChainSSO(t *testing.T) {
	tests := []struct {
		profile, form string
		wantARN       string
		wantSource    string
	}{
		{"session", "session", "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice", "SSOProvider"},
		{"legacy", "legacy", "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice", "SSOProvider"},
		{"role-via-session", "session", "arn:aws:sts::222222222222:assumed-role/deploy/ci", "AssumeRoleProvider"},
		{"role-via-legacy", "legacy", "arn:aws:sts::222222222222:assumed-role/deploy/ci", "AssumeRoleProvider"},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			h, f := ssoHarness(t)
			ssotest.WriteCache(t, h.ssoCacheDir(), ssoCacheName(tt.form), ssoTestToken(tt.form, fixedNow().Add(time.Hour), false))
			id, err := Whoami(context.Background(), WithGetenv(envMap(h.env)), WithClock(fixedNow), WithProfile(tt.profile))
			if err != nil {
				t.Fatal(err)
			}
			if id.ARN != tt.wantARN || !strings.HasPrefix(id.CredentialSource, tt.wantSource) {
				t.Errorf("Whoami = %s from %q, want %s from %s", id.ARN, id.CredentialSource, tt.wantARN, tt.wantSource)
			}
			want := []ssotest.Request{{Method: "GET", Path: "/federation/credentials", RawQuery: "role_name=ReadOnly&account_id=123456789012", Bearer: ssoTestAccess}}
			if diff := cmp.Diff(want, f.PortalRequests()); diff != "" {
				t.Errorf("portal requests (-want +got):\n%s", diff)
			}
			if n := len(f.OIDCRequests()); n != 0 {
				t.Errorf("%d CreateToken requests for a fresh token", n)
			}
		})
	}
}

// TestChainSSORefresh: an expired sso_session token is refreshed through
// SSO OIDC at AWS_ENDPOINT_URL_SSO_OIDC.
func TestChainSSORefresh(t *testing.T) {
	h, f := ssoHarness(t)
	h.env["AWS_ENDPOINT_URL_SSO_OIDC"] = f.URL()
	ssotest.WriteCache(t, h.ssoCacheDir(), "corp", ssoTestToken("session", fixedNow().Add(-time.Hour), false))
	c, err := h.retrieve(WithProfile("session"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != "SSOProvider" || c.AccountID != ssoTestAccount {
		t.Errorf("credentials from %q for %q", c.Source, c.AccountID)
	}
	if n := len(f.OIDCRequests()); n != 1 {
		t.Errorf("%d CreateToken requests, want 1", n)
	}
	if reqs := f.PortalRequests(); len(reqs) != 1 || reqs[0].Bearer != "SSONEWACCESS-planted-root-dddd" {
		t.Errorf("portal requests %v, want one with the new token", reqs)
	}
}

// TestChainSSOTokenErrors: a missing or expired token is a
// *credentials.SSOTokenError that stops the chain.
func TestChainSSOTokenErrors(t *testing.T) {
	tests := []struct {
		profile, form string
		token         *ssotest.Token
		wantKind      error
	}{
		{"session", "session", nil, credentials.ErrSSOTokenNotFound},
		{"legacy", "legacy", nil, credentials.ErrSSOTokenNotFound},
		{"session", "session", ptr(ssoTestToken("session", fixedNow().Add(-time.Hour), true)), credentials.ErrSSOTokenExpired},
		{"legacy", "legacy", ptr(ssoTestToken("legacy", fixedNow().Add(-time.Hour), true)), credentials.ErrSSOSessionExpired},
		{"role-via-legacy", "legacy", ptr(ssoTestToken("legacy", fixedNow().Add(-time.Hour), true)), credentials.ErrSSOSessionExpired},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%v", tt.profile, tt.wantKind), func(t *testing.T) {
			h, f := ssoHarness(t)
			if tt.token != nil {
				ssotest.WriteCache(t, h.ssoCacheDir(), ssoCacheName(tt.form), *tt.token)
			}
			_, err := h.retrieve(WithProfile(tt.profile))
			var te *credentials.SSOTokenError
			if !errors.As(err, &te) || !errors.Is(err, tt.wantKind) {
				t.Fatalf("err = %v, want an *SSOTokenError of kind %v", err, tt.wantKind)
			}
			var ce *credentials.ChainError
			if errors.As(err, &ce) {
				t.Errorf("the chain moved on past the SSO profile: %v", err)
			}
			if n := len(f.PortalRequests()); n != 0 {
				t.Errorf("%d portal requests without a usable token", n)
			}
			for _, s := range []string{ssoTestAccess, ssoTestRefresh, ssoTestClient} {
				if strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), s) {
					t.Errorf("the error shows %q: %v", s, err)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// ssoConfigErrorCases are SSO profiles botocore refuses before reading a
// token, with the error and its text.
var ssoConfigErrorCases = []struct {
	name, config, profile string
	want                  SSOConfigError
	wantLine              int
	wantErr               string // the SSOConfigError's Error()
}{
	{
		name:     "legacy, keys missing",
		config:   "[profile p]\nsso_account_id = 123456789012\n",
		profile:  "p",
		want:     SSOConfigError{Kind: ErrSSOConfigMissing, Profile: "p", Missing: []string{"sso_role_name", "sso_start_url", "sso_region"}},
		wantLine: 1,
		wantErr:  "configured to use SSO (IAM Identity Center) but missing required configuration: sso_role_name, sso_start_url, sso_region",
	},
	{
		name:     "session, keys missing",
		config:   "[profile p]\nsso_session = corp\nsso_role_name = R\n[sso-session corp]\nsso_start_url = https://x.example/start\n",
		profile:  "p",
		want:     SSOConfigError{Kind: ErrSSOConfigMissing, Profile: "p", Session: "corp", Missing: []string{"sso_account_id", "sso_region"}},
		wantLine: 1,
		wantErr:  "configured to use SSO (IAM Identity Center) but missing required configuration: sso_account_id, sso_region",
	},
	{
		name:     "no such sso-session",
		config:   "[profile p]\nregion = us-east-1\nsso_session = ghost\nsso_role_name = R\n",
		profile:  "p",
		want:     SSOConfigError{Kind: ErrSSOSessionNotFound, Profile: "p", Session: "ghost"},
		wantLine: 3,
		wantErr:  `sso_session "ghost": the config file has no such [sso-session] section`,
	},
	{
		name: "start URL differs",
		config: "[profile p]\nsso_session = corp\nsso_start_url = https://a.example/start\nsso_account_id = 1\nsso_role_name = R\n" +
			"[sso-session corp]\nsso_start_url = https://b.example/start\nsso_region = eu-west-1\n",
		profile: "p",
		want: SSOConfigError{Kind: ErrSSOConfigInconsistent, Profile: "p", Session: "corp",
			Key: "sso_start_url", ProfileValue: "https://a.example/start", SessionValue: "https://b.example/start"},
		wantLine: 3,
		wantErr:  `sso_start_url is "https://a.example/start" in the profile but "https://b.example/start" in sso-session "corp"`,
	},
	{
		name:     "role whose source_profile lacks keys",
		config:   "[profile r]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = p\n[profile p]\nsso_role_name = R\n",
		profile:  "r",
		want:     SSOConfigError{Kind: ErrSSOConfigMissing, Profile: "p", Missing: []string{"sso_account_id", "sso_start_url", "sso_region"}},
		wantLine: 4,
		wantErr:  "configured to use SSO (IAM Identity Center) but missing required configuration: sso_account_id, sso_start_url, sso_region",
	},
}

func TestSSOConfigErrors(t *testing.T) {
	for _, tt := range ssoConfigErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.config, "")
			_, err := h.retrieve(WithProfile(tt.profile))
			var se *SSOConfigError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want an *SSOConfigError", err)
			}
			if diff := cmp.Diff(tt.want, *se, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("SSOConfigError (-want +got):\n%s", diff)
			}
			if !errors.Is(err, tt.want.Kind) {
				t.Errorf("errors.Is(err, %v) is false", tt.want.Kind)
			}
			if got := se.Error(); got != tt.wantErr {
				t.Errorf("Error:\n%s\nwant\n%s", got, tt.wantErr)
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Path != h.path("config") || ce.Line != tt.wantLine || ce.Profile != tt.want.Profile {
				t.Errorf("err = %v, want a *ConfigError at %s:%d in profile %q", err, h.path("config"), tt.wantLine, tt.want.Profile)
			}
			var cre *credentials.Error
			if !errors.As(err, &cre) || !strings.HasPrefix(cre.Source, "SSOProvider(profile=") && !strings.HasPrefix(cre.Source, "AssumeRoleProvider") {
				t.Errorf("err = %v, want it inside the SSO step's (or the role's) *credentials.Error", err)
			}
			t.Logf("err = %v", err)
		})
	}
}

// An inconsistent key that is not an sso_* setting might be a secret:
// its values are not kept.
func TestSSOConfigErrorRedactsOtherKeys(t *testing.T) {
	const planted = "PLANTEDSECRETwJalrXUtnFEMI/K7MDENG"
	h := newHarness(t, "[profile p]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\naws_secret_access_key = "+planted+
		"\n[sso-session corp]\nsso_start_url = https://x.example/start\nsso_region = eu-west-1\naws_secret_access_key = other\n", "")
	_, err := h.retrieve(WithProfile("p"))
	var se *SSOConfigError
	if !errors.As(err, &se) || se.Kind != ErrSSOConfigInconsistent || se.Key != "aws_secret_access_key" {
		t.Fatalf("err = %v, want an inconsistent aws_secret_access_key", err)
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v %#v", err, err), se.ProfileValue, se.SessionValue} {
		if strings.Contains(s, planted) || strings.Contains(s, "other") {
			t.Errorf("the error shows a value: %s", s)
		}
	}
}

// TestChainSSONotUsed: sso_session or sso_start_url without
// sso_account_id and sso_role_name is not an SSO profile: the chain moves
// on, as botocore's does.
func TestChainSSONotUsed(t *testing.T) {
	h := newHarness(t, "[profile p]\nsso_session = corp\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n", "")
	c, err := h.retrieve(WithProfile("p"))
	if err != nil || c.AccessKeyID != "AKIDCONFIG" {
		t.Fatalf("Retrieve = %v, %v; want the config file's keys", c.AccessKeyID, err)
	}
}

// TestChainSSONoHome: with an isolated environment without HOME there
// is no token cache to read, and the system's home is not used.
func TestChainSSONoHome(t *testing.T) {
	h := newHarness(t, ssoTestConfig, "")
	h.env["AWS_CONFIG_FILE"] = h.path("config")
	delete(h.env, "HOME")
	_, err := h.retrieve(WithProfile("legacy"))
	var ce *ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "no home directory") {
		t.Fatalf("err = %v, want a *ConfigError about the home directory", err)
	}
}

func TestResolveSSOEndpoints(t *testing.T) {
	const config = `[profile plain]
region = us-east-1

[profile services]
services = local
endpoint_url = http://127.0.0.1:9/profile

[profile profile-url]
endpoint_url = http://127.0.0.1:9/profile

[profile ignore]
services = local
endpoint_url = http://127.0.0.1:9/profile
ignore_configured_endpoint_urls = true

[services local]
sso =
  endpoint_url = http://127.0.0.1:9/services-sso
sso_oidc =
  endpoint_url = http://127.0.0.1:9/services-oidc
sts =
  endpoint_url = http://127.0.0.1:9/services-sts
`
	tests := []struct {
		name    string
		profile string
		env     map[string]string
		want    ssoSettings
	}{
		{"nothing", "plain", nil, ssoSettings{}},
		{"service variables", "services", map[string]string{"AWS_ENDPOINT_URL_SSO": "http://127.0.0.1:9/env-sso", "AWS_ENDPOINT_URL_SSO_OIDC": "http://127.0.0.1:9/env-oidc", "AWS_ENDPOINT_URL": "http://127.0.0.1:9/env"},
			ssoSettings{portalEndpoint: "http://127.0.0.1:9/env-sso", oidcEndpoint: "http://127.0.0.1:9/env-oidc"}},
		{"global variable", "services", map[string]string{"AWS_ENDPOINT_URL_SSO": "http://127.0.0.1:9/env-sso", "AWS_ENDPOINT_URL": "http://127.0.0.1:9/env"},
			ssoSettings{portalEndpoint: "http://127.0.0.1:9/env-sso", oidcEndpoint: "http://127.0.0.1:9/env"}},
		{"services section", "services", nil, ssoSettings{portalEndpoint: "http://127.0.0.1:9/services-sso", oidcEndpoint: "http://127.0.0.1:9/services-oidc"}},
		{"profile endpoint_url", "profile-url", nil, ssoSettings{portalEndpoint: "http://127.0.0.1:9/profile", oidcEndpoint: "http://127.0.0.1:9/profile"}},
		{"ignored by the profile", "ignore", map[string]string{"AWS_ENDPOINT_URL_SSO": "http://127.0.0.1:9/env-sso"}, ssoSettings{}},
		{"ignored by the environment", "services", map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL_SSO": "http://127.0.0.1:9/env-sso"}, ssoSettings{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, config, "")
			for k, v := range tt.env {
				h.env[k] = v
			}
			files, err := loadSharedFiles(h.path("config"), "")
			if err != nil {
				t.Fatal(err)
			}
			prof, err := files.Profile(tt.profile)
			if err != nil {
				t.Fatal(err)
			}
			got := resolveSSO(envMap(h.env), files, prof)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(ssoSettings{})); diff != "" {
				t.Errorf("endpoints (-want +got):\n%s", diff)
			}
		})
	}
}

// TestChainSSOEndpointAndClient: the portal is reached at the resolved
// endpoint with WithHTTPClient's client, which is not allowed to follow a
// redirect.
func TestChainSSOEndpointAndClient(t *testing.T) {
	h, f := ssoHarness(t)
	delete(h.env, "AWS_ENDPOINT_URL_SSO")
	h.env["AWS_ENDPOINT_URL"] = f.URL()
	h.env["AWS_ENDPOINT_URL_STS"] = h.sts.URL
	ssotest.WriteCache(t, h.ssoCacheDir(), ssoTestStart, ssoTestToken("legacy", fixedNow().Add(time.Hour), false))
	var used int
	client := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		used++
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, err := h.retrieve(WithProfile("legacy"), WithHTTPClient(client))
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != "SSOProvider" || used != 1 || len(f.PortalRequests()) != 1 {
		t.Errorf("source %q, client used %d times, portal asked %d times; want SSOProvider, 1, 1", c.Source, used, len(f.PortalRequests()))
	}
}

// roundTripper lets a test watch the requests a client sends.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestChainSSOPartitionEndpoint: with no endpoint configured, the portal
// is in sso_region's partition (the DNS suffix LoadConfig gives the
// provider). The client answers itself: nothing leaves the machine.
func TestChainSSOPartitionEndpoint(t *testing.T) {
	for _, tt := range []struct{ region, host string }{
		{"eu-west-1", "portal.sso.eu-west-1.amazonaws.com"},
		{"cn-north-1", "portal.sso.cn-north-1.amazonaws.com.cn"},
		{"us-iso-east-1", "portal.sso.us-iso-east-1.c2s.ic.gov"},
	} {
		t.Run(tt.region, func(t *testing.T) {
			h := newHarness(t, "[default]\nsso_start_url = "+ssoTestStart+"\nsso_region = "+tt.region+"\nsso_account_id = 1\nsso_role_name = R\n", "")
			ssotest.WriteCache(t, h.ssoCacheDir(), ssoTestStart, ssoTestToken("legacy", fixedNow().Add(time.Hour), true))
			var hosts []string
			client := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
				hosts = append(hosts, r.URL.Host)
				return nil, errors.New("no network in tests")
			})}
			if _, err := h.retrieve(WithHTTPClient(client)); err == nil {
				t.Fatal("Retrieve succeeded without a portal")
			}
			if diff := cmp.Diff([]string{tt.host}, hosts); diff != "" {
				t.Errorf("hosts asked (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSSORetrySettings: the SSO provider is retried in the retry mode and
// with the attempts LoadConfig resolved for STS (cfg.STSOptions.Retry):
// AWS_RETRY_MODE, else retry_mode, else legacy; AWS_MAX_ATTEMPTS, else
// max_attempts, else zero for the mode's default (legacy 5, standard and
// adaptive 3).
func TestSSORetrySettings(t *testing.T) {
	type settings struct {
		Mode        credentials.SSORetryMode
		MaxAttempts int
	}
	const (
		legacy   = credentials.SSORetryLegacy
		standard = credentials.SSORetryStandard
		adaptive = credentials.SSORetryAdaptive
	)
	tests := []struct {
		name    string
		profile string // the keys of [default]
		env     map[string]string
		want    settings
	}{
		{name: "nothing: legacy's default", want: settings{legacy, 0}},
		{name: "max_attempts", profile: "max_attempts = 7", want: settings{legacy, 7}},
		{name: "AWS_MAX_ATTEMPTS over max_attempts", profile: "max_attempts = 7", env: map[string]string{"AWS_MAX_ATTEMPTS": "2"}, want: settings{legacy, 2}},
		{name: "max_attempts 1", profile: "max_attempts = 1", want: settings{legacy, 1}},
		{name: "legacy", profile: "retry_mode = legacy", want: settings{legacy, 0}},
		{name: "standard", profile: "retry_mode = standard", want: settings{standard, 0}},
		{name: "adaptive from the environment", env: map[string]string{"AWS_RETRY_MODE": "adaptive"}, want: settings{adaptive, 0}},
		{name: "AWS_RETRY_MODE over retry_mode", profile: "retry_mode = standard", env: map[string]string{"AWS_RETRY_MODE": "legacy"}, want: settings{legacy, 0}},
		{name: "max_attempts and retry_mode", profile: "retry_mode = standard\nmax_attempts = 6", want: settings{standard, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "[default]\n"+tt.profile+"\n", "")
			for k, v := range tt.env {
				h.env[k] = v
			}
			cfg, err := h.load()
			if err != nil {
				t.Fatal(err)
			}
			o := ssoRetry(cfg.STSOptions.Retry)
			if diff := cmp.Diff(tt.want, settings{o.Mode, o.MaxAttempts}); diff != "" {
				t.Errorf("SSO retry settings (-want +got):\n%s", diff)
			}
		})
	}
	// A mode resolveSTS never returns is passed on as one the provider
	// refuses.
	if m := ssoRetry(sts.RetryOptions{Mode: 9}).Mode; m.String() != "SSORetryMode(-1)" {
		t.Errorf("ssoRetry(RetryMode(9)).Mode = %v, want one the provider refuses", m)
	}
}

// TestChainSSORetry: the retry mode and max_attempts reach the SSO
// provider (the portal is asked as many times as the mode retries its
// answer, max_attempts times at most), and a bad retry_mode or
// max_attempts is refused by LoadConfig, once, before any SSO call.
func TestChainSSORetry(t *testing.T) {
	const config = `[profile legacy]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 123456789012
sso_role_name = ReadOnly
`
	throttled := ssotest.Failure{Status: 429, Code: "TooManyRequestsException"}
	bandwidth := ssotest.Failure{Status: 509}
	limit := ssotest.Failure{Status: 400, Code: "RequestLimitExceeded"}
	tests := []struct {
		name         string
		keys         string
		env          map[string]string
		failures     []ssotest.Failure
		wantRequests int
		wantStatus   int    // of the *SSOServiceError inside the error; 0: success
		wantAttempts int    // of the *SSOAttemptsError; 0: none
		wantConfig   string // LoadConfig fails with a *ConfigError about this setting
	}{
		{name: "max_attempts 1: no retry", keys: "max_attempts = 1", failures: []ssotest.Failure{throttled}, wantRequests: 1, wantStatus: 429},
		{name: "max_attempts 2: one retry", keys: "max_attempts = 2", failures: []ssotest.Failure{throttled}, wantRequests: 2},
		{name: "max_attempts 2: gives up", keys: "max_attempts = 2", failures: []ssotest.Failure{throttled, throttled}, wantRequests: 2, wantStatus: 429, wantAttempts: 2},
		{name: "legacy by default: 509 retried", keys: "max_attempts = 2", failures: []ssotest.Failure{bandwidth}, wantRequests: 2},
		{name: "legacy by default: RequestLimitExceeded not retried", failures: []ssotest.Failure{limit}, wantRequests: 1, wantStatus: 400},
		{name: "retry_mode standard: 509 not retried", keys: "retry_mode = standard", failures: []ssotest.Failure{bandwidth}, wantRequests: 1, wantStatus: 509},
		{name: "AWS_RETRY_MODE adaptive over retry_mode legacy: 509 not retried", keys: "retry_mode = legacy",
			env: map[string]string{"AWS_RETRY_MODE": "adaptive"}, failures: []ssotest.Failure{bandwidth}, wantRequests: 1, wantStatus: 509},
		{name: "retry_mode standard, max_attempts 2: RequestLimitExceeded retried", keys: "retry_mode = standard\nmax_attempts = 2",
			failures: []ssotest.Failure{limit, limit}, wantRequests: 2, wantStatus: 400, wantAttempts: 2},
		{name: "bad retry_mode", keys: "retry_mode = fast", wantConfig: "retry_mode"},
		{name: "bad AWS_RETRY_MODE", env: map[string]string{"AWS_RETRY_MODE": "Standard"}, wantConfig: "AWS_RETRY_MODE"},
		{name: "bad max_attempts", keys: "max_attempts = 0", wantConfig: "max_attempts"},
		{name: "bad AWS_MAX_ATTEMPTS", env: map[string]string{"AWS_MAX_ATTEMPTS": "two"}, wantConfig: "AWS_MAX_ATTEMPTS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, config+tt.keys+"\n", "")
			key := h.sts.AddAssumedRole(ssoTestAccount, "AWSReservedSSO_ReadOnly_0123456789abcdef", "alice")
			f := newSSOServer(t, key.Credentials, key.Expires)
			f.PortalFailures = tt.failures
			h.env["AWS_ENDPOINT_URL_SSO"] = f.URL()
			for k, v := range tt.env {
				h.env[k] = v
			}
			ssotest.WriteCache(t, h.ssoCacheDir(), ssoTestStart, ssoTestToken("legacy", fixedNow().Add(time.Hour), false))
			cfg, err := h.load(WithProfile("legacy"))
			if tt.wantConfig != "" {
				var ce *ConfigError
				if cfg != nil || !errors.As(err, &ce) || ce.Setting != tt.wantConfig {
					t.Errorf("LoadConfig: cfg %v, err %v; want a *ConfigError about %s", cfg, err, tt.wantConfig)
				}
				if n := len(f.PortalRequests()); n != 0 {
					t.Errorf("%d portal requests, want none", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c, err := cfg.Credentials.Retrieve(context.Background())
			if n := len(f.PortalRequests()); n != tt.wantRequests {
				t.Errorf("%d portal requests, want %d", n, tt.wantRequests)
			}
			if tt.wantStatus == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if c.Source != "SSOProvider" || c.AccessKeyID != key.Credentials.AccessKeyID {
					t.Errorf("got %s from %s, want the role's keys from SSOProvider", c.AccessKeyID, c.Source)
				}
				return
			}
			var ae *credentials.SSOAttemptsError
			if errors.As(err, &ae) != (tt.wantAttempts > 0) || (ae != nil && ae.Attempts != tt.wantAttempts) {
				t.Errorf("err = %v: *SSOAttemptsError %v, want %d attempts", err, ae, tt.wantAttempts)
			}
			var se *credentials.SSOServiceError
			if !errors.As(err, &se) || se.StatusCode != tt.wantStatus {
				t.Errorf("err = %v, want the HTTP %d answer inside", err, tt.wantStatus)
			}
		})
	}
}
