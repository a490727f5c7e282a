package main

// Every use of the configuration (the shared files, the environment, the
// credential chain and the STS client that assumes roles) is in this file.

import (
	"context"
	"fmt"
	"strings"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/sts"
)

// roleSessionName is the session name aws eks get-token gives --role-arn.
const roleSessionName = "EKSGetTokenAuth"

// setup is what a token is made with: the STS endpoint it names and the
// credentials that sign it.
type setup struct {
	endpoint iamauth.Endpoint
	creds    credentials.Provider
}

// load resolves the endpoint and credentials as the AWS CLI (v1, botocore)
// does for aws eks get-token: the region from --region, AWS_DEFAULT_REGION
// or the profile's region, and with none the global endpoint; FIPS and
// dual-stack from AWS_USE_FIPS_ENDPOINT and AWS_USE_DUALSTACK_ENDPOINT or
// the profile; sts_regional_endpoints = legacy sending the legacy regions
// to the global endpoint; the credentials of the CLI's chain for the
// profile, and with roleARN those of a session of that role.
func load(ctx context.Context, profile, region, roleARN string, getenv func(string) string) (setup, error) {
	chainOpts := credentials.ChainOptions{Profile: profile, Region: region, Getenv: getenv}
	shared, prof, err := chainOpts.LoadConfig()
	if err != nil {
		return setup{}, err
	}
	chainOpts.SharedConfig = shared
	setting := func(env, key string) string {
		if v := getenv(env); v != "" {
			return v
		}
		return prof.Get(key)
	}
	if region == "" {
		region = setting("AWS_DEFAULT_REGION", "region")
	}
	stsRegion := region
	if stsRegion == "" {
		stsRegion = "aws-global"
	}
	stsOpts := sts.Options{Region: stsRegion, Config: prof.Get, Getenv: getenv}
	roles, err := sts.New(stsOpts)
	if err != nil {
		return setup{}, err
	}
	chainOpts.RoleAssumer = sts.RoleAssumer{Client: roles}
	creds := credentials.DefaultChain(chainOpts)

	var e iamauth.Endpoint
	switch {
	case region == "":
		e.Global = true
	case strings.EqualFold(setting("AWS_STS_REGIONAL_ENDPOINTS", "sts_regional_endpoints"), "legacy") && sts.LegacyGlobalRegion(region):
		e.Global = true
	default:
		e.Region = region
		e.FIPS = strings.EqualFold(setting("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"), "true")
		e.DualStack = strings.EqualFold(setting("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"), "true")
	}

	if roleARN != "" {
		stsOpts.Credentials = creds
		client, err := sts.New(stsOpts)
		if err != nil {
			return setup{}, err
		}
		out, err := client.AssumeRole(ctx, &sts.AssumeRoleInput{RoleARN: roleARN, RoleSessionName: roleSessionName})
		if err != nil {
			return setup{}, &callError{op: "AssumeRole", err: err}
		}
		role := out.Credentials
		creds = credentials.ProviderFunc(func(context.Context) (credentials.Credentials, error) { return role, nil })
	}
	return setup{endpoint: e, creds: creds}, nil
}

// callError is the failure of an STS operation the command made.
type callError struct {
	op  string
	err error
}

func (e *callError) Error() string { return fmt.Sprintf("calling %s: %v", e.op, e.err) }

func (e *callError) Unwrap() error { return e.err }
