package main

// Every use of the configuration (the shared files, the environment, the
// credential chain and the STS client that assumes roles) is in this file.

import (
	"context"
	"fmt"

	"github.com/callerid/callerid"
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
// does for aws eks get-token, with callerid.LoadConfig: the region from
// --region, AWS_DEFAULT_REGION or the profile's region (botocore does not
// read AWS_REGION), and with none the global endpoint; a configured STS
// endpoint (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the sts endpoint_url
// of the profile's services section, the profile's endpoint_url, unless
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or ignore_configured_endpoint_urls
// is true) named as it is and signed for the region, over FIPS,
// dual-stack and legacy; FIPS and dual-stack from AWS_USE_FIPS_ENDPOINT
// and AWS_USE_DUALSTACK_ENDPOINT or the profile (read as botocore reads
// them: any value but "true" is false); sts_regional_endpoints = legacy
// sending the legacy regions to the global endpoint; the credentials of
// the CLI's chain for the profile, and with roleARN those of a session of
// that role, assumed once (at the configured endpoint, if any).
//
// A configured endpoint without a region is a token the CLI cannot sign:
// the setup's endpoint then has no Region, and the Prover refuses it
// (sts.ErrNoRegion) once run has a cluster, as the CLI does; with roleARN,
// Config.STS refuses it at once, as the CLI fails to sign the AssumeRole
// call.
func load(ctx context.Context, profile, region, roleARN string, getenv func(string) string) (setup, error) {
	opts := []callerid.Option{callerid.WithGetenv(func(k string) string {
		if k == "AWS_REGION" {
			return ""
		}
		return getenv(k)
	})}
	if profile != "" {
		opts = append(opts, callerid.WithProfile(profile))
	}
	if region != "" {
		opts = append(opts, callerid.WithRegion(region))
	}
	cfg, err := callerid.LoadConfig(ctx, opts...)
	if err != nil {
		return setup{}, err
	}

	var e iamauth.Endpoint
	switch {
	case cfg.STSOptions.EndpointURL != "":
		e.Region, e.URL = cfg.Region, cfg.STSOptions.EndpointURL
	case cfg.Region == "" && (cfg.STSOptions.UseFIPSEndpoint || cfg.STSOptions.UseDualStackEndpoint):
		// botocore resolves the pseudo-region aws-global: its FIPS or
		// dual-stack host, signed for us-east-1.
		ep, err := sts.ResolveEndpoint(sts.EndpointOptions{Region: sts.GlobalRegion,
			UseFIPS: cfg.STSOptions.UseFIPSEndpoint, UseDualStack: cfg.STSOptions.UseDualStackEndpoint})
		if err != nil {
			return setup{}, err
		}
		e.URL, e.Region = ep.URL, ep.SigningRegion
	case cfg.Region == "":
		e.Global = true
	case cfg.STSOptions.UseGlobalEndpoint && sts.LegacyGlobalRegion(cfg.Region):
		e.Global = true
	default:
		e.Region = cfg.Region
		e.FIPS = cfg.STSOptions.UseFIPSEndpoint
		e.DualStack = cfg.STSOptions.UseDualStackEndpoint
	}

	creds := cfg.Credentials
	if roleARN != "" {
		client, err := cfg.STS()
		if err != nil {
			return setup{}, err
		}
		// Assumed here, once, so that a refusal is the command's error,
		// worded as the CLI words it.
		role := &sts.AssumeRoleProvider{Client: client, Input: sts.AssumeRoleInput{RoleARN: roleARN, RoleSessionName: roleSessionName}}
		c, err := role.Retrieve(ctx)
		if err != nil {
			return setup{}, &callError{op: "AssumeRole", err: err}
		}
		creds = &credentials.StaticProvider{Credentials: c}
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
