package credentials

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ChainOptions configure DefaultChain. The zero value reads the real
// environment and files and cannot assume roles.
type ChainOptions struct {
	// Profile is a profile named explicitly, as by the AWS CLI's
	// --profile. Like --profile it makes the chain skip the environment's
	// credentials (AWS_ACCESS_KEY_ID, ...) and web identity variables.
	// Empty means AWS_DEFAULT_PROFILE, else AWS_PROFILE (botocore reads
	// them in that order), else "default"; a profile named by any of these
	// must exist.
	Profile string
	// Region is the region of STS calls for roles (AssumeRoleRequest.Region).
	// Empty means AWS_REGION, else AWS_DEFAULT_REGION, else the profile's
	// region.
	Region string
	// Getenv looks up environment variables; nil means os.Getenv. (A
	// credential_process still inherits this process's environment.)
	Getenv func(string) string
	// HomeDir replaces the home directory ~ stands for; empty means $HOME.
	HomeDir string
	// ConfigFile and CredentialsFile replace the shared files'
	// paths; empty means as SharedConfigFiles finds them.
	ConfigFile, CredentialsFile string
	// SharedConfig, when set, is used instead of reading the shared files,
	// which are then not read again on each Retrieve (so changes to them
	// are not seen). LoadConfig returns one.
	SharedConfig *SharedConfig
	// RoleAssumer calls STS for profiles with role_arn and for web
	// identity. Nil means such a source fails, saying that it needs one.
	RoleAssumer RoleAssumer
	// HTTPClient talks to the container and instance metadata services;
	// nil means a client with short timeouts that uses no proxy.
	HTTPClient *http.Client
	// LookupHost resolves the host of AWS_CONTAINER_CREDENTIALS_FULL_URI;
	// nil means net.DefaultResolver.LookupHost.
	LookupHost func(ctx context.Context, host string) ([]string, error)
	// Stderr receives a credential_process's stderr; nil means os.Stderr.
	Stderr io.Writer
	// ProcessTimeout bounds a credential_process; zero means
	// DefaultProcessTimeout.
	ProcessTimeout time.Duration
	// AllowIMDSv1 lets the instance metadata provider fall back to IMDSv1
	// when it cannot get an IMDSv2 token, as the AWS CLI does by default.
	AllowIMDSv1 bool
	// Now tells the time, for default role session names; nil means
	// time.Now.
	Now func() time.Time
}

func (o ChainOptions) getenv() func(string) string {
	if o.Getenv != nil {
		return o.Getenv
	}
	return os.Getenv
}

// profileName says which profile to use, whether it was named (so must
// exist), and whether it was named explicitly (so the environment's
// credentials are skipped).
func (o ChainOptions) profileName() (name string, named, explicit bool) {
	if o.Profile != "" {
		return o.Profile, true, true
	}
	getenv := o.getenv()
	for _, v := range []string{"AWS_DEFAULT_PROFILE", "AWS_PROFILE"} {
		if p := getenv(v); p != "" {
			return p, true, false
		}
	}
	return "default", false, false
}

func (o ChainOptions) load() (*SharedConfig, Profile, error) {
	cfg := o.SharedConfig
	if cfg == nil {
		var err error
		if cfg, err = o.loadFiles(); err != nil {
			return nil, Profile{}, err
		}
	}
	name, named, _ := o.profileName()
	prof, err := cfg.Profile(name)
	if err != nil && named {
		return nil, Profile{}, err
	}
	return cfg, prof, nil
}

// loadFiles reads the shared files the options name.
func (o ChainOptions) loadFiles() (*SharedConfig, error) {
	getenv := o.getenv()
	home := o.HomeDir
	if home == "" {
		home = homeDir(getenv)
	}
	configFile, credentialsFile := SharedConfigFiles(getenv, home)
	if o.ConfigFile != "" {
		configFile = o.ConfigFile
	}
	if o.CredentialsFile != "" {
		credentialsFile = o.CredentialsFile
	}
	return LoadSharedConfig(configFile, credentialsFile)
}

