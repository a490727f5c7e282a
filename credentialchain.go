package callerid

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sts"
)

// chainBuilder builds the AWS CLI's credential chain for LoadConfig, from
// the environment and the shared files it read.
type chainBuilder struct {
	opts        *options
	getenv      func(string) string
	home        string
	files       *sharedFiles
	explicitEnv bool // the profile was named by WithProfile: skip the environment

	// stsOptions configure the STS client of roles, made when a role
	// first needs it.
	stsOptions sts.Options
	stsOnce    sync.Once
	stsClient  *sts.Client
	stsErr     error

	// ssoSettings are the endpoints of the SSO clients.
	ssoSettings ssoSettings

	// The container and instance metadata providers, one of each for
	// the chain and the credential_source that names them, so that the
	// metadata token is fetched once.
	imds      *credentials.IMDSProvider
	container *credentials.ContainerProvider
}

// chain is the AWS CLI's credential chain for prof (see LoadConfig).
func (b *chainBuilder) chain(prof profile) credentials.Provider {
	var ps []credentials.Provider
	if b.explicitEnv {
		ps = append(ps, notFound("EnvProvider", "not read: profile %q was named explicitly, as with the AWS CLI's --profile", prof.Name))
	} else {
		ps = append(ps, credentials.EnvProvider{Getenv: b.getenv})
	}
	ps = append(ps, b.assumeRoleStep(prof))
	ps = append(ps, b.profileSteps(prof, b.explicitEnv)...)
	ps = append(ps,
		b.ec2CredentialsFile(),
		b.botoConfig(),
		b.container,
		b.imds,
	)
	return credentials.NewChain(ps...)
}

// sts returns the STS client of roles.
func (b *chainBuilder) sts() (*sts.Client, error) {
	b.stsOnce.Do(func() { b.stsClient, b.stsErr = newSTS(b.stsOptions) })
	return b.stsClient, b.stsErr
}

// errProvider is a provider that fails with err: a configuration error
// found while building the chain, reported when the chain reaches it.
type errProvider struct{ err error }

func (p errProvider) Retrieve(context.Context) (credentials.Credentials, error) {
	return credentials.Credentials{}, p.err
}

// notFound returns a provider that finds nothing, saying why.
func notFound(source, why string, args ...any) credentials.Provider {
	return errProvider{&credentials.Error{Source: source, Err: fmt.Errorf("%w: "+why, append([]any{credentials.ErrNotFound}, args...)...)}}
}

// sourceOf is the source of a role's credentials: its errors are
// *RoleSourceError values naming what the profile calls it
// ("source_profile "base" of profile "dev"") around the provider's, so
// that the role fails even when the source finds nothing.
type sourceOf struct {
	p   credentials.Provider
	err RoleSourceError // without Err
}

func (s sourceOf) Retrieve(ctx context.Context) (credentials.Credentials, error) {
	c, err := s.p.Retrieve(ctx)
	if err != nil {
		e := s.err
		e.Err = err
		return credentials.Credentials{}, &e
	}
	return c, nil
}

// profileSteps are the steps that read one profile: web identity, SSO,
// the credentials file, login, credential_process, the config file.
// botocore's ProfileProviderBuilder.providers.
func (b *chainBuilder) profileSteps(prof profile, noEnv bool) []credentials.Provider {
	return []credentials.Provider{
		b.webIdentity(prof, noEnv),
		b.sso(prof),
		b.staticFromFile(prof.Name, "SharedCredentialsFile", b.files.credentialsFile, b.files.credentialsPath, b.files.credentialsFileProfile),
		b.login(prof),
		b.process(prof),
		b.staticFromFile(prof.Name, "SharedConfigFile", b.files.configFile, b.files.configPath, b.files.configFileProfile),
	}
}

func hasStaticKeys(p profile) bool {
	return p.Has("aws_access_key_id") || p.Has("aws_secret_access_key")
}

func hasRoleConfig(p profile) bool {
	return p.Has("role_arn") && !p.Has("web_identity_token_file")
}

