//go:build unix

package callerid

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/internal/ssotest"
	"github.com/callerid/callerid/sts/ststest"
)

// ssoCLISetup is one isolated environment (HOME, config file, token
// cache) that the AWS CLI and Whoami both run in, with a fake portal at
// AWS_ENDPOINT_URL_SSO and a fake STS at AWS_ENDPOINT_URL_STS that knows
// the keys the portal hands out.
type ssoCLISetup struct {
	env    map[string]string
	portal *ssotest.Server
	sts    *ststest.Server
}

func newSSOCLISetup(t *testing.T, config string) *ssoCLISetup {
	t.Helper()
	peertest.Require(t, "aws")
	s := &ssoCLISetup{sts: ststest.NewServer()}
	t.Cleanup(s.sts.Close)
	key := s.sts.AddAssumedRole(ssoTestAccount, "AWSReservedSSO_ReadOnly_0123456789abcdef", "alice")
	s.portal = newSSOServer(t, key.Credentials, key.Expires)
	cfg := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	s.env = peertest.AWSEnv(t, map[string]string{
		"AWS_CONFIG_FILE":      cfg,
		"AWS_ENDPOINT_URL_SSO": s.portal.URL(),
		"AWS_ENDPOINT_URL_STS": s.sts.URL,
	})
	return s
}

func (s *ssoCLISetup) cacheDir() string { return filepath.Join(s.env["HOME"], ".aws", "sso", "cache") }

func (s *ssoCLISetup) cli(t *testing.T, profile string) peertest.CLIResult {
	t.Helper()
	return peertest.AWSCLI(t, s.env, "sts", "get-caller-identity", "--profile", profile, "--output", "json")
}

func (s *ssoCLISetup) whoami(profile string) (*Identity, error) {
	return Whoami(context.Background(), WithGetenv(envMap(s.env)), WithProfile(profile))
}

// TestSSOWhoamiAgainstAWSCLI: with the same home, config, token cache,
// portal and STS, the AWS CLI and Whoami find the same identity, for
// both forms of SSO profile and for a role whose source is one.
func TestSSOWhoamiAgainstAWSCLI(t *testing.T) {
	for _, tt := range []struct{ profile, form string }{
		{"session", "session"}, {"legacy", "legacy"}, {"role-via-session", "session"}, {"role-via-legacy", "legacy"},
	} {
		t.Run(tt.profile, func(t *testing.T) {
			s := newSSOCLISetup(t, ssoTestConfig)
			ssotest.WriteCache(t, s.cacheDir(), ssoCacheName(tt.form), ssoTestToken(tt.form, time.Now().Add(2*time.Hour), false))

			res := s.cli(t, tt.profile)
			if res.ExitCode != 0 {
				t.Fatalf("aws sts get-caller-identity: exit %d\n%s", res.ExitCode, res.Stderr)
			}
			var cli struct{ UserId, Account, Arn string }
			if err := json.Unmarshal([]byte(res.Stdout), &cli); err != nil {
				t.Fatalf("the CLI printed %q: %v", res.Stdout, err)
			}
			id, err := s.whoami(tt.profile)
			if err != nil {
				t.Fatal(err)
			}
			if id.Account != cli.Account || id.ARN != cli.Arn {
				t.Errorf("Whoami: %s %s; the CLI: %s %s", id.Account, id.ARN, cli.Account, cli.Arn)
			}
			// A role's UserId has a random role id per call: compare the
			// session part only.
			if _, sess, _ := strings.Cut(cli.UserId, ":"); !strings.HasSuffix(id.UserID, ":"+sess) {
				t.Errorf("Whoami UserID %q, the CLI's %q", id.UserID, cli.UserId)
			}
			// Both asked the portal the same, with the cached token.
			reqs := s.portal.PortalRequests()
			if len(reqs) != 2 || reqs[0].Bearer != ssoTestAccess {
				t.Fatalf("portal requests %+v, want two, with the cached token", reqs)
			}
			if diff := cmp.Diff(reqs[0], reqs[1]); diff != "" {
				t.Errorf("portal requests (-CLI +Whoami):\n%s", diff)
			}
		})
	}
}

