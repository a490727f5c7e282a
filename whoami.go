package callerid

import (
	"context"

	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sts"
)

// Identity is who the credentials belong to, as STS GetCallerIdentity
// answered, with what boto3 calls the answer's ResponseMetadata.
type Identity struct {
	// UserID is the caller's unique id as STS reports it.
	UserID string
	// Account is the 12-digit account id.
	Account string
	// ARN is the caller's ARN as STS reports it.
	ARN string
	// Principal is ARN parsed and classified; its zero value when
	// PrincipalError is set.
	Principal arn.Principal
	// PrincipalError is why ARN could not be classified, or nil: an
	// *arn.ParseError, for instance for an ARN in a partition this
	// version of the arn package does not know yet. The other fields
	// are STS's answer all the same.
	PrincipalError error
	// RequestID is the id of the STS request that answered.
	RequestID string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Attempts is how many requests the call made (retries included).
	Attempts int
	// CredentialSource names the provider the credentials came from, e.g.
	// "EnvProvider" or "SharedCredentialsFile(profile=dev)".
	CredentialSource string
}

// Whoami asks STS who the caller is: it loads the configuration as the
// AWS CLI does (see LoadConfig), calls GetCallerIdentity with an STS
// client made from it (see Config.STS), and classifies the ARN.
//
// Errors from STS are *sts.APIError values wrapped in *sts.OperationError;
// a failure to find credentials wraps a *credentials.Error (a
// *credentials.ChainError when no source had any), and the configuration's
// own errors are *ConfigError values, also when a profile's role cannot
// work. Find them with errors.As. An ARN that cannot be classified is not
// an error: see Identity.PrincipalError.
func Whoami(ctx context.Context, opts ...Option) (*Identity, error) {
	cfg, err := LoadConfig(ctx, opts...)
	if err != nil {
		return nil, err
	}
	return cfg.Whoami(ctx)
}

// Whoami asks STS who the caller is, with the configuration c, as the
// function Whoami does after LoadConfig: for a program that also reads
// other settings of c (see ProfileValue), so that the shared files are
// read once. Its errors are those of the function Whoami but for
// LoadConfig's.
func (c *Config) Whoami(ctx context.Context) (*Identity, error) {
	cfg := c
	var source string
	client, err := cfg.STS(func(o *sts.Options) {
		o.Credentials = credentials.ProviderFunc(func(ctx context.Context) (credentials.Credentials, error) {
			c, err := cfg.Credentials.Retrieve(ctx)
			source = c.Source
			return c, err
		})
	})
	if err != nil {
		return nil, err
	}
	defer client.CloseIdleConnections()
	ci, err := client.GetCallerIdentity(ctx)
	if err != nil {
		return nil, err
	}
	id := &Identity{UserID: ci.UserID, Account: ci.Account, ARN: ci.ARN, RequestID: ci.RequestID,
		StatusCode: ci.StatusCode, Attempts: ci.Attempts, CredentialSource: source}
	id.Principal, id.PrincipalError = arn.ParsePrincipal(ci.ARN)
	return id, nil
}
