// Package credentials is what AWS credentials are, and the sources of them
// that need nothing but the machine: the small core the rest of callerid
// builds on, as golang.org/x/oauth2's root package is for OAuth tokens.
//
// A Credentials value holds a set of keys. It never shows its secret
// access key or session token when printed, formatted or marshalled: only
// its accessors return them. A Provider hands out Credentials; a Cache
// (NewCache) reuses a provider's credentials until shortly before they
// expire, with one refresh at a time however many goroutines ask; a Chain
// (NewChain) asks providers in turn and moves on only when one finds
// nothing (ErrNotFound).
//
// The sources here need no STS: StaticProvider, EnvProvider (the
// variables the AWS CLI reads), ProcessProvider (a profile's
// credential_process), ContainerProvider (ECS, EKS Pod Identity),
// IMDSProvider (the EC2 instance metadata service), SSOProvider (IAM
// Identity Center: the token "aws sso login" cached, traded at the portal
// for a role's keys, with SSOTokenProvider reading and refreshing the
// token; it has its own small HTTP client, not STS, and retries throttled
// and failed calls as the AWS CLI does: SSORetryOptions), and ReadTokenFile,
// which reads a web identity token for the sts package's
// WebIdentityProvider. The sources that call STS (AssumeRoleProvider,
// WebIdentityProvider) are in the sts package; the AWS CLI's chain of all
// of them, built from the environment and the shared config files, is
// callerid.LoadConfig's.
//
// # Errors
//
// A provider's error is an *Error, which names the source and keeps the
// cause with its type, as url.Error does; a provider that depends on
// another wraps that one's *Error in its own. A Chain in which nothing
// was found fails with a *ChainError listing what each provider said. No
// error of this package quotes a secret, a token or a credential_process's
// output.
package credentials
