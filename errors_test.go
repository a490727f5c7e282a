package callerid

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/ssotest"
	"github.com/callerid/callerid/sts"
)

// TestErrorsKeepTheirTypes walks every source of credentials, and the
// configuration, with a setup that fails, on loopback fakes, and checks
// that what Whoami returns lets errors.As and errors.Is find the typed
// cause through every layer, and shows no planted secret.
func TestErrorsKeepTheirTypes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses /bin/false")
	}
	const planted = "PLANTEDSECRETwJalrXUtnFEMI/K7MDENG"
	var (
		credErr    *credentials.Error
		chainErr   *credentials.ChainError
		opErr      *sts.OperationError
		apiErr     *sts.APIError
		endpErr    *sts.EndpointError
		cfgErr     *ConfigError
		ssoCfgErr  *SSOConfigError
		ssoTokErr  *credentials.SSOTokenError
		ssoSvcErr  *credentials.SSOServiceError
		urlErr     *url.Error
		exitErr    *exec.ExitError
		pathErr    *fs.PathError
		partialErr *credentials.PartialCredentialsError
		procErr    *credentials.ProcessExitError
		notFoundIs = credentials.ErrNotFound
	)
	type check struct {
		target any    // a pointer to the type errors.As must find
		source string // for *credentials.Error: the Source of the outermost one
		code   string // for *sts.APIError: the code
	}
	tests := []struct {
		name    string
		config  string                                  // ~/.aws/config
		creds   string                                  // ~/.aws/credentials
		env     func(h *chainHarness) map[string]string // more environment
		opts    []Option
		as      []check
		is      []error
		isNot   []error
		atLoad  bool // the error is LoadConfig's
		planted bool // the setup holds the planted secret
	}{
		{
			name:  "env: a lone access key",
			env:   func(*chainHarness) map[string]string { return map[string]string{"AWS_ACCESS_KEY_ID": "AKIDLONELY"} },
			as:    []check{{target: &credErr, source: "EnvProvider"}, {target: &partialErr}, {target: &opErr}},
			isNot: []error{notFoundIs},
		},
		{
			name:  "credentials file: half a key pair",
			creds: "[default]\naws_access_key_id = AKIDHALF\n",
			as:    []check{{target: &credErr, source: "SharedCredentialsFile(profile=default)"}, {target: &cfgErr}, {target: &partialErr}, {target: &opErr}},
			isNot: []error{notFoundIs},
		},
		{
			name:  "static: no keys",
			opts:  []Option{WithCredentials(&credentials.StaticProvider{})},
			as:    []check{{target: &credErr, source: "StaticProvider"}, {target: &opErr}},
			isNot: []error{notFoundIs},
		},
		{
			name:   "credential_process: exits 1",
			config: "[default]\ncredential_process = /bin/false " + planted + "\n",
			as:     []check{{target: &credErr, source: "ProcessProvider(profile=default)"}, {target: &procErr}, {target: &exitErr}, {target: &opErr}},
			isNot:  []error{notFoundIs}, planted: true,
		},
		{
			name: "container: the agent fails",
			env: func(h *chainHarness) map[string]string {
				srv := newContainerService(h.t, "/creds", planted, http.StatusNotFound, "")
				return map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": planted}
			},
			as:    []check{{target: &credErr, source: "ContainerProvider"}, {target: &opErr}},
			isNot: []error{notFoundIs}, planted: true,
		},
		{
			name: "IMDS: the credentials request fails",
			env: func(h *chainHarness) map[string]string {
				_, srv := newIMDS(h.t, http.StatusInternalServerError, "")
				return map[string]string{"AWS_EC2_METADATA_DISABLED": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT": srv.URL}
			},
			as:    []check{{target: &credErr, source: "IMDSProvider(role=web-role)"}, {target: &opErr}},
			isNot: []error{notFoundIs},
		},
		{
			name: "web identity: STS refuses the token",
			env: func(h *chainHarness) map[string]string {
				return map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": writeFile(h.t, h.home, "token", planted), "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/pod"}
			},
			as: []check{{target: &credErr, source: "WebIdentityProvider(role=arn:aws:iam::123456789012:role/pod)"},
				{target: &apiErr, code: "InvalidIdentityToken"}, {target: &opErr}},
			isNot: []error{notFoundIs}, planted: true,
		},
		{
			name: "web identity: no token file",
			env: func(h *chainHarness) map[string]string {
				return map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": filepath.Join(h.home, "nope"), "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/pod"}
			},
			as: []check{{target: &credErr, source: "WebIdentityProvider(role=arn:aws:iam::123456789012:role/pod)"}, {target: &pathErr}},
			is: []error{fs.ErrNotExist}, isNot: []error{notFoundIs},
		},
		{
			name:   "assume role: STS refuses the source's keys",
			config: "[default]\nrole_arn = arn:aws:iam::222222222222:role/r\nsource_profile = base\n",
			creds:  "[base]\naws_access_key_id = AKIDUNKNOWN\naws_secret_access_key = " + planted + "\n",
			as: []check{{target: &credErr, source: "AssumeRoleProvider(role=arn:aws:iam::222222222222:role/r)"},
				{target: &apiErr, code: "InvalidClientTokenId"}, {target: &opErr}},
			isNot: []error{notFoundIs}, planted: true,
		},
		{
			name:   "assume role: the source profile has nothing",
			config: "[default]\nrole_arn = arn:aws:iam::222222222222:role/r\nsource_profile = base\n[profile base]\nregion = eu-west-1\n",
			as: []check{{target: &credErr, source: "AssumeRoleProvider(role=arn:aws:iam::222222222222:role/r)"},
				{target: &chainErr}, {target: &opErr}},
			is: []error{notFoundIs},
		},
		{
			name:   "assume role: a source_profile loop",
			config: "[default]\nrole_arn = arn:aws:iam::222222222222:role/r\nsource_profile = other\n[profile other]\nrole_arn = arn:aws:iam::222222222222:role/o\nsource_profile = default\n",
			as:     []check{{target: &credErr, source: "AssumeRoleProvider(profile=default)"}, {target: &cfgErr}, {target: &opErr}},
			isNot:  []error{notFoundIs},
		},
		{
			name:   "SSO: a profile that lacks keys",
			config: "[default]\nsso_account_id = 123456789012\n",
			as:     []check{{target: &credErr, source: "SSOProvider(profile=default)"}, {target: &cfgErr}, {target: &ssoCfgErr}, {target: &opErr}},
			is:     []error{ErrSSOConfigMissing}, isNot: []error{notFoundIs},
		},
		{
			name:   "SSO: no such sso-session",
			config: "[default]\nsso_session = ghost\nsso_role_name = R\n",
			as:     []check{{target: &credErr, source: "SSOProvider(profile=default)"}, {target: &cfgErr}, {target: &ssoCfgErr}, {target: &opErr}},
			is:     []error{ErrSSOSessionNotFound}, isNot: []error{notFoundIs},
		},
		{
			name:   "SSO: no token cached",
			config: ssoTestConfig,
			opts:   []Option{WithProfile("session")},
			as:     []check{{target: &credErr, source: "SSOProvider"}, {target: &ssoTokErr}, {target: &pathErr}, {target: &opErr}},
			is:     []error{credentials.ErrSSOTokenNotFound, fs.ErrNotExist}, isNot: []error{notFoundIs},
		},
		{
			name:   "SSO: the legacy token expired",
			config: ssoTestConfig,
			env: func(h *chainHarness) map[string]string {
				ssotest.WriteCache(h.t, h.ssoCacheDir(), ssoTestStart, ssoTestToken("legacy", fixedNow().Add(-time.Minute), true))
				return nil
			},
			opts: []Option{WithProfile("role-via-legacy")},
			as:   []check{{target: &credErr, source: "AssumeRoleProvider(role=arn:aws:iam::222222222222:role/deploy)"}, {target: &ssoTokErr}, {target: &opErr}},
			is:   []error{credentials.ErrSSOSessionExpired}, isNot: []error{notFoundIs},
		},
		{
			name:   "SSO: the sso_session token expired and the refresh is refused",
			config: ssoTestConfig,
			env: func(h *chainHarness) map[string]string {
				f := &ssotest.Server{OIDC: func(w http.ResponseWriter, r *http.Request) {
					ssotest.WriteJSON(w, 400, "InvalidGrantException", map[string]string{"error": "invalid_grant", "error_description": "no " + planted})
				}}
				f.Start(h.t)
				tok := ssoTestToken("session", fixedNow().Add(-time.Minute), false)
				tok.RefreshToken = planted
				ssotest.WriteCache(h.t, h.ssoCacheDir(), "corp", tok)
				return map[string]string{"AWS_ENDPOINT_URL_SSO": f.URL(), "AWS_ENDPOINT_URL_SSO_OIDC": f.URL()}
			},
			opts: []Option{WithProfile("session")},
			as:   []check{{target: &credErr, source: "SSOProvider"}, {target: &ssoTokErr}, {target: &ssoSvcErr}, {target: &urlErr}, {target: &opErr}},
			is:   []error{credentials.ErrSSOTokenExpired}, isNot: []error{notFoundIs}, planted: true,
		},
		{
			name:   "SSO: the portal refuses the token",
			config: ssoTestConfig,
			env: func(h *chainHarness) map[string]string {
				f := (&ssotest.Server{}).Start(h.t)
				ssotest.WriteCache(h.t, h.ssoCacheDir(), ssoTestStart, ssoTestToken("legacy", fixedNow().Add(time.Hour), true))
				return map[string]string{"AWS_ENDPOINT_URL_SSO": f.URL()}
			},
			opts: []Option{WithProfile("legacy")},
			as:   []check{{target: &credErr, source: "SSOProvider"}, {target: &ssoTokErr}, {target: &ssoSvcErr}, {target: &urlErr}, {target: &opErr}},
			is:   []error{credentials.ErrSSOSessionExpired}, isNot: []error{notFoundIs},
		},
		{
			name:   "config: a file that does not parse",
			config: "[default]\naws_secret_access_key " + planted + "\n",
			as:     []check{{target: &cfgErr}},
			atLoad: true, planted: true,
		},
		{
			name:   "config: a profile nobody wrote",
			opts:   []Option{WithProfile("nope")},
			as:     []check{{target: &cfgErr}},
			is:     []error{ErrProfileNotFound},
			atLoad: true,
		},
		{
			name: "config: a setting that cannot be used",
			env: func(*chainHarness) map[string]string {
				return map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "Legacy"}
			},
			as:     []check{{target: &cfgErr}},
			atLoad: true,
		},
		{
			name: "STS: an endpoint it will not use",
			env: func(*chainHarness) map[string]string {
				return map[string]string{"AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": planted}
			},
			opts: []Option{WithEndpointURL("http://192.0.2.1")},
			as:   []check{{target: &endpErr}}, planted: true,
		},
		{
			name: "STS: a wrong secret",
			env: func(h *chainHarness) map[string]string {
				return map[string]string{"AWS_ACCESS_KEY_ID": h.key("alice").AccessKeyID, "AWS_SECRET_ACCESS_KEY": planted}
			},
			as:    []check{{target: &apiErr, code: "SignatureDoesNotMatch"}, {target: &opErr}},
			isNot: []error{notFoundIs}, planted: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.config, tt.creds)
			if tt.env != nil {
				for k, v := range tt.env(h) {
					h.env[k] = v
				}
			}
			opts := append([]Option{WithGetenv(envMap(h.env)), WithClock(fixedNow), WithProcessStderr(new(strings.Builder))}, tt.opts...)
			_, loadErr := LoadConfig(context.Background(), opts...)
			if tt.atLoad != (loadErr != nil) {
				t.Fatalf("LoadConfig: err = %v; want an error: %v", loadErr, tt.atLoad)
			}
			id, err := Whoami(context.Background(), opts...)
			if err == nil {
				t.Fatalf("Whoami = %+v, want an error", id)
			}
			t.Logf("err = %v", err)
			for _, c := range tt.as {
				if !errors.As(err, c.target) {
					t.Errorf("errors.As(err, %T) is false", c.target)
					continue
				}
				switch e := reflect.ValueOf(c.target).Elem().Interface().(type) {
				case *credentials.Error:
					if c.source != "" && e.Source != c.source {
						t.Errorf("*credentials.Error Source = %q, want %q", e.Source, c.source)
					}
				case *sts.APIError:
					if e.Code != c.code {
						t.Errorf("*sts.APIError Code = %q, want %q", e.Code, c.code)
					}
				}
			}
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(err, %v) is false", target)
				}
			}
			for _, target := range tt.isNot {
				if errors.Is(err, target) {
					t.Errorf("errors.Is(err, %v) is true", target)
				}
			}
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
				if strings.Contains(s, planted) {
					t.Errorf("the error shows the planted secret: %s", s)
				}
			}
		})
	}
}

