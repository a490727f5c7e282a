package callerid

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sts"
)

// Identity is who the credentials belong to.
type Identity struct {
	// UserID is the caller's unique id as STS reports it.
	UserID string
	// Account is the 12-digit account id.
	Account string
	// ARN is the caller's ARN as STS reports it.
	ARN string
	// Principal is ARN parsed and classified.
	Principal arn.Principal
	// RequestID is the id of the STS request that answered.
	RequestID string
	// CredentialSource names the provider the credentials came from, e.g.
	// "EnvProvider" or "SharedCredentialsFile(profile=dev)".
	CredentialSource string
}

// An Option changes how Whoami works.
type Option func(*options)

type options struct {
	profile     string
	region      string
	endpointURL string
	httpClient  *http.Client
	provider    credentials.Provider
	getenv      func(string) string
	stderr      io.Writer
}

// WithProfile names the shared-config profile to use, as the AWS CLI's
// --profile does: its credentials and settings are used, and the
// environment's credentials are not.
func WithProfile(name string) Option { return func(o *options) { o.profile = name } }

// WithRegion sets the region whose STS endpoint is called.
func WithRegion(region string) Option { return func(o *options) { o.region = region } }

// WithEndpointURL sends the GetCallerIdentity request to url instead of the
// region's STS endpoint, as the AWS CLI's --endpoint-url does. Like that
// flag it does not apply to the STS calls that a profile's role_arn or web
// identity make to get credentials: those follow AWS_ENDPOINT_URL_STS and
// the profile. Plain http is accepted only for loopback hosts.
func WithEndpointURL(url string) Option { return func(o *options) { o.endpointURL = url } }

// WithHTTPClient sends the STS requests with c.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.httpClient = c } }

// WithCredentials uses p instead of the default credential chain.
func WithCredentials(p credentials.Provider) Option { return func(o *options) { o.provider = p } }

// WithGetenv reads environment variables through getenv instead of
// os.Getenv, for tests and for programs that keep their own environment.
// (A credential_process still inherits the process's environment.)
func WithGetenv(getenv func(string) string) Option { return func(o *options) { o.getenv = getenv } }

// WithCredentialProcessStderr sends what a profile's credential_process
// prints on stderr to w instead of this process's stderr. The AWS CLI
// keeps that output and shows it in its error when the program fails;
// a program that does the same passes a buffer.
func WithCredentialProcessStderr(w io.Writer) Option { return func(o *options) { o.stderr = w } }

// Whoami asks STS who the caller is.
//
// Unless WithCredentials names a provider, credentials come from
// credentials.DefaultChain, which looks where the AWS CLI looks and in the
// same order: the environment, the shared config and credentials files
// (with role_arn, credential_process and web identity), container
// credentials endpoints and the EC2 instance metadata service. The region
// and endpoint settings are read as the AWS CLI reads them: options first,
// then the environment, then the profile.
//
// Errors from STS are *sts.APIError values wrapped in *sts.OperationError;
// a failure to find credentials wraps a *credentials.ChainError, and a
// shared file that does not parse is a *credentials.ConfigError. Find
// them with errors.As.
func Whoami(ctx context.Context, opts ...Option) (*Identity, error) {
	o := options{getenv: os.Getenv}
	for _, opt := range opts {
		opt(&o)
	}
	chainOpts := credentials.ChainOptions{Profile: o.profile, Region: o.region, Getenv: o.getenv, Stderr: o.stderr}
	shared, profile, err := chainOpts.LoadConfig()
	if err != nil {
		return nil, fmt.Errorf("callerid: %w", err)
	}
	chainOpts.SharedConfig = shared // read the files once
	stsOpts := sts.Options{
		Region:     o.region,
		Config:     profileSettings(shared, profile),
		HTTPClient: o.httpClient,
		Getenv:     o.getenv,
	}
	provider := o.provider
	if provider == nil {
		// The STS client that assumes roles for the chain, like the AWS
		// CLI's, is not sent to the command's --endpoint-url.
		roles, err := sts.New(stsOpts)
		if err != nil {
			return nil, err
		}
		defer roles.CloseIdleConnections()
		chainOpts.RoleAssumer = sts.RoleAssumer{Client: roles}
		provider = credentials.DefaultChain(chainOpts)
	}
	var source string
	stsOpts.EndpointURL = o.endpointURL
	stsOpts.Credentials = credentials.ProviderFunc(func(ctx context.Context) (credentials.Credentials, error) {
		c, err := provider.Retrieve(ctx)
		source = c.Source
		return c, err
	})
	client, err := sts.New(stsOpts)
	if err != nil {
		return nil, err
	}
	defer client.CloseIdleConnections()
	ci, err := client.GetCallerIdentity(ctx)
	if err != nil {
		return nil, err
	}
	p, err := arn.ParsePrincipal(ci.ARN)
	if err != nil {
		return nil, fmt.Errorf("callerid: STS answered with an ARN that is not a principal: %w", err)
	}
	return &Identity{
		UserID:           ci.UserID,
		Account:          ci.Account,
		ARN:              ci.ARN,
		Principal:        p,
		RequestID:        ci.RequestID,
		CredentialSource: source,
	}, nil
}

// profileSettings looks up the STS settings of profile: its own keys, and
// the sts endpoint_url of the [services NAME] section it names.
func profileSettings(shared *credentials.SharedConfig, profile credentials.Profile) func(string) string {
	return func(key string) string {
		if key != sts.ConfigServicesEndpointURL {
			return profile.Get(key)
		}
		services, ok := shared.Services(profile.Get("services"))
		if !ok {
			return ""
		}
		return services.Nested("sts")["endpoint_url"]
	}
}