// LoadProfile reads the shared files and returns the profile DefaultChain
// would use, so that callers read its other settings (region,
// sts_regional_endpoints, endpoint_url, ...) from the same place. A
// missing "default" profile that nobody named is an empty Profile, not an
// error.
func (o ChainOptions) LoadProfile() (Profile, error) {
	_, p, err := o.load()
	return p, err
}

// LoadConfig is LoadProfile that also returns the shared files it read,
// for settings that live outside the profile's own section, such as a
// [services NAME] section the profile names with its "services" key.
func (o ChainOptions) LoadConfig() (*SharedConfig, Profile, error) {
	return o.load()
}

// DefaultChain returns a provider that looks for credentials where the AWS
// CLI looks, in the same order, re-reading the environment and files on
// every Retrieve:
//
//  1. the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
//     AWS_SESSION_TOKEN (see EnvProvider); skipped when
//     ChainOptions.Profile names a profile explicitly;
//  2. the profile's role_arn, with source_profile or credential_source
//     (Environment, Ec2InstanceMetadata or EcsContainer): STS AssumeRole
//     through the RoleAssumer, with the profile's external_id,
//     role_session_name and duration_seconds; source profiles may chain,
//     and a loop is an error (a profile may be its own source when it has
//     keys);
//  3. web identity: AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and
//     AWS_ROLE_SESSION_NAME, or the profile's web_identity_token_file,
//     role_arn and role_session_name: STS AssumeRoleWithWebIdentity;
//  4. IAM Identity Center (SSO): not supported; a profile with
//     sso_account_id or sso_role_name is an error that says what to do;
//  5. the shared credentials file's [NAME] section: aws_access_key_id,
//     aws_secret_access_key, aws_session_token;
//  6. "aws login" sessions (login_session): not supported, an error;
//  7. the profile's credential_process (see ProcessProvider);
//  8. the shared config file's [profile NAME] section's keys;
//  9. the file AWS_CREDENTIAL_FILE names (the old EC2 tools' format);
//  10. boto 2's config ($BOTO_CONFIG, /etc/boto.cfg, ~/.boto);
//  11. a container credentials endpoint (see ContainerProvider);
//  12. the EC2 instance metadata service (see IMDSProvider).
//
// Steps 3 to 8 are also how a source_profile's credentials are found
// (with the environment's web identity variables ignored).
//
// As in the AWS CLI, a profile named by ChainOptions.Profile,
// AWS_DEFAULT_PROFILE or AWS_PROFILE that does not exist, or a shared file
// that does not parse, is an error before any source is tried; a source
// that is configured but fails stops the search (see Chain); and when no
// source has credentials the error is a *ChainError saying what each
// source found. The credentials' Source names the winner, e.g.
// "SharedCredentialsFile(profile=dev)".
//
// Nothing is cached: wrap the chain in a Cache (NewCache) to reuse
// credentials until they are about to expire.
func DefaultChain(opts ChainOptions) Provider {
	return &defaultChain{opts: opts, imds: &imdsTokens{}}
}

type defaultChain struct {
	opts ChainOptions
	imds *imdsTokens
}

func (d *defaultChain) Retrieve(ctx context.Context) (Credentials, error) {
	cfg, prof, err := d.opts.load()
	if err != nil {
		return Credentials{}, &Error{Source: "SharedConfig", Err: err}
	}
	_, _, explicit := d.opts.profileName()
	b := &chainBuilder{opts: d.opts, getenv: d.opts.getenv(), cfg: cfg, imds: d.imds}
	b.region = b.resolveRegion(prof)
	var ps []Provider
	if explicit {
		ps = append(ps, notFound("EnvProvider", "not read: profile %q was named explicitly, as with the AWS CLI's --profile", prof.Name))
	} else {
		ps = append(ps, EnvProvider{Getenv: b.getenv})
	}
	ps = append(ps, b.assumeRoleStep(prof))
	ps = append(ps, b.profileSteps(prof, explicit)...)
	ps = append(ps,
		b.ec2CredentialsFile(),
		b.botoConfig(),
		b.container(),
		b.instanceMetadata(prof),
	)
	return NewChain(ps...).Retrieve(ctx)
}

