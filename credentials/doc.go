// Package credentials finds and holds the AWS credentials a request is
// signed with.
//
// A Provider hands out Credentials. Providers read them from the
// environment, from static values, and (see the rest of this package) from
// the places the AWS CLI looks. A Credentials value never shows its secret
// access key or session token when printed, formatted or marshalled: only
// its accessors return them.
package credentials
