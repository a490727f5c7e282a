package credentials

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func init() {
	// Never read this machine's boto config in tests.
	botoSystemConfig = filepath.Join(os.TempDir(), "callerid-test-no-such-dir", "boto.cfg")
}

// chainHarness is a temporary home directory with ~/.aws files, an
// environment, and a fake STS.
type chainHarness struct {
	t      *testing.T
	home   string
	env    map[string]string
	sts    *fakeAssumer
	stderr bytes.Buffer
}

func newHarness(t *testing.T, config, credentials string) *chainHarness {
	h := &chainHarness{t: t, home: t.TempDir(), sts: &fakeAssumer{}}
	// IMDS off unless a test turns it on: tests never reach 169.254.169.254.
	h.env = map[string]string{"HOME": h.home, "AWS_EC2_METADATA_DISABLED": "true"}
	if config != "" {
		writeFile(t, h.home, ".aws/config", config)
	}
	if credentials != "" {
		writeFile(t, h.home, ".aws/credentials", credentials)
	}
	return h
}

func (h *chainHarness) opts() ChainOptions {
	return ChainOptions{Getenv: envMap(h.env), RoleAssumer: h.sts, Now: fixedNow, Stderr: &h.stderr, ProcessTimeout: 10 * time.Second}
}

func (h *chainHarness) retrieve(opts ChainOptions) (Credentials, error) {
	return DefaultChain(opts).Retrieve(context.Background())
}

func (h *chainHarness) path(name string) string { return filepath.Join(h.home, ".aws", name) }

func TestDefaultChainSources(t *testing.T) {
	const creds = `[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = secret-default

[dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = secret-dev
aws_session_token = token-dev
aws_account_id = 111111111111

[legacy-token]
aws_access_key_id = AKIDLEGACY
aws_secret_access_key = s
aws_security_token = security
aws_session_token = session
`
	const config = `[default]
region = us-east-1

[profile dev]
aws_access_key_id = AKIDDEV-IN-CONFIG
aws_secret_access_key = s

[profile config-only]
aws_access_key_id = AKIDCONFIG
aws_secret_access_key = s

[profile other]
region = eu-west-1
`
	envKeys := map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "secret-env"}
	tests := []struct {
		name       string
		env        map[string]string
		profile    string
		wantKey    string
		wantSource string
	}{
		{name: "environment first", env: envKeys, wantKey: "AKIDENV", wantSource: "EnvProvider"},
		{name: "default profile", wantKey: "AKIDDEFAULT", wantSource: "SharedCredentialsFile(profile=default)"},
		{name: "AWS_PROFILE picks the profile", env: map[string]string{"AWS_PROFILE": "dev"}, wantKey: "AKIDDEV", wantSource: "SharedCredentialsFile(profile=dev)"},
		{name: "AWS_DEFAULT_PROFILE beats AWS_PROFILE, as in botocore", env: map[string]string{"AWS_PROFILE": "other", "AWS_DEFAULT_PROFILE": "dev"}, wantKey: "AKIDDEV", wantSource: "SharedCredentialsFile(profile=dev)"},
		{name: "AWS_PROFILE does not skip the environment", env: map[string]string{"AWS_PROFILE": "dev", "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"}, wantKey: "AKIDENV", wantSource: "EnvProvider"},
		{name: "an explicit profile skips the environment", env: envKeys, profile: "dev", wantKey: "AKIDDEV", wantSource: "SharedCredentialsFile(profile=dev)"},
		{name: "the config file's keys", profile: "config-only", wantKey: "AKIDCONFIG", wantSource: "SharedConfigFile(profile=config-only)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, config, creds)
			for k, v := range tt.env {
				h.env[k] = v
			}
			o := h.opts()
			o.Profile = tt.profile
			got, err := h.retrieve(o)
			if err != nil {
				t.Fatal(err)
			}
			if got.AccessKeyID != tt.wantKey || got.Source != tt.wantSource {
				t.Errorf("got %v, want %s from %s", got, tt.wantKey, tt.wantSource)
			}
		})
	}

	h := newHarness(t, config, creds)
	o := h.opts()
	o.Profile = "dev"
	got, err := h.retrieve(o)
	if err != nil {
		t.Fatal(err)
	}
	want := New("AKIDDEV", "secret-dev", "token-dev")
	want.AccountID, want.Source = "111111111111", "SharedCredentialsFile(profile=dev)"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	o.Profile = "legacy-token"
	if got, err := h.retrieve(o); err != nil || got.SessionToken() != "security" {
		t.Errorf("aws_security_token should win, as in botocore: %v, %v", got, err)
	}
}