// chainBuilder builds the providers of one DefaultChain.Retrieve.
type chainBuilder struct {
	opts   ChainOptions
	getenv func(string) string
	cfg    *SharedConfig
	imds   *imdsTokens
	region string
}

func (b *chainBuilder) resolveRegion(prof Profile) string {
	if b.opts.Region != "" {
		return b.opts.Region
	}
	for _, v := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if r := b.getenv(v); r != "" {
			return r
		}
	}
	return prof.Region
}

// profileSteps are the steps that read one profile: web identity, SSO,
// the credentials file, login, credential_process, the config file.
// botocore's ProfileProviderBuilder.providers.
func (b *chainBuilder) profileSteps(prof Profile, noEnv bool) []Provider {
	return []Provider{
		b.webIdentity(prof, noEnv),
		b.sso(prof),
		b.staticFromFile(prof.Name, "SharedCredentialsFile", b.cfg.CredentialsFile, b.cfg.credentialsPath, b.cfg.credentialsFileProfile),
		b.login(prof),
		b.process(prof),
		b.staticFromFile(prof.Name, "SharedConfigFile", b.cfg.ConfigFile, b.cfg.configPath, b.cfg.configFileProfile),
	}
}

func hasStaticKeys(p Profile) bool {
	return p.Has("aws_access_key_id") || p.Has("aws_secret_access_key")
}

func hasRoleConfig(p Profile) bool {
	return p.Has("role_arn") && !p.Has("web_identity_token_file")
}

func (b *chainBuilder) assumeRoleStep(prof Profile) Provider {
	const source = "AssumeRoleProvider"
	if !hasRoleConfig(prof) {
		return notFound(source, "profile %q has no role_arn", prof.Name)
	}
	p, err := b.assumeRole(prof, []string{prof.Name})
	if err != nil {
		return errProvider{&Error{Source: source + "(profile=" + prof.Name + ")", Err: err}}
	}
	return p
}

// assumeRole builds the provider of prof's role; visited lists the
// profiles on the way here, for loop detection.
func (b *chainBuilder) assumeRole(prof Profile, visited []string) (Provider, error) {
	sourceProfile, hasSP := prof.Lookup("source_profile")
	credSource, hasCS := prof.Lookup("credential_source")
	switch {
	case hasSP && hasCS:
		return nil, prof.configErr("credential_source", errors.New("sets both source_profile and credential_source; set one"))
	case !hasSP && !hasCS:
		return nil, prof.configErr("role_arn", errors.New("sets role_arn but neither source_profile nor credential_source"))
	case prof.Has("mfa_serial"):
		return nil, prof.configErr("mfa_serial", errors.New("roles that need an MFA code (mfa_serial) are not supported yet; "+
			"use credential_process = aws configure export-credentials --profile "+prof.Name+" in another profile"))
	case prof.Get("role_arn") == "":
		return nil, prof.configErr("role_arn", errors.New("role_arn is empty"))
	}
	req := AssumeRoleRequest{
		RoleARN:         prof.Get("role_arn"),
		RoleSessionName: prof.Get("role_session_name"),
		ExternalID:      prof.Get("external_id"),
		Region:          b.region,
	}
	// Like botocore, ignore a duration_seconds that is not a number.
	if n, err := strconv.Atoi(strings.TrimSpace(prof.Get("duration_seconds"))); err == nil && n > 0 {
		req.Duration = time.Duration(n) * time.Second
	}
	var src Provider
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
	return &AssumeRoleProvider{Source: src, Assumer: b.opts.RoleAssumer, Request: req, Profile: prof.Name, Now: b.opts.Now}, nil
}