func (b *chainBuilder) assumeRoleStep(prof profile) credentials.Provider {
	const source = "AssumeRoleProvider"
	if !hasRoleConfig(prof) {
		return notFound(source, "profile %q has no role_arn", prof.Name)
	}
	p, err := b.assumeRole(prof, []string{prof.Name})
	if err != nil {
		return errProvider{&credentials.Error{Source: source + "(profile=" + prof.Name + ")", Err: err}}
	}
	return p
}

// assumeRole builds the provider of prof's role; visited lists the
// profiles on the way here, for loop detection.
func (b *chainBuilder) assumeRole(prof profile, visited []string) (credentials.Provider, error) {
	sourceProfile, hasSP := prof.Lookup("source_profile")
	credSource, hasCS := prof.Lookup("credential_source")
	switch {
	case hasSP && hasCS:
		return nil, prof.configErr("credential_source", &RoleConfigError{Kind: ErrRoleSourceConflict, Profile: prof.Name})
	case !hasSP && !hasCS:
		return nil, prof.configErr("role_arn", &RoleConfigError{Kind: ErrRoleSourceMissing, Profile: prof.Name})
	case prof.Has("mfa_serial"):
		return nil, prof.configErr("mfa_serial", errors.New("roles that need an MFA code (mfa_serial) are not supported yet; "+
			"use credential_process = aws configure export-credentials --profile "+prof.Name+" in another profile"))
	case prof.Get("role_arn") == "":
		return nil, prof.configErr("role_arn", errors.New("role_arn is empty"))
	}
	in := sts.AssumeRoleInput{
		RoleARN:         prof.Get("role_arn"),
		RoleSessionName: prof.Get("role_session_name"),
		ExternalID:      prof.Get("external_id"),
	}
	if d, ok := prof.Lookup("duration_seconds"); ok {
		// botocore reads it with Python's int(), ignores it when that
		// fails, and sends any number: STS's model refuses those out of
		// its range (the AWS CLI itself those under 900).
		if n, ok := parsePyInt(d); ok {
			if err := roleDuration(n); err != nil {
				e := prof.configErr("duration_seconds", err)
				e.Setting = "duration_seconds"
				return nil, e
			}
			in.Duration = time.Duration(n) * time.Second
		}
	}
	var src credentials.Provider
	if hasCS {
		var err error
		if src, err = b.namedSource(prof, credSource); err != nil {
			return nil, err
		}
	} else {
		var err error
		if src, err = b.sourceProfile(prof, sourceProfile, visited); err != nil {
			return nil, err
		}
	}
	client, err := b.sts()
	if err != nil {
		return nil, err
	}
	return &sts.AssumeRoleProvider{Client: client, Source: src, Input: in}, nil
}

// roleDuration checks a role profile's duration_seconds, n seconds,
// against STS's range, as an *sts.ParamError of DurationSeconds.
func roleDuration(n int64) error {
	lo, hi := int64(sts.MinDuration/time.Second), int64(sts.MaxDuration/time.Second)
	if n < lo || n > hi {
		return &sts.ParamError{Param: "DurationSeconds", Kind: sts.ErrParamRange, Number: n, Min: int(lo), Max: int(hi)}
	}
	return nil
}

// namedSource is the provider a credential_source names. botocore checks
// the name case-sensitively.
func (b *chainBuilder) namedSource(prof profile, name string) (credentials.Provider, error) {
	var p credentials.Provider
	switch name {
	case "Environment":
		p = credentials.EnvProvider{Getenv: b.getenv}
	case "Ec2InstanceMetadata":
		p = b.imds
	case "EcsContainer":
		p = b.container
	default:
		return nil, prof.configErr("credential_source", &RoleConfigError{Kind: ErrCredentialSourceInvalid, Profile: prof.Name, CredentialSource: name})
	}
	return sourceOf{p, RoleSourceError{Profile: prof.Name, CredentialSource: name}}, nil
}

// maxSourceProfileDepth bounds a chain of source_profile hops. botocore
// sets no bound; a chain of 32 roles is far beyond any real one, and a
// bound keeps a hostile config file of thousands of hops from costing
// time and memory (each hop is a role assumed on every refresh).
const maxSourceProfileDepth = 32

