package callerid

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/sts"
	"github.com/callerid/callerid/sts/ststest"
)

var fixedNow = func() time.Time { return time.Unix(1700000000, 0) }

// chainHarness is a temporary home directory with ~/.aws files, an
// environment, and a fake STS that every STS client of the configuration
// calls, on a clock that is fixedNow.
type chainHarness struct {
	t      *testing.T
	home   string
	env    map[string]string
	sts    *ststest.Server
	keys   map[string]ststest.Key // by the name that stands for them in files
	stderr bytes.Buffer
}

// newHarness writes config and credentials to ~/.aws, after replacing
// {NAME.id} and {NAME.secret} in them with the keys of IAM users the fake
// STS knows, one per NAME.
func newHarness(t *testing.T, config, credentials string) *chainHarness {
	h := &chainHarness{t: t, home: t.TempDir(), keys: map[string]ststest.Key{}}
	h.sts = ststest.NewServer(ststest.WithClock(fixedNow), ststest.WithSeed(11))
	t.Cleanup(h.sts.Close)
	// IMDS off unless a test turns it on: tests never reach 169.254.169.254.
	// The fake STS is a custom endpoint, which is signed for the
	// configured region, and refused without one, as by the AWS CLI:
	// tests of the region itself delete AWS_DEFAULT_REGION.
	h.env = map[string]string{"HOME": h.home, "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL_STS": h.sts.URL, "AWS_DEFAULT_REGION": "us-east-1"}
	if config != "" {
		writeFile(t, h.home, ".aws/config", h.expand(config))
	}
	if credentials != "" {
		writeFile(t, h.home, ".aws/credentials", h.expand(credentials))
	}
	return h
}

// expand replaces {NAME.id} and {NAME.secret} in s with the keys of user
// NAME, adding the user to the fake STS the first time.
func (h *chainHarness) expand(s string) string {
	return placeholder.ReplaceAllStringFunc(s, func(p string) string {
		m := placeholder.FindStringSubmatch(p)
		k := h.key(m[1])
		if m[2] == "secret" {
			return secretOf(k)
		}
		return k.AccessKeyID
	})
}

var placeholder = regexp.MustCompile(`\{([a-z][a-z0-9-]*)\.(id|secret)\}`)

func (h *chainHarness) key(name string) ststest.Key {
	k, ok := h.keys[name]
	if !ok {
		k = h.sts.AddUser("111111111111", "/", name)
		h.keys[name] = k
	}
	return k
}

// secretOf is the secret access key of k, tokenOf its session token.
func secretOf(k ststest.Key) string { return k.SecretAccessKey() }

func tokenOf(k ststest.Key) string { return k.SessionToken() }

func (h *chainHarness) load(opts ...Option) (*Config, error) {
	return LoadConfig(context.Background(), append([]Option{WithGetenv(envMap(h.env)), WithClock(fixedNow), WithProcessStderr(&h.stderr)}, opts...)...)
}

func (h *chainHarness) retrieve(opts ...Option) (credentials.Credentials, error) {
	cfg, err := h.load(opts...)
	if err != nil {
		return credentials.Credentials{}, err
	}
	return cfg.Credentials.Retrieve(context.Background())
}

func (h *chainHarness) path(name string) string { return filepath.Join(h.home, ".aws", name) }

// stsCall is what the fake STS was asked.
type stsCall struct {
	Action, SignedBy, Region            string
	RoleARN, Session, ExternalID, Token string
	Duration                            string
}

func (h *chainHarness) calls() []stsCall {
	var calls []stsCall
	for _, r := range h.sts.Requests() {
		c := stsCall{Action: r.Form.Get("Action"), SignedBy: r.AccessKeyID, RoleARN: r.Form.Get("RoleArn"), Session: r.Form.Get("RoleSessionName"),
			ExternalID: r.Form.Get("ExternalId"), Token: r.Form.Get("WebIdentityToken"), Duration: r.Form.Get("DurationSeconds")}
		if auth := r.Header.Get("Authorization"); auth != "" {
			// Credential=AKID/20231114/REGION/sts/aws4_request
			if _, scope, ok := strings.Cut(auth, "Credential="); ok {
				if parts := strings.Split(scope, "/"); len(parts) > 2 {
					c.Region = parts[2]
				}
			}
		}
		calls = append(calls, c)
	}
	return calls
}

