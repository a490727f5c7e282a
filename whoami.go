package callerid

import (
	"context"
	"fmt"
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
	// CredentialSource names the provider the credentials came from.
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
}

// WithProfile names the shared-config profile to use, as the AWS CLI's
// --profile does.
func WithProfile(name string) Option { return func(o *options) { o.profile = name } }

// WithRegion sets the region whose STS endpoint is called.
func WithRegion(region string) Option { return func(o *options) { o.region = region } }

// WithEndpointURL sends the request to url instead of the region's STS
// endpoint, as the AWS CLI's --endpoint-url does. Plain http is accepted
// only for loopback hosts.
func WithEndpointURL(url string) Option { return func(o *options) { o.endpointURL = url } }

// WithHTTPClient sends requests with c.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.httpClient = c } }

// WithCredentials uses p instead of the default credential chain.
func WithCredentials(p credentials.Provider) Option { return func(o *options) { o.provider = p } }

// WithGetenv reads environment variables through getenv instead of
// os.Getenv, for tests and for programs that keep their own environment.
func WithGetenv(getenv func(string) string) Option { return func(o *options) { o.getenv = getenv } }

// Whoami asks STS who the caller is.
//
// Credentials come from the default chain (the environment for now) unless
// WithCredentials names a provider. Errors from STS are *sts.APIError
// values wrapped in *sts.OperationError; find them with errors.As.
func Whoami(ctx context.Context, opts ...Option) (*Identity, error) {
	o := options{getenv: os.Getenv}
	for _, opt := range opts {
		opt(&o)
	}
	provider := o.provider
	if provider == nil {
		provider = credentials.EnvProvider{Getenv: o.getenv}
	}
	var source string
	recorder := credentials.ProviderFunc(func(ctx context.Context) (credentials.Credentials, error) {
		c, err := provider.Retrieve(ctx)
		source = c.Source
		return c, err
	})
	client, err := sts.New(sts.Options{
		Region:      o.region,
		EndpointURL: o.endpointURL,
		Credentials: recorder,
		HTTPClient:  o.httpClient,
		Getenv:      o.getenv,
	})
	if err != nil {
		return nil, err
	}
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