// TestValueError checks that a setting's refused value comes as a
// *ValueError inside the *ConfigError naming the setting, for the
// environment and the profile alike.
func TestValueError(t *testing.T) {
	home := t.TempDir()
	writeFile(t, home, ".aws/config", "[default]\nregion = us-west-2\nsts_regional_endpoints = Regional\n")
	for _, tt := range []struct {
		env  map[string]string
		want ConfigError // without Err
		val  ValueError
	}{
		{env: map[string]string{"HOME": home},
			want: ConfigError{Path: filepath.Join(home, ".aws", "config"), Line: 3, Profile: "default", Setting: "sts_regional_endpoints"},
			val:  ValueError{Value: "Regional", Want: `want "regional" or "legacy"`}},
		{env: map[string]string{"HOME": home, "AWS_STS_REGIONAL_ENDPOINTS": " legacy " + strings.Repeat("x", 100)},
			want: ConfigError{Setting: "AWS_STS_REGIONAL_ENDPOINTS"},
			val:  ValueError{Value: " legacy " + strings.Repeat("x", 56) + "...", Want: `want "regional" or "legacy"`}},
	} {
		_, err := LoadConfig(context.Background(), WithGetenv(envMap(tt.env)))
		var cfgErr *ConfigError
		var valErr *ValueError
		if !errors.As(err, &cfgErr) || !errors.As(err, &valErr) {
			t.Fatalf("err = %v, want a *ConfigError around a *ValueError", err)
		}
		got := *cfgErr
		got.Err = nil
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ConfigError (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(tt.val, *valErr); diff != "" {
			t.Errorf("ValueError (-want +got):\n%s", diff)
		}
	}
}