// TestSSOTokenErrorsAgainstAWSCLI: where a missing or expired token fails
// the CLI (exit 255), it fails Whoami with a *credentials.SSOTokenError of
// the kind and with the facts (sso_session, start URL) the CLI's message
// is made of. (examples/whoami's TestSSOErrorsMatchAWSCLI compares the
// message it builds from them with the CLI's, byte for byte.)
func TestSSOTokenErrorsAgainstAWSCLI(t *testing.T) {
	expired := func(form string) *ssotest.Token {
		tok := ssoTestToken(form, time.Now().Add(-time.Hour), true)
		return &tok
	}
	tests := []struct {
		name, profile, form string
		token               *ssotest.Token
		wantKind            error
	}{
		{"missing", "session", "session", nil, credentials.ErrSSOTokenNotFound},
		{"missing", "legacy", "legacy", nil, credentials.ErrSSOTokenNotFound},
		{"missing", "role-via-legacy", "legacy", nil, credentials.ErrSSOTokenNotFound},
		{"expired", "session", "session", expired("session"), credentials.ErrSSOTokenExpired},
		{"expired", "legacy", "legacy", expired("legacy"), credentials.ErrSSOSessionExpired},
		{"expired", "role-via-session", "session", expired("session"), credentials.ErrSSOTokenExpired},
	}
	for _, tt := range tests {
		t.Run(tt.profile+"/"+tt.name, func(t *testing.T) {
			s := newSSOCLISetup(t, ssoTestConfig)
			if tt.token != nil {
				ssotest.WriteCache(t, s.cacheDir(), ssoCacheName(tt.form), *tt.token)
			}
			res := s.cli(t, tt.profile)
			if res.ExitCode != 255 || res.Stdout != "" {
				t.Errorf("the CLI: exit %d, stdout %q; want 255 and nothing", res.ExitCode, res.Stdout)
			}
			_, err := s.whoami(tt.profile)
			var te *credentials.SSOTokenError
			if !errors.As(err, &te) || !errors.Is(err, tt.wantKind) {
				t.Fatalf("err = %v, want an *SSOTokenError of kind %v", err, tt.wantKind)
			}
			want := credentials.SSOTokenError{Kind: tt.wantKind, StartURL: ssoTestStart}
			if tt.form == "session" {
				want.SessionName = "corp"
			}
			got := credentials.SSOTokenError{Kind: te.Kind, SessionName: te.SessionName, StartURL: te.StartURL}
			if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("SSOTokenError (-want +got):\n%s", diff)
			}
			for _, sec := range []string{ssoTestAccess, ssoTestRefresh, ssoTestClient} {
				if strings.Contains(err.Error(), sec) {
					t.Errorf("the error shows %q: %v", sec, err)
				}
			}
		})
	}
}

// TestSSOConfigErrorsAgainstAWSCLI: the profiles botocore refuses (the
// CLI exits 255) fail Whoami with the *SSOConfigError the CLI's message is
// made of. (examples/whoami's TestSSOErrorsMatchAWSCLI compares the
// message it builds from it with the CLI's, byte for byte.)
func TestSSOConfigErrorsAgainstAWSCLI(t *testing.T) {
	for _, tt := range ssoConfigErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			s := newSSOCLISetup(t, tt.config)
			res := s.cli(t, tt.profile)
			if res.ExitCode != 255 || res.Stdout != "" {
				t.Errorf("the CLI: exit %d, stdout %q; want 255 and nothing", res.ExitCode, res.Stdout)
			}
			_, err := s.whoami(tt.profile)
			var se *SSOConfigError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want an *SSOConfigError", err)
			}
			if diff := cmp.Diff(tt.want, *se, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("SSOConfigError (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSSORetrySettingsAgainstAWSCLI: with the same retry settings and a
// portal that keeps failing, the AWS CLI and Whoami give up after as many
// requests, retrying what the retry mode retries (509 in legacy mode, not
// in standard). (Both wait their real backoff: the attempts are few.)
func TestSSORetrySettingsAgainstAWSCLI(t *testing.T) {
	const config = ssoTestConfig + `
[profile attempts]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 123456789012
sso_role_name = ReadOnly
max_attempts = 2
`
	throttled := ssotest.Failure{Status: 429, Code: "TooManyRequestsException", Message: "Too many requests"}
	bandwidth := ssotest.Failure{Status: 509, Message: "Bandwidth limit exceeded"}
	tests := []struct {
		name, profile string
		env           map[string]string
		failure       ssotest.Failure
		failures      int
		want          int
	}{
		{name: "retry_mode standard: 3", profile: "legacy", env: map[string]string{"AWS_RETRY_MODE": "standard"}, failure: throttled, failures: 3, want: 3},
		{name: "max_attempts 2 in the profile", profile: "attempts", failure: throttled, failures: 2, want: 2},
		{name: "AWS_MAX_ATTEMPTS 1", profile: "legacy", env: map[string]string{"AWS_MAX_ATTEMPTS": "1"}, failure: throttled, failures: 1, want: 1},
		{name: "legacy: 509 retried", profile: "attempts", failure: bandwidth, failures: 2, want: 2},
		{name: "retry_mode standard: 509 not retried", profile: "legacy", env: map[string]string{"AWS_RETRY_MODE": "standard"}, failure: bandwidth, failures: 1, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSSOCLISetup(t, config)
			for k, v := range tt.env {
				s.env[k] = v
			}
			ssotest.WriteCache(t, s.cacheDir(), ssoTestStart, ssoTestToken("legacy", time.Now().Add(2*time.Hour), false))
			fail := make([]ssotest.Failure, tt.failures)
			for i := range fail {
				fail[i] = tt.failure
			}

			s.portal.SetPortalFailures(fail...)
			res := s.cli(t, tt.profile)
			if res.ExitCode != 255 {
				t.Errorf("the CLI: exit %d, want 255\n%s", res.ExitCode, res.Stderr)
			}
			cli := len(s.portal.PortalRequests())

			s.portal.SetPortalFailures(fail...)
			_, err := s.whoami(tt.profile)
			var se *credentials.SSOServiceError
			if !errors.As(err, &se) || se.StatusCode != tt.failure.Status {
				t.Errorf("Whoami: err = %v, want the HTTP %d answer inside", err, tt.failure.Status)
			}
			ours := len(s.portal.PortalRequests()) - cli
			if cli != tt.want || ours != tt.want {
				t.Errorf("portal requests: the CLI %d, Whoami %d; want %d", cli, ours, tt.want)
			}
		})
	}
}
