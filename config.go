package callerid

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sts"
)

// An Option changes what LoadConfig, and so Whoami, does.
type Option func(*options)

type options struct {
	profile     string
	region      string
	endpointURL string
	httpClient  *http.Client
	provider    credentials.Provider
	getenv      func(string) string
	now         func() time.Time
	stderr      io.Writer
	allowIMDSv1 bool
}

// WithProfile names the shared-config profile to use, as the AWS CLI's
// --profile does: its credentials and settings are used, and the
// environment's credentials are not.
func WithProfile(name string) Option { return func(o *options) { o.profile = name } }

// WithRegion sets the region, as the AWS CLI's --region does: it wins over
// AWS_REGION, AWS_DEFAULT_REGION and the profile's region.
func WithRegion(region string) Option { return func(o *options) { o.region = region } }

// WithEndpointURL sends the requests of the STS clients Config.STS makes
// to url instead of the configured or the region's endpoint, as the AWS
// CLI's --endpoint-url does. Like that flag it does not apply to the STS
// calls that a profile's role_arn or web identity make to get
// credentials: those follow AWS_ENDPOINT_URL_STS and the profile. Plain
// http is accepted only for loopback hosts. Requests to it are signed for
// the configured region, whatever its host, and Config.STS refuses it
// when no region is set, as the CLI does.
func WithEndpointURL(url string) Option { return func(o *options) { o.endpointURL = url } }

// WithHTTPClient sends the STS requests with c: those of Config.STS's
// clients and those that get a role's credentials; and the requests to
// IAM Identity Center (the SSO portal and SSO OIDC). (The container and
// instance metadata services are asked with a client of their own that
// uses no proxy.)
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.httpClient = c } }

// WithCredentials uses p as Config.Credentials, as it is, instead of the
// AWS CLI's credential chain.
func WithCredentials(p credentials.Provider) Option { return func(o *options) { o.provider = p } }

// WithGetenv reads environment variables through getenv instead of
// os.Getenv, for tests and for programs that keep their own environment.
// It isolates the configuration from the machine's: the home directory
// that ~ stands for is getenv("HOME") (none if that is empty, never the
// one the system knows), and the shared files are where getenv says.
// (A credential_process still inherits the process's environment, and
// boto's /etc/boto.cfg is still read unless BOTO_CONFIG names another.)
func WithGetenv(getenv func(string) string) Option { return func(o *options) { o.getenv = getenv } }

// WithClock makes the configuration tell the time with now: for signing
// STS requests, naming role sessions (botocore-session-<Unix time>) and
// the instance metadata token's lifetime.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithProcessStderr sends the stderr of a profile's credential_process to
// w instead of os.Stderr. The AWS CLI keeps that output and shows it in
// its error when the program fails (a *credentials.ProcessExitError); a
// program that does the same passes a buffer.
func WithProcessStderr(w io.Writer) Option { return func(o *options) { o.stderr = w } }

// WithIMDSv1Fallback lets the instance metadata provider fall back to
// IMDSv1, requests without a session token, when it can get no IMDSv2
// token, as the AWS CLI does (see credentials.IMDSProvider.AllowIMDSv1).
// Without it, a missing token is an error.
func WithIMDSv1Fallback() Option { return func(o *options) { o.allowIMDSv1 = true } }

