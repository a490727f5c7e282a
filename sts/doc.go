// Package sts calls the AWS Security Token Service over its Query protocol,
// without the AWS SDK.
//
// A Client signs each request with the sigv4 package, sends it to the STS
// endpoint of its region (or to an endpoint you name), and decodes the XML
// answer. GetCallerIdentity tells who the credentials belong to;
// AssumeRole and AssumeRoleWithWebIdentity trade credentials or a web
// identity token for a role's temporary credentials. AssumeRoleProvider
// and WebIdentityProvider make those calls credentials.Provider values, as
// a profile's role_arn or a pod's web identity token ask.
//
// # Configuration
//
// Options are typed settings, used as they are: this package reads no
// AWS_* environment variable and no file. callerid.LoadConfig resolves them as
// the AWS CLI does, from the environment and the shared config profile,
// and hands out Clients (callerid.Config.STS). ResolveEndpoint turns the
// region and endpoint settings into an endpoint: regional by default
// (https://sts.REGION.amazonaws.com/, with the DNS suffix of the region's
// partition), FIPS or dual-stack on request, the global
// https://sts.amazonaws.com/ for the legacy regions with
// UseGlobalEndpoint (the AWS CLI's sts_regional_endpoints = legacy). An
// endpoint URL you name is signed for the region, as the AWS CLI signs
// it, whatever region its host names; without a region ResolveEndpoint
// refuses it (ErrNoRegion), as the CLI does, while New signs for
// DefaultRegion.
//
// # Retries, clock skew, limits
//
// Calls are retried in one of the AWS CLI's retry modes (see RetryMode):
// throttling and transient errors only, with exponential backoff and full
// jitter, each wait cut short by the context. A Client made with New
// retries as the SDKs' standard mode, at most 3 attempts; one from
// callerid.LoadConfig as the AWS CLI v1 does, in botocore's legacy mode
// (at most 5 attempts, its own codes and statuses) unless retry_mode
// names another (see RetryOptions). A call that STS
// refuses because the local clock is more than 4 minutes off its own is
// retried once with the clock corrected by the difference, which the
// client keeps for later calls (see Client.ClockOffset). Answers larger
// than 1 MiB are refused; each attempt is bounded by the HTTP client's
// timeout (DefaultTimeout with the default client) and the whole call by
// the context.
//
// # Errors
//
// Errors that STS itself reports come back as *APIError, with the HTTP
// status, the error code (e.g. "SignatureDoesNotMatch"), the message and
// the request id; answers that are not STS documents at all come back as
// *ResponseError. Both are wrapped in *OperationError, which names the
// operation and endpoint and says how many attempts were made, and are
// found with errors.As. An endpoint New will not use is an
// *EndpointError. Input that STS's API model refuses (lengths, patterns,
// ranges) is refused before sending, with an *InputError of *ParamError
// values that name each parameter, what is wrong and the bound. The providers' errors are *credentials.Error values that
// keep these inside. No error, and no String or GoString of this package's
// types, shows a secret access key, a session token or a web identity
// token.
//
// The sts/ststest package runs a fake STS for tests.
package sts