// namedSource is the provider a credential_source names. botocore checks
// the name case-sensitively.
func (b *chainBuilder) namedSource(prof Profile, name string) (Provider, error) {
	var p Provider
	switch name {
	case "Environment":
		p = EnvProvider{Getenv: b.getenv}
	case "Ec2InstanceMetadata":
		p = b.instanceMetadata(prof)
	case "EcsContainer":
		p = b.container()
	default:
		return nil, prof.configErr("credential_source", fmt.Errorf("credential_source %q is not one of Environment, Ec2InstanceMetadata, EcsContainer", name))
	}
	return mustFind{p, fmt.Sprintf("credential_source %s of profile %q", name, prof.Name)}, nil
}

// sourceProfile is the provider of a role's source_profile.
func (b *chainBuilder) sourceProfile(parent Profile, name string, visited []string) (Provider, error) {
	src, err := b.cfg.Profile(name)
	if err != nil {
		return nil, parent.configErr("source_profile", fmt.Errorf("source_profile %q does not exist", name))
	}
	if slices.Contains(visited, name) {
		// A profile may be its own source when it has keys: the keys sign
		// AssumeRole for its role_arn. Anything else is a loop.
		if name != parent.Name || !hasStaticKeys(src) {
			return nil, parent.configErr("source_profile", fmt.Errorf("source_profile loop: %s", strings.Join(append(visited, name), " -> ")))
		}
	}
	visited = append(slices.Clip(visited), name)
	if hasStaticKeys(src) || !hasRoleConfig(src) {
		return mustFind{NewChain(b.profileSteps(src, true)...), fmt.Sprintf("source_profile %q of profile %q", name, parent.Name)}, nil
	}
	return b.assumeRole(src, visited)
}

func (b *chainBuilder) webIdentity(prof Profile, noEnv bool) Provider {
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
	p := &WebIdentityProvider{
		TokenFile: tokenFile,
		Assumer:   b.opts.RoleAssumer,
		Request:   AssumeRoleRequest{RoleARN: roleARN, RoleSessionName: session, Region: b.region},
		Now:       b.opts.Now,
	}
	if fromProfile {
		p.Profile = prof.Name
	}
	return p
}

func (b *chainBuilder) sso(prof Profile) Provider {
	const source = "SSOProvider"
	if prof.Has("sso_account_id") || prof.Has("sso_role_name") {
		return errProvider{&Error{Source: source + "(profile=" + prof.Name + ")", Err: prof.configErr("sso_account_id", fmt.Errorf(
			"SSO (IAM Identity Center) profiles are not supported yet; run `aws sso login --profile %s` and then "+
				"`eval \"$(aws configure export-credentials --profile %s --format env)\"`, "+
				"or use a profile with credential_process = aws configure export-credentials --profile %s",
			prof.Name, prof.Name, prof.Name))}}
	}
	if prof.Has("sso_session") || prof.Has("sso_start_url") {
		return notFound(source, "profile %q has sso_session or sso_start_url but no sso_account_id or sso_role_name", prof.Name)
	}
	return notFound(source, "profile %q has no sso_account_id or sso_role_name", prof.Name)
}

func (b *chainBuilder) login(prof Profile) Provider {
	const source = "LoginProvider"
	if prof.Has("login_session") {
		return errProvider{&Error{Source: source + "(profile=" + prof.Name + ")", Err: prof.configErr("login_session", fmt.Errorf(
			"`aws login` sessions are not supported yet; use a profile with credential_process = aws configure export-credentials --profile %s",
			prof.Name))}}
	}
	return notFound(source, "profile %q has no login_session", prof.Name)
}

func (b *chainBuilder) process(prof Profile) Provider {
	const source = "ProcessProvider"
	if !prof.Has("credential_process") {
		return notFound(source, "profile %q has no credential_process", prof.Name)
	}
	return &ProcessProvider{
		Command:   prof.Get("credential_process"),
		Profile:   prof.Name,
		AccountID: prof.Get("aws_account_id"),
		Timeout:   b.opts.ProcessTimeout,
		Stderr:    b.opts.Stderr,
	}
}