func TestChainSources(t *testing.T) {
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
			got, err := h.retrieve(WithProfile(tt.profile))
			if err != nil {
				t.Fatal(err)
			}
			if got.AccessKeyID != tt.wantKey || got.Source != tt.wantSource {
				t.Errorf("got %v, want %s from %s", got, tt.wantKey, tt.wantSource)
			}
		})
	}

	h := newHarness(t, config, creds)
	got, err := h.retrieve(WithProfile("dev"))
	if err != nil {
		t.Fatal(err)
	}
	want := credentials.New("AKIDDEV", "secret-dev", "token-dev")
	want.AccountID, want.Source = "111111111111", "SharedCredentialsFile(profile=dev)"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got, err := h.retrieve(WithProfile("legacy-token")); err != nil || got.SessionToken() != "security" {
		t.Errorf("aws_security_token should win, as in botocore: %v, %v", got, err)
	}
}

func TestChainProfileNotFound(t *testing.T) {
	h := newHarness(t, "[default]\nregion = x\n", "")
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = "AKIDENV", "s"
	for _, named := range []struct{ env, profile string }{{"AWS_PROFILE", ""}, {"AWS_DEFAULT_PROFILE", ""}, {"", "nope"}} {
		if named.env != "" {
			h.env[named.env] = "nope"
		}
		_, err := h.retrieve(WithProfile(named.profile))
		var ce *ConfigError
		if !errors.Is(err, ErrProfileNotFound) || !errors.As(err, &ce) || !strings.Contains(err.Error(), `profile "nope"`) {
			t.Errorf("%+v: err = %v, want ErrProfileNotFound in a *ConfigError, as the AWS CLI fails even with keys in the environment", named, err)
		}
		delete(h.env, named.env)
	}
}

