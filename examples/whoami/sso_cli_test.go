package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/internal/ssotest"
)

// Planted SSO secrets: neither whoami nor the CLI may print them.
const (
	ssoAccess  = "SSOACCESSTOKEN-planted-whoami-aaaa"
	ssoRefresh = "SSOREFRESHTOKEN-planted-whoami-bbbb"
	ssoClient  = "SSOCLIENTSECRET-planted-whoami-cccc"
	ssoStart   = ssotest.StartURL
)

// ssoConfig holds both forms of SSO profile, as "aws configure sso"
// writes them, and roles whose source_profile is each.
const ssoConfig = ssotest.Profiles + ssotest.RoleProfiles

// ssoToken is a token cache file expiring at expires, with what an
// sso_session refresh needs when refresh is set.
func ssoToken(expires time.Time, refresh bool) ssotest.Token {
	tok := ssotest.Token{StartURL: ssoStart, Region: "eu-west-1", AccessToken: ssoAccess, ExpiresAt: expires}
	if refresh {
		tok.ClientID, tok.ClientSecret, tok.RefreshToken = "client-1", ssoClient, ssoRefresh
		tok.RegistrationExpiresAt = expires.Add(90 * 24 * time.Hour)
	}
	return tok
}

// TestSSOErrorsMatchAWSCLI runs whoami and the AWS CLI on the same SSO
// profiles, token cache and fake portal and SSO OIDC where no credentials
// come of it: a token that is missing, unusable, expired (refreshable or
// not, the refresh refused) or refused by the portal, in both forms and
// as a role's source, and the SSO configurations botocore refuses. Both
// must print the same bytes and exit alike, and neither print a token.
func TestSSOErrorsMatchAWSCLI(t *testing.T) {
	peertest.Require(t, "aws")
	hourAgo, inHour := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	type cache struct {
		name string // the sso_session, or the start URL in the legacy form
		v    any    // the file's content
	}
	tests := []struct {
		name, profile string
		config        string // ssoConfig when empty
		cache         *cache
		noAccess      bool // the portal takes no token
	}{
		{name: "no token", profile: "session"},
		{name: "no token", profile: "legacy"},
		{name: "no token", profile: "role-via-session"},
		{name: "no token", profile: "role-via-legacy"},
		{name: "only the legacy form's token", profile: "session", cache: &cache{ssoStart, ssoToken(inHour, false)}},
		{name: "no expiresAt", profile: "session", cache: &cache{"corp", map[string]string{"accessToken": ssoAccess}}},
		{name: "no accessToken", profile: "legacy", cache: &cache{ssoStart, map[string]string{"expiresAt": "2031-01-01T00:00:00Z"}}},
		{name: "expired, no refresh token", profile: "session", cache: &cache{"corp", ssoToken(hourAgo, false)}},
		{name: "expired, no refresh token", profile: "role-via-session", cache: &cache{"corp", ssoToken(hourAgo, false)}},
		{name: "expired", profile: "legacy", cache: &cache{ssoStart, ssoToken(hourAgo, false)}},
		{name: "expired", profile: "role-via-legacy", cache: &cache{ssoStart, ssoToken(hourAgo, false)}},
		{name: "expired, refresh refused", profile: "session", cache: &cache{"corp", func() ssotest.Token {
			tok := ssoToken(hourAgo, true)
			tok.RefreshToken += "-revoked"
			return tok
		}()}},
		{name: "portal refuses the token", profile: "session", cache: &cache{"corp", ssoToken(inHour, true)}, noAccess: true},
		{name: "portal refuses the token", profile: "legacy", cache: &cache{ssoStart, ssoToken(inHour, false)}, noAccess: true},

		{name: "keys missing", profile: "p", config: "[profile p]\nsso_account_id = 123456789012\n"},
		{name: "keys missing", profile: "p", config: "[profile p]\nsso_session = corp\nsso_role_name = R\n[sso-session corp]\nsso_start_url = https://x.example/start\n"},
		{name: "no such sso-session", profile: "p", config: "[profile p]\nregion = us-east-1\nsso_session = ghost\nsso_role_name = R\n"},
		{name: "start URL differs", profile: "p", config: "[profile p]\nsso_session = corp\nsso_start_url = https://a.example/start\nsso_account_id = 1\nsso_role_name = R\n" +
			"[sso-session corp]\nsso_start_url = https://b.example/start\nsso_region = eu-west-1\n"},
		{name: "role whose source_profile lacks keys", profile: "r", config: "[profile r]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = p\n[profile p]\nsso_role_name = R\n"},
	}
	for _, tt := range tests {
		t.Run(tt.profile+"/"+tt.name, func(t *testing.T) {
			t.Parallel() // the AWS CLI takes half a second to start
			sso := &ssotest.Server{
				Valid:    map[string]bool{ssoAccess: !tt.noAccess},
				ClientID: "client-1", ClientSecret: ssoClient, RefreshToken: ssoRefresh,
				NewAccessToken: "SSONEWACCESS-planted-whoami-dddd", ExpiresIn: 3600,
			}
			sso.Start(t)
			vars := deadSTS(t)
			vars["HOME"] = t.TempDir()
			vars["AWS_ENDPOINT_URL_SSO"] = sso.URL()
			vars["AWS_ENDPOINT_URL_SSO_OIDC"] = sso.URL()
			vars["AWS_CONFIG_FILE"] = filepath.Join(t.TempDir(), "config")
			config := tt.config
			if config == "" {
				config = ssoConfig
			}
			if err := os.WriteFile(vars["AWS_CONFIG_FILE"], []byte(config), 0o600); err != nil {
				t.Fatal(err)
			}
			if tt.cache != nil {
				ssotest.WriteCache(t, filepath.Join(vars["HOME"], ".aws", "sso", "cache"), tt.cache.name, tt.cache.v)
			}
			want, got := runBoth(t, vars, "--profile", tt.profile)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("whoami differs from aws sts get-caller-identity (-aws +whoami):\n%s", diff)
			}
			if want.ExitCode != 255 || want.Stdout != "" {
				t.Errorf("the CLI: exit %d, stdout %q; want 255 and nothing", want.ExitCode, want.Stdout)
			}
			for _, s := range []string{ssoAccess, ssoRefresh, ssoClient} {
				if strings.Contains(got.Stdout+got.Stderr, s) {
					t.Errorf("whoami printed %q", s)
				}
			}
		})
	}
}
