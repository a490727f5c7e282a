// Package arn parses Amazon Resource Names and tells what kind of AWS
// principal one names, so that a program can reason about the caller that
// STS GetCallerIdentity describes without the AWS SDK.
//
// An ARN has six colon-separated fields:
//
//	arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob
//	arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name
//
// [Parse] splits one into an [ARN] and checks each field strictly, and
// [ARN.String] puts it back together, byte for byte. When Parse refuses its
// input, the [*ParseError] it returns says which part is wrong, at which
// byte, and why, without ever repeating more than a hundred bytes of what
// it was given.
//
// [ParsePrincipal] goes one step further and accepts only the ARNs of
// principals: IAM users, account root users, IAM roles, role sessions
// (assumed roles) and federated users, each taken apart into a [Principal]
// with its [Kind], name, path and session name. Everything else, from an S3
// bucket to an IAM group or an assumed-role ARN that lacks its session
// name, is refused with an error that wraps [ErrNotPrincipal]: the package
// never guesses.
//
// Deciding whether a caller is on an allow-list takes more care than
// comparing strings. The ARN of a role session names the role but not its
// path, IAM names are unique regardless of case, and a session name is
// whatever the caller chose. [Principal.Canonical] maps a principal to the
// ARN that tools such as Amazon EKS and HashiCorp Vault compare, and
// [SamePrincipal], [SameAccount] and [EqualName] compare principals by
// what identifies them. [Principal.RoleARN] rebuilds the ARN of the role
// behind a session when the caller knows the role's path, such as
// [SSORolePath] for the roles that IAM Identity Center creates.
//
// GetCallerIdentity also returns a UserId, such as AIDACKCEVSQ6C2EXAMPLE
// for an IAM user or AROA3XFRBF535PLBIFPI4:alice for a role session.
// [ParseUserID] takes it apart, and [IDKindOf] tells from the first four
// letters of a unique ID or access key ID what it identifies.
//
// Finally, [LookupPartition], [PartitionForRegion] and [Partitions]
// describe the AWS partitions, from the commercial "aws" to "aws-cn",
// "aws-us-gov", the isolated Regions and the European Sovereign Cloud,
// with the DNS suffixes needed to build their service endpoints.
//
// The package uses only the standard library, and parsing allocates
// nothing unless it fails.
package arn