// Config is the AWS configuration a program runs with, found and resolved
// the way the AWS CLI finds and resolves it: options first, then the
// environment, then the shared config and credentials files.
//
// Its fields are typed settings; for anything else in the profile,
// ProfileValue reads a value by its key.
type Config struct {
	// Profile is the name of the profile in use: WithProfile, else
	// AWS_DEFAULT_PROFILE, else AWS_PROFILE (botocore reads them in that
	// order), else "default". It need not exist when nobody named it.
	Profile string
	// Region is the region: WithRegion, else AWS_REGION, else
	// AWS_DEFAULT_REGION, else the profile's region; empty when none is
	// set (STS clients then call STS's global endpoint, as the AWS CLI
	// does, but fail with an endpoint URL, which is signed for the
	// region: see STS).
	Region string
	// Credentials hands out the credentials to sign with: WithCredentials'
	// provider, or else the AWS CLI's credential chain (see LoadConfig)
	// in a *credentials.Cache.
	Credentials credentials.Provider
	// STSOptions are the settings of the STS clients STS makes, resolved
	// from the options, the environment and the profile: Region, the
	// endpoint (WithEndpointURL, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL,
	// the profile's services section, the profile's endpoint_url, unless
	// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's
	// ignore_configured_endpoint_urls say to ignore the configured
	// ones), use_fips_endpoint, use_dualstack_endpoint,
	// sts_regional_endpoints, the retry mode and max_attempts, the HTTP
	// client and the clock. Its Credentials is nil: STS signs with
	// Credentials.
	//
	// Retries are as the AWS CLI v1's: Retry.Mode is AWS_RETRY_MODE, else
	// the profile's retry_mode, else sts.RetryLegacy (botocore's default:
	// 5 attempts); "standard" and "adaptive" make 3; AWS_MAX_ATTEMPTS,
	// else max_attempts, overrides the count in every mode. A retry_mode
	// other than "legacy", "standard" or "adaptive" (in lower case; a
	// variable's value untrimmed, as botocore reads it) is a *ConfigError
	// naming the setting around a *ValueError with the value, as the CLI
	// refuses it in every command.
	//
	// The yes-or-no settings (AWS_USE_FIPS_ENDPOINT or use_fips_endpoint,
	// AWS_USE_DUALSTACK_ENDPOINT or use_dualstack_endpoint,
	// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or
	// ignore_configured_endpoint_urls) are read as botocore reads them:
	// "true" in any case is true and every other value false ("1",
	// "yes", a variable with space around "true"), never an error. The
	// variable wins over the profile whatever its value, but an empty
	// variable counts as unset here (the AWS CLI takes it as false). The
	// AWS CLI is stricter with sts_regional_endpoints (from
	// AWS_STS_REGIONAL_ENDPOINTS, else the profile): "legacy" or
	// "regional", in lower case, and a variable's value untrimmed; any
	// other value is a *ConfigError, as the CLI refuses it.
	//
	// Make clients with Config.STS rather than sts.New(STSOptions): with
	// no region, STS resolves the global endpoint, as the CLI does, and an
	// endpoint URL with no region is refused; sts.New would use
	// sts.DefaultRegion for both.
	STSOptions sts.Options

	profile profile
}

// STS returns an STS client configured as the AWS CLI's would be: with
// STSOptions, signing with Credentials, after opts have changed a copy of
// those options. It fails as sts.New fails, on an endpoint it will not
// use (*sts.EndpointError); and, as the AWS CLI fails, when an endpoint
// URL is set but no region to sign for (an *sts.EndpointError that wraps
// sts.ErrNoRegion). Without an endpoint URL, no region means
// sts.GlobalRegion, as in the AWS CLI: the client calls
// https://sts.amazonaws.com/ (whatever sts_regional_endpoints says), or
// with FIPS or dual-stack sts-fips.aws-global.amazonaws.com,
// sts.aws-global.api.aws or sts-fips.aws-global.api.aws, and signs for
// us-east-1.
func (c *Config) STS(opts ...func(*sts.Options)) (*sts.Client, error) {
	o := c.STSOptions
	o.Credentials = c.Credentials
	for _, opt := range opts {
		opt(&o)
	}
	return newSTS(o)
}

// newSTS makes the STS clients of a Config, for commands (Config.STS) and
// for roles (the credential chain's AssumeRole and web identity calls)
// alike, where sts.New would use sts.DefaultRegion for a missing region:
// as botocore, it refuses an endpoint URL with no region to sign for, and
// without either it uses sts.GlobalRegion.
func newSTS(o sts.Options) (*sts.Client, error) {
	if o.EndpointURL != "" && o.Region == "" {
		_, err := sts.ResolveEndpoint(sts.EndpointOptions{EndpointURL: o.EndpointURL})
		return nil, err
	}
	globalWithoutRegion(&o)
	return sts.New(o)
}