func TestDefaultChainProfileNotFound(t *testing.T) {
	h := newHarness(t, "[default]\nregion = x\n", "")
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = "AKIDENV", "s"
	for _, named := range []struct{ env, profile string }{{"AWS_PROFILE", ""}, {"AWS_DEFAULT_PROFILE", ""}, {"", "nope"}} {
		o := h.opts()
		o.Profile = named.profile
		if named.env != "" {
			h.env[named.env] = "nope"
		}
		_, err := h.retrieve(o)
		if !errors.Is(err, ErrProfileNotFound) || !strings.Contains(err.Error(), `profile "nope"`) {
			t.Errorf("%+v: err = %v, want ErrProfileNotFound, as the AWS CLI fails even with keys in the environment", named, err)
		}
		delete(h.env, named.env)
	}
}

func TestDefaultChainNothingFound(t *testing.T) {
	h := newHarness(t, "", "")
	_, err := h.retrieve(h.opts())
	var ce *ChainError
	if !errors.As(err, &ce) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want a *ChainError", err)
	}
	var sources []string
	for _, e := range ce.Errors {
		var pe *Error
		if !errors.As(e, &pe) {
			t.Fatalf("%v is not an *Error", e)
		}
		sources = append(sources, pe.Source)
	}
	want := []string{
		"EnvProvider", "AssumeRoleProvider", "WebIdentityProvider", "SSOProvider",
		"SharedCredentialsFile(profile=default)", "LoginProvider", "ProcessProvider",
		"SharedConfigFile(profile=default)", "EC2CredentialsFile", "BotoConfig",
		"ContainerProvider", "IMDSProvider",
	}
	if diff := cmp.Diff(want, sources); diff != "" {
		t.Errorf("sources tried, in the AWS CLI's order (-want +got):\n%s", diff)
	}
	t.Logf("the message:\n%v", err)
	if msg := err.Error(); !strings.Contains(msg, h.path("credentials")+" does not exist") {
		t.Errorf("the error should say which files it looked for:\n%s", msg)
	}
}