// sourceProfile is the provider of a role's source_profile.
func (b *chainBuilder) sourceProfile(parent profile, name string, visited []string) (credentials.Provider, error) {
	if len(visited) > maxSourceProfileDepth {
		return nil, parent.configErr("source_profile", fmt.Errorf("source_profile chain from profile %q is more than %d profiles long", visited[0], maxSourceProfileDepth))
	}
	src, err := b.files.Profile(name)
	if err != nil {
		return nil, parent.configErr("source_profile", &RoleConfigError{Kind: ErrSourceProfileNotFound, Profile: parent.Name, SourceProfile: name})
	}
	if slices.Contains(visited, name) {
		// A profile may be its own source when it has keys: the keys sign
		// AssumeRole for its role_arn. Anything else is a loop.
		if name != parent.Name || !hasStaticKeys(src) {
			return nil, parent.configErr("source_profile", &RoleConfigError{Kind: ErrSourceProfileLoop, Profile: parent.Name, SourceProfile: name, Visited: slices.Clone(visited)})
		}
	}
	visited = append(slices.Clip(visited), name)
	if hasStaticKeys(src) || !hasRoleConfig(src) {
		return sourceOf{credentials.NewChain(b.profileSteps(src, true)...), RoleSourceError{Profile: parent.Name, SourceProfile: name}}, nil
	}
	return b.assumeRole(src, visited)
}

func (b *chainBuilder) webIdentity(prof profile, noEnv bool) credentials.Provider {
	const source = "WebIdentityProvider"
	get := func(env, key string) (string, bool) {
		if !noEnv {
			if v := b.getenv(env); v != "" {
				return v, false
			}
		}
		return prof.Get(key), true
	}
	tokenFile, fromProfile := get("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file")
	if tokenFile == "" {
		if noEnv {
			return notFound(source, "profile %q has no web_identity_token_file", prof.Name)
		}
		return notFound(source, "neither AWS_WEB_IDENTITY_TOKEN_FILE nor profile %q's web_identity_token_file is set", prof.Name)
	}
	roleARN, _ := get("AWS_ROLE_ARN", "role_arn")
	session, _ := get("AWS_ROLE_SESSION_NAME", "role_session_name")
	if roleARN == "" {
		err := &ConfigError{Setting: "AWS_ROLE_ARN", Err: errors.New("not set, but AWS_WEB_IDENTITY_TOKEN_FILE is: no role ARN to assume (set AWS_ROLE_ARN or the profile's role_arn)")}
		if fromProfile {
			err = prof.configErr("web_identity_token_file", errors.New("web_identity_token_file is set but role_arn is not: no role ARN to assume"))
		}
		return errProvider{&credentials.Error{Source: source, Err: err}}
	}
	client, err := b.sts()
	if err != nil {
		return errProvider{&credentials.Error{Source: source + "(role=" + roleARN + ")", Err: err}}
	}
	return &sts.WebIdentityProvider{
		Client:    client,
		TokenFile: tokenFile,
		Input:     sts.AssumeRoleWithWebIdentityInput{RoleARN: roleARN, RoleSessionName: session},
	}
}

func (b *chainBuilder) login(prof profile) credentials.Provider {
	const source = "LoginProvider"
	if prof.Has("login_session") {
		return errProvider{&credentials.Error{Source: source + "(profile=" + prof.Name + ")", Err: prof.configErr("login_session", fmt.Errorf(
			"`aws login` sessions are not supported yet; use a profile with credential_process = aws configure export-credentials --profile %s",
			prof.Name))}}
	}
	return notFound(source, "profile %q has no login_session", prof.Name)
}

func (b *chainBuilder) process(prof profile) credentials.Provider {
	const source = "ProcessProvider"
	if !prof.Has("credential_process") {
		return notFound(source, "profile %q has no credential_process", prof.Name)
	}
	return &credentials.ProcessProvider{
		Command:   prof.Get("credential_process"),
		Profile:   prof.Name,
		AccountID: prof.Get("aws_account_id"),
		Stderr:    b.opts.stderr,
	}
}

