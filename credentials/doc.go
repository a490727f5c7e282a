// Package credentials finds and holds the AWS credentials a request is
// signed with, where the AWS CLI finds them and in the same order, so
// that nobody has to learn a new rule.
//
// A Provider hands out Credentials. A Credentials value never shows its
// secret access key or session token when printed, formatted or
// marshalled: only its accessors return them. No error of this package
// quotes a secret, a token, a credential_process's output or a config
// value; config errors name the file, line, profile and key instead.
//
// # The chain
//
// DefaultChain looks, in the AWS CLI's order (botocore's
// create_credential_resolver), at the environment, a profile's role_arn,
// web identity, SSO (refused: not supported yet), the shared credentials
// file, "aws login" (refused), credential_process, the shared config file,
// the legacy EC2 and boto files, a container credentials endpoint and the
// EC2 instance metadata service. ChainOptions.Profile is the CLI's
// --profile; ChainOptions.LoadProfile returns the profile's other settings
// (region, sts_regional_endpoints, ...) from the same files.
//
// The providers of the chain are also usable alone: EnvProvider,
// ProcessProvider, AssumeRoleProvider, WebIdentityProvider,
// ContainerProvider, IMDSProvider, StaticProvider. Chain combines any of
// them: it moves on only when a provider finds nothing (ErrNotFound), and
// reports on total failure what each one said (ChainError).
//
// # Roles
//
// Providers that need STS (role_arn, web identity) take a RoleAssumer,
// which the sts package implements; this package does not import sts.
//
// # Caching
//
// Nothing in the chain caches credentials (the instance metadata token
// aside). Wrap a provider in a Cache (NewCache) to reuse credentials until
// shortly before they expire, with one refresh at a time however many
// goroutines ask.
//
// # Shared files
//
// LoadSharedConfig reads ~/.aws/config and ~/.aws/credentials (see
// SharedConfigFiles) as botocore reads them, with Python configparser's
// rules: "=" or ":" between key and value, whole-line "#" and ";"
// comments only (a ";" or "#" after a value is part of it), continuation
// lines indented deeper than their key, nested blocks such as "s3 =" with
// indented keys below, [DEFAULT] keys inherited by every section, a
// repeated section or key an error.
package credentials