func TestDefaultChainAssumeRole(t *testing.T) {
	const config = `[profile base]
region = eu-west-1

[profile dev]
role_arn = arn:aws:iam::222222222222:role/dev
source_profile = base
external_id = ext-123
role_session_name = me
duration_seconds = 900

[profile chained]
role_arn = arn:aws:iam::333333333333:role/chained
source_profile = dev

[profile self]
role_arn = arn:aws:iam::444444444444:role/self
source_profile = self
aws_access_key_id = AKIDSELF
aws_secret_access_key = s

[profile by-process]
role_arn = arn:aws:iam::555555555555:role/p
source_profile = proc

[profile proc]
credential_process = /bin/echo '{"Version":1,"AccessKeyId":"AKIDPROC","SecretAccessKey":"s"}'

[profile bad-duration]
role_arn = arn:aws:iam::666666666666:role/x
source_profile = base
duration_seconds = 1h
`
	const creds = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = secret-base\n"
	tests := []struct {
		profile    string
		region     string
		wantCalls  []assumeCall
		wantSource string
	}{
		{
			profile: "dev", region: "us-west-2",
			wantCalls: []assumeCall{{Op: "AssumeRole", SignedBy: "AKIDBASE", SourceSrc: "SharedCredentialsFile(profile=base)", Request: AssumeRoleRequest{
				RoleARN: "arn:aws:iam::222222222222:role/dev", RoleSessionName: "me", ExternalID: "ext-123", Duration: 15 * time.Minute, Region: "us-west-2"}}},
			wantSource: "AssumeRoleProvider(role=arn:aws:iam::222222222222:role/dev, source=SharedCredentialsFile(profile=base))",
		},
		{
			profile: "chained",
			wantCalls: []assumeCall{
				{Op: "AssumeRole", SignedBy: "AKIDBASE", SourceSrc: "SharedCredentialsFile(profile=base)", Request: AssumeRoleRequest{
					RoleARN: "arn:aws:iam::222222222222:role/dev", RoleSessionName: "me", ExternalID: "ext-123", Duration: 15 * time.Minute}},
				{Op: "AssumeRole", SignedBy: "ASIA:arn:aws:iam::222222222222:role/dev",
					SourceSrc: "AssumeRoleProvider(role=arn:aws:iam::222222222222:role/dev, source=SharedCredentialsFile(profile=base))",
					Request:   AssumeRoleRequest{RoleARN: "arn:aws:iam::333333333333:role/chained", RoleSessionName: "callerid-1700000000"}},
			},
			wantSource: "AssumeRoleProvider(role=arn:aws:iam::333333333333:role/chained, source=AssumeRoleProvider(role=arn:aws:iam::222222222222:role/dev, source=SharedCredentialsFile(profile=base)))",
		},
		{
			profile: "self",
			wantCalls: []assumeCall{{Op: "AssumeRole", SignedBy: "AKIDSELF", SourceSrc: "SharedConfigFile(profile=self)", Request: AssumeRoleRequest{
				RoleARN: "arn:aws:iam::444444444444:role/self", RoleSessionName: "callerid-1700000000"}}},
			wantSource: "AssumeRoleProvider(role=arn:aws:iam::444444444444:role/self, source=SharedConfigFile(profile=self))",
		},
		{
			profile: "by-process",
			wantCalls: []assumeCall{{Op: "AssumeRole", SignedBy: "AKIDPROC", SourceSrc: "ProcessProvider(profile=proc)", Request: AssumeRoleRequest{
				RoleARN: "arn:aws:iam::555555555555:role/p", RoleSessionName: "callerid-1700000000"}}},
			wantSource: "AssumeRoleProvider(role=arn:aws:iam::555555555555:role/p, source=ProcessProvider(profile=proc))",
		},
		{
			profile: "bad-duration", // ignored, as botocore ignores it
			wantCalls: []assumeCall{{Op: "AssumeRole", SignedBy: "AKIDBASE", SourceSrc: "SharedCredentialsFile(profile=base)", Request: AssumeRoleRequest{
				RoleARN: "arn:aws:iam::666666666666:role/x", RoleSessionName: "callerid-1700000000"}}},
			wantSource: "AssumeRoleProvider(role=arn:aws:iam::666666666666:role/x, source=SharedCredentialsFile(profile=base))",
		},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			if tt.profile == "by-process" && runtime.GOOS == "windows" {
				t.Skip("uses /bin/echo")
			}
			h := newHarness(t, config, creds)
			// A role profile wins over the environment only when named
			// explicitly; AWS_PROFILE leaves the environment first.
			h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = "AKIDENV", "s"
			o := h.opts()
			o.Profile, o.Region = tt.profile, tt.region
			got, err := h.retrieve(o)
			if err != nil {
				t.Fatal(err)
			}
			want := roleCreds(tt.wantCalls[len(tt.wantCalls)-1].Request.RoleARN)
			want.Source = tt.wantSource
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantCalls, h.sts.Calls()); diff != "" {
				t.Errorf("STS calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDefaultChainRoleRegion(t *testing.T) {
	h := newHarness(t, "[default]\nregion = from-profile\nrole_arn = arn:r\ncredential_source = Environment\n", "")
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = "AKIDENV", "s"
	o := h.opts()
	o.Profile = "default"
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "from-profile"},
		{map[string]string{"AWS_DEFAULT_REGION": "from-default-region"}, "from-default-region"},
		{map[string]string{"AWS_DEFAULT_REGION": "x", "AWS_REGION": "from-region"}, "from-region"},
	} {
		for k, v := range tc.env {
			h.env[k] = v
		}
		if _, err := h.retrieve(o); err != nil {
			t.Fatal(err)
		}
		calls := h.sts.Calls()
		if got := calls[len(calls)-1].Request.Region; got != tc.want {
			t.Errorf("region = %q, want %q", got, tc.want)
		}
	}
}

