// Package iamauth proves an AWS identity to a third party, and verifies
// such proofs, the way Kubernetes (aws-iam-authenticator, aws eks
// get-token), HashiCorp Vault and Consul (their AWS IAM auth methods) and
// Teleport (its IAM join) do it: with an STS GetCallerIdentity request
// that the prover signs and does not send, and that the verifier sends to
// STS to learn who signed it. No secret leaves the prover, and the
// verifier needs no AWS credentials of its own.
//
// # Proving
//
// A [Prover] signs with any credentials.Provider, for the STS endpoint of
// a Region of any partition (see [Endpoint]: regional, FIPS, dual-stack,
// or the global sts.amazonaws.com), or for a custom endpoint URL signed
// for a Region, as the AWS CLI names AWS_ENDPOINT_URL_STS's:
//
//   - [Prover.EKSToken] makes a token for an EKS cluster: "k8s-aws-v1."
//     and the base64url, without padding, of a presigned
//     GET https://sts.REGION.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&…
//     whose signature covers the header x-k8s-aws-id: CLUSTER, with
//     X-Amz-Expires=60 (STS accepts it for 15 minutes anyway). Its
//     Expires is the signing time plus 14 minutes, as aws eks get-token
//     reports it, or the credentials' expiry if that comes first.
//   - [Prover.LoginPayload] makes the four fields of a Vault or Consul
//     login (iam_http_request_method, iam_request_url, iam_request_body,
//     iam_request_headers): a POST of the same action, signed in its
//     headers, or a presigned GET; with a server-id header signed if
//     asked (Vault's X-Vault-AWS-IAM-Server-ID, or any name).
//
// Both can bind more headers ([Binding]), such as a nonce the server
// handed out, so that a proof is good for that server and that moment
// only.
//
// A proof is a bearer credential for the 15 minutes STS accepts it, and a
// login payload holds the session token: [EKSToken] and [LoginPayload]
// never show them in fmt, log/slog or JSON output; their Token and Fields
// methods give them.
//
// # Verifying
//
// A [Verifier] checks a proof locally first and asks STS only if it
// passes; then it checks STS's answer as strictly, and returns the
// caller's [Identity], classified with the arn package (the canonical
// role ARN of a role session, the session name, the account). Each check
// closes a hole that a verifier of this kind has had:
//
//  1. size: at most 4096 bytes for a token (16 KiB for a payload), before
//     anything is decoded;
//  2. the exact prefix "k8s-aws-v1.";
//  3. base64url without padding, strictly (no '=', no line breaks, no
//     stray bits), or standard base64 for payload fields;
//  4. https only;
//  5. the host exactly one of the STS hosts of the configured partitions
//     and regions (regional, FIPS, dual-stack, and sts.amazonaws.com for
//     aws): no user information, port, trailing dot, IP address or upper
//     case, so neither sts.amazonaws.com.evil nor sts.amazonaws.com@evil
//     gets the request, nor a Host header that names another host;
//  6. the path exactly "/", no fragment;
//  7. no query parameter twice, names compared without regard to case or
//     escapes: CVE-2022-2385 read the access key id of the lower-case
//     duplicate that STS ignored;
//  8. query parameters from an allowlist, each once, spelled exactly
//     (Action, Version, and the X-Amz-* of a presigned signature);
//  9. Action=GetCallerIdentity and Version=2011-06-15, in the query, or
//     in a POST body that holds nothing else (and never in both), so that
//     no other action's answer is taken for this one;
//  10. the bound headers (cluster id, server id, challenge) present,
//     named in the signed headers and, in a payload, equal to the
//     expected value (for a presigned token the Verifier sends the value
//     it expects, and STS's check of the signature compares them); no
//     other header signed in a token;
//  11. X-Amz-Expires from 0 to 900 seconds;
//  12. X-Amz-Date at most 15 minutes old and not later than now plus a
//     skew allowance (5 minutes by default);
//  13. in a POST payload, no X-Amz-* header off an allowlist, no
//     hop-by-hop header, a form Content-Type;
//  14. the credential scope for sts in the host's region.
//
// Then the Verifier sends the request to the host the proof names (or to
// VerifierOptions.Endpoint, with that host as the Host header), follows
// no redirect (a copy of any http.Client given is made not to), reads at
// most 64 KiB, and asks for JSON. It accepts only a 200 answer that is
// exactly a GetCallerIdentityResponse, in JSON or in XML of STS's
// namespace, as its Content-Type says: one result with a non-empty Arn
// that names a principal of the host's partition and of the Account, and
// a UserId that agrees. CVE-2020-16250 had Vault take another API's
// answer, with a GetCallerIdentityResult in it, for STS's; here another
// action's answer, an HTML page, JSON holding XML, text before the
// document, no result or two are all refused.
//
// Every refusal is a [*VerifyError] that names the check and wraps its
// sentinel ([ErrHost], [ErrDuplicateParameter], [ErrRejected], ...) for
// errors.Is, with STS's *sts.APIError as its cause when STS refused. It
// never quotes the signature or the session token, and what it quotes of
// the proof or of STS is bounded. Throttling ([ErrThrottled]) and an
// unreachable STS ([ErrUnavailable]) are [Retryable].
//
// # The cache
//
// A kubectl presents the same token for its whole life, and a busy
// verifier gets throttled by STS. A Verifier keeps the outcome of each
// proof STS saw, by the SHA-256 of the whole proof and of the bindings
// asked for, until the proof expires (a refusal STS gave, at most a
// minute): a repeated proof costs a hash and a map lookup and no call. It
// never keeps a refusal of its own checks, nor a throttled or failed call,
// and holds at most VerifierOptions.CacheSize outcomes. Presentations of a
// new proof that arrive together make one call to STS between them.
//
// # Testing
//
// sts/ststest runs a fake STS on loopback that checks signatures as STS
// does, presigned ones included: point VerifierOptions.Endpoint at it.
package iamauth