func TestChainNothingFound(t *testing.T) {
	h := newHarness(t, "", "")
	_, err := h.retrieve()
	var ce *credentials.ChainError
	if !errors.As(err, &ce) || !errors.Is(err, credentials.ErrNotFound) {
		t.Fatalf("err = %v, want a *ChainError", err)
	}
	var sources []string
	for _, e := range ce.Errors {
		var pe *credentials.Error
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

func TestChainAssumeRole(t *testing.T) {
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
aws_access_key_id = {self.id}
aws_secret_access_key = {self.secret}

[profile by-process]
role_arn = arn:aws:iam::555555555555:role/p
source_profile = proc

[profile proc]
credential_process = /bin/echo '{"Version":1,"AccessKeyId":"{proc.id}","SecretAccessKey":"{proc.secret}"}'

[profile bad-duration]
role_arn = arn:aws:iam::666666666666:role/x
source_profile = base
duration_seconds = 1h
`
	const creds = "[base]\naws_access_key_id = {base.id}\naws_secret_access_key = {base.secret}\n"
	const unnamed = "botocore-session-1700000000"
	tests := []struct {
		profile    string
		region     string
		wantCalls  []stsCall // SignedBy names a user; "ASIA" a role's temporary key
		wantSource string
	}{
		{
			profile: "dev", region: "us-west-2",
			wantCalls: []stsCall{{Action: "AssumeRole", SignedBy: "base", Region: "us-west-2",
				RoleARN: "arn:aws:iam::222222222222:role/dev", Session: "me", ExternalID: "ext-123", Duration: "900"}},
			wantSource: "AssumeRoleProvider(role=arn:aws:iam::222222222222:role/dev, source=SharedCredentialsFile(profile=base))",
		},
		{
			profile: "chained",
			wantCalls: []stsCall{
				{Action: "AssumeRole", SignedBy: "base", Region: "us-east-1", RoleARN: "arn:aws:iam::222222222222:role/dev", Session: "me", ExternalID: "ext-123", Duration: "900"},
				{Action: "AssumeRole", SignedBy: "ASIA", Region: "us-east-1", RoleARN: "arn:aws:iam::333333333333:role/chained", Session: unnamed},
			},
			wantSource: "AssumeRoleProvider(role=arn:aws:iam::333333333333:role/chained, source=AssumeRoleProvider(role=arn:aws:iam::222222222222:role/dev, source=SharedCredentialsFile(profile=base)))",
		},
		{
			profile:    "self",
			wantCalls:  []stsCall{{Action: "AssumeRole", SignedBy: "self", Region: "us-east-1", RoleARN: "arn:aws:iam::444444444444:role/self", Session: unnamed}},
			wantSource: "AssumeRoleProvider(role=arn:aws:iam::444444444444:role/self, source=SharedConfigFile(profile=self))",
		},
		{
			profile:    "by-process",
			wantCalls:  []stsCall{{Action: "AssumeRole", SignedBy: "proc", Region: "us-east-1", RoleARN: "arn:aws:iam::555555555555:role/p", Session: unnamed}},
			wantSource: "AssumeRoleProvider(role=arn:aws:iam::555555555555:role/p, source=ProcessProvider(profile=proc))",
		},
		{
			profile:    "bad-duration", // ignored, as botocore ignores it
			wantCalls:  []stsCall{{Action: "AssumeRole", SignedBy: "base", Region: "us-east-1", RoleARN: "arn:aws:iam::666666666666:role/x", Session: unnamed}},
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
			got, err := h.retrieve(WithProfile(tt.profile), WithRegion(tt.region))
			if err != nil {
				t.Fatal(err)
			}
			role := tt.wantCalls[len(tt.wantCalls)-1].RoleARN
			if got.Source != tt.wantSource || !strings.HasPrefix(got.AccessKeyID, "ASIA") || got.SessionToken() == "" ||
				got.AccountID != strings.Split(role, ":")[4] || !got.CanExpire() {
				t.Errorf("credentials %v, want the role %s's from %s", got, role, tt.wantSource)
			}
			calls := h.calls()
			for i := range calls {
				if strings.HasPrefix(calls[i].SignedBy, "ASIA") {
					calls[i].SignedBy = "ASIA"
				}
				for name, k := range h.keys {
					if calls[i].SignedBy == k.AccessKeyID {
						calls[i].SignedBy = name
					}
				}
			}
			if diff := cmp.Diff(tt.wantCalls, calls); diff != "" {
				t.Errorf("STS calls (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRoleDuration checks that duration_seconds is read as botocore reads
// it, with Python's int(), and that a number out of STS's range is a
// *ConfigError naming the setting, file and line, before any call.
func TestRoleDuration(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  string          // DurationSeconds sent, "" for none
		err   *sts.ParamError // the cause of the ConfigError
	}{
		{value: "900", want: "900"},
		{value: "43200", want: "43200"},
		{value: "1_000", want: "1000"},
		{value: "+1_2_00", want: "1200"},
		{value: "00900", want: "900"},
		{value: "٩٠٠", want: "900"}, // ARABIC-INDIC DIGITs
		{value: "９００", want: "900"}, // FULLWIDTH DIGITs
		{value: "900\x1f", want: "900"},
		// What int() refuses, botocore ignores.
		{value: "an hour"}, {value: "1h"}, {value: "1e3"}, {value: "0x400"}, {value: "_900"}, {value: "900_"},
		{value: "9__00"}, {value: "+-900"}, {value: "+ 900"}, {value: "900.0"}, {value: "-"},
		{value: "0", err: &sts.ParamError{Param: "DurationSeconds", Kind: sts.ErrParamRange, Number: 0, Min: 900, Max: 43200}},
		{value: "-5", err: &sts.ParamError{Param: "DurationSeconds", Kind: sts.ErrParamRange, Number: -5, Min: 900, Max: 43200}},
		{value: "+899", err: &sts.ParamError{Param: "DurationSeconds", Kind: sts.ErrParamRange, Number: 899, Min: 900, Max: 43200}},
		{value: "43_201", err: &sts.ParamError{Param: "DurationSeconds", Kind: sts.ErrParamRange, Number: 43201, Min: 900, Max: 43200}},
		{value: "99999999999999999999999", err: &sts.ParamError{Param: "DurationSeconds", Kind: sts.ErrParamRange, Number: math.MaxInt64, Min: 900, Max: 43200}},
	} {
		t.Run(tt.value, func(t *testing.T) {
			value := tt.value
			h := newHarness(t, "[profile r]\nrole_arn = arn:aws:iam::222222222222:role/r\nsource_profile = base\nduration_seconds = "+value+"\n",
				"[base]\naws_access_key_id = {base.id}\naws_secret_access_key = {base.secret}\n")
			_, err := h.retrieve(WithProfile("r"))
			if tt.err == nil {
				if err != nil {
					t.Fatal(err)
				}
				if calls := h.calls(); len(calls) != 1 || calls[0].Duration != tt.want {
					t.Errorf("calls = %+v, want one with DurationSeconds %q", calls, tt.want)
				}
				return
			}
			var cfgErr *ConfigError
			var pe *sts.ParamError
			if !errors.As(err, &cfgErr) || !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ConfigError around an *sts.ParamError", err)
			}
			want := &ConfigError{Path: h.path("config"), Line: 4, Profile: "r", Setting: "duration_seconds", Err: tt.err}
			if diff := cmp.Diff(want, cfgErr, cmp.Comparer(func(a, b error) bool { return a == b || a.Error() == b.Error() })); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if !errors.Is(err, sts.ErrParamRange) {
				t.Errorf("errors.Is(err, sts.ErrParamRange) = false")
			}
			if n := len(h.calls()); n != 0 {
				t.Errorf("%d STS calls", n)
			}
		})
	}
}

// TestParsePyIntMatchesPython compares parsePyInt with Python's int() on
// inputs botocore may meet in duration_seconds.
func TestParsePyIntMatchesPython(t *testing.T) {
	python := peertest.Require(t, "python3")
	inputs := []string{"900", " 900 ", "\t900\n", "+900", "-900", "1_000", "1__000", "_1", "1_", "0", "-0", "00", "0_0", "",
		" ", "+", "-", "+-1", "1 000", "1.0", "1e3", "0x10", "0b1", "0o7", "١٢٣", "𝟗𝟎𝟎", "９_００", "\u00a0900\u2003", "\x1c900\x1f",
		"900\u200b", "١_٢", "Ⅸ", "²", "99999999999999999999", "-99999999999999999999"}
	// Every decimal digit Unicode has, each alone and after a 1.
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.Is(unicode.Nd, r) {
			inputs = append(inputs, string(r), "1"+string(r))
		}
	}
	in, err := json.Marshal(inputs)
	if err != nil {
		t.Fatal(err)
	}
	const script = `import json, sys, unicodedata
out = []
for s in json.load(sys.stdin):
    if any(unicodedata.category(c) == 'Cn' for c in s):
        out.append(None)
        continue
    try:
        n = int(s)
        out.append(str(max(min(n, 2**63-1), -2**63+1)))
    except ValueError:
        out.append("refused")
print(json.dumps(out))
`
	cmd := exec.Command(python, "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	got, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []*string
	if err := json.Unmarshal(got, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(inputs) {
		t.Fatalf("python answered %d values for %d inputs", len(want), len(inputs))
	}
	for i, s := range inputs {
		if want[i] == nil {
			continue // a digit newer than Python's Unicode tables
		}
		n, ok := parsePyInt(s)
		g := "refused"
		if ok {
			g = strconv.FormatInt(n, 10)
		}
		if g != *want[i] {
			t.Errorf("parsePyInt(%q) = %s, Python's int() %s", s, g, *want[i])
		}
	}
}

func TestChainRoleRegion(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "from-profile"},
		{map[string]string{"AWS_DEFAULT_REGION": "from-default-region"}, "from-default-region"},
		{map[string]string{"AWS_DEFAULT_REGION": "x", "AWS_REGION": "from-region"}, "from-region"},
	} {
		h := newHarness(t, "[default]\nregion = from-profile\nrole_arn = arn:aws:iam::111111111111:role/r\ncredential_source = Environment\n", "")
		delete(h.env, "AWS_DEFAULT_REGION")
		env := h.key("env")
		h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = env.AccessKeyID, secretOf(env)
		for k, v := range tc.env {
			h.env[k] = v
		}
		if _, err := h.retrieve(WithProfile("default")); err != nil {
			t.Fatal(err)
		}
		if calls := h.calls(); len(calls) != 1 || calls[0].Region != tc.want {
			t.Errorf("calls = %+v, want one signed for region %q", calls, tc.want)
		}
	}
}

// TestChainRoleEndpointWithoutRegion: a role profile's AssumeRole at a
// configured endpoint with no region to sign for is refused, as by the
// AWS CLI and by Config.STS, not signed for us-east-1: nothing is sent.
func TestChainRoleEndpointWithoutRegion(t *testing.T) {
	h := newHarness(t, "[default]\nrole_arn = arn:aws:iam::111111111111:role/r\ncredential_source = Environment\n", "")
	delete(h.env, "AWS_DEFAULT_REGION")
	env := h.key("env")
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = env.AccessKeyID, secretOf(env)
	_, err := h.retrieve(WithProfile("default"))
	var ee *sts.EndpointError
	if !errors.Is(err, sts.ErrNoRegion) || !errors.As(err, &ee) {
		t.Errorf("err = %v, want an *sts.EndpointError wrapping sts.ErrNoRegion", err)
	}
	if calls := h.calls(); len(calls) != 0 {
		t.Errorf("calls = %+v, want none", calls)
	}
}

func TestChainCredentialSource(t *testing.T) {
	config := `[profile env]
role_arn = arn:aws:iam::111111111111:role/env
credential_source = Environment

[profile ecs]
role_arn = arn:aws:iam::111111111111:role/ecs
credential_source = EcsContainer

[profile ec2]
role_arn = arn:aws:iam::111111111111:role/ec2
credential_source = Ec2InstanceMetadata
ec2_metadata_service_endpoint = {imds}

[profile lowercase]
role_arn = arn:aws:iam::111111111111:role/x
credential_source = environment
`
	tests := []struct {
		profile  string
		env      map[string]string
		wantSrc  string
		wantErr  string
		wantLine int
	}{
		{profile: "env", env: map[string]string{"AWS_ACCESS_KEY_ID": "{id}", "AWS_SECRET_ACCESS_KEY": "{secret}", "AWS_SESSION_TOKEN": "{token}"}, wantSrc: "EnvProvider"},
		{profile: "env", wantErr: `source credentials: credential_source Environment of profile "env": EnvProvider: no credentials found`},
		{profile: "ecs", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{ecs}/creds"}, wantSrc: "ContainerProvider"},
		{profile: "ec2", env: map[string]string{"AWS_EC2_METADATA_DISABLED": ""}, wantSrc: "IMDSProvider(role=web-role)"},
		{profile: "lowercase", wantErr: `credential_source "environment" is not one of Environment, Ec2InstanceMetadata, EcsContainer`, wantLine: 16},
	}
	for _, tt := range tests {
		t.Run(tt.profile+tt.wantErr, func(t *testing.T) {
			// The source's keys: an instance's or a task's role session.
			h := newHarness(t, "", "")
			k := h.sts.AddAssumedRole("111111111111", "instance", "i-0123456789")
			creds := metadataJSON(k.AccessKeyID, secretOf(k), tokenOf(k))
			ecs := newContainerService(t, "/creds", "", 0, creds)
			_, imds := newIMDS(t, 0, creds)
			r := strings.NewReplacer("{imds}", imds.URL, "{ecs}", ecs.URL, "{id}", k.AccessKeyID, "{secret}", secretOf(k), "{token}", tokenOf(k))
			writeFile(t, h.home, ".aws/config", r.Replace(config))
			for name, v := range tt.env {
				h.env[name] = r.Replace(v)
			}
			got, err := h.retrieve(WithProfile(tt.profile))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if _, ok := err.(*credentials.ChainError); ok {
					t.Errorf("a configured role whose source found nothing must stop the chain: %v", err)
				}
				var ce *ConfigError
				if tt.wantLine != 0 && (!errors.As(err, &ce) || ce.Line != tt.wantLine || ce.Path != h.path("config")) {
					t.Errorf("err = %v, want it at %s:%d", err, h.path("config"), tt.wantLine)
				}
				var rc *RoleConfigError
				if tt.wantLine != 0 && (!errors.Is(err, ErrCredentialSourceInvalid) || !errors.As(err, &rc) || rc.CredentialSource != "environment" || rc.Profile != tt.profile) {
					t.Errorf("err = %v, want a *RoleConfigError for credential_source \"environment\"", err)
				}
				var rs *RoleSourceError
				if tt.wantLine == 0 && (!errors.As(err, &rs) || rs.CredentialSource != "Environment" || rs.Profile != tt.profile || !errors.Is(rs, credentials.ErrNotFound)) {
					t.Errorf("err = %v, want a *RoleSourceError of credential_source Environment that found nothing", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if calls := h.calls(); len(calls) != 1 || calls[0].SignedBy != k.AccessKeyID {
				t.Errorf("calls = %+v, want one signed by %s", calls, tt.wantSrc)
			}
			if !strings.HasSuffix(got.Source, "source="+tt.wantSrc+")") {
				t.Errorf("Source = %s", got.Source)
			}
		})
	}
}

func TestChainRoleConfigErrors(t *testing.T) {
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
		// wantRole is the *RoleConfigError expected, if any.
		wantRole *RoleConfigError
	}{
		// The loop shows at loop-b's source_profile.
		{"loop-a", "source_profile loop: loop-a -> loop-b -> loop-a", 7,
			&RoleConfigError{Kind: ErrSourceProfileLoop, Profile: "loop-b", SourceProfile: "loop-a", Visited: []string{"loop-a", "loop-b"}}},
		{"self-no-keys", "source_profile loop: self-no-keys -> self-no-keys", 11,
			&RoleConfigError{Kind: ErrSourceProfileLoop, Profile: "self-no-keys", SourceProfile: "self-no-keys", Visited: []string{"self-no-keys"}}},
		{"both", "sets both source_profile and credential_source", 16, &RoleConfigError{Kind: ErrRoleSourceConflict, Profile: "both"}},
		{"neither", "sets role_arn but neither source_profile nor credential_source", 19, &RoleConfigError{Kind: ErrRoleSourceMissing, Profile: "neither"}},
		{"missing-source", `source_profile "ghost" does not exist`, 23,
			&RoleConfigError{Kind: ErrSourceProfileNotFound, Profile: "missing-source", SourceProfile: "ghost"}},
		{"empty-source", `source credentials: source_profile "empty" of profile "empty-source": credentials: no credentials found; tried:`, 0, nil},
		{"mfa", "mfa_serial", 35, nil},
		{"sso", `sso_session "corp": the config file has no such [sso-session] section`, 38, nil},
		{"login", "`aws login` sessions are not supported yet", 43, nil},
		{"bad-process", "credential_process cannot be split into arguments: no closing quotation", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			h := newHarness(t, config, "")
			_, err := h.retrieve(WithProfile(tt.profile))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			var rc *RoleConfigError
			if errors.As(err, &rc) != (tt.wantRole != nil) {
				t.Errorf("err = %v: errors.As(*RoleConfigError) = %v, want %v", err, rc != nil, tt.wantRole != nil)
			} else if rc != nil {
				if diff := cmp.Diff(*tt.wantRole, *rc, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
					t.Errorf("*RoleConfigError (-want +got):\n%s", diff)
				}
				if !errors.Is(err, tt.wantRole.Kind) {
					t.Errorf("errors.Is(err, %v) = false", tt.wantRole.Kind)
				}
			}
			var rs *RoleSourceError
			if tt.profile == "empty-source" && (!errors.As(err, &rs) || rs.Profile != "empty-source" || rs.SourceProfile != "empty" ||
				!errors.Is(rs, credentials.ErrNotFound)) {
				t.Errorf("err = %v, want a *RoleSourceError of source_profile \"empty\" that found nothing", err)
			}
			if _, ok := err.(*credentials.ChainError); ok {
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

// TestChainRoleSTSSettings checks that an STS endpoint the roles cannot
// use fails the role, with the *sts.EndpointError, when the chain reaches
// it, not LoadConfig.
func TestChainRoleSTSSettings(t *testing.T) {
	h := newHarness(t, "[default]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = default\naws_access_key_id = A\naws_secret_access_key = S\n", "")
	h.env["AWS_ENDPOINT_URL_STS"] = "http://192.0.2.1"
	_, err := h.retrieve()
	var ee *sts.EndpointError
	var ce *credentials.Error
	if !errors.As(err, &ee) || !errors.As(err, &ce) || ce.Source != "AssumeRoleProvider(profile=default)" {
		t.Fatalf("err = %v, want an *sts.EndpointError in the role's *credentials.Error", err)
	}
}

func TestChainWebIdentity(t *testing.T) {
	dir := t.TempDir()
	// botocore does not expand ~ in web_identity_token_file; neither do we.
	h := newHarness(t, `[profile web]
role_arn = arn:aws:iam::123456789012:role/from-profile
web_identity_token_file = `+filepath.Join(dir, "token")+`
role_session_name = profile-session
`, "")
	writeFile(t, dir, "token", "profile-jwt")
	envToken := writeFile(t, t.TempDir(), "env-token", "env-jwt")
	h.sts.AllowWebIdentityToken("profile-jwt")
	h.sts.AllowWebIdentityToken("env-jwt")
	h.env["AWS_WEB_IDENTITY_TOKEN_FILE"] = envToken
	h.env["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/from-env"

	got, err := h.retrieve()
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != "WebIdentityProvider(role=arn:aws:iam::123456789012:role/from-env)" {
		t.Errorf("Source = %s", got.Source)
	}
	// An explicit profile ignores the environment's web identity.
	got, err = h.retrieve(WithProfile("web"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != "WebIdentityProvider(role=arn:aws:iam::123456789012:role/from-profile)" {
		t.Errorf("Source = %s", got.Source)
	}
	want := []stsCall{
		{Action: "AssumeRoleWithWebIdentity", Token: "env-jwt", RoleARN: "arn:aws:iam::123456789012:role/from-env", Session: "botocore-session-1700000000"},
		{Action: "AssumeRoleWithWebIdentity", Token: "profile-jwt", RoleARN: "arn:aws:iam::123456789012:role/from-profile", Session: "profile-session"},
	}
	if diff := cmp.Diff(want, h.calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	// The token file without a role is an error, not "not found".
	delete(h.env, "AWS_ROLE_ARN")
	_, err = h.retrieve()
	var ce *ConfigError
	if err == nil || !strings.Contains(err.Error(), "no role ARN") || !errors.As(err, &ce) {
		t.Errorf("err = %v, want a *ConfigError saying there is no role ARN", err)
	}
}

func TestChainProcess(t *testing.T) {
	h := newHarness(t, fmt.Sprintf("[default]\ncredential_process = '%s' one 'two words'\naws_account_id = 999999999999\n", os.Args[0]), "")
	// The helper reads its mode from the environment it inherits.
	t.Setenv("CALLERID_TEST_HELPER", "ok")
	got, err := h.retrieve()
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != "ProcessProvider(profile=default)" || got.AccountID != "one|two words" {
		t.Errorf("got %v", got)
	}
	t.Setenv("CALLERID_TEST_HELPER", "fail-secret")
	_, err = h.retrieve()
	if err == nil || !strings.Contains(err.Error(), "failed: exit status 3") || strings.Contains(err.Error(), "SECRETKEY") {
		t.Errorf("err = %v", err)
	}
	if !strings.Contains(h.stderr.String(), "cannot reach the vault") {
		t.Errorf("stderr = %q, want the helper's message", h.stderr.String())
	}
}

func TestChainMalformedConfigHidesSecrets(t *testing.T) {
	h := newHarness(t, "[default]\nregion = us-east-1\n", "[default]\naws_access_key_id = AKID\naws_secret_access_key "+testSecret+"\n")
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = "AKIDENV", "s"
	_, err := h.load()
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Path != h.path("credentials") || ce.Line != 3 {
		t.Fatalf("err = %v, want a *ConfigError at %s:3 (the AWS CLI fails too)", err, h.path("credentials"))
	}
	if strings.Contains(err.Error(), "SECRETKEY") {
		t.Errorf("error shows the secret: %v", err)
	}
	want := h.path("credentials") + ":3: line is neither a [section] header, a key = value pair nor a comment"
	if err.Error() != want {
		t.Errorf("err =\n%s\nwant\n%s", err, want)
	}
}

func TestChainStaticKeyErrors(t *testing.T) {
	h := newHarness(t, "", "[default]\naws_access_key_id = AKID\n\n[empty]\naws_access_key_id =\naws_secret_access_key = s\n")
	_, err := h.retrieve()
	if err == nil || !strings.Contains(err.Error(), h.path("credentials")+`:2: profile "default": aws_secret_access_key is not set but aws_access_key_id is`) {
		t.Errorf("err = %v", err)
	}
	var pe *credentials.PartialCredentialsError
	var ce *ConfigError
	if !errors.As(err, &pe) || pe.Missing != "aws_secret_access_key" || !errors.As(err, &ce) || ce.Path != h.path("credentials") {
		t.Errorf("err = %v, want a *credentials.PartialCredentialsError missing aws_secret_access_key in a *ConfigError of %s", err, h.path("credentials"))
	}
	if _, err := h.retrieve(WithProfile("empty")); err == nil || !strings.Contains(err.Error(), "aws_access_key_id is empty") {
		t.Errorf("err = %v", err)
	}
}

func TestChainLegacyFiles(t *testing.T) {
	h := newHarness(t, "", "")
	h.env["AWS_CREDENTIAL_FILE"] = writeFile(t, h.home, "ec2.txt", "# old tools\nAWSAccessKeyId=AKIDEC2\nAWSSecretKey=s\n")
	got, err := h.retrieve()
	if err != nil || got.AccessKeyID != "AKIDEC2" || got.Source != "EC2CredentialsFile" {
		t.Fatalf("got %v, %v", got, err)
	}
	h.env["AWS_CREDENTIAL_FILE"] = filepath.Join(h.home, "nope")
	if _, err := h.retrieve(); err == nil || errors.Is(err, credentials.ErrNotFound) {
		t.Errorf("a missing AWS_CREDENTIAL_FILE fails the AWS CLI too: %v", err)
	}
	delete(h.env, "AWS_CREDENTIAL_FILE")

	boto := writeFile(t, h.home, ".boto", "[Credentials]\naws_access_key_id = AKIDBOTO\naws_secret_access_key = s\n")
	got, err = h.retrieve()
	if err != nil || got.AccessKeyID != "AKIDBOTO" || got.Source != "BotoConfig("+boto+")" {
		t.Fatalf("~/.boto: got %v, %v", got, err)
	}
	h.env["BOTO_CONFIG"] = writeFile(t, h.home, "boto.cfg", "[Credentials]\naws_access_key_id = AKIDBOTOENV\naws_secret_access_key = s\n")
	got, err = h.retrieve()
	if err != nil || got.AccessKeyID != "AKIDBOTOENV" {
		t.Fatalf("BOTO_CONFIG: got %v, %v", got, err)
	}
}

func TestChainContainerAndIMDS(t *testing.T) {
	ecs := newContainerService(t, "/v1/credentials", "tok", 0, "")
	h := newHarness(t, "", "")
	h.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = ecs.URL + "/v1/credentials"
	h.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "tok"
	got, err := h.retrieve()
	if err != nil || got.Source != "ContainerProvider" {
		t.Fatalf("got %v, %v", got, err)
	}

	f, imdsSrv := newIMDS(t, 0, "")
	h = newHarness(t, "[default]\nec2_metadata_service_endpoint = "+imdsSrv.URL+"\n", "")
	delete(h.env, "AWS_EC2_METADATA_DISABLED")
	cfg, err := h.load()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		// Past the cache: the chain itself is asked twice.
		cfg.Credentials.(*credentials.Cache).Invalidate()
		got, err = cfg.Credentials.Retrieve(context.Background())
		if err != nil || got.Source != "IMDSProvider(role=web-role)" {
			t.Fatalf("got %v, %v", got, err)
		}
	}
	if puts := f.tokenPuts(); puts != 1 {
		t.Errorf("%d token PUTs for two Retrieves of one chain; the token should be reused", puts)
	}
}

// TestChainReadsFilesOnce checks that the configuration uses the files as
// LoadConfig read them: after it, they are replaced by a malformed one
// and the chain still answers from what was loaded.
func TestChainReadsFilesOnce(t *testing.T) {
	h := newHarness(t, "", "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = "+testSecret+"\n")
	cfg, err := h.load(WithProfile("dev"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Profile != "dev" {
		t.Fatalf("Profile = %q, want dev", cfg.Profile)
	}
	if err := os.WriteFile(h.path("credentials"), []byte("[dev\nnot an ini file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := h.load(WithProfile("dev")); err == nil {
		t.Fatal("LoadConfig read the malformed file without error")
	}
	got, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("with the files read before: %v", err)
	}
	if got.AccessKeyID != "AKIDDEV" || got.SecretAccessKey() != testSecret || got.Source != "SharedCredentialsFile(profile=dev)" {
		t.Errorf("got %v, want dev's keys from the files as loaded", got)
	}
}
