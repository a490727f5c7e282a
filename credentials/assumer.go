package credentials

import (
	"context"
	"time"
)

// A RoleAssumer trades credentials for a role's temporary credentials. The
// sts package implements it; providers in this package that need a role
// (role_arn in a profile, web identity) take one, so this package does not
// depend on sts.
type RoleAssumer interface {
	// AssumeRole calls STS AssumeRole signed with source.
	AssumeRole(ctx context.Context, source Credentials, req AssumeRoleRequest) (Credentials, error)
	// AssumeRoleWithWebIdentity calls STS AssumeRoleWithWebIdentity, which
	// is not signed: the web identity token (a JWT, secret) authenticates.
	AssumeRoleWithWebIdentity(ctx context.Context, webIdentityToken string, req AssumeRoleRequest) (Credentials, error)
}

// AssumeRoleRequest says which role to assume and how.
type AssumeRoleRequest struct {
	// RoleARN is the role to assume, e.g. arn:aws:iam::123456789012:role/dev.
	RoleARN string
	// RoleSessionName names the session; it appears in the assumed-role ARN.
	RoleSessionName string
	// ExternalID is passed as ExternalId when set.
	ExternalID string
	// Duration is the session's lifetime; zero leaves it to STS (one hour).
	Duration time.Duration
	// Region is the region whose STS endpoint to call; empty means the
	// assumer's default.
	Region string
}