// staticFromFile reads keys from one file's view of a profile.
func (b *chainBuilder) staticFromFile(name, kind, path, wanted string, lookup func(string) (profile, bool)) credentials.Provider {
	source := kind + "(profile=" + name + ")"
	if path == "" {
		if wanted == "" {
			return notFound(source, "no file")
		}
		return notFound(source, "%s does not exist", wanted)
	}
	prof, ok := lookup(name)
	if !ok {
		return notFound(source, "%s has no profile %q", path, name)
	}
	if !prof.Has("aws_access_key_id") {
		return notFound(source, "profile %q in %s has no aws_access_key_id", name, path)
	}
	return credentials.ProviderFunc(func(context.Context) (credentials.Credentials, error) {
		c, err := staticProfileCredentials(prof)
		if err != nil {
			return credentials.Credentials{}, &credentials.Error{Source: source, Err: err}
		}
		c.Source = source
		return c, nil
	})
}

// staticProfileCredentials reads aws_access_key_id, aws_secret_access_key,
// the token (aws_security_token if set, else aws_session_token, as
// botocore) and aws_account_id.
func staticProfileCredentials(prof profile) (credentials.Credentials, error) {
	if !prof.Has("aws_secret_access_key") {
		return credentials.Credentials{}, prof.configErr("aws_access_key_id", &credentials.PartialCredentialsError{Missing: "aws_secret_access_key", Set: "aws_access_key_id"})
	}
	id, secret := prof.Get("aws_access_key_id"), prof.Get("aws_secret_access_key")
	if id == "" {
		return credentials.Credentials{}, prof.configErr("aws_access_key_id", errors.New("aws_access_key_id is empty"))
	}
	if secret == "" {
		return credentials.Credentials{}, prof.configErr("aws_secret_access_key", errors.New("aws_secret_access_key is empty"))
	}
	token := prof.Get("aws_session_token")
	if prof.Has("aws_security_token") {
		token = prof.Get("aws_security_token")
	}
	c := credentials.New(id, secret, token)
	c.AccountID = prof.Get("aws_account_id")
	return c, nil
}

func (b *chainBuilder) ec2CredentialsFile() credentials.Provider {
	return ec2CredentialsFileProvider{path: b.getenv("AWS_CREDENTIAL_FILE")}
}

func (b *chainBuilder) botoConfig() credentials.Provider {
	if p := b.getenv("BOTO_CONFIG"); p != "" {
		return botoConfigProvider{paths: []string{p}}
	}
	paths := []string{botoSystemConfig}
	if p := expandPath("~/.boto", b.getenv, b.home); p != "" {
		paths = append(paths, p)
	}
	return botoConfigProvider{paths: paths}
}

// newIMDSProvider is the instance metadata provider of the chain, its
// endpoint settings read from the environment or else the profile, as the
// AWS CLI reads them.
func newIMDSProvider(getenv func(string) string, prof profile, o *options) *credentials.IMDSProvider {
	fromProfile := map[string]string{
		"AWS_EC2_METADATA_SERVICE_ENDPOINT":      "ec2_metadata_service_endpoint",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "ec2_metadata_service_endpoint_mode",
		"AWS_METADATA_SERVICE_TIMEOUT":           "metadata_service_timeout",
		"AWS_METADATA_SERVICE_NUM_ATTEMPTS":      "metadata_service_num_attempts",
	}
	withProfile := func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		if key, ok := fromProfile[k]; ok {
			return prof.Get(key)
		}
		return ""
	}
	p := &credentials.IMDSProvider{Getenv: withProfile, AllowIMDSv1: o.allowIMDSv1, Now: o.now}
	if n, err := strconv.Atoi(withProfile("AWS_METADATA_SERVICE_TIMEOUT")); err == nil && n > 0 {
		p.Timeout = time.Duration(n) * time.Second
	}
	if n, err := strconv.Atoi(withProfile("AWS_METADATA_SERVICE_NUM_ATTEMPTS")); err == nil && n > 0 {
		p.Attempts = min(n, 10)
	}
	return p
}