func TestDefaultChainCredentialSource(t *testing.T) {
	_, ecs := newContainerService(t, "/creds", "")
	_, imdsSrv := newIMDS(t)
	config := `[profile env]
role_arn = arn:env
credential_source = Environment

[profile ecs]
role_arn = arn:ecs
credential_source = EcsContainer

[profile ec2]
role_arn = arn:ec2
credential_source = Ec2InstanceMetadata
ec2_metadata_service_endpoint = ` + imdsSrv.URL + `

[profile lowercase]
role_arn = arn:x
credential_source = environment
`
	tests := []struct {
		profile  string
		env      map[string]string
		wantSrc  string
		wantErr  string
		wantLine int
	}{
		{profile: "env", env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"}, wantSrc: "EnvProvider"},
		{profile: "env", wantErr: `credential_source Environment of profile "env" has no credentials`},
		{profile: "ecs", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": ecs.URL + "/creds"}, wantSrc: "ContainerProvider"},
		{profile: "ec2", env: map[string]string{"AWS_EC2_METADATA_DISABLED": ""}, wantSrc: "IMDSProvider(role=web-role)"},
		{profile: "lowercase", wantErr: `credential_source "environment" is not one of Environment, Ec2InstanceMetadata, EcsContainer`, wantLine: 16},
	}
	for _, tt := range tests {
		t.Run(tt.profile+tt.wantErr, func(t *testing.T) {
			h := newHarness(t, config, "")
			for k, v := range tt.env {
				h.env[k] = v
			}
			o := h.opts()
			o.Profile = tt.profile
			got, err := h.retrieve(o)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want %q (and not ErrNotFound)", err, tt.wantErr)
				}
				var ce *ConfigError
				if tt.wantLine != 0 && (!errors.As(err, &ce) || ce.Line != tt.wantLine || ce.Path != h.path("config")) {
					t.Errorf("err = %v, want it at %s:%d", err, h.path("config"), tt.wantLine)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			calls := h.sts.Calls()
			if len(calls) != 1 || calls[0].SourceSrc != tt.wantSrc {
				t.Errorf("calls = %+v, want one signed by %s", calls, tt.wantSrc)
			}
			if !strings.HasSuffix(got.Source, "source="+tt.wantSrc+")") {
				t.Errorf("Source = %s", got.Source)
			}
		})
	}
}

func TestDefaultChainRoleConfigErrors(t *testing.T) {
	const config = `[profile loop-a]
role_arn = arn:a
source_profile = loop-b

[profile loop-b]
role_arn = arn:b
source_profile = loop-a

[profile self-no-keys]
role_arn = arn:s
source_profile = self-no-keys

[profile both]
role_arn = arn:x
source_profile = loop-a
credential_source = Environment

[profile neither]
role_arn = arn:x

[profile missing-source]
role_arn = arn:x
source_profile = ghost

[profile empty-source]
role_arn = arn:x
source_profile = empty

[profile empty]
region = us-east-1

[profile mfa]
role_arn = arn:x
source_profile = empty
mfa_serial = arn:aws:iam::1:mfa/me

[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Admin

[profile login]
login_session = arn:aws:iam::1:user/me

[profile bad-process]
credential_process = "unclosed
`
	tests := []struct {
		profile  string
		want     string
		wantLine int
	}{
		// The loop shows at loop-b's source_profile.
		{"loop-a", "source_profile loop: loop-a -> loop-b -> loop-a", 7},
		{"self-no-keys", "source_profile loop: self-no-keys -> self-no-keys", 11},
		{"both", "sets both source_profile and credential_source", 16},
		{"neither", "sets role_arn but neither source_profile nor credential_source", 19},
		{"missing-source", `source_profile "ghost" does not exist`, 23},
		{"empty-source", `source_profile "empty" of profile "empty-source" has no credentials`, 0},
		{"mfa", "mfa_serial", 35},
		{"sso", "SSO (IAM Identity Center) profiles are not supported yet; run `aws sso login --profile sso`", 0},
		{"login", "`aws login` sessions are not supported yet", 43},
		{"bad-process", "credential_process cannot be split into arguments: no closing quotation", 0},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			h := newHarness(t, config, "")
			o := h.opts()
			o.Profile = tt.profile
			_, err := h.retrieve(o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if errors.Is(err, ErrNotFound) {
				t.Errorf("a configuration error must not let the chain move on: %v", err)
			}
			if tt.wantLine != 0 {
				var ce *ConfigError
				wantProfile := tt.profile
				if tt.profile == "loop-a" {
					wantProfile = "loop-b"
				}
				if !errors.As(err, &ce) || ce.Line != tt.wantLine || ce.Profile != wantProfile || ce.Path != h.path("config") {
					t.Errorf("err = %v, want a *ConfigError at line %d of profile %q", err, tt.wantLine, tt.profile)
				}
			}
		})
	}
}

func TestDefaultChainNoRoleAssumer(t *testing.T) {
	h := newHarness(t, "[default]\nrole_arn = arn:r\nsource_profile = default\naws_access_key_id = A\naws_secret_access_key = S\n", "")
	o := h.opts()
	o.RoleAssumer = nil
	_, err := h.retrieve(o)
	if err == nil || !strings.Contains(err.Error(), `profile "default" asks for a role, which needs STS AssumeRole, but no RoleAssumer was configured`) {
		t.Fatalf("err = %v", err)
	}
}

func TestDefaultChainWebIdentity(t *testing.T) {
	dir := t.TempDir()
	// botocore does not expand ~ in web_identity_token_file; neither do we.
	h := newHarness(t, `[profile web]
role_arn = arn:from-profile
web_identity_token_file = `+filepath.Join(dir, "token")+`
role_session_name = profile-session
`, "")
	writeFile(t, dir, "token", "profile-jwt")
	envToken := writeFile(t, t.TempDir(), "env-token", "env-jwt")
	h.env["AWS_WEB_IDENTITY_TOKEN_FILE"] = envToken
	h.env["AWS_ROLE_ARN"] = "arn:from-env"

	got, err := h.retrieve(h.opts())
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != "WebIdentityProvider(role=arn:from-env)" {
		t.Errorf("Source = %s", got.Source)
	}
	// An explicit profile ignores the environment's web identity.
	o := h.opts()
	o.Profile = "web"
	got, err = h.retrieve(o)
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != "WebIdentityProvider(role=arn:from-profile)" {
		t.Errorf("Source = %s", got.Source)
	}
	calls := h.sts.Calls()
	want := []assumeCall{
		{Op: "AssumeRoleWithWebIdentity", Token: "env-jwt", Request: AssumeRoleRequest{RoleARN: "arn:from-env", RoleSessionName: "callerid-1700000000"}},
		{Op: "AssumeRoleWithWebIdentity", Token: "profile-jwt", Request: AssumeRoleRequest{RoleARN: "arn:from-profile", RoleSessionName: "profile-session"}},
	}
	if diff := cmp.Diff(want, calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	// The token file without a role is an error, not "not found".
	delete(h.env, "AWS_ROLE_ARN")
	if _, err := h.retrieve(h.opts()); err == nil || !strings.Contains(err.Error(), "no role ARN") {
		t.Errorf("err = %v", err)
	}
}

func TestDefaultChainProcess(t *testing.T) {
	h := newHarness(t, fmt.Sprintf("[default]\ncredential_process = '%s' one 'two words'\naws_account_id = 999999999999\n", os.Args[0]), "")
	o := h.opts()
	// The helper reads its mode from the environment it inherits.
	t.Setenv("CALLERID_TEST_HELPER", "ok")
	got, err := h.retrieve(o)
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != "ProcessProvider(profile=default)" || got.AccountID != "one|two words" {
		t.Errorf("got %v", got)
	}
	t.Setenv("CALLERID_TEST_HELPER", "fail-secret")
	_, err = h.retrieve(o)
	if err == nil || !strings.Contains(err.Error(), "exited with status 3") || strings.Contains(err.Error(), "SECRETKEY") {
		t.Errorf("err = %v", err)
	}
	if !strings.Contains(h.stderr.String(), "cannot reach the vault") {
		t.Errorf("stderr = %q, want the helper's message", h.stderr.String())
	}
}

func TestDefaultChainMalformedConfigHidesSecrets(t *testing.T) {
	h := newHarness(t, "[default]\nregion = us-east-1\n", "[default]\naws_access_key_id = AKID\naws_secret_access_key "+testSecret+"\n")
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = "AKIDENV", "s"
	_, err := h.retrieve(h.opts())
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Path != h.path("credentials") || ce.Line != 3 {
		t.Fatalf("err = %v, want a *ConfigError at %s:3 (the AWS CLI fails too)", err, h.path("credentials"))
	}
	if strings.Contains(err.Error(), "SECRETKEY") {
		t.Errorf("error shows the secret: %v", err)
	}
	want := "credentials: SharedConfig: " + h.path("credentials") + ":3: line is neither a [section] header, a key = value pair nor a comment"
	if err.Error() != want {
		t.Errorf("err =\n%s\nwant\n%s", err, want)
	}
}

func TestDefaultChainStaticKeyErrors(t *testing.T) {
	h := newHarness(t, "", "[default]\naws_access_key_id = AKID\n\n[empty]\naws_access_key_id =\naws_secret_access_key = s\n")
	_, err := h.retrieve(h.opts())
	if err == nil || !strings.Contains(err.Error(), h.path("credentials")+`:2: profile "default": aws_secret_access_key is not set but aws_access_key_id is`) {
		t.Errorf("err = %v", err)
	}
	var pe *PartialCredentialsError
	var ce *ConfigError
	if !errors.As(err, &pe) || pe.Missing != "aws_secret_access_key" || !errors.As(err, &ce) || ce.Path != h.path("credentials") {
		t.Errorf("err = %v, want a *PartialCredentialsError missing aws_secret_access_key in a *ConfigError of %s", err, h.path("credentials"))
	}
	o := h.opts()
	o.Profile = "empty"
	if _, err := h.retrieve(o); err == nil || !strings.Contains(err.Error(), "aws_access_key_id is empty") {
		t.Errorf("err = %v", err)
	}
}

func TestDefaultChainLegacyFiles(t *testing.T) {
	h := newHarness(t, "", "")
	h.env["AWS_CREDENTIAL_FILE"] = writeFile(t, h.home, "ec2.txt", "# old tools\nAWSAccessKeyId=AKIDEC2\nAWSSecretKey=s\n")
	got, err := h.retrieve(h.opts())
	if err != nil || got.AccessKeyID != "AKIDEC2" || got.Source != "EC2CredentialsFile" {
		t.Fatalf("got %v, %v", got, err)
	}
	h.env["AWS_CREDENTIAL_FILE"] = filepath.Join(h.home, "nope")
	if _, err := h.retrieve(h.opts()); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("a missing AWS_CREDENTIAL_FILE fails the AWS CLI too: %v", err)
	}
	delete(h.env, "AWS_CREDENTIAL_FILE")

	boto := writeFile(t, h.home, ".boto", "[Credentials]\naws_access_key_id = AKIDBOTO\naws_secret_access_key = s\n")
	got, err = h.retrieve(h.opts())
	if err != nil || got.AccessKeyID != "AKIDBOTO" || got.Source != "BotoConfig("+boto+")" {
		t.Fatalf("~/.boto: got %v, %v", got, err)
	}
	h.env["BOTO_CONFIG"] = writeFile(t, h.home, "boto.cfg", "[Credentials]\naws_access_key_id = AKIDBOTOENV\naws_secret_access_key = s\n")
	got, err = h.retrieve(h.opts())
	if err != nil || got.AccessKeyID != "AKIDBOTOENV" {
		t.Fatalf("BOTO_CONFIG: got %v, %v", got, err)
	}
}

func TestDefaultChainContainerAndIMDS(t *testing.T) {
	_, ecs := newContainerService(t, "/v1/credentials", "tok")
	h := newHarness(t, "", "")
	h.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = ecs.URL + "/v1/credentials"
	h.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "tok"
	got, err := h.retrieve(h.opts())
	if err != nil || got.Source != "ContainerProvider" {
		t.Fatalf("got %v, %v", got, err)
	}

	f, imdsSrv := newIMDS(t)
	h = newHarness(t, "[default]\nec2_metadata_service_endpoint = "+imdsSrv.URL+"\n", "")
	delete(h.env, "AWS_EC2_METADATA_DISABLED")
	chain := DefaultChain(h.opts())
	for i := 0; i < 2; i++ {
		got, err = chain.Retrieve(context.Background())
		if err != nil || got.Source != "IMDSProvider(role=web-role)" {
			t.Fatalf("got %v, %v", got, err)
		}
	}
	if puts, _ := f.counts(); puts != 1 {
		t.Errorf("%d token PUTs for two Retrieves of one chain; the token should be reused", puts)
	}
}

func TestLoadProfile(t *testing.T) {
	h := newHarness(t, "[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\nsts_regional_endpoints = regional\n", "")
	p, err := h.opts().LoadProfile()
	if err != nil || p.Name != "default" || p.Region != "us-east-1" {
		t.Errorf("LoadProfile() = %v, %v", p, err)
	}
	h.env["AWS_PROFILE"] = "dev"
	p, err = h.opts().LoadProfile()
	if err != nil || p.Name != "dev" || p.Get("sts_regional_endpoints") != "regional" {
		t.Errorf("LoadProfile() = %v, %v", p, err)
	}
	h.env["AWS_PROFILE"] = "nope"
	if _, err := h.opts().LoadProfile(); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("err = %v", err)
	}
	// No files at all: the unnamed default profile is empty, not an error.
	h = newHarness(t, "", "")
	p, err = h.opts().LoadProfile()
	if err != nil || p.Name != "default" || p.Region != "" {
		t.Errorf("LoadProfile() = %v, %v", p, err)
	}
	// Explicit paths win.
	o := h.opts()
	o.ConfigFile = writeFile(t, h.home, "elsewhere", "[default]\nregion = ap-east-1\n")
	if p, err := o.LoadProfile(); err != nil || p.Region != "ap-east-1" {
		t.Errorf("LoadProfile() = %v, %v", p, err)
	}
}