// globalWithoutRegion makes o's region sts.GlobalRegion when it has
// neither a region nor an endpoint URL: botocore then resolves STS's
// endpoint for "aws-global". (sts.New would use sts.DefaultRegion's
// regional endpoint.)
func globalWithoutRegion(o *sts.Options) {
	if o.Region == "" && o.EndpointURL == "" {
		o.Region = sts.GlobalRegion
	}
}

// ProfileValue returns the value of key in the profile in use, from the
// shared config and credentials files merged as the AWS CLI merges them,
// and whether it is set: for settings that LoadConfig does not resolve,
// such as the AWS CLI's "output". Keys are case-insensitive. A key whose
// value is a nested block (such as "s3 =" followed by indented keys) has
// an empty value.
func (c *Config) ProfileValue(key string) (string, bool) { return c.profile.Lookup(key) }

// LoadConfig reads the environment and the shared files once and returns
// the configuration that follows from them and from opts.
//
// Unless WithCredentials names a provider, Config.Credentials is the AWS
// CLI's credential chain, in its order (botocore's
// create_credential_resolver), cached:
//
//  1. the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
//     AWS_SESSION_TOKEN (see credentials.EnvProvider); skipped when
//     WithProfile names a profile;
//  2. the profile's role_arn, with source_profile or credential_source
//     (Environment, Ec2InstanceMetadata or EcsContainer): STS AssumeRole
//     (see sts.AssumeRoleProvider), with the profile's external_id,
//     role_session_name and duration_seconds (read as Python's int()
//     reads it, as botocore does: a value it cannot read is ignored, one
//     outside 900 to 43200 is a *ConfigError); source profiles may chain,
//     and a loop is an error (a profile may be its own source when it has
//     keys);
//  3. web identity: AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and
//     AWS_ROLE_SESSION_NAME, or the profile's web_identity_token_file,
//     role_arn and role_session_name: STS AssumeRoleWithWebIdentity (see
//     sts.WebIdentityProvider);
//  4. IAM Identity Center (SSO), for a profile with sso_account_id or
//     sso_role_name: the token "aws sso login" cached in
//     ~/.aws/sso/cache, traded at the portal for the role's credentials
//     (see credentials.SSOProvider), with the profile's sso_account_id
//     and sso_role_name and either its sso_session's [sso-session NAME]
//     section (sso_start_url, sso_region; the token is refreshed through
//     SSO OIDC when it can be) or, in the legacy form, the profile's own
//     sso_start_url and sso_region. The portal's and SSO OIDC's endpoints
//     are AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC, else
//     AWS_ENDPOINT_URL, else the sso and sso_oidc endpoint_url of the
//     profile's services section, else its endpoint_url (unless
//     configured endpoints are ignored), else the sso_region's. Calls
//     are retried as the AWS CLI retries them, in the retry mode and
//     with the attempts STSOptions.Retry holds (what each mode retries:
//     credentials.SSORetryLegacy and SSORetryStandard). A missing
//     key, a missing sso-session section or a key the profile and its
//     sso-session set differently is an *SSOConfigError in a
//     *ConfigError; a missing or expired token a
//     *credentials.SSOTokenError;
//  5. the shared credentials file's [NAME] section: aws_access_key_id,
//     aws_secret_access_key, aws_session_token;
//  6. "aws login" sessions (login_session): not supported, an error;
//  7. the profile's credential_process (see credentials.ProcessProvider);
//  8. the shared config file's [profile NAME] section's keys;
//  9. the file AWS_CREDENTIAL_FILE names (the old EC2 tools' format);
//  10. boto 2's config ($BOTO_CONFIG, /etc/boto.cfg, ~/.boto);
//  11. a container credentials endpoint (see credentials.ContainerProvider);
//  12. the EC2 instance metadata service (see credentials.IMDSProvider).
//
// Steps 3 to 8 are also how a source_profile's credentials are found
// (with the environment's web identity variables ignored). The STS calls
// of roles go to the configured STS endpoint of the region (with no
// region, STS's global endpoint, as Config.STS's clients), not to
// WithEndpointURL's.
//
// As in the AWS CLI, a profile named by WithProfile, AWS_DEFAULT_PROFILE or
// AWS_PROFILE that does not exist (ErrProfileNotFound), a shared file that
// does not parse, and a setting whose value cannot be used are errors of
// LoadConfig, *ConfigError values. A source that is configured but fails
// stops the search when the credentials are retrieved (see
// credentials.Chain), with a *credentials.Error that keeps its cause: a
// *ConfigError for a profile that cannot work (with a *RoleConfigError
// for a source_profile loop, a role_arn without a source, ...), a
// *RoleSourceError for a role whose source failed or found nothing, an
// *sts.APIError for a role STS refused;
// and when no source has credentials the error is a
// *credentials.ChainError saying what each source found. The
// credentials' Source names the winner, e.g.
// "SharedCredentialsFile(profile=dev)".
//
// The environment and the files are read here, once: later changes to
// them are not seen, except by the sources that read afresh on purpose (a
// web identity token file, a credential_process, the container and
// instance metadata services).
func LoadConfig(ctx context.Context, opts ...Option) (*Config, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	isolated := o.getenv != nil
	getenv := o.getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	home := homeDir(getenv, isolated)

	configFile, credentialsFile := sharedFilePaths(getenv, home)
	files, err := loadSharedFiles(configFile, credentialsFile)
	if err != nil {
		return nil, err
	}
	name, named, explicit := profileName(o.profile, getenv)
	prof, err := files.Profile(name)
	if err != nil && named {
		return nil, err
	}

	cfg := &Config{Profile: name, Region: resolveRegion(o.region, getenv, prof), profile: prof}
	// The STS and SSO settings share variables (AWS_ENDPOINT_URL,
	// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS): each is read once.
	settingsEnv := readOnce(getenv)
	s, err := resolveSTS(settingsEnv, files, prof, o.endpointURL)
	if err != nil {
		return nil, err
	}
	s.Region = cfg.Region
	s.HTTPClient = o.httpClient
	s.Now = o.now
	// The roles' STS calls use the configured endpoint; the clients STS
	// makes use WithEndpointURL's, as the AWS CLI's --endpoint-url.
	roleOptions := s
	if o.endpointURL != "" {
		s.EndpointURL = o.endpointURL
	}
	cfg.STSOptions = s
	ssoSettings := resolveSSO(settingsEnv, files, prof)

	cfg.Credentials = o.provider
	if cfg.Credentials == nil {
		b := &chainBuilder{
			opts:        &o,
			getenv:      getenv,
			home:        home,
			files:       files,
			stsOptions:  roleOptions,
			ssoSettings: ssoSettings,
			imds:        newIMDSProvider(getenv, prof, &o),
			container:   &credentials.ContainerProvider{Getenv: getenv},
			explicitEnv: explicit,
		}
		var cacheOpts []credentials.CacheOption
		if o.now != nil {
			cacheOpts = append(cacheOpts, credentials.WithClock(o.now))
		}
		cfg.Credentials = credentials.NewCache(b.chain(prof), cacheOpts...)
	}
	return cfg, nil
}

// profileName says which profile to use, whether it was named (so must
// exist), and whether it was named explicitly (so the environment's
// credentials are skipped).
func profileName(option string, getenv func(string) string) (name string, named, explicit bool) {
	if option != "" {
		return option, true, true
	}
	for _, v := range []string{"AWS_DEFAULT_PROFILE", "AWS_PROFILE"} {
		if p := getenv(v); p != "" {
			return p, true, false
		}
	}
	return "default", false, false
}

// resolveRegion is the option, else AWS_REGION, else AWS_DEFAULT_REGION,
// else the profile's region.
func resolveRegion(option string, getenv func(string) string, prof profile) string {
	if option != "" {
		return option
	}
	for _, v := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if r := strings.TrimSpace(getenv(v)); r != "" {
			return r
		}
	}
	return prof.Region
}