// staticFromFile reads keys from one file's view of a profile.
func (b *chainBuilder) staticFromFile(name, kind, path, wanted string, lookup func(string) (Profile, bool)) Provider {
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
	return ProviderFunc(func(context.Context) (Credentials, error) {
		c, err := staticProfileCredentials(prof)
		if err != nil {
			return Credentials{}, &Error{Source: source, Err: err}
		}
		c.Source = source
		return c, nil
	})
}

// staticProfileCredentials reads aws_access_key_id, aws_secret_access_key,
// the token (aws_security_token if set, else aws_session_token, as
// botocore) and aws_account_id.
func staticProfileCredentials(prof Profile) (Credentials, error) {
	if !prof.Has("aws_secret_access_key") {
		return Credentials{}, prof.configErr("aws_access_key_id", &PartialCredentialsError{Missing: "aws_secret_access_key", Set: "aws_access_key_id"})
	}
	id, secret := prof.Get("aws_access_key_id"), prof.Get("aws_secret_access_key")
	if id == "" {
		return Credentials{}, prof.configErr("aws_access_key_id", errors.New("aws_access_key_id is empty"))
	}
	if secret == "" {
		return Credentials{}, prof.configErr("aws_secret_access_key", errors.New("aws_secret_access_key is empty"))
	}
	token := prof.Get("aws_session_token")
	if prof.Has("aws_security_token") {
		token = prof.Get("aws_security_token")
	}
	c := New(id, secret, token)
	c.AccountID = prof.Get("aws_account_id")
	return c, nil
}

func (b *chainBuilder) ec2CredentialsFile() Provider {
	return ec2CredentialsFileProvider{path: b.getenv("AWS_CREDENTIAL_FILE")}
}

func (b *chainBuilder) botoConfig() Provider {
	if p := b.getenv("BOTO_CONFIG"); p != "" {
		return botoConfigProvider{paths: []string{p}}
	}
	home := b.opts.HomeDir
	if home == "" {
		home = homeDir(b.getenv)
	}
	return botoConfigProvider{paths: []string{botoSystemConfig, expandPath("~/.boto", b.getenv, home)}}
}

func (b *chainBuilder) container() Provider {
	return &ContainerProvider{Getenv: b.getenv, Client: b.opts.HTTPClient, LookupHost: b.opts.LookupHost}
}

// instanceMetadata is the IMDS provider, its endpoint settings read from
// the environment or else the profile, as the AWS CLI reads them.
func (b *chainBuilder) instanceMetadata(prof Profile) Provider {
	fromProfile := map[string]string{
		"AWS_EC2_METADATA_SERVICE_ENDPOINT":      "ec2_metadata_service_endpoint",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "ec2_metadata_service_endpoint_mode",
		"AWS_METADATA_SERVICE_TIMEOUT":           "metadata_service_timeout",
		"AWS_METADATA_SERVICE_NUM_ATTEMPTS":      "metadata_service_num_attempts",
	}
	getenv := func(k string) string {
		if v := b.getenv(k); v != "" {
			return v
		}
		if key, ok := fromProfile[k]; ok {
			return prof.Get(key)
		}
		return ""
	}
	p := &IMDSProvider{Getenv: getenv, Client: b.opts.HTTPClient, AllowIMDSv1: b.opts.AllowIMDSv1, Now: b.opts.Now, shared: b.imds}
	if n, err := strconv.Atoi(getenv("AWS_METADATA_SERVICE_TIMEOUT")); err == nil && n > 0 {
		p.Timeout = time.Duration(n) * time.Second
	}
	if n, err := strconv.Atoi(getenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS")); err == nil && n > 0 {
		p.Attempts = min(n, 10)
	}
	return p
}
